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

from .conftest import BOLOGNA, NUDT_I, OXFORD, TUM, author, inst, work

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


def _variant_corpus(order: list[int]) -> list[dict[str, Any]]:
    """One institution id and name in two variants: placed in the US by one work's record and
    in China by the other's (OpenAlex data drift). Only the name can match."""
    variants = [
        inst(9000000301, "Institute of Defense Technology Research", country)
        for country in ("US", "CN")
    ]
    works = [
        work(n, [author("Li Wei", ["Changsha"], [variant]), author("Mario Rossi", ["Bologna"],
             [BOLOGNA], author_id="A2")])
        for n, variant in enumerate(variants, start=1)
    ]  # fmt: skip
    return [works[i] for i in order]


def test_an_institution_recorded_two_ways_is_resolved_the_same_in_any_order(
    tmp_path: Path, components: Any
) -> None:
    """The variant OpenAlex places in China or nowhere is the one whose name is read, whichever
    comes first (it was the first one DuckDB happened to return)."""
    outputs = []
    for name, order in (("ab", [0, 1]), ("ba", [1, 0])):
        path = tmp_path / f"{name}.jsonl"
        path.write_text(
            "".join(json.dumps(w) + "\n" for w in _variant_corpus(order)), encoding="utf-8"
        )
        out = tmp_path / f"{name}_out"
        screen(tmp_path / f"{name}.duckdb", out, ScreenOptions(), files=[path],
               components=components)  # fmt: skip
        outputs.append((out / "works.csv").read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    flagged = outputs[0].splitlines()[1:]
    assert len(flagged) == 2, outputs[0]
