"""Moving Arrow data in and out of DuckDB temp tables (the small results Python computes)."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa


def temp_table(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """Create (or replace) temp table ``name`` holding ``table``."""
    view = f"{name}_arrow"
    con.register(view, table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {view}")  # noqa: S608
    finally:
        con.unregister(view)


def query_arrow(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.DuckDBPyRelation:
    """``sql`` as a relation, to read as Arrow (``.to_arrow_table()``, ``.to_arrow_reader()``).

    ``con.sql`` refuses to run while an earlier ``execute()`` result is unread (a caller's
    ``fetchone()``); a finished statement closes it first.
    """
    con.execute("SELECT 1").fetchall()
    return con.sql(sql)


def query_columns(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[list[Any]]]:
    """The column names of ``sql`` and each column as a Python list: the values ``fetchall``
    gives, read through Arrow a column at a time (about half the cost of row by row)."""
    table = query_arrow(con, sql).to_arrow_table()
    return table.column_names, [column.to_pylist() for column in table.columns]
