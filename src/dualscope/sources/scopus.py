"""Scopus CSV exports, old and new layouts, to OpenAlex-shaped works.

Columns read: ``EID`` (key), ``DOI``, ``Title``, ``Year``, ``Abstract``, ``Author Keywords``,
``Index Keywords``, ``Authors``, ``Author full names`` and ``Author(s) ID`` (new layout only),
``Authors with affiliations`` and ``Affiliations``.

``Authors with affiliations`` is ``Name, affiliation; Name, affiliation; ...``. The name is
``Liu F.`` (new layout, where ``Authors`` is ``;``-separated) or ``Yagai, T.`` (old layout,
``Authors`` comma-separated). An author with several affiliations has them joined by ``, `` in
one entry; they are split again by finding the strings of the ``Affiliations`` column in it.
Without ``Authors with affiliations``, ``Affiliations`` goes to the only author, or to one
"unattributed" authorship when there are several.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dualscope.geo.vocab import norm_tokens
from dualscope.sources.csvtable import Row, cell, read_records, require_any, split_list
from dualscope.sources.records import (
    ExportRecord,
    RecordProblem,
    SkippedRecord,
    authorship,
    make_work,
    normalise_doi,
    parse_year,
    position_of,
)
from dualscope.sources.textio import TextSource

AFFILIATION_COLUMNS = ("Authors with affiliations", "Affiliations")
_FULL_NAME = re.compile(r"^(.*?)\s*\((\d+)\)\s*$")
_NO_NAME = "[no author name available]"
_NO_ABSTRACT = "[no abstract available]"
_LOOKAHEAD = 50


def is_scopus_header(cells: list[str]) -> bool:
    """A Scopus header; one without affiliation columns too, so reading can say what is missing."""
    return "EID" in cells and any(c in cells for c in (*AFFILIATION_COLUMNS, "Source title"))


def read_scopus(source: TextSource) -> Iterator[ExportRecord | SkippedRecord]:
    """Records of a Scopus CSV export."""
    return read_records(
        source,
        lambda c: "EID" in c,
        _record,
        what="Scopus",
        check_header=require_any(
            source.path,
            AFFILIATION_COLUMNS,
            "Scopus export without 'Affiliations' or 'Authors with affiliations'",
            hint="re-export from Scopus with 'Affiliations' ticked",
        ),
    )


# Scopus writes "NA" in empty cells.
_MISSING = frozenset({"NA"})


def _cell(row: Row, column: str) -> str | None:
    return cell(row, column, missing=_MISSING)


def _record(row: Row, path: Path, line: int) -> ExportRecord:
    eid = _cell(row, "EID")
    if not eid:
        raise RecordProblem("no EID: the record has no key")
    abstract = _cell(row, "Abstract")
    if abstract and abstract.lower() == _NO_ABSTRACT:
        abstract = None
    keywords = split_list(_cell(row, "Author Keywords")) + split_list(_cell(row, "Index Keywords"))
    return make_work(
        work_id=f"scopus:{eid}",
        doi=normalise_doi(_cell(row, "DOI")),
        title=_cell(row, "Title"),
        year=parse_year(_cell(row, "Year")),
        abstract=abstract,
        keywords=keywords,
        authorships=_authorships(row),
        source="scopus",
        path=path,
        line=line,
    )


def _authors(row: Row) -> tuple[list[str], list[str], list[str | None]]:
    """(short names, display names, Scopus author ids) in author order."""
    authors = _cell(row, "Authors") or ""
    sep = ";" if ";" in authors else ","
    short = [a for a in split_list(authors, sep) if a.lower() != _NO_NAME]
    full: list[str] = []
    ids: list[str | None] = []
    for item in split_list(_cell(row, "Author full names")):
        match = _FULL_NAME.match(item)
        full.append(match.group(1) if match else item)
        ids.append(match.group(2) if match else None)
    if not ids:
        ids = [i or None for i in split_list(_cell(row, "Author(s) ID"))]
    if len(full) != len(short):
        full = short
    if len(ids) != len(short):
        ids = [None] * len(short)
    return short, full, ids


def _authorships(row: Row) -> list[dict[str, Any]]:
    short, display, ids = _authors(row)
    known = split_list(_cell(row, "Affiliations"))
    texts, unattributed = _assign(_cell(row, "Authors with affiliations"), short)
    if not any(texts) and not unattributed and known:
        if len(short) == 1:
            texts = [known]
        else:
            unattributed = known
    result = [
        authorship(
            position_of(i, len(short)),
            display[i],
            _split_affiliations(texts[i], known),
            author_id=f"scopus-author:{ids[i]}" if ids[i] else None,
        )
        for i in range(len(short))
    ]
    if unattributed:
        result.append(authorship("unattributed", None, _split_affiliations(unattributed, known)))
    return result


def _strip_name(entry: str, name: list[str]) -> str | None:
    """The entry without its leading author name, or None when it does not start with it."""
    parts = entry.split(",")
    consumed: list[str] = []
    for index, part in enumerate(parts):
        consumed += norm_tokens(part)
        if consumed == name:
            return ",".join(parts[index + 1 :]).strip()
        if len(consumed) >= len(name) or consumed != name[: len(consumed)]:
            return None
    return None


def _assign(awa: str | None, short: list[str]) -> tuple[list[list[str]], list[str]]:
    """Affiliation texts per author from ``Authors with affiliations``, and unplaced ones."""
    texts: list[list[str]] = [[] for _ in short]
    unattributed: list[str] = []
    names = [norm_tokens(n) for n in short]
    current = -1
    for entry in split_list(awa):
        placed = False
        window = range(current + 1, min(current + 1 + _LOOKAHEAD, len(short)))
        for j in [*window, current] if current >= 0 else window:
            rest = _strip_name(entry, names[j]) if names[j] else None
            if rest is not None:
                current, placed = j, True
                if rest:
                    texts[j].append(rest)
                break
        if not placed:  # a further affiliation of the current author, or nobody's
            (texts[current] if current >= 0 else unattributed).append(entry)
    return texts, unattributed


def _split_affiliations(texts: list[str], known: list[str]) -> list[str]:
    """Split texts that join several known affiliations with ``, ``."""
    out: list[str] = []
    by_length = sorted(set(known), key=len, reverse=True)
    for text in texts:
        out.extend(_split_one(text, by_length) or [text])
    return out


def _split_one(text: str, known: list[str]) -> list[str] | None:
    parts: list[str] = []
    pos = 0
    while pos < len(text):
        for affiliation in known:
            end = pos + len(affiliation)
            if text.startswith(affiliation, pos) and (end == len(text) or text[end] == ","):
                parts.append(affiliation)
                pos = end + 1
                while pos < len(text) and text[pos] == " ":
                    pos += 1
                break
        else:
            return None
    return parts
