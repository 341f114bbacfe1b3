"""The per-year chart shows every year in the range, so a gap is not read as a trend."""

from __future__ import annotations

from dualscope.report.html import year_columns


def test_empty_years_in_the_range_are_shown_as_zero() -> None:
    rows = [{"year": 2015, "works": 3}, {"year": 2017, "works": 1}, {"year": None, "works": 2}]
    assert year_columns(rows) == [("2015", 3), ("2016", 0), ("2017", 1), ("n/a", 2)]


def test_no_years_gives_no_columns() -> None:
    assert year_columns([]) == []
