"""`screen` hands the rows of its CSV queries to the report: the report comes out the same."""

from __future__ import annotations

from pathlib import Path

import duckdb

from dualscope.report.data import load_report
from dualscope.report.synthetic import SyntheticInfo
from dualscope.report.watchlist_facts import WatchlistFacts
from dualscope.screening.outputs import TABLES, query_rows


def test_prefetched_rows_give_the_same_report_data(
    report_store: tuple[Path, SyntheticInfo], no_facts: WatchlistFacts
) -> None:
    con = duckdb.connect(str(report_store[0]), read_only=True)
    try:
        prefetched = {sql: query_rows(con, sql) for _, sql in TABLES}
        direct = load_report(con, facts=no_facts)
        reused = load_report(con, facts=no_facts, prefetched=prefetched)
    finally:
        con.close()
    assert direct.works and direct.researchers
    assert reused == direct
