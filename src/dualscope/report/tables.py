"""The result tables of a screening run, as named SQL over the store's ``screen_*`` tables.

One query per table; the HTML report, the web app and every export format (CSV, XLSX, Parquet)
read the same queries, so a number in the report is the number in ``countries.csv``. The first
seven are the tables `screen` writes as CSV (:mod:`dualscope.screening.outputs`, column names are
those of the files); ``evidence`` (one row per matched author and affiliation) is added for the
report and the exports. Queries return DuckDB-typed columns (lists stay lists); text formats join
lists with ``;``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

# What the evidence (works.csv, report.html) says for an author without a name, and for a
# partner whose record names no institution (known only from authorships.countries).
NO_NAME = "(no name)"
NO_INSTITUTION = "(no institution named)"

WORKS = """
SELECT work_id, doi, title, year, entities, categories, partner_countries,
       partner_institutions, areas, evidence
FROM screen_works
ORDER BY year DESC NULLS LAST, work_id
"""

# A work counts once per country; researchers are distinct focus-country authors (author id,
# else normalised name); institutions distinct partner institutions (id, else name; a partner
# known only from authorships.countries, with no affiliation text, names none: "").
COUNTRIES = """
SELECT country_code AS country,
       count(DISTINCT work_id) AS works,
       count(DISTINCT coalesce(author_id, lower(trim(author_name)))) AS researchers,
       count(DISTINCT coalesce(institution_id, nullif(institution_name, ''))) AS institutions
FROM screen_partners
GROUP BY country_code
ORDER BY works DESC, country
"""

# focus-country institution × watchlist entity
INSTITUTIONS = """
SELECT p.institution_name AS institution, min(p.institution_id) AS institution_id,
       p.country_code AS country, m.entity_name AS entity, min(m.category) AS category,
       count(DISTINCT p.work_id) AS works, min(w.year) AS first_year, max(w.year) AS last_year
FROM screen_partners p
JOIN screen_matches m USING (work_id)
JOIN screen_works w USING (work_id)
GROUP BY p.institution_name, p.country_code, m.entity_name
ORDER BY works DESC, institution, entity, country
"""

ENTITIES = """
SELECT m.entity_name AS entity, m.entity_id, min(m.category) AS category,
       count(DISTINCT m.work_id) AS works,
       list_sort(list_distinct(flatten(list(w.partner_countries)))) AS countries,
       min(w.year) AS first_year, max(w.year) AS last_year,
       list_sort(list_distinct(list(m.rule))) AS rules
FROM screen_matches m JOIN screen_works w USING (work_id)
GROUP BY m.entity_id, m.entity_name
ORDER BY works DESC, entity, m.entity_id
"""

YEARS = """
SELECT year, count(*) AS works FROM screen_works GROUP BY year ORDER BY year NULLS LAST
"""

# focus-country authors (watchlist side: see evidence); institution and country are the
# sorted distinct values joined by '; ' (NULL when none), built from lists: DuckDB's ordered
# DISTINCT string_agg, which gives the same text, took a third of the query's time
RESEARCHERS = """
SELECT min(author_name) AS name, author_id, min(orcid) AS orcid,
       CASE WHEN count(institution_name) > 0
            THEN array_to_string(list_sort(list_distinct(list(institution_name))), '; ')
       END AS institution,
       CASE WHEN count(country_code) > 0
            THEN array_to_string(list_sort(list_distinct(list(country_code))), '; ')
       END AS country,
       count(DISTINCT work_id) AS works
FROM screen_partners
-- an author with neither id nor name (e.g. the Dimensions reader's "unattributed" row) is no
-- researcher, as countries.csv counts them: not one row merging every such author
WHERE author_id IS NOT NULL OR author_name IS NOT NULL
GROUP BY author_id, CASE WHEN author_id IS NULL THEN lower(trim(author_name)) END
ORDER BY works DESC, name, author_id NULLS LAST, orcid NULLS LAST, institution, country
"""

AREAS = """
SELECT a.area_id AS area, count(DISTINCT a.work_id) AS works,
       list_sort(list_distinct(flatten(list(w.entities)))) AS entities,
       list_sort(list_distinct(flatten(list(w.partner_countries)))) AS countries
FROM screen_areas a JOIN screen_works w USING (work_id)
GROUP BY a.area_id
ORDER BY works DESC, area
"""

# fully ordered, as works.csv's evidence line (scan.FLAGGED_HITS): DuckDB's sort is not stable
EVIDENCE = """
SELECT work_id, author_index, author_name, author_id, affiliation, entity_id, entity_name,
       category, rule, score, explanation
FROM screen_matches
ORDER BY work_id, author_index, entity_id, affiliation, rule, score, explanation, category,
         entity_name, author_id NULLS LAST, author_name NULLS LAST
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
    "institutions", INSTITUTIONS, "focus-country institution × watchlist entity"
)
ENTITIES_TABLE = Table("entities", ENTITIES, "watchlist entities found, with their works")
YEARS_TABLE = Table("years", YEARS, "flagged works per publication year")
RESEARCHERS_TABLE = Table("researchers", RESEARCHERS, "focus-country authors of flagged works")
AREAS_TABLE = Table("areas", AREAS, "technology areas of flagged works")
EVIDENCE_TABLE = Table(
    "evidence", EVIDENCE, "which author and affiliation matched which entity, by which rule"
)

TABLES: tuple[Table, ...] = (
    WORKS_TABLE,
    COUNTRIES_TABLE,
    INSTITUTIONS_TABLE,
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
