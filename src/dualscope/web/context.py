"""What every request of the web app shares: the read-only store, watchlist facts, matcher.

The store is opened once, read-only; each request takes its own cursor (DuckDB connections are
not thread-safe, their cursors are). The dashboard figures are computed once at start: a store
opened read-only cannot change under the app (DuckDB's file lock keeps writers out).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

import duckdb
from fastapi import HTTPException, Request

from dualscope.matching.types import Match
from dualscope.report.data import ReportData, load_report
from dualscope.report.pseudonym import Pseudonymiser, for_store, pseudonymise_record
from dualscope.report.store import open_result_store
from dualscope.report.watchlist_facts import WatchlistFacts, watchlist_facts
from dualscope.settings import Settings


class MatcherLike(Protocol):
    """The part of :class:`dualscope.matching.matcher.Matcher` the app uses."""

    def match(self, text: str) -> Sequence[Match]: ...

    def closest(self, text: str, limit: int = 5) -> Sequence[tuple[str, str, float]]: ...


@dataclass
class WebContext:
    db_path: Path
    con: duckdb.DuckDBPyConnection
    token: str | None
    facts: WatchlistFacts
    settings: Settings | None = None
    pseudo: Pseudonymiser | None = None  # set: researchers appear as stable codes only
    _matcher: MatcherLike | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @cached_property
    def dashboard(self) -> ReportData:
        """Figures and chart data of the whole result (no per-work list)."""
        cur = self.con.cursor()
        try:
            return load_report(
                cur, max_works=0, facts=self.facts, pseudonymise=self.pseudo is not None
            )
        finally:
            cur.close()

    def private(self, row: dict[str, Any]) -> dict[str, Any]:
        """``row`` with researcher names replaced by codes when the app pseudonymises."""
        if self.pseudo is not None:
            pseudonymise_record(row, self.pseudo)
        return row

    def matcher(self) -> MatcherLike:
        """The affiliation matcher, built on first use (503 if it cannot be loaded)."""
        with self._lock:
            if self._matcher is None:
                try:
                    from dualscope.matching.matcher import Matcher
                except ImportError as exc:
                    raise HTTPException(503, f"the matcher is not available: {exc}") from exc
                self._matcher = Matcher.default(self.settings)
            return self._matcher

    def close(self) -> None:
        self.con.close()


def open_context(
    db_path: Path,
    *,
    token: str | None,
    matcher: MatcherLike | None = None,
    facts: WatchlistFacts | None = None,
    settings: Settings | None = None,
    pseudonymise: bool = False,
) -> WebContext:
    con = open_result_store(Path(db_path), read_only=True)
    try:
        pseudo = for_store(con) if pseudonymise else None
    except BaseException:
        con.close()
        raise
    return WebContext(
        db_path=Path(db_path),
        con=con,
        token=token,
        facts=facts if facts is not None else watchlist_facts(settings),
        settings=settings,
        pseudo=pseudo,
        _matcher=matcher,
    )


def context(request: Request) -> WebContext:
    """FastAPI dependency: the app's shared context."""
    ctx: WebContext = request.app.state.ctx
    return ctx


def cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    """FastAPI dependency: a fresh cursor on the read-only store for this request."""
    cur = context(request).con.cursor()
    try:
        yield cur
    finally:
        cur.close()
