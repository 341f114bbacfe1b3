"""store_result writes the flagged works into the screen_* tables column by column; the rows are
those of the works (a key missing from a partner row is stored as NULL), and the collector is
back on afterwards."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

import pytest

from dualscope.screening.options import ScreenOptions
from dualscope.screening.outputs import gc_paused
from dualscope.screening.pipeline import FlaggedWork, ScreenResult, store_result
from dualscope.screening.resolve import ResolveStats
from dualscope.store.db import open_store


def _match(work_id: str, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "work_id": work_id,
        "author_index": 1,
        "author_name": "A. Author",
        "author_id": "A1",
        "affiliation": "NUDT, Changsha",
        "entity_id": "nudt",
        "entity_name": "NUDT",
        "category": "military",
        "rule": "exact_alias",
        "score": 1.0,
        "explanation": "matched",
    }
    row.update(changes)
    return row


def _partner(work_id: str, **changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "work_id": work_id,
        "author_index": 2,
        "author_name": "B. Partner",
        "author_id": None,
        "orcid": "0000-0001",
        "institution_id": "I1",
        "institution_name": "Politecnico di Milano",
        "country_code": "IT",
        "basis": "institution",
    }
    row.update(changes)
    return row


def test_store_result_writes_the_works_rows(tmp_path: Path) -> None:
    missing = _partner("W2")
    del missing["orcid"], missing["institution_id"]
    works = [
        FlaggedWork(
            "W1",
            "10.1/x",
            "T1",
            2020,
            matches=[_match("W1"), _match("W1", entity_id="bit", entity_name="BIT")],
            partners=[_partner("W1"), _partner("W1", country_code="DE", institution_name=None)],
            areas=[("ai", 0.75, "title: x"), ("ai.vision", 0.5, "")],
        ),
        FlaggedWork("W2", None, None, None, matches=[_match("W2", score=None)], partners=[missing]),
    ]
    result = ScreenResult(works, 10, 4, 0, ResolveStats(), ScreenOptions())
    con = open_store(tmp_path / "s.duckdb")
    try:
        store_result(con, result, {"flagged": 2})
        assert gc.isenabled()
        stored = con.execute("SELECT * FROM screen_works ORDER BY work_id").fetchall()
        assert stored == [
            (
                "W1",
                "10.1/x",
                "T1",
                2020,
                ["bit", "nudt"],
                ["BIT", "NUDT"],
                ["military"],
                ["DE", "IT"],
                ["Politecnico di Milano"],
                ["ai", "ai.vision"],
                works[0].evidence,
            ),
            ("W2", None, None, None, ["nudt"], ["NUDT"], ["military"], ["IT"],
             ["Politecnico di Milano"], [], works[1].evidence),
        ]  # fmt: skip
        matches = con.execute("SELECT * FROM screen_matches").fetchall()
        columns = [d[0] for d in con.description or ()]
        assert [dict(zip(columns, row, strict=True)) for row in matches] == [
            *works[0].matches,
            *works[1].matches,
        ]
        partners = con.execute("SELECT * FROM screen_partners").fetchall()
        columns = [d[0] for d in con.description or ()]
        assert [dict(zip(columns, row, strict=True)) for row in partners] == [
            *works[0].partners,
            {**missing, "orcid": None, "institution_id": None},
        ]
        areas = con.execute("SELECT * FROM screen_areas").fetchall()
        assert areas == [("W1", "ai", 0.75, "title: x"), ("W1", "ai.vision", 0.5, "")]
    finally:
        con.close()


def test_gc_paused_restores_the_collector() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError("boom")
    assert gc.isenabled()
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()
