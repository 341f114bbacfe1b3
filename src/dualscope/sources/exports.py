"""Bibliographic exports: detect the format of a file by its content, and read its records.

The one entry point for Web of Science (plain text and tab-delimited), Scopus, Dimensions,
OpenAlex web-UI CSV and Lens files::

    fmt = detect_format(path)            # "wos", "scopus", ... or None
    for item in read_export(path, fmt):  # ExportRecord (an OpenAlex-shaped dict) or SkippedRecord
        ...

Detection reads the first 16 KB, never the file name: exports are often renamed
(``savedrecs.txt``, ``export.csv``, ``scopus (3).csv``). Lens exports are recognised and refused
with the reason (no affiliations), so they never quietly screen as "no hits".
"""

from __future__ import annotations

import csv
import difflib
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from dualscope.errors import DualscopeError, InputError
from dualscope.sources.csvtable import MAX_PREAMBLE_ROWS, header_cells
from dualscope.sources.dimensions import is_dimensions_header, read_dimensions
from dualscope.sources.formats import EXPORT_FORMATS
from dualscope.sources.lens import is_lens_header, refuse_lens
from dualscope.sources.openalex_csv import is_openalex_csv_header, read_openalex_csv
from dualscope.sources.records import ExportRecord, SkippedRecord, normalise_doi
from dualscope.sources.scopus import is_scopus_header, read_scopus
from dualscope.sources.textio import TextSource, read_head
from dualscope.sources.wos import read_wos_plain, read_wos_tab

__all__ = [
    "FORMATS",
    "ExportRecord",
    "SkippedRecord",
    "detect_format",
    "normalise_doi",
    "read_export",
]

log = logging.getLogger(__name__)

Reader = Callable[[TextSource], Iterator[ExportRecord | SkippedRecord]]
READERS: dict[str, Reader] = {
    "wos": read_wos_plain,
    "wos_tab": read_wos_tab,
    "scopus": read_scopus,
    "dimensions": read_dimensions,
    "openalex_csv": read_openalex_csv,
}
# Every format name --format accepts; "lens" is recognised only to be refused.
FORMATS: tuple[str, ...] = (*READERS, "lens")
if FORMATS != EXPORT_FORMATS:  # pragma: no cover - a reader added without its name
    raise ImportError(f"sources.formats.EXPORT_FORMATS must list {FORMATS}")
DETECT_BYTES = 16 * 1024
_WOS_PLAIN = re.compile(r"^(?:FN |VR |PT [A-Z]\b)")
# Header tests in order: the first that accepts a row names the format.
_CSV_FORMATS: tuple[tuple[str, Callable[[list[str]], bool]], ...] = (
    ("lens", is_lens_header),
    ("scopus", is_scopus_header),
    ("dimensions", is_dimensions_header),
    ("openalex_csv", is_openalex_csv_header),
)


def detect_format(path: Path) -> str | None:
    """The export format of ``path`` from its first bytes, or None when it is none of ours.

    One of ``wos`` (plain text), ``wos_tab``, ``scopus``, ``dimensions``, ``openalex_csv`` or
    ``lens``. Raises :class:`InputError` only when the file cannot be opened.
    """
    head = read_head(path, DETECT_BYTES)
    lines = [line for line in head.split("\n") if line.strip()]
    if not lines:
        return None
    first = lines[0].lstrip("\ufeff")
    if _WOS_PLAIN.match(first):
        return "wos"
    cells = [c.strip() for c in first.split("\t")]
    if cells[0] == "PT" and ("AU" in cells or "UT" in cells):
        return "wos_tab"
    return _detect_csv(lines)


def _detect_csv(lines: list[str]) -> str | None:
    # The last line of the head may be cut short; the header is within the first few lines.
    try:
        rows = list(csv.reader(lines[: MAX_PREAMBLE_ROWS + 1]))
    except csv.Error:
        return None
    for row in rows[:MAX_PREAMBLE_ROWS]:
        cells = header_cells(row)
        for fmt, accepts in _CSV_FORMATS:
            if accepts(cells):
                return fmt
    return None


def read_export(
    path: Path, fmt: str | None = None, *, strict: bool = False
) -> Iterator[ExportRecord | SkippedRecord]:
    """Records of an export file, in file order.

    ``fmt`` overrides detection (one of :data:`FORMATS`). A record the reader cannot use comes
    out as a :class:`SkippedRecord` (file, line, reason) for the caller to count; with
    ``strict`` it raises :class:`InputError` naming the file and line instead. A Lens export, an
    unknown format, or a file missing the columns screening needs raise :class:`DualscopeError`.
    """
    path = Path(path)
    fmt = _choose_format(path, fmt)
    if fmt == "lens":
        refuse_lens(path)
    source = TextSource(path)
    for item in READERS[fmt](source):
        if strict and isinstance(item, SkippedRecord):
            raise InputError(
                path, item.reason, line=item.line, hint="fix or remove it, or run without --strict"
            )
        yield item
    note = source.describe_decoding()
    if note:
        log.warning(note)


def _choose_format(path: Path, fmt: str | None) -> str:
    if fmt is None:
        detected = detect_format(path)
        if detected is None:
            raise InputError(
                path,
                "not a Web of Science, Scopus, Dimensions, OpenAlex CSV or Lens export",
                hint=f"pass --format ({', '.join(FORMATS)}) if it is one",
            )
        return detected
    name = fmt.strip().lower().replace("-", "_")
    if name in FORMATS:
        return name
    close = difflib.get_close_matches(name, FORMATS, n=1)
    hint = f"did you mean {close[0]!r}?" if close else f"use one of {', '.join(FORMATS)}"
    raise DualscopeError(f"unknown export format {fmt!r}", hint=hint)
