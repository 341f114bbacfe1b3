"""Records sharing a DOI are screened as one paper, even when neither record is a candidate alone.

Regression: the candidate scan required both signals (a focus-country partner and a possibly
Chinese author) of each record, so the OpenAlex record holding only the NUDT author and the
other source's record holding only the Italian partner were both dropped before the DOI groups
were formed, and the paper was missed although FLAGGED decides on the group's union.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from dualscope.screening.options import ScreenOptions
from dualscope.screening.run import screen

from .conftest import BOLOGNA, NUDT_I, author, inst, work

BNU = inst(9000000201, "Beijing Normal University", "CN")


def test_a_doi_group_split_across_records_is_flagged_once(tmp_path: Path, components: Any) -> None:
    doi = "https://doi.org/10.99999/t.split"
    records = [
        # Only the watchlist author (and a Chinese colleague), no focus-country signal.
        work(1, [author("Li Wei", [], [NUDT_I]), author("Zhao Min", [], [BNU])], doi=doi),
        # Only the partner (and a Chinese author with an institution): no watchlist author.
        work(2, [author("Zhao Min", [], [BNU]), author("Mario Rossi", [], [BOLOGNA])], doi=doi),
        # A control: another DOI with the NUDT record alone is not flagged.
        work(3, [author("Li Wei", [], [NUDT_I]), author("Zhao Min", [], [BNU])]),
    ]
    path = tmp_path / "works.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    screen(tmp_path / "s.duckdb", tmp_path / "out", ScreenOptions(), files=[path],
           components=components)  # fmt: skip
    with open(tmp_path / "out" / "works.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["work_id"], r["doi"], r["entities"], r["partner_countries"]) for r in rows] == [
        ("W9000000001", "10.99999/t.split", "National University of Defense Technology", "IT")
    ]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["countries"] == {"IT": 1}
