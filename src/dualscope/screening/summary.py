"""summary.json: what was read, skipped, merged and flagged, with the options and sources."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any

import duckdb

from dualscope import __version__
from dualscope.screening.pipeline import ScreenResult
from dualscope.store.ingest import SLIM_SIBLING_FILES, IngestReport, KeepFilter

STORE_FILES = """
SELECT path, kind, sha256, records_read, records_loaded, records_skipped,
       coalesce(records_replaced, 0), coalesce(records_stale, 0), skipped_reasons,
       strftime(ingested_at, '%Y-%m-%dT%H:%M:%S'), skipped_first
FROM ingested_files ORDER BY ingested_at, path
"""

FETCH_QUERIES = """
SELECT query, done, pages, works, total, strftime(updated_at, '%Y-%m-%dT%H:%M:%S')
FROM fetch_state ORDER BY query
"""

# How many skipped records summary.json locates (file and line); all are counted by reason.
FIRST_SKIPPED = 20

SOURCE_COUNTS = "SELECT coalesce(source, '?'), count(*) FROM works GROUP BY ALL ORDER BY 1"
SLIM_WORKS = "SELECT count(*) FROM works WHERE screenable = false"
FILE_FILTERS = "SELECT path, kept FROM ingested_files ORDER BY path"


def build_summary(
    con: duckdb.DuckDBPyConnection,
    result: ScreenResult,
    *,
    watchlist_version: str | None,
    ingest: IngestReport | None = None,
    keep: KeepFilter | None = None,
) -> dict[str, Any]:
    """The summary.json object of one screening run.

    ``keep``: the screenable filter of this run's watchlist and categories; files ingested
    with a filter that does not cover it are listed under
    ``data_sources.filtered_with_another_watchlist``.
    """
    files = con.execute(STORE_FILES).fetchall()
    skipped: Counter[str] = Counter()
    first_skipped: list[dict[str, Any]] = []
    replaced = stale = in_file = 0
    for row in files:
        for line, reason in json.loads(row[10]) if row[10] else ():
            if len(first_skipped) < FIRST_SKIPPED:
                first_skipped.append({"file": row[0], "line": line, "reason": reason})
        read, loaded, skip, rep, old = (int(v or 0) for v in row[3:8])
        replaced += rep
        stale += old
        in_file += max(read - skip - loaded - old, 0)
        if row[8]:
            skipped.update(json.loads(row[8]))
    countries: Counter[str] = Counter()
    entities: Counter[str] = Counter()
    for work in result.works:
        countries.update(work.partner_countries)
        entities.update(work.entities)
    summary: dict[str, Any] = {
        "dualscope_version": __version__,
        "generated_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "watchlist_version": watchlist_version,
        "options": result.options.as_dict(),
        "works_read": result.works_read,
        # works no watchlist name or id could match: stored without affiliations, not screened
        "works_without_watchlist_signal": _count(con, SLIM_WORKS),
        # of those, works sharing a DOI with a screenable work (their file could not be read
        # again): their authors are missing from that paper's screening; normally 0
        "works_without_details_in_a_screened_doi_group": sum(
            int(n) for _, n in con.execute(SLIM_SIBLING_FILES).fetchall()
        ),
        "duplicates": {
            "total": replaced + stale + in_file + result.merged_by_doi,
            "replaced_by_newer_updated_date": replaced + in_file,
            "older_copies_ignored": stale,
            "merged_by_doi": result.merged_by_doi,
        },
        "records_skipped": {
            "total": sum(skipped.values()),
            "by_reason": dict(skipped),
            "first": first_skipped,
        },
        "candidates": result.candidates,
        "flagged": len(result.works),
        "countries": dict(sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))),
        "entities": dict(sorted(entities.items(), key=lambda kv: (-kv[1], kv[0]))),
        "affiliations_resolved": {
            "raw_strings": result.resolve_stats.raw_strings,
            "raw_strings_to_matcher": result.resolve_stats.raw_strings_to_matcher,
            "raw_strings_matched": result.resolve_stats.raw_strings_matched,
            "institutions": result.resolve_stats.institutions,
            "institutions_matched": result.resolve_stats.institutions_matched,
        },
        "data_sources": {
            "works_by_source": dict(con.execute(SOURCE_COUNTS).fetchall()),
            "files": [
                {
                    "path": row[0],
                    "kind": row[1],
                    "sha256": row[2],
                    "records_read": row[3],
                    "records_loaded": row[4],
                    "records_skipped": row[5],
                    "ingested_at": row[9],
                }
                for row in files
            ],
            "filtered_with_another_watchlist": [
                path
                for path, kept in con.execute(FILE_FILTERS).fetchall()
                if keep is not None and not keep.covers(kept)
            ],
            "api_queries": [
                {
                    "query": row[0],
                    "complete": bool(row[1]),
                    "pages": row[2],
                    "works": row[3],
                    "total": row[4],
                    "updated_at": row[5],
                }
                for row in con.execute(FETCH_QUERIES).fetchall()
            ],
        },
    }
    if ingest is not None:
        summary["this_run_ingest"] = ingest.as_dict()
    return summary


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0
