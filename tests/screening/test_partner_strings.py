"""The partner rules read the countries of only the raw strings they can use.

``resolve_countries`` with the focus countries skips the strings of authors whose unexplained
countries are all outside the focus (a Chinese author without an institution, say); the partners
found must be exactly those found from every string that may need a country.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dualscope.geo.countries import EUROPE, country_from_text
from dualscope.screening import scan
from dualscope.screening.resolve import resolve, resolve_countries
from dualscope.store.db import open_store
from dualscope.store.ingest import ingest_paths

from .conftest import BOLOGNA, NUDT_I, FakeMatcher, author, corpus, work

NUDT_RAW = "College of Computer, National University of Defense Technology, Changsha 410073"


def _extra_works() -> list[dict[str, Any]]:
    return [
        # a Chinese author known only by the CN country, beside raw-only and countries-only
        # European partners, one of them also with an institution elsewhere
        work(
            901,
            [
                author("Li Wei", [NUDT_RAW], countries=["CN"]),
                author("Zhang San", ["Dept Phys, Tsinghua Univ, Beijing, China"], countries=["CN"]),
                author("Ann Smith", ["Dept Phys, Univ Oxford, Oxford, England"], countries=[]),
                author("Bo Berg", ["KTH Royal Inst Technol, Stockholm, Sweden"], countries=["SE"]),
                author(
                    "Eva Rossi",
                    ["Univ Bologna, Bologna, Italy; Politecn Milan, Milan, Italy"],
                    [BOLOGNA],
                    countries=["IT", "FR"],
                ),
            ],
        ),
        # an institution with no country code and a focus country in authorships.countries
        work(
            902,
            [
                author("Wang Wu", [NUDT_RAW], [NUDT_I]),
                author(
                    "Jan Vos",
                    ["Delft Univ Technol, Delft, Netherlands"],
                    [{**BOLOGNA, "country_code": None}],
                    countries=["NL"],
                ),
            ],
        ),
    ]


def _partners(con: Any, *, only_hits: bool) -> tuple[int, list[tuple[Any, ...]]]:
    read = resolve_countries(con, country_from_text, focus=EUROPE, only_hits=only_hits)
    con.execute(scan.PARTNERS, {"focus": sorted(EUROPE)})
    rows = con.execute("SELECT * FROM _screen_partners ORDER BY ALL").fetchall()
    return read, rows


def test_focused_strings_give_the_partners_of_all_strings(tmp_path: Path) -> None:
    path = tmp_path / "works.jsonl"
    works = corpus() + _extra_works()
    path.write_text("".join(json.dumps(w) + "\n" for w in works), encoding="utf-8")
    con = open_store(tmp_path / "s.duckdb")
    try:
        ingest_paths(con, [path])
        focus = sorted(EUROPE)
        con.execute(scan.CANDIDATE_SCAN, {"since": None, "until": None, "focus": focus})
        resolve(con, FakeMatcher(), categories={"military", "seven_sons"})
        con.execute(scan.HITS, {"categories": ["military", "seven_sons"]})
        read_focused, focused = _partners(con, only_hits=True)
        read_all, everything = _partners(con, only_hits=False)
    finally:
        con.close()
    assert focused == everything
    assert {r[-1] for r in focused} >= {"institution", "authorships.countries", "raw_string"}
    assert read_focused < read_all
