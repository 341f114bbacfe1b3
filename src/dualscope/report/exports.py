"""Exports of the result tables: a CSV folder, one XLSX workbook, a Parquet folder.

Every format holds the same tables (:data:`dualscope.report.tables.TABLES`) from the same
queries. All writes are atomic: a folder is built beside its target and renamed, a workbook is
saved to a temp file and renamed. Spreadsheet formats never let a cell run as a formula: CSV
cells are neutralised (:mod:`dualscope.csvout`), XLSX cells are stored as typed strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from dualscope.csvout import write_csv
from dualscope.errors import DualscopeError
from dualscope.fsutil import OUTPUT_MARKER, atomic_dir, atomic_file
from dualscope.report import tables
from dualscope.report.pseudonym import Pseudonymiser, for_store, pseudonymise_record

XLSX_MAX_CELL = 32_767  # Excel's limit on characters in one cell
XLSX_MAX_ROWS = 1_048_576  # Excel's limit on rows in one sheet (header included)


def pseudonymised_rows(
    header: Sequence[str], rows: Iterable[Sequence[Any]], pseudo: Pseudonymiser
) -> Iterator[tuple[Any, ...]]:
    """``rows`` with researcher names/ids replaced by codes, ORCIDs removed, text scrubbed."""
    for row in rows:
        record = dict(zip(header, row, strict=True))
        pseudonymise_record(record, pseudo)
        yield tuple(record[h] for h in header)


def _table_rows(
    con: duckdb.DuckDBPyConnection, t: tables.Table, pseudo: Pseudonymiser | None
) -> tuple[list[str], Iterable[Sequence[Any]]]:
    header, rows = tables.fetch(con, t)
    if pseudo is not None:
        return header, pseudonymised_rows(header, rows, pseudo)
    return header, rows


def check_folder_target(out: Path, suffix: str) -> None:
    """Refuse a target the atomic folder swap would damage: a file, or a folder of other files.

    The export replaces the whole folder, so a folder may only hold this export's own tables
    (a previous export); anything else is the user's and stays untouched.
    """
    if out.exists() and not out.is_dir():
        raise DualscopeError(f"{out} is a file", hint=f"give a folder for the {suffix} tables")
    if out.is_dir():
        ours = {f"{t.name}{suffix}" for t in tables.TABLES} | {OUTPUT_MARKER}
        other = sorted(p.name for p in out.iterdir() if p.name not in ours)
        if other:
            more = ", …" if len(other) > 3 else ""
            raise DualscopeError(
                f"{out} holds other files ({', '.join(other[:3])}{more})",
                hint="export into a new or empty folder; it is replaced as a whole",
            )


def check_file_target(out: Path) -> None:
    if out.is_dir():
        raise DualscopeError(f"{out} is a folder", hint="give a file name, e.g. result.xlsx")


def export_csv(
    con: duckdb.DuckDBPyConnection, out: Path, *, pseudonymise: bool = False
) -> dict[str, int]:
    """Write ``out/<table>.csv`` for every table; returns rows written per table."""
    check_folder_target(out, ".csv")
    pseudo = for_store(con) if pseudonymise else None
    counts: dict[str, int] = {}
    with atomic_dir(out) as tmp:
        for t in tables.TABLES:
            header, rows = _table_rows(con, t, pseudo)
            counts[t.name] = write_csv(tmp / f"{t.name}.csv", header, rows)
    return counts


def xlsx_cell(ws: WriteOnlyWorksheet, value: Any) -> Any:
    """One cell for a write-only sheet: strings stay strings (never formulas), lists joined."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        value = "; ".join("" if v is None else str(v) for v in value)
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    if len(text) > XLSX_MAX_CELL:
        text = text[: XLSX_MAX_CELL - 20] + " … [truncated]"
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"  # openpyxl would store "=..." as a formula; force a plain string
    return cell


def export_xlsx(
    con: duckdb.DuckDBPyConnection, out: Path, *, pseudonymise: bool = False
) -> dict[str, int]:
    """Write one workbook with a sheet per table (write-only mode: flat memory)."""
    check_file_target(out)
    pseudo = for_store(con) if pseudonymise else None
    wb = Workbook(write_only=True)
    counts: dict[str, int] = {}
    for t in tables.TABLES:
        ws = wb.create_sheet(title=t.name)
        header, rows = _table_rows(con, t, pseudo)
        ws.append(header)
        n = 0
        for row in rows:
            n += 1
            if n >= XLSX_MAX_ROWS:
                raise DualscopeError(
                    f"table {t.name} has more rows than an Excel sheet holds ({XLSX_MAX_ROWS:,})",
                    hint="export --format csv or parquet instead",
                )
            ws.append([xlsx_cell(ws, v) for v in row])
        counts[t.name] = n
    with atomic_file(out, "wb") as handle:
        wb.save(handle)
    return counts


def export_parquet(con: duckdb.DuckDBPyConnection, out: Path) -> dict[str, int]:
    """Write ``out/<table>.parquet`` for every table, typed (lists stay lists), via Arrow."""
    check_folder_target(out, ".parquet")
    counts: dict[str, int] = {}
    with atomic_dir(out) as tmp:
        for t in tables.TABLES:
            cur = con.cursor()
            try:
                reader = cur.sql(t.sql).to_arrow_reader(50_000)
                n = 0
                with pq.ParquetWriter(tmp / f"{t.name}.parquet", reader.schema) as writer:
                    for batch in reader:
                        writer.write_batch(batch)
                        n += batch.num_rows
            finally:
                cur.close()
            counts[t.name] = n
    return counts
