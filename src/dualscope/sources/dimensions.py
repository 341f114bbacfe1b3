"""Dimensions CSV exports to OpenAlex-shaped works.

A Dimensions export starts with a title line (``About the data: Exported on ...``), then the
header. Columns read: ``Publication ID`` (key), ``DOI``, ``Title``, ``Abstract``, ``PubYear``,
``Authors``, ``Authors (Raw Affiliation)``, ``Research Organizations - standardized``,
``GRID IDs``, ``Country of Research organization``.

``Authors (Raw Affiliation)`` is ``Surname, Given (Affiliation A; Affiliation B); Surname2,
Given2 (Affiliation C)``: authors are split on ``;`` outside parentheses, and each author's
affiliations are the last parenthesised group. The standardised organisations are work-level
(not linked to authors): they go to the work's ``organizations``, and to one "unattributed"
authorship only when the export has no raw affiliations at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dualscope.geo.address import country_from_text
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
    split_outside,
    unique,
)
from dualscope.sources.textio import TextSource

RAW_AFFILIATIONS = "Authors (Raw Affiliation)"
ORGANIZATIONS = "Research Organizations - standardized"


def is_dimensions_header(cells: list[str]) -> bool:
    return "Publication ID" in cells and (
        RAW_AFFILIATIONS in cells or ORGANIZATIONS in cells or "PubYear" in cells
    )


def read_dimensions(source: TextSource) -> Iterator[ExportRecord | SkippedRecord]:
    """Records of a Dimensions CSV export."""
    return read_records(
        source,
        is_dimensions_header,
        _record,
        what="Dimensions",
        check_header=require_any(
            source.path,
            (RAW_AFFILIATIONS, ORGANIZATIONS),
            f"Dimensions export without {RAW_AFFILIATIONS!r} or {ORGANIZATIONS!r}",
            hint="re-export from Dimensions with the affiliation columns",
        ),
    )


def _record(row: Row, path: Path, line: int) -> ExportRecord:
    pub_id = cell(row, "Publication ID")
    if not pub_id:
        raise RecordProblem("no Publication ID: the record has no key")
    organizations = _organizations(row)
    return make_work(
        work_id=f"dimensions:{pub_id}",
        doi=normalise_doi(cell(row, "DOI")),
        title=cell(row, "Title"),
        year=parse_year(cell(row, "PubYear") or cell(row, "Publication Date")),
        abstract=cell(row, "Abstract"),
        keywords=[],
        authorships=_authorships(row, organizations),
        source="dimensions",
        path=path,
        line=line,
        organizations=organizations,
    )


def _organizations(row: Row) -> list[dict[str, Any]]:
    names = split_list(cell(row, ORGANIZATIONS))
    grids = split_list(cell(row, "GRID IDs"))
    countries = split_list(cell(row, "Country of Research organization"))
    aligned_grids = len(grids) == len(names)
    aligned_countries = len(countries) == len(names)
    return [
        {
            "display_name": name,
            "id": grids[i] if aligned_grids else None,
            "country_code": country_from_text(countries[i]) if aligned_countries else None,
        }
        for i, name in enumerate(names)
    ]


def _authorships(row: Row, organizations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    raw = cell(row, RAW_AFFILIATIONS)
    if raw:
        people = [parse_author(item) for item in split_outside_parens(raw)]
    else:
        people = [(name, []) for name in split_list(cell(row, "Authors"))]
    result = [
        authorship(position_of(i, len(people)), name, affiliations)
        for i, (name, affiliations) in enumerate(people)
    ]
    if not raw and organizations:
        institutions = [
            {
                "id": org["id"],
                "ror": None,
                "display_name": org["display_name"],
                "country_code": org["country_code"],
                "type": None,
                "lineage": [],
            }
            for org in organizations
        ]
        countries = unique(org["country_code"] for org in organizations)
        result.append(
            authorship("unattributed", None, [], institutions=institutions, countries=countries)
        )
    return result


def split_outside_parens(text: str, sep: str = ";") -> list[str]:
    """Split on ``sep`` where no parenthesis is open."""
    return split_outside(text, sep, "(", ")")


def parse_author(item: str) -> tuple[str, list[str]]:
    """(name, affiliations) of ``Surname, Given (Aff A; Aff B)``."""
    item = item.rstrip()
    open_at = _group_start(item)
    if open_at is None:
        return item.strip(), []
    name = item[:open_at].strip()
    inner = item[open_at + 1 : -1]
    return name, split_outside_parens(inner)


def _group_start(item: str) -> int | None:
    """Where the final balanced ``( ... )`` group of ``item`` opens, if it ends with one."""
    item = item.rstrip()
    if not item.endswith(")"):
        return None
    depth = 0
    for index in range(len(item) - 1, -1, -1):
        if item[index] == ")":
            depth += 1
        elif item[index] == "(":
            depth -= 1
            if depth == 0:
                return index
    return None
