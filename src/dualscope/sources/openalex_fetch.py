"""A resumable harvest: every page's works and the next cursor committed together.

``fetch_state`` holds, per query (the canonical filter string), the cursor of the next page.
Each page is merged into ``works`` and the cursor advanced in the same DuckDB transaction, so a
Ctrl-C or SIGKILL at any moment leaves either the page fully stored with its cursor, or neither;
a rerun asks for the same page again and ends with exactly the works of an uninterrupted run.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from dualscope.fsutil import atomic_file
from dualscope.sources.openalex import SkipLog, check_work
from dualscope.sources.openalex_api import OpenAlexClient, Page, WorksQuery
from dualscope.store.ingest import merge_jsonl

STATE = "SELECT next_cursor, done, pages, works, total FROM fetch_state WHERE query = $query"
SAVE_STATE = """
INSERT OR REPLACE INTO fetch_state (query, next_cursor, done, pages, works, total, updated_at)
VALUES ($query, $cursor, $done, $pages, $works, $total, now())
"""


@dataclass
class FetchOutcome:
    """What one `fetch` run did."""

    query: str
    status: str  # complete | already_complete
    pages: int = 0  # pages fetched in this run
    works: int = 0  # works received in this run
    total: int | None = None  # meta.count
    resumed: bool = False
    skips: SkipLog = field(default_factory=lambda: SkipLog(Path("<api>")))


Progress = Callable[[int, int | None], None]  # (works so far, total)


def fetch_works(
    con: duckdb.DuckDBPyConnection,
    client: OpenAlexClient,
    query: WorksQuery,
    *,
    restart: bool = False,
    out_dir: Path | None = None,
    progress: Progress | None = None,
    max_pages: int | None = None,
) -> FetchOutcome:
    """Harvest ``query`` into ``works``, resuming from ``fetch_state`` unless ``restart``."""
    key = query.filter
    row = con.execute(STATE, {"query": key}).fetchone()
    if row is not None and row[1] and not restart:
        return FetchOutcome(key, "already_complete", total=row[4])
    cursor, pages_done, works_done = "*", 0, 0
    resumed = False
    if row is not None and not restart and row[0]:
        cursor, pages_done, works_done, resumed = row[0], int(row[2] or 0), int(row[3] or 0), True
    outcome = FetchOutcome(key, "complete", resumed=resumed, skips=SkipLog(Path(client.base_url)))
    with tempfile.TemporaryDirectory(prefix="dualscope-fetch-") as tmp:
        staged = Path(tmp) / "page.jsonl"
        while True:
            page = client.works_page(query, cursor)
            outcome.total = page.count
            pages_done += 1
            if out_dir is not None:
                _save_page(out_dir, pages_done, page)
            good = _write_page(staged, page, outcome.skips, pages_done)
            done = page.next_cursor is None or not page.results
            con.execute("BEGIN TRANSACTION")
            try:
                if good:
                    merge_jsonl(con, staged, source="openalex_api", source_file=client.base_url)
                works_done += len(page.results)
                con.execute(
                    SAVE_STATE,
                    {
                        "query": key,
                        "cursor": None if done else page.next_cursor,
                        "done": done,
                        "pages": pages_done,
                        "works": works_done,
                        "total": page.count,
                    },
                )
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
            outcome.pages += 1
            outcome.works += len(page.results)
            if progress:
                progress(works_done, page.count)
            if done:
                return outcome
            if max_pages is not None and outcome.pages >= max_pages:
                outcome.status = "paused"
                return outcome
            cursor = page.next_cursor or "*"


def _write_page(staged: Path, page: Page, skips: SkipLog, page_no: int) -> int:
    """Write the page's valid works as JSON Lines; count the others. Returns the good count."""
    good = 0
    with open(staged, "w", encoding="utf-8") as out:
        for index, work in enumerate(page.results, start=1):
            reason = check_work(work)
            if reason:
                skips.add(None, reason, f"page {page_no}, result {index}")
                continue
            out.write(json.dumps(work, ensure_ascii=False))
            out.write("\n")
            good += 1
    return good


def _save_page(out_dir: Path, page_no: int, page: Page) -> None:
    """Keep the raw page (API-page JSON, re-ingestable) for provenance."""
    doc = {"meta": {"count": page.count, "next_cursor": page.next_cursor}, "results": page.results}
    with atomic_file(out_dir / f"page_{page_no:06d}.json") as handle:
        json.dump(doc, handle, ensure_ascii=False)
