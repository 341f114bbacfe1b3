"""`--format` on `dualscope ingest` and `dualscope screen`: overrides detection by content."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dualscope.cli import app
from dualscope.errors import DualscopeError
from dualscope.sources.exports import FORMATS
from dualscope.store.ingest import input_format, input_formats

DATA = Path(__file__).resolve().parents[1] / "sources" / "data"
WIDE = {**os.environ, "COLUMNS": "1000"}


@pytest.fixture()
def wos_with_preamble(tmp_path: Path) -> Path:
    """A WoS plain-text export with a line before ``FN``: detection by content gives up."""
    path = tmp_path / "saved.txt"
    text = (DATA / "wos_plain.txt").read_text(encoding="utf-8")
    path.write_text("Saved from the library terminal\n" + text, encoding="utf-8")
    return path


def _works(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT count(*) FROM works").fetchone()
    finally:
        con.close()
    return int(row[0]) if row else 0


def test_allowed_values_are_auto_openalex_and_every_export_format():
    assert input_formats() == ("auto", "openalex", *FORMATS)
    assert input_format(None) is None and input_format("auto") is None
    assert input_format(" WoS ") == "wos" and input_format("wos-tab") == "wos_tab"
    with pytest.raises(DualscopeError) as err:
        input_format("endnote")
    assert "endnote" in str(err.value) and "openalex" in (err.value.hint or "")


def test_format_reads_a_file_detection_refuses(tmp_path, wos_with_preamble):
    runner = CliRunner(env=WIDE)
    db = tmp_path / "s.duckdb"
    refused = runner.invoke(app, ["ingest", str(wos_with_preamble), "--db", str(db)])
    assert isinstance(refused.exception, DualscopeError)
    assert "not a recognised input" in str(refused.exception)
    loaded = runner.invoke(
        app, ["ingest", str(wos_with_preamble), "--db", str(db), "--format", "wos"]
    )
    assert loaded.exit_code == 0, loaded.output
    clean = tmp_path / "clean.duckdb"
    detected = runner.invoke(app, ["ingest", str(DATA / "wos_plain.txt"), "--db", str(clean)])
    assert detected.exit_code == 0, detected.output
    assert _works(db) == _works(clean) > 0  # the same works as the file without the preamble


def test_format_overrides_detection_even_when_it_disagrees(tmp_path):
    # The WoS file read as Scopus: the Scopus reader runs (and says the columns are missing).
    runner = CliRunner(env=WIDE)
    db = tmp_path / "s.duckdb"
    result = runner.invoke(
        app, ["ingest", str(DATA / "wos_plain.txt"), "--db", str(db), "--format", "scopus"]
    )
    assert isinstance(result.exception, DualscopeError)
    assert "wos_plain.txt" in str(result.exception)
    # --format openalex on a CSV export is refused, naming the file
    result = runner.invoke(
        app, ["ingest", str(DATA / "scopus_new.csv"), "--db", str(db), "--format", "openalex"]
    )
    assert isinstance(result.exception, DualscopeError)
    assert "scopus_new.csv" in str(result.exception) and "--format openalex" in str(
        result.exception
    )


def test_format_openalex_ingests_json_lines(tmp_path):
    path = tmp_path / "works.jsonl"
    record = {"id": "https://openalex.org/W9000000001", "publication_year": 2020,
              "updated_date": "2024-01-01", "authorships": []}  # fmt: skip
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    result = CliRunner(env=WIDE).invoke(
        app, ["ingest", str(path), "--db", str(db), "--format", "openalex"]
    )
    assert result.exit_code == 0, result.output
    assert _works(db) == 1


@pytest.mark.parametrize("command", ["ingest", "screen"])
def test_a_wrong_format_is_one_line_listing_the_allowed_ones(tmp_path, command):
    args = [command, str(DATA / "wos_plain.txt"), "--db", str(tmp_path / "s.duckdb")]
    if command == "screen":
        args += ["--out", str(tmp_path / "out")]
    proc = subprocess.run(
        [sys.executable, "-c", "from dualscope.cli import main; main()", *args,
         "--format", "endnote"],
        capture_output=True, text=True, env=WIDE,
    )  # fmt: skip
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for name in input_formats():
        assert name in lines[0]
    assert not (tmp_path / "s.duckdb").exists()  # refused before the store was opened


def test_screen_passes_format_to_the_export_reader(tmp_path, wos_with_preamble):
    out = tmp_path / "out"
    result = CliRunner(env=WIDE).invoke(
        app,
        ["screen", str(wos_with_preamble), "--db", str(tmp_path / "s.duckdb"), "--out", str(out),
         "--format", "wos"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["works_read"] == _works(tmp_path / "s.duckdb") > 0
    assert summary["flagged"] >= 1  # the fixture's NUDT + Oxford record is flagged
