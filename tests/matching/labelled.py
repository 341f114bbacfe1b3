"""Our labelled affiliation sets (``data/*.csv``: ``input``, ``expected`` ids ``;``-joined,
``style``) and how a matcher scores on them, shared by the evaluation tests."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from dualscope.matching.matcher import Matcher

DATA = Path(__file__).with_name("data")


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def expected_ids(row: dict[str, str]) -> set[str]:
    return {i for i in row["expected"].split(";") if i}


@dataclass
class Score:
    """Micro precision and recall over entity ids, with the rows that went wrong."""

    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_pos / (self.true_pos + self.false_pos)

    @property
    def recall(self) -> float:
        return self.true_pos / (self.true_pos + self.false_neg)


def score(matcher: Matcher, rows: list[dict[str, str]]) -> Score:
    result = Score()
    for row in rows:
        expected = expected_ids(row)
        found = {m.entity_id for m in matcher.match(row["input"])}
        result.true_pos += len(expected & found)
        result.false_pos += len(found - expected)
        result.false_neg += len(expected - found)
        if found != expected:
            result.wrong.append(
                f"{row['input']!r}: expected {sorted(expected)}, got {sorted(found)}"
            )
    return result
