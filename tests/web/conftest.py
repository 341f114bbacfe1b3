"""Fixtures for web tests. Which to use when:

- ``web_store``: a synthetic screened store (module scope; read it, never write it).
- ``live``: the app on that store, served by uvicorn on a free localhost port; yields the base
  URL. A real server, so middleware, headers and threading are what users get.
- ``start_app``: a factory for an app with other options (a token), served the same way.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from dualscope.report.synthetic import SyntheticInfo, build_store
from dualscope.settings import Settings
from dualscope.web.app import create_app
from dualscope.web.background import serve_in_thread


@pytest.fixture(scope="module")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SyntheticInfo]:
    path = tmp_path_factory.mktemp("webstore") / "screen.duckdb"
    return path, build_store(path, works=60)


@pytest.fixture(scope="module")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home = tmp_path_factory.mktemp("home")
    return Settings(db_path=home / "unused.duckdb", home=home, web_token=None)


@pytest.fixture(scope="module")
def start_app(web_store, web_settings):
    stack = contextlib.ExitStack()

    def start(token: str | None = None) -> str:
        app = create_app(web_store[0], token=token, settings=web_settings)
        return stack.enter_context(serve_in_thread(app))

    with stack:
        yield start


@pytest.fixture(scope="module")
def live(start_app) -> Iterator[str]:
    yield start_app()
