"""The screening run: scan, resolve, flag, classify, and store the result in one transaction.

1. :data:`scan.CANDIDATE_SCAN` (SQL) keeps the authorships of candidate co-publications.
2. :func:`resolve.resolve` matches each distinct raw string and institution once (Python).
3. SQL joins give each authorship its watchlist entities and focus-country partner
   institutions; a work (or a group of works sharing a DOI) is flagged when it has both.
4. Flagged works are classified into technology areas and written to the ``screen_*`` tables,
   replacing the previous run in one transaction.
"""

from __future__ import annotations

import gc
import json
import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from dualscope.report.tables import NO_INSTITUTION, NO_NAME
from dualscope.screening import scan
from dualscope.screening.options import ScreenOptions
from dualscope.screening.outputs import gc_paused
from dualscope.screening.resolve import (
    VERDICT_FIELDS,
    MatcherLike,
    ResolveStats,
    default_workers,
    resolve,
    resolve_countries,
)
from dualscope.store.arrow import query_columns


class AreaHitLike(Protocol):
    area_id: str
    score: float
    evidence: tuple[str, ...]


class ClassifierLike(Protocol):
    """What the screening needs from :class:`dualscope.classify.classifier.Classifier`."""

    def classify(
        self,
        title: str | None,
        abstract: str | None = None,
        keywords: Sequence[str] = (),
        topics: Sequence[tuple[str, str]] = (),
    ) -> Sequence[Any]: ...


@dataclass
class FlaggedWork:
    """One flagged publication with everything the outputs show."""

    work_id: str
    doi: str | None
    title: str | None
    year: int | None
    matches: list[dict[str, Any]] = field(default_factory=list)
    partners: list[dict[str, Any]] = field(default_factory=list)
    areas: list[tuple[str, float, str]] = field(default_factory=list)

    @property
    def entities(self) -> list[str]:
        return sorted({m["entity_name"] for m in self.matches})

    @property
    def entity_ids(self) -> list[str]:
        return sorted({m["entity_id"] for m in self.matches})

    @property
    def categories(self) -> list[str]:
        return sorted({m["category"] for m in self.matches})

    @property
    def partner_countries(self) -> list[str]:
        return sorted({p["country_code"] for p in self.partners})

    @property
    def partner_institutions(self) -> list[str]:
        return sorted({p["institution_name"] for p in self.partners if p["institution_name"]})

    @property
    def evidence(self) -> str:
        """Which author and affiliation matched what entity, by which rule; then the partners."""
        parts = [
            f"author {m['author_index']} {m['author_name'] or NO_NAME}: "
            f"'{m['affiliation']}' -> {m['entity_name']} [{m['category']}] by {m['rule']}"
            f" ({m['explanation']})"
            for m in self.matches
        ]
        parts += [
            f"author {p['author_index']} {p['author_name'] or NO_NAME}: "
            f"partner {p['institution_name'] or NO_INSTITUTION} ({p['country_code']}, "
            f"from {p['basis']})"
            for p in self.partners
        ]
        return " | ".join(parts)


@dataclass
class ScreenResult:
    """The outcome of one run: flagged works and the counts summary.json reports."""

    works: list[FlaggedWork]
    works_read: int
    candidates: int
    merged_by_doi: int
    resolve_stats: ResolveStats
    options: ScreenOptions


def abstract_text(value: Any) -> str | None:
    """Plain text of a stored abstract: OpenAlex inverted index or ``{"text": ...}``."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return str(value["text"])
    if isinstance(value, dict):
        from dualscope.classify.text import abstract_from_inverted_index

        text: str | None = abstract_from_inverted_index(value)
        return text
    return None


def run_screening(
    con: duckdb.DuckDBPyConnection,
    options: ScreenOptions,
    matcher: MatcherLike,
    classifier: ClassifierLike,
    country_of: Callable[[str | None], str | None],
) -> ScreenResult:
    """Screen the store's works; return the flagged works (not yet written)."""
    years = {"since": options.since, "until": options.until}
    focus = sorted(options.countries)
    try:
        row = con.execute(scan.WORKS_IN_RANGE, years).fetchone()
        works_read = int(row[0]) if row else 0
        con.execute(scan.CANDIDATE_SCAN, {**years, "focus": focus})
        row = con.execute(scan.CANDIDATE_COUNT).fetchone()
        candidates = int(row[0]) if row else 0
        stats = resolve(con, matcher, categories=options.categories)
        con.execute(scan.HITS, {"categories": sorted(options.categories)})
        resolve_countries(con, country_of, focus=options.countries)
        con.execute(scan.PARTNERS, {"focus": focus})
        con.execute(scan.FLAGGED)
        row = con.execute(scan.MERGED_BY_DOI).fetchone()
        merged = int(row[0]) if row else 0
        works = _assemble(con, classifier)
    finally:
        for statement in scan.DROP_TEMP:
            con.execute(statement)
    return ScreenResult(works, works_read, candidates, merged, stats, options)


