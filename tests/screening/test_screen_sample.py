"""The real matcher and classifier on the synthetic sample: results equal expected.json.

The sample (examples/make_sample.py) states by construction which works must be flagged, with
which entities and in which countries; this is the product's main promise, tested end to end.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dualscope.cli import app
from dualscope.errors import DualscopeError

# Rich wraps stderr at 80 columns when it is not a terminal; a wide one shows the real line.
WIDE = {**__import__("os").environ, "COLUMNS": "1000"}

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample"


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh copy made by the generator (also proves it is deterministic)."""
    folder = tmp_path_factory.mktemp("sample")
    subprocess.run(
        [sys.executable, str(REPO / "examples" / "make_sample.py"), str(folder)], check=True
    )
    assert (folder / "works.jsonl.gz").read_bytes() == (SAMPLE / "works.jsonl.gz").read_bytes()
    return folder


def _flagged(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "works.csv", encoding="utf-8", newline="") as handle:
        return {r["work_id"]: r for r in csv.DictReader(handle)}


@pytest.mark.parametrize(
    ("key", "args"), [("default", []), ("all_categories", ["--categories", "all"])]
)
def test_screen_finds_exactly_the_expected_works(sample, tmp_path, key, args):
    expected = json.loads((sample / "expected.json").read_text())[key]
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["screen", str(sample / "works.jsonl.gz"), "--db", str(tmp_path / "s.duckdb"),
         "--out", str(out), *args],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Top countries" in result.output and "Report:" in result.output
    flagged = _flagged(out)
    assert sorted(flagged) == expected["work_ids"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["countries"] == expected["countries"]
    with open(out / "countries.csv", encoding="utf-8", newline="") as handle:
        per_country = {r["country"]: int(r["works"]) for r in csv.DictReader(handle)}
    assert per_country == expected["countries"]
    # the pre-filter set some strings aside, and every matched string went to the matcher
    resolved = summary["affiliations_resolved"]
    assert resolved["raw_strings_matched"] <= resolved["raw_strings_to_matcher"]
    assert resolved["raw_strings_to_matcher"] < resolved["raw_strings"]
    if key == "default":
        entities = {
            w: sorted(e.lower().replace(" ", "-") for e in r["entities"].split(";"))
            for w, r in flagged.items()
        }
        names = {w: sorted(ids) for w, ids in expected["entities"].items()}
        assert _entity_ids(out) == names, entities
        assert summary["duplicates"]["merged_by_doi"] == 1
        assert summary["duplicates"]["replaced_by_newer_updated_date"] == 2


def _entity_ids(out: Path) -> dict[str, list[str]]:
    import duckdb

    con = duckdb.connect(str(out.parent / "s.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT work_id, entity_ids FROM screen_works").fetchall()
    finally:
        con.close()
    return {w: sorted(ids) for w, ids in rows}


def test_user_errors_end_in_one_line_and_exit_2(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        app, ["screen", "--db", str(tmp_path / "x.duckdb"), "--out", str(tmp_path / "o"),
              "--categories", "militray"],
    )  # fmt: skip
    assert isinstance(result.exception, DualscopeError)
    assert "did you mean 'military'" in str(result.exception)
    proc = subprocess.run(
        [sys.executable, "-c", "from dualscope.cli import main; main()", "ingest",
         str(tmp_path / "missing.jsonl"), "--db", str(tmp_path / "x.duckdb")],
        capture_output=True, text=True, env=WIDE,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "missing.jsonl: no such file or folder" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_ingest_strict_exits_2_naming_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "https://openalex.org/W9000000001"}\n{oops\n')
    proc = subprocess.run(
        [sys.executable, "-c", "from dualscope.cli import main; main()", "ingest", str(bad),
         "--db", str(tmp_path / "x.duckdb"), "--strict"],
        capture_output=True, text=True, env=WIDE,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "bad.jsonl, line 2: invalid JSON" in proc.stderr.splitlines()[-1]
    assert "Traceback" not in proc.stderr
