"""Fixtures for watchlist tests: the bundled watchlist, a tiny entity factory, synthetic files.

- ``bundled``: the bundled watchlist (read once per session).
- ``make_entity``: build a valid :class:`Entity` with a source, overriding any field.
- ``misp_file`` / ``csv_1286``: write small synthetic import files into ``tmp_path``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dualscope.watchlist.loader import LoadedWatchlist, load_bundled
from dualscope.watchlist.model import Entity


@pytest.fixture(scope="session")
def bundled() -> LoadedWatchlist:
    return load_bundled()


@pytest.fixture()
def make_entity() -> Callable[..., Entity]:
    def factory(**overrides: Any) -> Entity:
        data: dict[str, Any] = {
            "id": "test-institute",
            "name_en": "Test Institute of Technology",
            "category": "civilian",
            "sources": [{"name": "test fixture", "url": "https://example.org/"}],
        }
        data.update(overrides)
        return Entity.model_validate(data)

    return factory


@pytest.fixture()
def misp_file(tmp_path: Path) -> Callable[[list[dict[str, Any]]], Path]:
    def write(values: list[dict[str, Any]]) -> Path:
        path = tmp_path / "cluster.json"
        path.write_text(json.dumps({"name": "test", "values": values}, ensure_ascii=False), "utf-8")
        return path

    return write


@pytest.fixture()
def csv_1286(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "list.csv"
        path.write_text(text, encoding="utf-8")
        return path

    return write
