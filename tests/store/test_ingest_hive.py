"""Snapshot partition folders (``updated_date=YYYY-MM-DD``) must not override records' fields.

Regression: DuckDB's ``read_json`` detects Hive partitioning from the path by default, so every
record read from ``.../updated_date=2026-03-01/part_002.gz`` got the folder's date as its
``updated_date``: an older copy of a re-issued work in a later folder replaced the newest one,
and same-day timestamps were truncated to the date.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dualscope.store.db import open_store
from dualscope.store.ingest import ingest_paths


def _partition(root: Path, date: str, name: str) -> Path:
    folder = root / "data" / "works" / f"updated_date={date}"
    folder.mkdir(parents=True)
    return folder / name


def test_records_keep_their_own_updated_date_under_snapshot_folders(
    tmp_path: Path, factory: Any
) -> None:
    w = factory.work
    newest = factory.write_jsonl(
        _partition(tmp_path, "2025-01-01", "part_000.gz"),
        [w(1, "2025-02-01T08:00:00.000000", title="newest")],
        gz=True,
    )
    older = factory.write_jsonl(
        _partition(tmp_path, "2026-03-01", "part_000.gz"),
        [w(1, "2024-01-10T00:00:00.000000", title="older")],
        gz=True,
    )
    for name, order in (("ab", [newest, older]), ("ba", [older, newest])):
        con = open_store(tmp_path / f"{name}.duckdb")
        ingest_paths(con, order)
        assert con.execute("SELECT title, updated_date FROM works").fetchall() == [
            ("newest", "2025-02-01T08:00:00.000000")
        ]
        con.close()
    con = open_store(tmp_path / "folder.duckdb")
    ingest_paths(con, [tmp_path / "data" / "works"])
    assert con.execute("SELECT title FROM works").fetchall() == [("newest",)]
