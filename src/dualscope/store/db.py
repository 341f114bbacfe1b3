"""Opening the DuckDB store: one function that creates the tables and sets sane limits.

DuckDB runs the heavy work (JSON parsing, the screening scan) out of Python. Its memory limit
keeps the whole process (DuckDB, the Python side and the matching workers) well below the
1.5 GB budget: a million-work corpus spills to disk instead of growing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dualscope.errors import DualscopeError
from dualscope.store.schema import ALL_TABLES

# DuckDB's own budget; the Python side of screening stays small (distinct strings only).
MEMORY_LIMIT = "800MB"


def open_store(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating when needed) the store at ``path`` with every table of the contract."""
    path = Path(path)
    if read_only and not path.exists():
        raise DualscopeError(
            f"{path}: no such store", hint="run `dualscope ingest FILE --db ...` first"
        )
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        raise DualscopeError(
            f"{path}: cannot open the store ({exc})",
            hint="is another dualscope process using it?",
        ) from exc
    except duckdb.Error as exc:
        raise DualscopeError(f"{path}: not a DuckDB store ({exc})") from exc
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET enable_progress_bar = false")  # our own output (Rich) stays readable
    if not read_only:
        for ddl in ALL_TABLES:
            con.execute(ddl)
        _migrate(con)
    return con


def _migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Add columns introduced after a store was created (stores made by earlier versions)."""
    present = set(
        con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()
    )
    for table, column, kind in _ADDED_COLUMNS:
        if (table, column) not in present:
            con.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


# (table, column, type) added to the contract after the first release, in order.
_ADDED_COLUMNS = (
    ("ingested_files", "records_replaced", "BIGINT"),
    ("ingested_files", "records_stale", "BIGINT"),
    ("ingested_files", "skipped_reasons", "JSON"),
    ("ingested_files", "kind", "VARCHAR"),
    ("screen_partners", "orcid", "VARCHAR"),
    ("ingested_files", "skipped_first", "JSON"),
    ("works", "screenable", "BOOLEAN"),
    ("ingested_files", "kept", "VARCHAR"),
)
