"""The output folder of `screen`: CSV tables, summary.json and report.html, written atomically.

Every table is a named query over the ``screen_*`` tables (:mod:`dualscope.report.tables`), so
the files, the HTML report and the web app count the same way. Every CSV cell goes through
:mod:`dualscope.csvout` (formula neutralisation). The folder is built in a temporary sibling and
renamed into place.

The report modules (Jinja2 included) are imported, and the report template compiled, with this
module: `screen` imports it in a thread while DuckDB reads the input files, so that work (about
60 ms) is done by the time the outputs are written.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from dualscope.csvout import write_csv
from dualscope.errors import DualscopeError
from dualscope.fsutil import atomic_dir, atomic_file
from dualscope.report import tables
from dualscope.report.html import report_template, write_report
from dualscope.store.arrow import query_columns

# The queries live in dualscope.report.tables, with the report's other queries.
WORKS_CSV = tables.WORKS
COUNTRIES_CSV = tables.COUNTRIES
INSTITUTIONS_CSV = tables.INSTITUTIONS
ENTITIES_CSV = tables.ENTITIES
YEARS_CSV = tables.YEARS
RESEARCHERS_CSV = tables.RESEARCHERS
AREAS_CSV = tables.AREAS

TABLES: tuple[tuple[str, str], ...] = (
    ("works.csv", WORKS_CSV),
    ("countries.csv", COUNTRIES_CSV),
    ("institutions.csv", INSTITUTIONS_CSV),
    ("entities.csv", ENTITIES_CSV),
    ("years.csv", YEARS_CSV),
    ("researchers.csv", RESEARCHERS_CSV),
    ("areas.csv", AREAS_CSV),
)

report_template()  # compiled now, in `screen`'s loading thread (see the module docstring)


@dataclass
class OutputFiles:
    folder: Path
    rows: dict[str, int]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Run the block without the cyclic garbage collector (reference counting still frees).

    Building tens of thousands of rows makes Python run full collections, each of which walks
    every object the process holds, the matcher's large tables included (tens of milliseconds
    each); the rows built in these blocks hold no reference cycles, so those passes free nothing.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def query_rows(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """The header and rows of ``sql``, read through Arrow a column at a time (the same values
    as ``fetchall``, which converts row by row, at about half the cost for the larger tables)."""
    header, columns = query_columns(con, sql)
    return header, list(zip(*columns, strict=True)) if columns else []


def write_outputs(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    summary: dict[str, Any],
    *,
    pseudonymise: bool = False,
) -> OutputFiles:
    """Write every table, summary.json and report.html into ``out`` (replaced atomically)."""
    if Path(out).exists() and not Path(out).is_dir():
        raise DualscopeError(f"{out}: exists and is not a folder", hint="choose another --out")
    try:
        with gc_paused(), atomic_dir(Path(out)) as tmp:
            rows = _write_folder(con, tmp, summary, pseudonymise)
    except OSError as exc:
        raise DualscopeError(
            f"{out}: cannot write the output folder ({exc.strerror or exc})",
            hint="check the path and its permissions; the previous folder is untouched",
        ) from exc
    return OutputFiles(Path(out), rows)


def _write_folder(
    con: duckdb.DuckDBPyConnection, folder: Path, summary: dict[str, Any], pseudonymise: bool
) -> dict[str, int]:
    rows: dict[str, int] = {}
    results: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    for name, sql in TABLES:
        header, data = query_rows(con, sql)
        results[sql] = (header, data)
        rows[name] = write_csv(folder / name, header, data)
    with atomic_file(folder / "summary.json") as handle:
        json.dump(summary, handle, ensure_ascii=False, indent=2, sort_keys=False)
        handle.write("\n")
    # the report shows the same tables: it reuses the rows read for the CSV files
    write_report(con, folder / "report.html", pseudonymise=pseudonymise, prefetched=results)
    return rows
