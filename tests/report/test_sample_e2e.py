"""Report and exports on a store screened by the real pipeline (the bundled synthetic sample).

Proves the report reads what `screen` writes (not only our own test store): the same CSV tables,
every section, and pseudonymisation that leaves no author name of the store in the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dualscope.cli import app

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample" / "works.jsonl.gz"
runner = CliRunner()


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if not SAMPLE.is_file():
        pytest.skip(f"{SAMPLE} is absent")
    tmp = tmp_path_factory.mktemp("e2e")
    db, out = tmp / "s.duckdb", tmp / "out"
    result = runner.invoke(app, ["screen", str(SAMPLE), "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return db, out


def _names(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT author_name FROM screen_matches UNION SELECT author_name FROM screen_partners"
        ).fetchall()
    finally:
        con.close()
    return {r[0] for r in rows if r[0]}


def test_export_csv_equals_screen_tables(screened, tmp_path) -> None:
    db, out = screened
    result = runner.invoke(
        app, ["export", "--db", str(db), "--format", "csv", "--out", str(tmp_path / "csv")]
    )
    assert result.exit_code == 0, result.output
    for screen_csv in out.glob("*.csv"):
        exported = (tmp_path / "csv" / screen_csv.name).read_text(encoding="utf-8")
        original = screen_csv.read_text(encoding="utf-8")
        # Same header and rows. Row order is compared as a multiset: researchers.csv orders by
        # (works, name), and two authors with the same name and count may come in either order.
        assert exported.splitlines()[0] == original.splitlines()[0], screen_csv.name
        assert sorted(exported.splitlines()) == sorted(original.splitlines()), screen_csv.name
    assert (tmp_path / "csv" / "evidence.csv").is_file()


def test_pseudonymised_report_of_screened_store(screened, tmp_path) -> None:
    db, _ = screened
    names = _names(db)
    assert len(names) > 10
    result = runner.invoke(
        app, ["report", "--db", str(db), "--out", str(tmp_path / "r"), "--pseudonymise"]
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    leaked = sorted(n for n in names if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", html))
    assert leaked == []
    assert re.search(r"R-[0-9A-F]{8}", html)
    for section in ("countries", "entities", "works", "methodology"):
        assert f'<section id="{section}">' in html


def test_report_written_by_screen_has_every_section(screened) -> None:
    html = (screened[1] / "report.html").read_text(encoding="utf-8")
    for section in ("headline", "countries", "years", "areas", "entities", "institutions"):
        assert f'<section id="{section}">' in html
    assert "National University of Defense Technology" in html
