"""The report's per-work evidence and partner rows, and the ``evidence`` export, come in one
order whatever the physical order of ``screen_matches``/``screen_partners``: the order of the
evidence line in works.csv (``scan.FLAGGED_HITS``/``FLAGGED_PARTNERS``). DuckDB's sort is not
stable, so ordering by (work, author, entity) alone left ties (one author matched by an
institution and by the affiliation text, or at two partner institutions) to the sort."""

from __future__ import annotations

from pathlib import Path

from dualscope.report import tables
from dualscope.report.data import PARTNERS_TABLE
from dualscope.store.db import open_store

MATCHES = [  # in the works.csv evidence order
    ("W1", 1, "Li", "A1", "NUDT [I1]", "nudt", "NUDT", "military", "identifier", 1.0, "by id"),
    ("W1", 1, "Li", "A1", "NUDT, Changsha", "nudt", "NUDT", "military", "name", 0.9, "by name"),
    ("W1", 1, "Li", "A1", "NUDT, Changsha", "nudt", "NUDT", "military", "name", 1.0, "by name"),
    ("W1", 2, "Wu", None, "Natl Univ Def", "nudt", "NUDT", "military", "abbrev", 1.0, "x"),
]
PARTNERS = [  # work, index, name, id, orcid, institution, country, basis
    ("W1", 3, "Rossi", "A2", None, "INFN", "IT", "institution"),
    ("W1", 3, "Rossi", "A2", None, "Univ Bologna", "IT", "institution"),
    ("W1", 3, "Rossi", "A2", None, "Univ Bologna", "IT", "raw_string"),
]


def test_evidence_and_partner_rows_do_not_depend_on_the_tables_order(tmp_path: Path) -> None:
    con = open_store(tmp_path / "s.duckdb")
    for row in reversed(MATCHES):
        con.execute("INSERT INTO screen_matches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
    for row in reversed(PARTNERS):
        con.execute(
            "INSERT INTO screen_partners (work_id, author_index, author_name, author_id, orcid,"
            " institution_name, country_code, basis) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )
    assert con.execute(tables.EVIDENCE).fetchall() == MATCHES
    assert con.execute(PARTNERS_TABLE.sql).fetchall() == PARTNERS
    con.close()
