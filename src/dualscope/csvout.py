"""CSV writing that a spreadsheet cannot turn into code.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets ("CSV injection", OWASP). Titles and affiliation strings come
from outside, so every cell we write goes through :func:`neutralise`, which prefixes a single
quote: the spreadsheet then shows the text as typed. Files are written atomically (UTF-8, comma
separated, minimal quoting); list cells are joined with ``;``.

:func:`write_csv` works a column at a time, so most cells cost no Python call of their own: it
renders each column as :func:`neutralise` would, then writes the rows as the csv module would
(a field holding a comma or a double quote is quoted, its quotes doubled). A chunk of rows with a
line break in a cell, or of rows with fewer than two cells, goes to the csv module itself.
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
_NONE = type(None)
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
            text = _csv_text(chunk)
            if text is None:
                writer.writerows([neutralise(cell) for cell in row] for row in chunk)
            else:
                handle.write(text)
            count += len(chunk)
    return count


def _csv_text(rows: list[Sequence[Any]]) -> str | None:
    """``rows`` (neutralised) as the csv module writes them, or ``None`` when that takes its own
    rules: rows of different widths or of fewer than two cells (a lone empty cell is written
    ``""``), or a cell holding a line break."""
    widths = set(map(len, rows))
    if len(widths) != 1 or widths.pop() < 2:
        return None
    columns = []
    for column in zip(*rows, strict=True):
        texts, check = _column_texts(column)
        joined = "\n".join(texts)
        if "\r" in joined or joined.count("\n") != len(texts) - 1:
            return None
        if check and any(t[:1] in _FORMULA_CHARS for t in texts):
            texts = ["'" + t if t[:1] in _FORMULA_CHARS else t for t in texts]
        if "," in joined or '"' in joined:
            texts = ['"' + t.replace('"', '""') + '"' if "," in t or '"' in t else t for t in texts]
        columns.append(texts)
    return "\n".join(map(",".join, zip(*columns, strict=True))) + "\n"  # rows is never empty


def _column_texts(column: tuple[Any, ...]) -> tuple[Sequence[str], bool]:
    """The text of each cell as :func:`neutralise` gives it, but for the formula prefix when the
    second value is true (the caller then checks the column at once)."""
    kinds = set(map(type, column))
    if kinds == {str}:
        return column, True
    if kinds <= {str, _NONE}:
        return ["" if cell is None else cell for cell in column], True
    if kinds <= {int, _NONE}:  # numbers are data, never prefixed (-3 stays -3)
        return ["" if cell is None else str(cell) for cell in column], False
    if kinds <= {list, tuple, _NONE}:
        try:
            joined = [LIST_SEPARATOR.join(cell) if cell is not None else "" for cell in column]
        except TypeError:  # an item that is not text: neutralise() says how it reads
            return [neutralise(cell) for cell in column], False
        return joined, True
    return [neutralise(cell) for cell in column], False
