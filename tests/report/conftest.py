"""Fixtures for report tests: a small synthetic screened store with hostile strings.

Use ``report_store`` (path + :class:`SyntheticInfo`) for anything that reads a screening result;
it is built once per module into a temp folder, so tests must not modify it (copy it first).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.report.synthetic import SyntheticInfo, build_store
from dualscope.report.watchlist_facts import WatchlistFacts


@pytest.fixture(scope="module")
def report_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SyntheticInfo]:
    path = tmp_path_factory.mktemp("store") / "screen.duckdb"
    info = build_store(path, works=30)
    return path, info


@pytest.fixture()
def no_facts() -> WatchlistFacts:
    """Empty watchlist facts (tests that do not exercise the watchlist)."""
    return WatchlistFacts(version="test-wl", error=None)
