"""Opening the store for reading a screening result, with errors that say what to do."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dualscope.errors import DualscopeError
from dualscope.store.db import open_store

REQUIRED_TABLES = (
    "screen_works",
    "screen_matches",
    "screen_partners",
    "screen_areas",
    "screen_meta",
)


def open_result_store(path: Path, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the store at ``path`` and check it holds a screening result.

    Read-only by default; a DuckDB file opened read-only cannot be changed through this
    connection (the web app and exports rely on that).
    """
    path = Path(path)
    if not path.is_file():
        raise DualscopeError(
            f"{path}: no such store", hint="pass --db, or run `dualscope screen` to create it"
        )
    con = open_store(path, read_only=read_only)
    check_result(con, path)
    return con


def check_result(con: duckdb.DuckDBPyConnection, path: Path | str = "<store>") -> None:
    """Raise a clear error when ``con`` has no screening result tables."""
    found = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'screen_%'"
        ).fetchall()
    }
    missing = [t for t in REQUIRED_TABLES if t not in found]
    if missing:
        con.close()
        raise DualscopeError(
            f"{path}: no screening result (missing tables: {', '.join(missing)})",
            hint="run `dualscope screen ... --db` on this store first",
        )
