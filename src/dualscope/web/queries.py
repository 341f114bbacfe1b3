"""Read-only queries of the web app: named SQL, values always bound as parameters.

Filters are combined from fixed SQL fragments (constants below) chosen by which filter is set;
the user's values only ever travel as bound parameters, and the sort order is picked from a
whitelist. Every function takes a DuckDB cursor (one per request: connections are not
thread-safe, cursors are).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

WORK_COLUMNS = """work_id, doi, title, year, entity_ids, entities, categories, partner_countries,
    partner_institutions, areas, evidence"""

# filter name -> SQL fragment with exactly one parameter
FILTERS: dict[str, str] = {
    "country": "list_contains(partner_countries, ?)",
    "entity": "list_contains(entity_ids, ?)",
    "area": "list_contains(areas, ?)",
    "year": "year = ?",
    "year_from": "year >= ?",
    "year_to": "year <= ?",
    "institution": "list_contains(partner_institutions, ?)",
    "q": "title ILIKE ? ESCAPE '\\'",
}
SORTS: dict[str, str] = {
    "year": "year NULLS FIRST, work_id",
    "-year": "year DESC NULLS LAST, work_id",
    "title": "title NULLS LAST, work_id",
    "-title": "title DESC NULLS LAST, work_id",
    "work_id": "work_id",
}
DEFAULT_SORT = "-year"


@dataclass(frozen=True)
class WorkFilter:
    """Validated filter values (the web layer checks patterns and bounds first)."""

    country: str | None = None
    entity: str | None = None
    area: str | None = None
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    institution: str | None = None
    q: str | None = None

    def clauses(self) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        for name, fragment in FILTERS.items():
            value = getattr(self, name)
            if value is None or value == "":
                continue
            if name == "q":
                value = "%" + like_escape(value) + "%"
            parts.append(fragment)
            params.append(value)
        return (" WHERE " + " AND ".join(parts)) if parts else "", params


def like_escape(text: str) -> str:
    """Escape LIKE wildcards so user text matches literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    header = [d[0] for d in cur.description or ()]
    return [dict(zip(header, row, strict=True)) for row in cur.fetchall()]


def search_works(
    cur: duckdb.DuckDBPyConnection,
    flt: WorkFilter,
    *,
    page: int = 1,
    per_page: int = 50,
    sort: str = DEFAULT_SORT,
) -> tuple[int, list[dict[str, Any]]]:
    """(total matching, one page of works) for ``flt``."""
    where, params = flt.clauses()
    order = SORTS.get(sort, SORTS[DEFAULT_SORT])
    # One query for the page and the total (window count); a page past the end needs a count.
    cur.execute(
        f"SELECT {WORK_COLUMNS}, count(*) OVER () AS _total FROM screen_works{where} "  # noqa: S608 - constant fragments
        f"ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, per_page, (page - 1) * per_page],
    )
    rows = _dicts(cur)
    if rows:
        total = int(rows[0]["_total"])
        for row in rows:
            del row["_total"]
        return total, rows
    count = cur.execute(f"SELECT count(*) FROM screen_works{where}", params).fetchone()  # noqa: S608 - constant fragments
    return (int(count[0]) if count else 0), []


def get_work(cur: duckdb.DuckDBPyConnection, work_id: str) -> dict[str, Any] | None:
    cur.execute(f"SELECT {WORK_COLUMNS} FROM screen_works WHERE work_id = ?", [work_id])  # noqa: S608
    rows = _dicts(cur)
    return rows[0] if rows else None


def work_matches(cur: duckdb.DuckDBPyConnection, work_id: str) -> list[dict[str, Any]]:
    cur.execute(
        """SELECT work_id, author_index, author_name, author_id, affiliation, entity_id,
                  entity_name, category, rule, score, explanation
           FROM screen_matches WHERE work_id = ? ORDER BY author_index, entity_id""",
        [work_id],
    )
    return _dicts(cur)


