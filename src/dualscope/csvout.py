"""CSV writing that a spreadsheet cannot turn into code.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets ("CSV injection", OWASP). Titles and affiliation strings come
from outside, so every cell we write goes through :func:`neutralise`, which prefixes a single
quote: the spreadsheet then shows the text as typed. Files are written atomically (UTF-8, comma
separated, minimal quoting); list cells are joined with ``;``.

:func:`write_csv` converts a column at a time: a column of plain text, numbers and ``None`` whose
text cells start with no formula character goes to the csv module as it is (which writes those
exactly as :func:`neutralise` would), so most cells cost no Python call of their own.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

from dualscope.fsutil import atomic_file

# Characters a spreadsheet treats as the start of a formula (OWASP "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ";"
_FORMULA_CHARS = frozenset("".join(FORMULA_PREFIXES))
# Cells the csv module writes as neutralise() would: text as it is (formula-free), int as str(),
# float as repr(), None as "". Exact types: bool (an int) is written "true"/"false" by neutralise.
_TEXT_KINDS = frozenset({str, type(None)})
_NUMBER_KINDS = frozenset({int, float, type(None)})
_CHUNK = 10_000  # rows converted at a time (a long stream is never held whole)


def neutralise(cell: Any) -> str:
    """Render ``cell`` as text a spreadsheet shows as typed, never runs.

    ``None`` becomes ``""``; lists and tuples are joined with ``;`` (each item neutralised as a
    whole string afterwards); numbers and booleans are written plainly. A string starting with a
    formula character gets a leading single quote: ``=HYPERLINK(...)`` → ``'=HYPERLINK(...)``.
    Negative numbers stay numbers (``-3`` is data, not a formula).
    """
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, int | float):
        return repr(cell) if isinstance(cell, float) else str(cell)
    if isinstance(cell, list | tuple):
        text = LIST_SEPARATOR.join("" if item is None else str(item) for item in cell)
    else:
        text = str(cell)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``header`` and ``rows`` to ``path`` atomically, every cell neutralised.

    Returns the number of data rows written. The file is UTF-8 without a byte-order mark and
    uses ``\\n`` line endings.
    """
    count = 0
    with atomic_file(path, "w", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([neutralise(h) for h in header])
        stream = iter(rows)
        while chunk := list(islice(stream, _CHUNK)):
            writer.writerows(neutralised_rows(chunk))
            count += len(chunk)
    return count


def neutralised_rows(rows: Sequence[Sequence[Any]]) -> Iterable[Sequence[Any]]:
    """``rows`` with every cell as :func:`neutralise` renders it, for a csv writer.

    Cells the csv module itself writes the same way (see ``_TEXT_KINDS``, ``_NUMBER_KINDS``) are
    passed on unchanged, a whole column at a time.
    """
    widths = set(map(len, rows))
    if len(widths) != 1 or 0 in widths:  # ragged or empty rows: cell by cell
        return [[neutralise(cell) for cell in row] for row in rows]
    return zip(*map(_neutralised_column, zip(*rows, strict=True)), strict=True)


def _neutralised_column(column: tuple[Any, ...]) -> Sequence[Any]:
    kinds = set(map(type, column))
    if kinds <= _NUMBER_KINDS:
        return column
    if kinds <= _TEXT_KINDS:
        if not any(cell and cell[0] in _FORMULA_CHARS for cell in column):
            return column
        return [None if cell is None else neutralise(cell) for cell in column]
    return [neutralise(cell) for cell in column]
