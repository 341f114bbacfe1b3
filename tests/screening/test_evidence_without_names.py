"""A partner or author without a name is said so in works.csv and report.html, never "None".

An author OpenAlex names nobody (the Dimensions reader's unattributed rows too) has no name to
show, and a partner known only from ``authorships.countries`` names no institution; the evidence
printed Python's "None" for the one and nothing at all ("partner  (IT, ...)") for the other.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dualscope.screening.options import ScreenOptions
from dualscope.screening.run import screen

from .conftest import NUDT_I, author, work


def test_missing_names_are_said_so(tmp_path: Path, components: Any) -> None:
    nameless = author("Li Wei", ["NUDT, Changsha"], [NUDT_I])
    nameless["author"]["display_name"] = None
    street = author("Mario Rossi", [], [], ["IT"])
    path = tmp_path / "w.jsonl"
    path.write_text(json.dumps(work(1, [nameless, street])) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    screen(tmp_path / "s.duckdb", out, ScreenOptions(), files=[path], components=components)
    works = (out / "works.csv").read_text(encoding="utf-8")
    assert "W9000000001" in works
    assert "None" not in works
    assert "author 0 (no name): " in works or "author 1 (no name): " in works
    assert "partner (no institution named) (IT, from authorships.countries)" in works
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "None" not in report
    assert "(no institution named), IT" in report and "(no name)" in report
