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
