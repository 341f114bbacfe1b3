"""--since/--until keep papers by the year they are reported under, not record by record.

Records sharing a DOI are one paper, reported under its OpenAlex record (and that record's
year). Filtering each record on its own year split such a paper: with --until 2019, a paper
OpenAlex dates 2019 lost its 2020-dated Web of Science record, and with it the partner only that
record names, so the filtered run missed a paper the unfiltered run flags as 2019; with
--since 2020 the other record alone could be flagged as a 2020 paper.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from dualscope.screening.options import ScreenOptions
from dualscope.screening.run import screen

from .conftest import BOLOGNA, NUDT_I, author, work

DOI = "https://doi.org/10.99999/t.split"


def _corpus() -> list[dict[str, Any]]:
    openalex = work(1, [author("Li Wei", ["NUDT, Changsha"], [NUDT_I])], doi=DOI,
                    publication_year=2019)  # fmt: skip
    wos = work(2, [author("Mario Rossi", ["Univ Bologna"], [BOLOGNA])], doi=DOI,
               publication_year=2020)  # fmt: skip
    wos["id"] = "wos:000999999900001"
    return [openalex, wos]


def _flagged(tmp_path: Path, name: str, components: Any, **years: int) -> list[dict[str, str]]:
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in _corpus()), encoding="utf-8")
    out = tmp_path / f"{name}_out"
    screen(tmp_path / f"{name}.duckdb", out, ScreenOptions(**years), files=[path],
           components=components)  # fmt: skip
    with open(out / "works.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_paper_is_kept_or_left_whole_by_its_reported_year(
    tmp_path: Path, components: Any
) -> None:
    everything = _flagged(tmp_path, "all", components)
    assert [(r["work_id"], r["year"]) for r in everything] == [("W9000000001", "2019")]
    until = _flagged(tmp_path, "until", components, until=2019)
    assert [(r["work_id"], r["year"]) for r in until] == [("W9000000001", "2019")]
    assert until[0]["partner_countries"] == "IT"
    assert _flagged(tmp_path, "since", components, since=2020) == []
