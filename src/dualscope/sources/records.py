"""What every export reader yields: OpenAlex-shaped work dicts, or a skipped record with a reason.

The work dict is the subset of OpenAlex's work schema in :mod:`dualscope.store.schema`
(``works`` / ``AUTHORSHIP_TYPE``), plus a few keys the ingest maps itself:

- ``id``: a prefixed key (``wos:<UT>``, ``scopus:<EID>``, ``dimensions:<Publication ID>``, the
  OpenAlex W-id for OpenAlex CSV); ``doi`` normalised by :func:`normalise_doi`;
- ``abstract``: the plain-text abstract (OpenAlex JSON has ``abstract_inverted_index`` instead);
- ``organizations``: work-level standardised organisations that the export does not link to an
  author (WoS ``C3``; Dimensions ``Research Organizations - standardized``), each
  ``{"display_name", "id", "country_code"}``;
- ``source`` (``wos``, ``scopus``, ...), ``source_file`` and ``line`` (where the record starts).

Plain dicts because they go straight into DuckDB as JSON; :class:`SkippedRecord` is a frozen,
slotted dataclass because readers may make many.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dualscope.geo.address import country_from_text
from dualscope.sources.textio import MAX_FIELD_CHARS

_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"^10\.\d{4,9}/\S+$")


def normalise_doi(value: str | None) -> str | None:
    """A DOI as every reader stores it: lower case, no ``https://doi.org/`` or ``doi:`` prefix.

    Returns None for empty values and for strings that are not DOIs (``NA``, a URL elsewhere).

    >>> normalise_doi(" https://doi.org/10.1016/J.JOI.2017.08.007 ")
    '10.1016/j.joi.2017.08.007'
    >>> normalise_doi("DOI 10.1364/OL.27.001421")
    '10.1364/ol.27.001421'
    """
    if not value:
        return None
    doi = _DOI_PREFIX.sub("", value.strip()).strip().rstrip(".").lower()
    return doi if _DOI_SHAPE.match(doi) else None


class ExportRecord(dict[str, Any]):
    """One work read from an export: the OpenAlex-shaped dict itself (see the module docstring).

    A dict subclass so callers can pass it straight to ``json.dumps`` or read ``record["doi"]``;
    the properties are typed shortcuts.
    """

    __slots__ = ()

    @property
    def work(self) -> dict[str, Any]:
        return self

    @property
    def id(self) -> str:
        return str(self["id"])

    @property
    def line(self) -> int:
        return int(self["line"])


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A record a reader could not use: where it starts and why it was skipped."""

    path: Path
    line: int
    reason: str


class RecordProblem(Exception):
    """Raised inside a reader for one bad record; turned into a :class:`SkippedRecord`."""


def authorship(
    position: str,
    name: str | None,
    addresses: list[str],
    *,
    author_id: str | None = None,
    orcid: str | None = None,
    institutions: list[dict[str, Any]] | None = None,
    countries: list[str] | None = None,
) -> dict[str, Any]:
    """An OpenAlex-shaped authorship; countries default to those parsed from ``addresses``."""
    if countries is None:
        countries = unique(c for c in map(country_from_text, addresses) if c)
    return {
        "author_position": position,
        "author": {"id": author_id, "display_name": name or None, "orcid": orcid},
        "institutions": institutions or [],
        "countries": countries,
        "raw_affiliation_strings": unique(addresses),
    }


def position_of(index: int, count: int) -> str:
    """OpenAlex's ``author_position``: first, middle or last."""
    if index == 0:
        return "first"
    return "last" if index == count - 1 else "middle"


def split_outside(text: str, sep: str, opening: str, closing: str) -> list[str]:
    """``text`` split on ``sep`` where no ``opening`` bracket is open; parts stripped, empty
    ones dropped (a stray ``closing`` never drives the depth below zero)."""
    items: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == opening:
            depth += 1
        elif char == closing:
            depth = max(0, depth - 1)
        elif char == sep and depth == 0:
            items.append(text[start:index])
            start = index + 1
    items.append(text[start:])
    return [item.strip() for item in items if item.strip()]


def unique(values: Any) -> list[Any]:
    """Values without repeats, first occurrence order kept."""
    return list(dict.fromkeys(v for v in values if v))


def check_size(name: str, value: str | None) -> str | None:
    """``value`` unless it is over the field cap; then a :class:`RecordProblem`."""
    if value is not None and len(value) > MAX_FIELD_CHARS:
        raise RecordProblem(
            f"field {name!r} is {len(value):,} characters, over the {MAX_FIELD_CHARS:,} limit"
        )
    return value


def parse_year(value: str | None) -> int | None:
    """A publication year from text like ``2019`` or ``2019-05-01``; None when not a year."""
    if not value:
        return None
    match = re.match(r"\s*(\d{4})\b", value)
    if not match:
        return None
    year = int(match.group(1))
    return year if 1000 <= year <= 2999 else None


def make_work(
    *,
    work_id: str,
    doi: str | None,
    title: str | None,
    year: int | None,
    abstract: str | None,
    keywords: list[str],
    authorships: list[dict[str, Any]],
    source: str,
    path: Path,
    line: int,
    organizations: list[dict[str, Any]] | None = None,
) -> ExportRecord:
    """The record every reader returns (keys as in the module docstring)."""
    return ExportRecord(
        {
            "id": work_id,
            "doi": doi,
            "title": title or None,
            "publication_year": year,
            "updated_date": None,
            "abstract": abstract or None,
            "keywords": unique(k.strip() for k in keywords),
            "topics": [],
            "authorships": authorships,
            "organizations": organizations or [],
            "source": source,
            "source_file": str(path),
            "line": line,
        }
    )