def work_partners(cur: duckdb.DuckDBPyConnection, work_id: str) -> list[dict[str, Any]]:
    cur.execute(
        """SELECT work_id, author_index, author_name, author_id, institution_id, institution_name,
                  country_code, basis
           FROM screen_partners WHERE work_id = ? ORDER BY author_index""",
        [work_id],
    )
    return _dicts(cur)


def entity_summary(cur: duckdb.DuckDBPyConnection, entity_id: str) -> dict[str, Any] | None:
    cur.execute(
        """SELECT entity_id, min(entity_name) AS entity_name, min(category) AS category,
                  count(DISTINCT work_id) AS works, list_sort(list_distinct(list(rule))) AS rules
           FROM screen_matches WHERE entity_id = ? GROUP BY entity_id""",
        [entity_id],
    )
    rows = _dicts(cur)
    return rows[0] if rows else None


def entity_partners(cur: duckdb.DuckDBPyConnection, entity_id: str) -> list[dict[str, Any]]:
    """Focus-country institutions co-publishing with ``entity_id``, most works first."""
    cur.execute(
        """SELECT p.institution_name, p.country_code, count(DISTINCT p.work_id) AS works
           FROM screen_partners p
           WHERE p.work_id IN (SELECT work_id FROM screen_matches WHERE entity_id = ?)
           GROUP BY p.institution_name, p.country_code
           ORDER BY works DESC, p.institution_name LIMIT 500""",
        [entity_id],
    )
    return _dicts(cur)


def institution_summary(cur: duckdb.DuckDBPyConnection, name: str) -> list[dict[str, Any]]:
    """Watchlist entities a focus-country institution co-published with."""
    cur.execute(
        """SELECT m.entity_id, m.entity_name, m.category, count(DISTINCT p.work_id) AS works
           FROM screen_partners p JOIN screen_matches m USING (work_id)
           WHERE p.institution_name = ?
           GROUP BY m.entity_id, m.entity_name, m.category
           ORDER BY works DESC, m.entity_name""",
        [name],
    )
    return _dicts(cur)


def institutions_like(
    cur: duckdb.DuckDBPyConnection, text: str, limit: int = 20
) -> list[dict[str, Any]]:
    """Focus-country institutions whose name contains ``text`` (case-insensitive)."""
    cur.execute(
        """SELECT institution_name, min(country_code) AS country_code,
                  count(DISTINCT work_id) AS works
           FROM screen_partners WHERE institution_name ILIKE ? ESCAPE '\\'
           GROUP BY institution_name ORDER BY works DESC, institution_name LIMIT ?""",
        ["%" + like_escape(text) + "%", limit],
    )
    return _dicts(cur)


# list column -> query of the works whose list shares a value with the given ones
_WORKS_WITH_ANY = {
    column: f"""SELECT {WORK_COLUMNS}, count(*) OVER () AS _total FROM screen_works
        WHERE list_has_any({column}, ?::VARCHAR[])
        ORDER BY year DESC NULLS LAST, work_id LIMIT ?"""  # noqa: S608 - constant columns
    for column in ("entity_ids", "partner_institutions")
}


def _works_with_any(
    cur: duckdb.DuckDBPyConnection, column: str, values: list[str], limit: int
) -> tuple[int, list[dict[str, Any]]]:
    if not values:
        return 0, []
    cur.execute(_WORKS_WITH_ANY[column], [values, limit])
    rows = _dicts(cur)
    total = int(rows[0]["_total"]) if rows else 0
    for row in rows:
        del row["_total"]
    return total, rows


def works_of_entities(
    cur: duckdb.DuckDBPyConnection, entity_ids: list[str], limit: int = 50
) -> tuple[int, list[dict[str, Any]]]:
    """(total, newest works) co-published with any of ``entity_ids``."""
    return _works_with_any(cur, "entity_ids", entity_ids, limit)


def works_of_institutions(
    cur: duckdb.DuckDBPyConnection, names: list[str], limit: int = 50
) -> tuple[int, list[dict[str, Any]]]:
    """(total, newest works) with any of the focus-country institutions ``names``."""
    return _works_with_any(cur, "partner_institutions", names, limit)
