"""What a report shows, read from the store into plain objects (no HTML here).

:func:`load_report` runs the named queries of :mod:`dualscope.report.tables`, joins in the
watchlist facts (list memberships, sources) when the watchlist loads, and applies
pseudonymisation to every researcher name and every free-text field that may quote one. The
HTML report and the web app render the same :class:`ReportData`.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any
from urllib.parse import quote

import duckdb

from dualscope.report import tables
from dualscope.report.pseudonym import Pseudonymiser, for_store, pseudonymise_record
from dualscope.report.watchlist_facts import EntityFacts, WatchlistFacts, watchlist_facts
from dualscope.store.arrow import query_columns

# Crossref's recommended DOI pattern (matches 74.4M of 74.9M DOIs); anything else gets no link.
DOI_RE = re.compile(r"^10\.\d{4,9}/[-._;()/:a-z0-9]+$", re.IGNORECASE)
MAX_WORKS_SHOWN = 5_000

CAVEATS = (
    "A co-publication is a public fact about a paper, not proof of wrongdoing, of a transfer of "
    "sensitive knowledge, or of anyone's intent. Read the paper and its context before drawing "
    "conclusions about people or institutions.",
    "Coverage: the result is only as complete as the bibliographic data. OpenAlex assigns no "
    "institution to a large share of affiliations (one 2024 study found institutions missing on "
    "61.6% of journal articles up to 2022), and its institution matcher is imperfect; dualscope "
    "therefore also matches the raw affiliation strings, but works without any affiliation text "
    "cannot be found.",
    "Matching limits: PLA institutions publish under cover names, unit numbers and abbreviations; "
    "the watchlist holds known aliases, but an unknown alias is missed, and name matching can "
    "confuse similar names (e.g. Beijing University of Technology vs Beijing Institute of "
    "Technology). Every match below shows the rule and the text that matched so a reader can "
    "check it.",
    "Counting: a work with partners in two focus countries counts once in each country's row; "
    "the headline figure counts each work once.",
)


def work_view(
    row: Mapping[str, Any], matches: list[dict[str, Any]], partners: list[dict[str, Any]]
) -> WorkView:
    """A ``screen_works`` row with its evidence and partner rows, as the templates show it."""
    return WorkView(
        work_id=row["work_id"],
        title=row["title"],
        year=row["year"],
        doi=row["doi"],
        doi_url=doi_url(row["doi"]),
        entities=list(row["entities"] or []),
        categories=list(row["categories"] or []),
        partner_countries=list(row["partner_countries"] or []),
        partner_institutions=list(row["partner_institutions"] or []),
        areas=list(row["areas"] or []),
        evidence=row["evidence"],
        matches=matches,
        partners=partners,
    )


def doi_url(doi: str | None) -> str | None:
    """``https://doi.org/<doi>`` for a well-formed DOI, else ``None`` (no link is shown)."""
    if not doi:
        return None
    doi = doi.strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            doi = doi[len(prefix) :]
    if not DOI_RE.match(doi):
        return None
    if doi.isascii() and doi.isprintable():  # then quote() keeps every character it has
        return "https://doi.org/" + doi
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


@dataclass
class WorkView:
    """One flagged work with its evidence, ready to render."""

    work_id: str
    title: str | None
    year: int | None
    doi: str | None
    doi_url: str | None
    entities: list[str]
    categories: list[str]
    partner_countries: list[str]
    partner_institutions: list[str]
    areas: list[str]
    evidence: str | None
    matches: list[dict[str, Any]] = field(default_factory=list)
    partners: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ReportData:
    """Everything the report shows; rows are dicts keyed by the table's column names."""

    summary: dict[str, Any]
    headline: dict[str, int]
    countries: list[dict[str, Any]]
    years: list[dict[str, Any]]
    areas: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    institutions: list[dict[str, Any]]
    researchers: list[dict[str, Any]]
    works: list[WorkView]
    works_total: int
    watchlist: WatchlistFacts
    pseudonymised: bool
    caveats: tuple[str, ...] = CAVEATS


# Result rows already read, by query text: `screen` writes the CSV tables first and hands
# their rows on, so the report does not run the same queries again.
Prefetched = Mapping[str, tuple[Sequence[str], Sequence[tuple[Any, ...]]]]


def _rows(
    con: duckdb.DuckDBPyConnection, t: tables.Table, prefetched: Prefetched | None = None
) -> list[dict[str, Any]]:
    if prefetched is not None and t.sql in prefetched:
        header, rows = prefetched[t.sql]
        return _records(header, rows)
    cur = con.cursor()
    try:
        cur.execute(t.sql)
        header = [d[0] for d in cur.description or ()]
        return _records(header, cur.fetchall())
    finally:
        cur.close()


