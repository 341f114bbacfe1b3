"""A partner known only from ``authorships.countries``, with no institution and no affiliation
text, counts for its country but is not an institution named ""."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from dualscope.screening.options import ScreenOptions
from dualscope.screening.run import screen

from .conftest import NUDT_I, author, work

NUDT_AUTHOR = author("Li Wei", ["NUDT, Changsha"], [NUDT_I], author_id="A1")


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


def test_a_partner_without_institution_or_text_names_no_institution(tmp_path, components):
    # a country from authorships.countries with no institution and no raw string: the partner
    # counts for its country, but is not an institution called ""
    partner = author("Anna", [], [], ["IT"], author_id="A9")
    tables = _screen(tmp_path, [work(1, [NUDT_AUTHOR, partner])], components)
    assert [(c["country"], c["works"], c["institutions"]) for c in tables["countries"]] == [
        ("IT", "1", "0")
    ]
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Anna ((no institution named), IT, by authorships.countries)" in report
    assert '<div class="figure"><b>0</b>focus-country institutions</div>' in report
