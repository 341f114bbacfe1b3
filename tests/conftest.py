"""Shared fixtures. Which to use when:

- ``shared_raw``: the folder of third-party data (``../shared/data/raw``); the test is skipped,
  with the reason, when it is absent. The core suite never depends on it.
- ``tmp_db``: a path for a fresh DuckDB store in the test's temporary folder.
- ``settings``: a :class:`Settings` pointing every user path into the temporary folder, so no
  test reads or writes the real home directory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.settings import Settings

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__import__("os").environ.get("DUALSCOPE_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def shared_raw() -> Path:
    raw = SHARED / "data" / "raw"
    if not raw.is_dir():
        pytest.skip(f"third-party data not available: {raw} is absent")
    return raw


@pytest.fixture(scope="session")
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"shared data not available: {data} is absent")
    return data


@pytest.fixture()
def tmp_db(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    return Settings(
        db_path=tmp_path / "test.duckdb",
        home=tmp_path / "home",
        openalex_url="http://127.0.0.1:9",
        openalex_api_key=None,
        web_token=None,
        shared_dir=SHARED,
    )
