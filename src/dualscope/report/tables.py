"""The result tables of a screening run, as named SQL over the store's ``screen_*`` tables.

One query per table; the HTML report, the web app and every export format (CSV, XLSX, Parquet)
read the same queries, so a number in the report is the number in ``countries.csv``. Queries
return DuckDB-typed columns (lists stay lists); text formats join lists with ``;``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

WORKS = """
SELECT work_id, doi, title, year, entity_ids, entities, categories, partner_countries,
       partner_institutions, areas, evidence
FROM screen_works
ORDER BY year DESC NULLS LAST, work_id
"""

# Works per focus country; a work with partners in two countries counts once in each.
COUNTRIES = """
WITH wc AS (
    SELECT DISTINCT work_id, country_code
    FROM (SELECT work_id, unnest(partner_countries) AS country_code FROM screen_works)
), inst AS (
    SELECT country_code,
           count(DISTINCT coalesce(institution_id, institution_name)) AS institutions,
           count(DISTINCT coalesce(author_id, author_name)) AS researchers
    FROM screen_partners GROUP BY country_code
)
SELECT wc.country_code, count(*) AS works,
       coalesce(any_value(inst.institutions), 0) AS institutions,
       coalesce(any_value(inst.researchers), 0) AS researchers
FROM wc LEFT JOIN inst USING (country_code)
GROUP BY wc.country_code
ORDER BY works DESC, wc.country_code
"""

# Focus-country institutions and the watchlist entities they co-published with.
INSTITUTIONS = """
SELECT p.institution_id, p.institution_name, p.country_code,
       count(DISTINCT p.work_id) AS works,
       list_sort(list_distinct(list(m.entity_name) FILTER (WHERE m.entity_name IS NOT NULL)))
           AS entities
FROM screen_partners p LEFT JOIN screen_matches m USING (work_id)
GROUP BY p.institution_id, p.institution_name, p.country_code
ORDER BY works DESC, p.institution_name
"""

# The European institution × watchlist entity cross table (one row per pair).
INSTITUTION_ENTITIES = """
SELECT p.institution_name, p.country_code, m.entity_id, m.entity_name,
       count(DISTINCT p.work_id) AS works
FROM screen_partners p JOIN screen_matches m USING (work_id)
GROUP BY p.institution_name, p.country_code, m.entity_id, m.entity_name
ORDER BY works DESC, p.institution_name, m.entity_name
"""

ENTITIES = """
SELECT m.entity_id, any_value(m.entity_name) AS entity_name, any_value(m.category) AS category,
       count(DISTINCT m.work_id) AS works,
       list_sort(list_distinct(flatten(list(w.partner_countries)))) AS partner_countries,
       list_sort(list_distinct(list(m.rule))) AS rules
FROM screen_matches m LEFT JOIN screen_works w USING (work_id)
GROUP BY m.entity_id
ORDER BY works DESC, entity_name
"""

YEARS = """
SELECT year, count(*) AS works FROM screen_works GROUP BY year ORDER BY year NULLS LAST
"""

# Authors on both sides: focus-country partners and the authors whose affiliation matched.
RESEARCHERS = """
SELECT side, author_id, author_name, institution, country_code, count(DISTINCT work_id) AS works
FROM (
    SELECT 'partner' AS side, author_id, author_name, institution_name AS institution,
           country_code, work_id
    FROM screen_partners
    UNION ALL
    SELECT 'watchlist' AS side, author_id, author_name, entity_name AS institution,
           'CN' AS country_code, work_id
    FROM screen_matches
)
WHERE author_name IS NOT NULL OR author_id IS NOT NULL
GROUP BY side, author_id, author_name, institution, country_code
ORDER BY works DESC, side, author_name
"""

AREAS = """
SELECT area_id, count(DISTINCT work_id) AS works, round(avg(score), 3) AS mean_score
FROM screen_areas GROUP BY area_id ORDER BY works DESC, area_id
"""

EVIDENCE = """
SELECT work_id, author_index, author_name, author_id, affiliation, entity_id, entity_name,
       category, rule, score, explanation
FROM screen_matches
ORDER BY work_id, author_index, entity_id
"""


@dataclass(frozen=True)
class Table:
    """A named result table: its file stem and the query that builds it."""

    name: str
    sql: str
    description: str


WORKS_TABLE = Table("works", WORKS, "one row per flagged work, with its evidence")
COUNTRIES_TABLE = Table("countries", COUNTRIES, "flagged works per focus country")
INSTITUTIONS_TABLE = Table(
    "institutions", INSTITUTIONS, "focus-country institutions and their watchlist partners"
)
INSTITUTION_ENTITIES_TABLE = Table(
    "institution_entities", INSTITUTION_ENTITIES, "institution × watchlist entity"
)
ENTITIES_TABLE = Table("entities", ENTITIES, "watchlist entities found, with their works")
YEARS_TABLE = Table("years", YEARS, "flagged works per publication year")
RESEARCHERS_TABLE = Table("researchers", RESEARCHERS, "authors on both sides of each flagged work")
AREAS_TABLE = Table("areas", AREAS, "technology areas of flagged works")
EVIDENCE_TABLE = Table(
    "evidence", EVIDENCE, "which author and affiliation matched which entity, by which rule"
)

TABLES: tuple[Table, ...] = (
    WORKS_TABLE,
    COUNTRIES_TABLE,
    INSTITUTIONS_TABLE,
    INSTITUTION_ENTITIES_TABLE,
    ENTITIES_TABLE,
    YEARS_TABLE,
    RESEARCHERS_TABLE,
    AREAS_TABLE,
    EVIDENCE_TABLE,
)


def table(name: str) -> Table:
    """The table called ``name`` (a KeyError names the known tables)."""
    for t in TABLES:
        if t.name == name:
            return t
    raise KeyError(f"unknown table {name!r}; known: {', '.join(t.name for t in TABLES)}")


def fetch(
    con: duckdb.DuckDBPyConnection, t: Table, batch: int = 10_000
) -> tuple[list[str], Iterator[tuple[object, ...]]]:
    """Run ``t``'s query; return its column names and an iterator over its rows (batched)."""
    cur = con.cursor()
    cur.execute(t.sql)
    header = [d[0] for d in cur.description or ()]

    def rows() -> Iterator[tuple[object, ...]]:
        try:
            while chunk := cur.fetchmany(batch):
                yield from chunk
        finally:
            cur.close()

    return header, rows()