def _columns(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, list[Any]]:
    """The columns of ``sql`` as Python lists, by name."""
    names, columns = query_columns(con, sql)
    return dict(zip(names, columns, strict=True))


def _by_work(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, list[dict[str, Any]]]:
    """The rows of ``sql`` as dicts, grouped by their ``work_id`` in query order."""
    columns = _columns(con, sql)
    rows = zip(*columns.values(), strict=True)
    records = map(dict, map(zip, repeat(list(columns)), rows))  # every row is as wide
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for work_id, record in zip(columns["work_id"], records, strict=True):
        grouped[work_id].append(record)
    return grouped


def _assemble(con: duckdb.DuckDBPyConnection, classifier: ClassifierLike) -> list[FlaggedWork]:
    with gc_paused():
        return _assemble_works(con, classifier)


def _assemble_works(
    con: duckdb.DuckDBPyConnection, classifier: ClassifierLike
) -> list[FlaggedWork]:
    matches = _by_work(con, scan.FLAGGED_HITS)
    partners = _by_work(con, scan.FLAGGED_PARTNERS)
    w = _columns(con, scan.FLAGGED_WORKS)
    works = [
        FlaggedWork(
            work_id=work_id,
            doi=doi,
            title=title,
            year=year,
            matches=matches.get(work_id, []),
            partners=partners.get(work_id, []),
        )
        for work_id, doi, title, year in zip(
            w["work_id"], w["doi"], w["title"], w["publication_year"], strict=True
        )
    ]
    texts: list[ClassifyInput] = [
        (
            title,
            abstract_text(abstract),
            keywords or [],
            [(t[0] or "", t[1] or "") for t in (topics or ())],
        )
        for title, abstract, keywords, topics in zip(
            w["title"], w["abstract_inverted_index"], w["keywords"], w["topics"], strict=True
        )
    ]
    for work, areas in zip(works, classify_all(classifier, texts), strict=True):
        work.areas = areas
    return works


ClassifyInput = tuple[str | None, str | None, list[str], list[tuple[str, str]]]
Areas = list[tuple[str, float, str]]
PARALLEL_CLASSIFY_MIN = 10_000  # the classifier does thousands a second; forking costs more
_CLASSIFIER: dict[str, ClassifierLike] = {}


def _classify_chunk(items: list[ClassifyInput]) -> list[Areas]:
    classifier = _CLASSIFIER["classifier"]
    return [
        [(h.area_id, float(h.score), "; ".join(h.evidence)) for h in classifier.classify(*item)]
        for item in items
    ]


def classify_all(
    classifier: ClassifierLike, items: list[ClassifyInput], workers: int | None = None
) -> list[Areas]:
    """Technology areas of each flagged work; many works are spread over forked workers."""
    _CLASSIFIER["classifier"] = classifier
    try:
        workers = default_workers() if workers is None else workers
        if workers <= 1 or len(items) < PARALLEL_CLASSIFY_MIN:
            return _classify_chunk(items)
        size = -(-len(items) // (workers * 4))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        # initializer: a worker collects its garbage even when forked inside gc_paused()
        with multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable) as pool:
            return [areas for part in pool.map(_classify_chunk, chunks) for areas in part]
    finally:
        _CLASSIFIER.clear()


# --- storing the result --------------------------------------------------------------------

