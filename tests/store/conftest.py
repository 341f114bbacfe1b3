"""Fixtures for store tests: a tiny factory of OpenAlex-shaped works and file writers."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest


def work(
    n: int,
    updated: str = "2024-01-01",
    *,
    title: str | None = None,
    year: Any = 2020,
    raw: str = "Univ Bologna, Bologna, Italy",
) -> dict[str, Any]:
    """A minimal OpenAlex work with one authorship (ids are obviously synthetic)."""
    return {
        "id": f"https://openalex.org/W9{n:09d}",
        "doi": f"https://doi.org/10.99999/T{n}",
        "title": title or f"Work {n}",
        "publication_year": year,
        "updated_date": updated,
        "authorships": [
            {
                "author": {"id": f"A9{n:09d}", "display_name": f"Author {n}"},
                "institutions": [],
                "countries": [],
                "raw_affiliation_strings": [raw],
            }
        ],
    }


def write_jsonl(path: Path, lines: list[Any], *, gz: bool = False) -> Path:
    text = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    if gz:
        path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def factory() -> Any:
    class F:
        work = staticmethod(work)
        write_jsonl = staticmethod(write_jsonl)

    return F
