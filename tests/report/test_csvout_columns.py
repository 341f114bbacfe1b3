"""write_csv converts a column at a time: its files are byte for byte those of converting every
cell with neutralise() and writing each row with the csv module, whatever the cells hold."""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dualscope import csvout

TEXT = ["plain", "", "a,b", 'say "hi"', "line\nbreak", "cr\rinside", " lead", "国防科技大学"]
FORMULAS = ["=1+1", "+1", "-x", "@SUM(A1)", "\tx", "\rx", "'quoted"]
INTS = [0, 7, -3, 10**20]
FLOATS = [2.5, -0.0, float("inf"), float("nan"), 1e16, 0.1 + 0.2]
OTHER = [True, False, Decimal("1.50"), ["a", "=b"], ["x", None, 3], [], ("t", "u"), ["-1"]]

# Columns as the queries give them: one kind of value (with NULLs), or anything at all.
POOLS: list[list[Any]] = [
    [*TEXT, None],
    [*TEXT, *FORMULAS, None],
    [*INTS, None],
    [*INTS, *FLOATS, None],
    [*FLOATS],
    [["a", "b"], ["=x"], [], None],
    [*TEXT, *FORMULAS, *INTS, *FLOATS, *OTHER, None],
]


def reference(header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csvout.neutralise(h) for h in header])
    for row in rows:
        writer.writerow([csvout.neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


def random_rows(rng: random.Random, width: int, count: int) -> list[Sequence[Any]]:
    pools = [rng.choice(POOLS) for _ in range(width)]
    rows: list[Sequence[Any]] = []
    for _ in range(count):
        row = [rng.choice(pool) for pool in pools]
        rows.append(tuple(row) if rng.random() < 0.5 else row)
    return rows


@pytest.mark.parametrize("seed", range(100))
def test_columns_are_written_as_cell_by_cell(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    monkeypatch.setattr(csvout, "_CHUNK", rng.choice([1, 3, 10_000]))
    width = rng.randint(1, 6)
    header = [f"h{i}" for i in range(width)]
    rows = random_rows(rng, width, rng.randint(0, 40))
    path = tmp_path / "t.csv"
    assert csvout.write_csv(path, header, rows) == len(rows)
    assert path.read_bytes() == reference(header, rows)


def test_a_formula_deep_in_a_text_column_is_neutralised(tmp_path: Path) -> None:
    rows = [("safe", 1)] * 5000 + [("=cmd()", 2), (None, 3)]
    path = tmp_path / "t.csv"
    csvout.write_csv(path, ["text", "n"], rows)
    assert path.read_bytes() == reference(["text", "n"], rows)
    assert b"\n'=cmd(),2\n,3\n" in path.read_bytes()


def test_ragged_and_empty_rows_are_written_as_given(tmp_path: Path) -> None:
    header = ["a", "b"]
    for rows in ([("x", "=y"), ("z",), ()], [(), ()], [("only",)], [("",)], [(None,)]):
        path = tmp_path / "t.csv"
        assert csvout.write_csv(path, header, rows) == len(rows)
        assert path.read_bytes() == reference(header, rows)


def test_rows_from_an_iterator_cross_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csvout, "_CHUNK", 4)
    pulled: list[int] = []

    def rows() -> Iterator[tuple[int, str]]:
        for i in range(10):
            pulled.append(i)
            yield (i, "-" if i % 3 else "ok")

    path = tmp_path / "t.csv"
    assert csvout.write_csv(path, ["i", "s"], rows()) == 10
    expected = [(i, "-" if i % 3 else "ok") for i in range(10)]
    assert path.read_bytes() == reference(["i", "s"], expected)
    assert pulled == list(range(10))
