"""Batch matching of a file: order, distinct strings, CSV columns, input errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.errors import InputError
from dualscope.matching.batch import BatchSummary, match_lines, output_row, read_inputs
from dualscope.matching.matcher import Matcher

from .factory import small_watchlist


def test_read_inputs_lines_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffHarbin Inst Technol\r\n\r\nBeihang Univ\n".encode())
    assert read_inputs(path) == ["Harbin Inst Technol", "", "Beihang Univ"]


def test_read_inputs_rejects_non_utf8_with_the_file_named(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Universit\xe9 de Lyon\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1\.txt: not UTF-8"):
        read_inputs(path)


def test_distinct_strings_are_resolved_once_and_order_is_kept() -> None:
    calls: list[str] = []
    matcher = Matcher(small_watchlist())
    original = matcher.match

    def counting(text: str | None, ids=(), country=None):  # type: ignore[no-untyped-def]
        calls.append(text or "")
        return original(text, ids, country)

    matcher.match = counting  # type: ignore[method-assign]
    lines = ["Harbin Inst Technol", "MIT", "Harbin Inst Technol", "", "MIT"]
    summary = BatchSummary()
    rows = list(match_lines(lines, matcher, summary))
    assert [r[0] for r in rows] == lines
    assert calls == ["Harbin Inst Technol", "MIT"]
    assert (summary.rows, summary.distinct, summary.matched_rows) == (5, 3, 2)
    assert rows[0][1] == "hit" and rows[1][1:] == ("", "", "", "", "")


def test_output_row_joins_several_entities_with_semicolons() -> None:
    matches = Matcher(small_watchlist()).match("Natl Univ Def Technol; Beihang Univ, Beijing")
    row = output_row("x", matches)
    assert row[1] == "nudt;beihang"
    assert row[3] == "military;seven_sons"
    assert len(row[5].split(";")) == 2
