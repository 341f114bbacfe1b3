"""OpenAlex web-interface CSV exports to OpenAlex-shaped works.

The web UI flattens each work to one row with dotted column names (``authorships.countries``,
``authorships.institutions.display_name``, ...) and ``|`` between values. Columns read: ``id``,
``doi``, ``display_name`` (or ``title``), ``publication_year``, ``abstract``,
``authorships.author.{display_name,id,orcid}``, ``authorships.countries``,
``authorships.institutions.{display_name,id}``, ``authorships.raw_affiliation_strings`` (when
present), ``primary_topic.{id,display_name}``, ``keywords.display_name``.

Per-author columns are concatenations over authors: an author without a value still takes one
(empty) slot, an author with two institutions takes two. So a column with exactly one value per
author is read per author; otherwise the author links are lost, and the values go to one
"unattributed" authorship rather than being guessed onto authors. An institution's country is
filled only when its author has exactly one institution and one country.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dualscope.sources.csvtable import Row, cell, read_records, require_any
from dualscope.sources.records import (
    ExportRecord,
    RecordProblem,
    SkippedRecord,
    authorship,
    make_work,
    normalise_doi,
    parse_year,
    position_of,
    unique,
)
from dualscope.sources.textio import TextSource

NAMES = "authorships.author.display_name"
COUNTRIES = "authorships.countries"
INST_NAMES = "authorships.institutions.display_name"
INST_IDS = "authorships.institutions.id"
RAW = "authorships.raw_affiliation_strings"


def is_openalex_csv_header(cells: list[str]) -> bool:
    return "id" in cells and any(c.startswith("authorships.") for c in cells)


def read_openalex_csv(source: TextSource) -> Iterator[ExportRecord | SkippedRecord]:
    """Records of an OpenAlex web-UI CSV export."""
    return read_records(
        source,
        is_openalex_csv_header,
        _record,
        what="OpenAlex CSV",
        check_header=require_any(
            source.path,
            (COUNTRIES, INST_NAMES, INST_IDS, RAW),
            "OpenAlex CSV export without affiliation columns (authorships.countries, "
            "authorships.institutions.*)",
            hint="export again from OpenAlex, or download the works as JSON Lines",
        ),
    )


def _slots(row: Row, column: str) -> list[str]:
    value = cell(row, column)
    return [v.strip() for v in value.split("|")] if value is not None else []


def _record(row: Row, path: Path, line: int) -> ExportRecord:
    work_id = (cell(row, "id") or "").removeprefix("https://openalex.org/")
    if not work_id:
        raise RecordProblem("no id: the record has no key")
    topic = cell(row, "primary_topic.display_name")
    record = make_work(
        work_id=work_id,
        doi=normalise_doi(cell(row, "doi")),
        title=cell(row, "display_name") or cell(row, "title"),
        year=parse_year(cell(row, "publication_year")),
        abstract=cell(row, "abstract"),
        keywords=[k for k in _slots(row, "keywords.display_name") if k],
        authorships=_authorships(row),
        source="openalex_csv",
        path=path,
        line=line,
    )
    if topic:
        record["topics"] = [
            {"id": cell(row, "primary_topic.id"), "display_name": topic, "score": None}
        ]
    return record


def _per_author(row: Row, column: str, count: int) -> list[str] | None:
    """One value per author, or None when the column does not line up with the authors."""
    slots = _slots(row, column)
    if not slots:
        return [""] * count
    return slots if len(slots) == count else None


def _authorships(row: Row) -> list[dict[str, Any]]:
    names = _slots(row, NAMES)
    count = len(names)
    ids = _per_author(row, "authorships.author.id", count) or [""] * count
    orcids = _per_author(row, "authorships.author.orcid", count) or [""] * count
    countries = _per_author(row, COUNTRIES, count)
    inst_names = _per_author(row, INST_NAMES, count)
    inst_ids = _per_author(row, INST_IDS, count)
    raw = _per_author(row, RAW, count)
    result = []
    for i, name in enumerate(names):
        country = countries[i] if countries is not None else ""
        institutions = []
        if inst_names is not None and inst_ids is not None and (inst_names[i] or inst_ids[i]):
            institutions.append(_institution(inst_ids[i], inst_names[i], country))
        result.append(
            authorship(
                position_of(i, count),
                name,
                [raw[i]] if raw is not None and raw[i] else [],
                author_id=ids[i] or None,
                orcid=orcids[i] or None,
                institutions=institutions,
                countries=[country] if country else [],
            )
        )
    unlinked_institutions = inst_names is None or inst_ids is None
    leftover = _unattributed(row, countries is None, unlinked_institutions, raw is None)
    if leftover is not None:
        result.append(leftover)
    return result


def _institution(inst_id: str, name: str, country: str) -> dict[str, Any]:
    return {
        "id": inst_id or None,
        "ror": None,
        "display_name": name or None,
        "country_code": country or None,
        "type": None,
        "lineage": [],
    }


def _unattributed(
    row: Row, countries: bool, institutions: bool, raw: bool
) -> dict[str, Any] | None:
    """Values whose author links the flattening lost, on one authorship without a name."""
    found_countries = unique(_slots(row, COUNTRIES)) if countries else []
    found_institutions: list[dict[str, Any]] = []
    if institutions:
        names, ids = _slots(row, INST_NAMES), _slots(row, INST_IDS)
        if len(names) != len(ids):
            ids = ids if not names else [""] * len(names)
            names = names or [""] * len(ids)
        pairs = unique(zip(ids, names, strict=True))
        found_institutions = [_institution(i, n, "") for i, n in pairs if i or n]
    found_raw = unique(_slots(row, RAW)) if raw else []
    if not (found_countries or found_institutions or found_raw):
        return None
    return authorship(
        "unattributed",
        None,
        found_raw,
        institutions=found_institutions,
        countries=found_countries,
    )
