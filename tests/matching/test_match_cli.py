"""The CLI: `dualscope check`, `dualscope match`, `dualscope watchlist import-ror`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from dualscope.cli import app
from dualscope.matching.batch import OUTPUT_COLUMNS

from .test_known import RECORDS

runner = CliRunner()


def _run(home: Path, *args: str):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, [*args, "--home", str(home)])
    assert result.exit_code == 0, result.output
    return result


def test_check_reports_no_match_for_a_near_miss(tmp_path: Path) -> None:
    result = _run(tmp_path, "check", "Beijing University of Technology")
    assert "no match" in result.output
    assert "not matched" in result.output
    assert "Beijing Institute of Technology" in result.output


def test_check_explains_a_wos_abbreviation(tmp_path: Path) -> None:
    result = _run(tmp_path, "check", "Beijing Univ Aeronaut & Astronaut")
    assert "MATCH Beihang University" in result.output
    assert "Web of Science abbreviation" in result.output
    assert "seven_sons" in result.output
    assert "BIS Entity List" in result.output or "DoD 1286" in result.output


def test_check_json(tmp_path: Path) -> None:
    result = _run(tmp_path, "check", "Natl Univ Def Technol, Changsha", "--json")
    payload = json.loads(result.output)
    assert payload["matched"] is True
    match = payload["matches"][0]
    assert match["entity_id"] == "nudt" and match["category"] == "military"
    assert match["evidence"][0]["rule"] == "wos_abbreviation"
    assert "Changsha Institute of Technology" in match["aliases"]
    miss = json.loads(_run(tmp_path, "check", "Beijing University of Technology", "--json").output)
    assert miss["matched"] is False and miss["closest_not_matched"]


def test_match_writes_one_row_per_line_in_order(tmp_path: Path) -> None:
    source = tmp_path / "affiliations.txt"
    lines = [
        "Natl Univ Def Technol, Coll Comp, Changsha 410073, Peoples R China",
        "Beijing University of Technology, Beijing",
        "",
        "Harbin Institute of Technology; Tsinghua University, Beijing",
        "Natl Univ Def Technol, Coll Comp, Changsha 410073, Peoples R China",
    ]
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out" / "matches.csv"
    result = _run(tmp_path, "match", str(source), "--out", str(out))
    assert "5 rows (4 distinct strings)" in result.output
    with out.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == OUTPUT_COLUMNS
        rows = list(reader)
    assert [r["input"] for r in rows] == lines
    assert rows[0]["entity_id"] == "nudt" and rows[0]["category"] == "military"
    assert rows[1]["entity_id"] == "" and rows[1]["evidence"] == ""
    assert rows[3]["entity_id"] == "harbin-institute-of-technology;tsinghua-university"
    assert rows[3]["score"] == "1.00;1.00"
    assert len(rows[3]["evidence"].split(";")) == 2
    assert rows[4] == rows[0]


def test_match_reads_a_csv_column_and_names_missing_ones(tmp_path: Path) -> None:
    source = tmp_path / "works.csv"
    source.write_text('id,affiliation\n1,"Harbin Engn Univ, Harbin, Peoples R China"\n2,MIT\n')
    out = tmp_path / "m.csv"
    _run(tmp_path, "match", str(source), "--out", str(out), "--column", "affiliation")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["entity_id"] for r in rows] == ["harbin-engineering-university", ""]
    result = runner.invoke(app, ["match", str(source), "--out", str(out), "--column", "aff"])
    assert result.exit_code != 0
    assert "no column 'aff'" in str(result.exception) + result.output


def test_import_ror_writes_the_known_index_used_by_check(tmp_path: Path) -> None:
    dump = tmp_path / "ror.json"
    dump.write_text(json.dumps(RECORDS), encoding="utf-8")
    result = _run(tmp_path, "watchlist", "import-ror", str(dump))
    assert "read 4 ROR records" in result.output
    known = tmp_path / "watchlist" / "known_institutions.csv"
    assert known.is_file()
    payload = json.loads(_run(tmp_path, "watchlist", "import-ror", str(dump), "--json").output)
    assert payload["records"] == 4
    # the imported hospital name now keeps "Wuhan University" inside it from matching
    check = _run(tmp_path, "check", "Wuhan University Renmin Hospital, Wuhan")
    assert "no match" in check.output
