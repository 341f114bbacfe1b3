"""RESEARCHERS joins each author's distinct institutions and countries from sorted lists; the
text must be that of DuckDB's ordered DISTINCT ``string_agg`` (the query's earlier form)."""

from __future__ import annotations

import duckdb

from dualscope.report import tables

REFERENCE = """
SELECT min(author_name) AS name, author_id, min(orcid) AS orcid,
       string_agg(DISTINCT institution_name, '; ' ORDER BY institution_name) AS institution,
       string_agg(DISTINCT country_code, '; ' ORDER BY country_code) AS country,
       count(DISTINCT work_id) AS works
FROM screen_partners
GROUP BY author_id, CASE WHEN author_id IS NULL THEN lower(trim(author_name)) END
ORDER BY works DESC, name, author_id NULLS LAST, orcid NULLS LAST, institution, country
"""

ROWS = [
    ("A", " x ", None, "", None, "w1"),  # an empty name is a value, not a missing one
    ("A", "x", None, None, None, "w2"),
    (None, "Bé", None, "b", "DE", "w1"),  # no author id: grouped by trimmed lower-case name
    (None, "bé ", "0000-0001", "B", "FR", "w3"),
    (None, "bé", None, "b", "DE", "w3"),
    ("C", "c", None, None, None, "w4"),  # nothing to join: NULL, not ''
    ("D", "d", None, "Zé", "IT", "w5"),
    ("D", "d", None, "ze", "IT", "w5"),
    ("D", "d", None, "Ze", "GB", "w6"),
]


def test_researchers_join_distinct_values_like_ordered_string_agg() -> None:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE screen_partners (author_id VARCHAR, author_name VARCHAR, orcid VARCHAR,"
        " institution_name VARCHAR, country_code VARCHAR, work_id VARCHAR)"
    )
    con.executemany("INSERT INTO screen_partners VALUES (?, ?, ?, ?, ?, ?)", ROWS)
    expected = con.execute(REFERENCE).fetchall()
    assert con.execute(tables.RESEARCHERS).fetchall() == expected
    assert ("c", "C", None, None, None, 1) in expected
    assert (" x ", "A", None, "", None, 2) in expected
