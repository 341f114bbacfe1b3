"""CSV exports as rows keyed by column name, with the line each row starts on.

Shared by the Scopus, Dimensions, OpenAlex-CSV and Lens readers. The header may follow a few
preamble lines (Dimensions puts a title line first); a row that is not valid CSV, or has more
non-empty cells than the header has columns, becomes a :class:`SkippedRecord` and reading goes on.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from dualscope.errors import InputError
from dualscope.sources.records import ExportRecord, RecordProblem, SkippedRecord, check_size
from dualscope.sources.textio import TextSource, csv_rows

Row = dict[str, str]
MAX_PREAMBLE_ROWS = 5


def header_cells(row: list[str]) -> list[str]:
    """Header names without BOM, quotes or surrounding spaces."""
    return [cell.replace("\ufeff", "").strip() for cell in row]


def read_table(
    source: TextSource,
    is_header: Callable[[list[str]], bool],
    *,
    what: str,
    check_header: Callable[[list[str]], None] | None = None,
) -> Iterator[tuple[int, Row] | SkippedRecord]:
    """Rows of a CSV export after the first row ``is_header`` accepts (within 5 rows).

    Raises :class:`InputError` when no header is found: the file is not a ``what`` export.
    ``check_header`` may raise too (a required column missing, say).
    """
    path = source.path
    rows = csv_rows(source.lines())
    header = _find_header(path, rows, is_header, what)
    if check_header is not None:
        check_header(header)
    width = len(header)
    for line, row in rows:
        if isinstance(row, csv.Error):
            yield SkippedRecord(path, line, f"malformed CSV row: {row}")
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > width:
            if any(cell.strip() for cell in row[width:]):
                yield SkippedRecord(
                    path, line, f"row has {len(row)} fields, the header has {width}"
                )
                continue
            row = row[:width]
        elif len(row) < width:
            yield SkippedRecord(path, line, f"row has {len(row)} fields, the header has {width}")
            continue
        yield line, dict(zip(header, row, strict=True))


def read_records(
    source: TextSource,
    is_header: Callable[[list[str]], bool],
    make_record: Callable[[Row, Path, int], ExportRecord],
    *,
    what: str,
    check_header: Callable[[list[str]], None] | None = None,
) -> Iterator[ExportRecord | SkippedRecord]:
    """Records of a CSV export: ``make_record`` per row; a row it rejects is skipped with why."""
    path = source.path
    for item in read_table(source, is_header, what=what, check_header=check_header):
        if isinstance(item, SkippedRecord):
            yield item
            continue
        line, row = item
        try:
            yield make_record(row, path, line)
        except RecordProblem as problem:
            yield SkippedRecord(path, line, str(problem))


def require_any(
    path: Path, columns: tuple[str, ...], problem: str, *, hint: str
) -> Callable[[list[str]], None]:
    """A ``check_header`` that fails with ``problem`` (and ``hint``) unless the header holds
    at least one of ``columns``: an export without its affiliation columns, say."""

    def check(cells: list[str]) -> None:
        if not any(c in cells for c in columns):
            raise InputError(path, problem, hint=hint)

    return check


def cell(row: Row, column: str, *, missing: frozenset[str] = frozenset()) -> str | None:
    """The stripped cell, or None when empty or a placeholder in ``missing`` (e.g. "NA")."""
    value = (row.get(column) or "").strip()
    if not value or value.upper() in missing:
        return None
    return check_size(column, value)


def _find_header(
    path: Path,
    rows: Iterator[tuple[int, list[str] | csv.Error]],
    is_header: Callable[[list[str]], bool],
    what: str,
) -> list[str]:
    for count, (line, row) in enumerate(rows):
        if isinstance(row, csv.Error):
            raise InputError(path, f"not a readable {what} export: {row}", line=line)
        cells = header_cells(row)
        if is_header(cells):
            return cells
        if count + 1 >= MAX_PREAMBLE_ROWS:
            break
    raise InputError(
        path,
        f"no {what} header row in the first {MAX_PREAMBLE_ROWS} rows",
        hint="is this the export file as downloaded? pass --format to choose the reader",
    )


def split_list(value: str | None, sep: str = ";") -> list[str]:
    """Non-empty, stripped items of a ``sep``-separated cell."""
    if not value:
        return []
    return [item.strip() for item in value.split(sep) if item.strip()]
