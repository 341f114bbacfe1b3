"""The result tables of a screening run, as named SQL over the store's ``screen_*`` tables.

One query per table; the HTML report, the web app and every export format (CSV, XLSX, Parquet)
read the same queries, so a number in the report is the number in ``countries.csv``. The seven
tables `screen` writes come from :mod:`dualscope.screening.outputs`; ``evidence`` (one row per
matched author and affiliation) is added here. Queries return DuckDB-typed columns (lists stay
lists); text formats join lists with ``;``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import duckdb

from dualscope.screening import outputs

# The seven tables `screen` writes as CSV: the same queries, so report, exports and the screen
# output folder always agree (column names are those of the CSV files).
WORKS = outputs.WORKS_CSV
COUNTRIES = outputs.COUNTRIES_CSV
INSTITUTIONS = outputs.INSTITUTIONS_CSV  # focus-country institution × watchlist entity
ENTITIES = outputs.ENTITIES_CSV
YEARS = outputs.YEARS_CSV
RESEARCHERS = outputs.RESEARCHERS_CSV  # focus-country authors (watchlist side: see evidence)
AREAS = outputs.AREAS_CSV

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
