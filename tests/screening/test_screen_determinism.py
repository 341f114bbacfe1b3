"""Two runs over the same works give byte-identical output tables, whatever the input order.

The corpus is built to tie: two partner authors with the same name and the same work count
(only their author ids differ), one author id spelled two ways, and works in shuffled order.
Any unordered query or ``any_value`` pick would make the files differ between runs.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from dualscope.screening.options import ScreenOptions
from dualscope.screening.outputs import TABLES
from dualscope.screening.run import screen

from .conftest import BOLOGNA, NUDT_I, OXFORD, TUM, author, work

TIMES = ("generated_at", "ingested_at")


def _tied_corpus() -> list[dict[str, Any]]:
    works = []
    for n in range(1, 13):
        partner = [BOLOGNA, TUM, OXFORD][n % 3]
        works.append(
            work(
                n,
                [
                    author("Li Wei", ["NUDT, Changsha"], [NUDT_I], author_id=f"A{n % 2}"),
                    # same name, two author ids, the same number of works each
                    author("Maria Rossi", ["Partner"], [partner], author_id=f"A{10 + n % 2}"),
                    # one author id, two spellings of the name
                    author("K. Berg" if n % 2 else "Karl Berg", ["P2"], [partner], author_id="A20"),
                    # no author id: grouped by name
                    author("Jane Roe", ["P3"], [partner]),
                ],
                title="Radar imaging" if n % 2 else "Drones",
                publication_year=2018 + n % 4,
            )
        )
    return works


def _run(tmp_path: Path, name: str, seed: int, components: Any) -> dict[str, bytes]:
    works = _tied_corpus()
    random.Random(seed).shuffle(works)
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in works), encoding="utf-8")
    out = tmp_path / f"{name}_out"
    screen(tmp_path / f"{name}.duckdb", out, ScreenOptions(), files=[path], components=components)
    files = {table: (out / table).read_bytes() for table, _ in TABLES}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    summary.pop("generated_at")
    summary.pop("this_run_ingest", None)
    for entry in summary["data_sources"]["files"]:
        for key in ("path", "sha256", *TIMES):  # the shuffled file differs
            entry.pop(key, None)
    files["summary.json"] = json.dumps(summary, sort_keys=True).encode()
    return files


def test_two_runs_in_any_input_order_write_identical_tables(tmp_path, components):
    first = _run(tmp_path, "a", 1, components)
    for name, seed in (("b", 1), ("c", 2), ("d", 3)):
        again = _run(tmp_path, name, seed, components)
        for table, content in first.items():
            assert again[table] == content, f"{table} differs between runs ({name})"
    researchers = first["researchers.csv"].decode("utf-8").splitlines()
    assert researchers[0].startswith("name,author_id,orcid")
    # the two Maria Rossi rows tie on works and name: ordered by author id
    rossi = [line for line in researchers if line.startswith("Maria Rossi")]
    assert [line.split(",")[1] for line in rossi] == [
        "https://openalex.org/A10",
        "https://openalex.org/A11",
    ] or [line.split(",")[1] for line in rossi] == ["A10", "A11"]
    # one id, two spellings: the smallest name is shown, on every run
    assert any(line.startswith("K. Berg,") for line in researchers)
    assert not any(line.startswith("Karl Berg,") for line in researchers)
