"""CSV writing that a spreadsheet cannot turn into code.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets ("CSV injection", OWASP). Titles and affiliation strings come
from outside, so every cell we write goes through :func:`neutralise`, which prefixes a single
quote: the spreadsheet then shows the text as typed. Files are written atomically (UTF-8, comma
separated, minimal quoting); list cells are joined with ``;``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from dualscope.fsutil import atomic_file

# Characters a spreadsheet treats as the start of a formula (OWASP "CSV Injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = ";"


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
        for row in rows:
            writer.writerow([neutralise(cell) for cell in row])
            count += 1
    return count
