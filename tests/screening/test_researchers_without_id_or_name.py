"""An author with neither an id nor a name (the "unattributed" authorship the Dimensions reader
builds for organisations it cannot attribute) is no researcher: ``researchers.csv`` and the
researchers of ``countries.csv`` agree."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from dualscope.screening.options import ScreenOptions
from dualscope.screening.run import screen

from .conftest import BOLOGNA, NUDT_I, author, work

NUDT_AUTHOR = author("Li Wei", ["NUDT, Changsha"], [NUDT_I], author_id="A1")
BOLOGNA_RAW = "Dipartimento di Fisica, Universita di Bologna, Bologna, Italy"


def _screen(tmp_path: Path, works: list[dict[str, Any]], components: Any) -> dict[str, list]:
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "works.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in works), encoding="utf-8")
    out = tmp_path / "out"
    screen(tmp_path / "s.duckdb", out, ScreenOptions(), files=[path], components=components)
    tables = {}
    for name in ("works", "countries", "researchers", "institutions"):
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            tables[name] = list(csv.DictReader(handle))
    return tables


def test_researchers_table_and_country_counts_agree_on_an_author_without_id_or_name(
    tmp_path, components
):
    unattributed = {
        "author": {"id": None, "display_name": None, "orcid": None},
        "institutions": [BOLOGNA],
        "countries": ["IT"],
        "raw_affiliation_strings": [],
    }
    named = author("Mario Rossi", ["Univ Bologna"], [BOLOGNA], author_id="A2")
    works = [work(1, [NUDT_AUTHOR, unattributed]), work(2, [NUDT_AUTHOR, unattributed, named])]
    tables = _screen(tmp_path, works, components)
    (italy,) = tables["countries"]
    assert italy["works"] == "2"
    listed = [r for r in tables["researchers"] if "IT" in r["country"].split("; ")]
    assert int(italy["researchers"]) == len(listed) == 1
    assert listed[0]["name"] == "Mario Rossi"