_LIST = pa.list_(pa.string())
_SCHEMAS: dict[str, pa.Schema] = {
    "screen_works": pa.schema(
        [
            ("work_id", pa.string()),
            ("doi", pa.string()),
            ("title", pa.string()),
            ("year", pa.int32()),
            ("entity_ids", _LIST),
            ("entities", _LIST),
            ("categories", _LIST),
            ("partner_countries", _LIST),
            ("partner_institutions", _LIST),
            ("areas", _LIST),
            ("evidence", pa.string()),
        ]
    ),
    "screen_matches": pa.schema(
        [
            ("work_id", pa.string()),
            ("author_index", pa.int32()),
            ("author_name", pa.string()),
            ("author_id", pa.string()),
            ("affiliation", pa.string()),
            *VERDICT_FIELDS,
        ]
    ),
    "screen_partners": pa.schema(
        [
            ("work_id", pa.string()),
            ("author_index", pa.int32()),
            ("author_name", pa.string()),
            ("author_id", pa.string()),
            ("institution_id", pa.string()),
            ("institution_name", pa.string()),
            ("country_code", pa.string()),
            ("basis", pa.string()),
            ("orcid", pa.string()),
        ]
    ),
    "screen_areas": pa.schema(
        [
            ("work_id", pa.string()),
            ("area_id", pa.string()),
            ("score", pa.float64()),
            ("evidence", pa.string()),
        ]
    ),
}


def _column(rows: list[dict[str, Any]], name: str) -> list[Any]:
    return [row.get(name) for row in rows]


def _tables(result: ScreenResult) -> dict[str, pa.Table]:
    """The result as each ``screen_*`` table, built column by column."""
    works = result.works
    columns: dict[str, list[Any]] = {
        "work_id": [w.work_id for w in works],
        "doi": [w.doi for w in works],
        "title": [w.title for w in works],
        "year": [w.year for w in works],
        "entity_ids": [w.entity_ids for w in works],
        "entities": [w.entities for w in works],
        "categories": [w.categories for w in works],
        "partner_countries": [w.partner_countries for w in works],
        "partner_institutions": [w.partner_institutions for w in works],
        "areas": [[a for a, _, _ in w.areas] for w in works],
        "evidence": [w.evidence for w in works],
    }
    matches = [m for w in works for m in w.matches]
    partners = [p for w in works for p in w.partners]
    areas = [(w.work_id, *area) for w in works for area in w.areas]
    by_table: dict[str, dict[str, list[Any]]] = {
        "screen_works": columns,
        "screen_matches": {f.name: _column(matches, f.name) for f in _SCHEMAS["screen_matches"]},
        "screen_partners": {f.name: _column(partners, f.name) for f in _SCHEMAS["screen_partners"]},
        "screen_areas": {
            f.name: [a[i] for a in areas] for i, f in enumerate(_SCHEMAS["screen_areas"])
        },
    }
    return {
        name: pa.Table.from_pydict(data, schema=_SCHEMAS[name]) for name, data in by_table.items()
    }


def store_result(
    con: duckdb.DuckDBPyConnection, result: ScreenResult, summary: dict[str, Any]
) -> None:
    """Replace the ``screen_*`` tables with ``result`` in one transaction (Arrow bulk loads)."""
    with gc_paused():
        _store(con, result, summary)


def _store(con: duckdb.DuckDBPyConnection, result: ScreenResult, summary: dict[str, Any]) -> None:
    tables = _tables(result)
    con.execute("BEGIN TRANSACTION")
    try:
        for name, table in tables.items():
            con.execute(f"DELETE FROM {name}")  # noqa: S608 (fixed table names)
            view = f"_{name}_arrow"
            con.register(view, table)
            columns = ", ".join(table.column_names)
            con.execute(
                f"INSERT INTO {name} ({columns}) SELECT {columns} FROM {view}"  # noqa: S608
            )
            con.unregister(view)
        con.execute("DELETE FROM screen_meta")
        con.execute(
            "INSERT INTO screen_meta VALUES (?, ?), (?, ?)",
            [
                "summary",
                json.dumps(summary, ensure_ascii=False),
                "options",
                json.dumps(result.options.as_dict()),
            ],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
