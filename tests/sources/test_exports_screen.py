"""Exports through the real pipeline: `dualscope screen` on WoS, Scopus, Dimensions, OpenAlex CSV.

The synthetic exports hold the same NUDT co-publication (DOI 10.9999/synth.2021.001) in five
formats: it must be flagged once, with the partner countries from every source's addresses.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from dualscope.cli import app
from dualscope.errors import DualscopeError

DATA = Path(__file__).parent / "data"
FILES = [
    "wos_plain.txt",
    "wos_tab_utf16.txt",
    "scopus_new.csv",
    "scopus_old.csv",
    "dimensions.csv",
    "openalex.csv",
]


def test_screen_all_export_formats_together(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["screen", *(str(DATA / f) for f in FILES), "--db", str(tmp_path / "s.duckdb"),
         "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with open(out / "works.csv", encoding="utf-8", newline="") as handle:
        works = list(csv.DictReader(handle))
    same_paper = [w for w in works if w["doi"] == "10.9999/synth.2021.001"]
    assert len(same_paper) == 1  # five records, one paper
    assert same_paper[0]["entities"] == "National University of Defense Technology"
    assert same_paper[0]["partner_countries"] == "DE;GB"
    by_id = {w["work_id"]: w for w in works}
    # WoS: an author in two address groups (Harbin + Cambridge) and a partner in Milan
    assert by_id["wos:000000000000003"]["partner_countries"] == "GB;IT"
    # Scopus old layout: Beijing Institute of Technology with Warsaw and Palaiseau
    assert by_id["scopus:2-s2.0-84000000001"]["partner_countries"] == "FR;PL"
    summary = json.loads((out / "summary.json").read_text())
    assert summary["duplicates"]["merged_by_doi"] == 4
    assert summary["records_skipped"]["by_reason"] == {
        "no UT (accession number) and no DI (DOI): the record has no key": 2,
        "no EID: the record has no key": 1,
    }


def test_screen_refuses_a_lens_export(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["screen", str(DATA / "lens.csv"), "--db", str(tmp_path / "s.duckdb"),
         "--out", str(tmp_path / "out")],
    )  # fmt: skip
    # the CLI's main() turns this error into one line and exit code 2
    assert isinstance(result.exception, DualscopeError)
    assert "Lens.org scholarly export, which carries no author affiliations" in str(
        result.exception
    )
    assert not (tmp_path / "out").exists()


# Abbreviated WoS addresses: watchlist universities, near misses, European and other partners.
WATCHED = [
    "Natl Univ Def Technol, Coll Comp, Changsha 410073, Hunan, Peoples R China",
    "Harbin Inst Technol, Sch Astronaut, Harbin 150001, Peoples R China",
    "Beihang Univ, Sch Aeronaut Sci & Engn, Beijing 100191, Peoples R China",
    "Northwestern Polytech Univ, Sch Aeronaut, Xian 710072, Shaanxi, Peoples R China",
    "Nanjing Univ Aeronaut & Astronaut, Coll Automat Engn, Nanjing 210016, Peoples R China",
    "Nanjing Univ Sci & Technol, Sch Comp Sci & Engn, Nanjing 210094, Peoples R China",
    "Harbin Engn Univ, Coll Underwater Acoust Engn, Harbin 150001, Peoples R China",
    "Beijing Inst Technol, Sch Mechatron Engn, Beijing 100081, Peoples R China",
]
NEAR_MISSES = [
    "Nanjing Univ, Sch Phys, Nanjing 210093, Peoples R China",
    "Harbin Med Univ, Dept Pharmacol, Harbin 150081, Peoples R China",
    "Beijing Normal Univ, Sch Math Sci, Beijing 100875, Peoples R China",
    "Hunan Univ, Coll Elect & Informat Engn, Changsha 410082, Peoples R China",
]
PARTNERS = {
    "Univ Oxford, Dept Engn Sci, Oxford OX1 3PJ, England": "GB",
    "Univ Edinburgh, Sch Informat, Edinburgh EH8 9AB, Midlothian, Scotland": "GB",
    "Cardiff Univ, Sch Engn, Cardiff CF24 3AA, S Glam, Wales": "GB",
    "Queens Univ Belfast, Belfast BT9 5AH, Antrim, North Ireland": "GB",
    "Tech Univ Munich, Dept Informat, D-85748 Garching, Germany": "DE",
    "Czech Tech Univ, Fac Elect Engn, Prague 16627, Czech Republic": "CZ",
    "Natl Univ Singapore, Dept Elect & Comp Engn, Singapore 117583, Singapore": None,
    "Georgia Inst Technol, Sch Aerosp Engn, Atlanta, GA 30332 USA": None,
    "Univ New S Wales, Sch Engn, Canberra, ACT 2600, Australia": None,
    "Tbilisi State Univ, Fac Exact & Nat Sci, Tbilisi 0179, Georgia": None,
}


def test_abbreviated_wos_export_is_screened_exactly(tmp_path: Path) -> None:
    lines = ["FN Clarivate Analytics Web of Science", "VR 1.0"]
    expected: dict[str, str] = {}
    number = 0
    for chinese in WATCHED + NEAR_MISSES:
        for partner, country in PARTNERS.items():
            number += 1
            ut = f"{number:015d}"
            if chinese in WATCHED and country:
                expected[f"wos:{ut}"] = country
            lines += [
                "PT J", f"AU Zhang, W{number}", f"   Smith, J{number}",
                f"AF Zhang, Wei{number}", f"   Smith, John{number}", f"TI Record {number}",
                f"C1 [Zhang, Wei{number}] {chinese}.", f"   [Smith, John{number}] {partner}.",
                "PY 2020", f"UT WOS:{ut}", "ER", "",
            ]  # fmt: skip
    path = tmp_path / "savedrecs.txt"
    path.write_text("\n".join([*lines, "EF"]), encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["screen", str(path), "--db", str(tmp_path / "s.duckdb"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with open(out / "works.csv", encoding="utf-8", newline="") as handle:
        flagged = {w["work_id"]: w["partner_countries"] for w in csv.DictReader(handle)}
    assert flagged == expected  # 48 of 120: every one found, nothing else, right country
