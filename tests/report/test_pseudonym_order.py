"""Two researchers with one name: free text gets the same code on every run.

The first registered (author id, name) pair gives the code that replaces the name in evidence
text, so the store's researchers are registered in a fixed order, not in DuckDB's hash order.
"""

from __future__ import annotations

import duckdb

from dualscope.report.pseudonym import Pseudonymiser, people_in_store


def test_people_are_registered_in_a_fixed_order() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE screen_matches (author_id VARCHAR, author_name VARCHAR)")
    con.execute("CREATE TABLE screen_partners (author_id VARCHAR, author_name VARCHAR)")
    rows = [(f"A{i:04d}", f"Author {i % 50}") for i in range(2000)] + [(None, "Author 7")]
    con.executemany("INSERT INTO screen_matches VALUES (?, ?)", rows[::2])
    con.executemany("INSERT INTO screen_partners VALUES (?, ?)", rows[1::2])
    people = people_in_store(con)
    assert people == sorted(set(rows), key=lambda r: (r[1], r[0] is None, r[0] or ""))
    pseudo = Pseudonymiser("salt")
    pseudo.register(people)
    # "Author 7" stands for the author with the smallest id of that name
    assert pseudo.scrub("by Author 7.") == f"by {pseudo.code('A0007', 'Author 7')}."
