"""CSV writing: formula neutralisation, list cells, atomicity."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dualscope.csvout import neutralise, write_csv


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("", ""),
        (None, ""),
        (3, "3"),
        (-3, "-3"),
        (0.5, "0.5"),
        (True, "true"),
        (["a", "b"], "a;b"),
        (["=x", "b"], "'=x;b"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_neutralise(cell: object, expected: str) -> None:
    assert neutralise(cell) == expected


def test_write_csv_roundtrip(tmp_path: Path) -> None:
    path = tmp_path / "out" / "works.csv"
    n = write_csv(path, ["id", "title", "list"], [["W1", "=1+1", ["CN", "RU"]], ["W2", "ok", []]])
    assert n == 2
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [["id", "title", "list"], ["W1", "'=1+1", "CN;RU"], ["W2", "ok", ""]]
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]


def test_write_csv_failure_leaves_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "works.csv"
    path.write_text("old\n", encoding="utf-8")

    def rows():
        yield ["a"]
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write_csv(path, ["h"], rows())
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["works.csv"]
