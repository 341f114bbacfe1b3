"""A store made by an earlier version gets the columns added since, when opened."""

from __future__ import annotations

from pathlib import Path

from dualscope.store.db import _ADDED_COLUMNS, open_store


def _columns(path: Path) -> set[tuple[str, str]]:
    con = open_store(path, read_only=True)
    try:
        rows = con.execute("SELECT table_name, column_name FROM information_schema.columns")
        return {(str(t), str(c)) for t, c in rows.fetchall()}
    finally:
        con.close()


def test_opening_an_older_store_adds_the_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    con = open_store(path)
    con.execute("INSERT INTO works (work_id, title) VALUES ('W1', 'kept through the upgrade')")
    for table, column in (("works", "screenable"), ("ingested_files", "kept")):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    con.close()
    assert ("works", "screenable") not in _columns(path)

    open_store(path).close()
    columns = _columns(path)
    assert {(t, c) for t, c, _ in _ADDED_COLUMNS} <= columns
    con = open_store(path, read_only=True)
    assert con.execute("SELECT title, screenable FROM works").fetchall() == [
        ("kept through the upgrade", None)
    ]
    con.close()


def test_opening_a_current_store_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    open_store(path).close()
    before = _columns(path)
    open_store(path).close()
    assert _columns(path) == before