def _records(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """Each row (as wide as ``header``, as every query result is) as a dict by column name."""
    return list(map(dict, map(zip, repeat(header), rows)))


# Focus-country authors per work, for the evidence section; fully ordered, as works.csv's
# evidence line (scan.FLAGGED_PARTNERS): DuckDB's sort is not stable, ties would move.
PARTNERS_TABLE = tables.Table(
    "partners",
    """SELECT work_id, author_index, author_name, author_id, orcid, institution_name,
              country_code, basis
       FROM screen_partners
       ORDER BY work_id, author_index, country_code, institution_name, basis,
                institution_id NULLS LAST, author_id NULLS LAST, author_name NULLS LAST,
                orcid NULLS LAST""",
    "focus-country authors per work",
)

# as countries.csv counts them: "" (no affiliation text at all) names no institution
DISTINCT_INSTITUTIONS = """
SELECT count(DISTINCT coalesce(institution_id, nullif(institution_name, ''))) FROM screen_partners
"""


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    cur = con.cursor()
    try:
        row = cur.execute(sql).fetchone()
    finally:
        cur.close()
    return int(row[0]) if row and row[0] is not None else 0


def read_summary(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The ``summary`` object of the last screening run (empty when absent)."""
    cur = con.cursor()
    try:
        row = cur.execute("SELECT value FROM screen_meta WHERE key = 'summary'").fetchone()
    finally:
        cur.close()
    if not row or row[0] is None:
        return {}
    value = json.loads(row[0]) if isinstance(row[0], str) else row[0]
    return value if isinstance(value, dict) else {}


def pick(mapping: dict[str, Any], *keys: str, default: Any = None) -> Any:
    """The first key present in ``mapping["options"]`` or, failing that, in ``mapping``.

    Run options live under ``options`` in the summary `screen` writes; top-level keys of the
    same name hold results (``countries`` there is a count per country), so options come first.
    """
    options = mapping.get("options")
    for key in keys:
        if isinstance(options, dict) and options.get(key) is not None:
            return options[key]
    for key in keys:
        if mapping.get(key) is not None:
            return mapping[key]
    return default


def _pseudonymise_rows(rows: list[dict[str, Any]], pseudo: Pseudonymiser) -> None:
    for row in rows:
        pseudonymise_record(row, pseudo)


def _works(
    con: duckdb.DuckDBPyConnection,
    pseudo: Pseudonymiser | None,
    limit: int,
    prefetched: Prefetched | None = None,
) -> tuple[list[WorkView], int]:
    works = _rows(con, tables.WORKS_TABLE, prefetched)
    total = len(works)
    works = works[:limit]
    ids = {w["work_id"] for w in works} if total > limit else None
    by_work = _by_work(con, tables.EVIDENCE_TABLE, ids, pseudo)
    partners_by_work = _by_work(con, PARTNERS_TABLE, ids, pseudo)
    views = []
    for w in works:
        if pseudo:
            w = {**w, "evidence": pseudo.scrub(w["evidence"])}
        views.append(
            work_view(
                w,
                by_work.get(w["work_id"], []),
                partners_by_work.get(w["work_id"], []),
            )
        )
    return views, total


def _by_work(
    con: duckdb.DuckDBPyConnection,
    t: tables.Table,
    ids: set[str] | None,
    pseudo: Pseudonymiser | None,
) -> dict[str, list[dict[str, Any]]]:
    """Rows of ``t`` (dicts, pseudonymised if asked) by work id, in query order; only the
    works in ``ids`` unless it is ``None``."""
    cur = con.cursor()
    try:
        header, columns = query_columns(cur, t.sql)
    finally:
        cur.close()
    key = header.index("work_id")
    rows: Iterable[tuple[Any, ...]] = zip(*columns, strict=True)
    if ids is not None:
        rows = (row for row in rows if row[key] in ids)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in map(dict, map(zip, repeat(header), rows)):
        if pseudo:
            pseudonymise_record(record, pseudo)
        grouped[record["work_id"]].append(record)
    return grouped


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def load_report(
    con: duckdb.DuckDBPyConnection,
    *,
    pseudonymise: bool = False,
    max_works: int = MAX_WORKS_SHOWN,
    facts: WatchlistFacts | None = None,
    prefetched: Prefetched | None = None,
) -> ReportData:
    """Read everything the report shows from the store ``con``.

    ``prefetched`` holds rows of these queries already read from ``con`` (by query text).
    """
    pseudo = for_store(con) if pseudonymise else None
    summary = read_summary(con)
    countries = _rows(con, tables.COUNTRIES_TABLE, prefetched)
    entities = _rows(con, tables.ENTITIES_TABLE, prefetched)
    institutions = _rows(con, tables.INSTITUTIONS_TABLE, prefetched)
    researchers = _rows(con, tables.RESEARCHERS_TABLE, prefetched)
    if pseudo:
        _pseudonymise_rows(researchers, pseudo)
    works, total = _works(con, pseudo, max_works, prefetched)
    facts = facts if facts is not None else watchlist_facts()
    for row in entities:
        info: EntityFacts | None = facts.entities.get(row["entity_id"])
        row["lists"] = info.lists if info else []
        row["name_zh"] = info.name_zh if info else None
    headline = {
        "works_flagged": total,
        "works_read": _int(summary.get("works_read")),
        "countries": len(countries),
        "entities": len(entities),
        "institutions": _scalar(con, DISTINCT_INSTITUTIONS),
        "researchers": len(researchers),
    }
    return ReportData(
        summary=summary,
        headline=headline,
        countries=countries,
        years=_rows(con, tables.YEARS_TABLE, prefetched),
        areas=_rows(con, tables.AREAS_TABLE, prefetched),
        entities=entities,
        institutions=institutions,
        researchers=researchers,
        works=works,
        works_total=total,
        watchlist=facts,
        pseudonymised=pseudonymise,
    )
