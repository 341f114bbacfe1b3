"""Precision and recall on our own labelled set of affiliation strings (bundled watchlist).

``data/affiliations_labelled.csv`` (written by us, not copied): ``input`` the affiliation,
``expected`` the watchlist entity ids it names (``;``-joined, empty for none), ``style`` what the
row tests (WoS abbreviation, Chinese name, cover name, near miss, ...). Positives cover all five
categories; negatives hold the DOMAIN.md §2 near misses and ordinary Chinese and foreign
institutions.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dualscope.matching.matcher import Matcher
from dualscope.settings import Settings

LABELLED = Path(__file__).with_name("data") / "affiliations_labelled.csv"
MIN_PRECISION = 0.99
MIN_RECALL = 0.95


def _rows() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    home = tmp_path_factory.mktemp("home")
    return Matcher.default(Settings(home=home))


def test_the_labelled_set_is_large_and_covers_every_category(matcher: Matcher) -> None:
    rows = _rows()
    assert len(rows) >= 300
    entities = {e.id: e for e in matcher.watchlist.entities}
    expected = [i for row in rows for i in row["expected"].split(";") if i]
    unknown = sorted(set(expected) - set(entities))
    assert not unknown, f"labelled ids not on the watchlist: {unknown}"
    categories = {entities[i].category for i in expected}
    assert categories == {"military", "seven_sons", "defence_industry", "security", "civilian"}
    negatives = [row for row in rows if not row["expected"]]
    assert len(negatives) >= 100
    assert all(row["style"] for row in rows)


def test_precision_and_recall_on_the_labelled_set(matcher: Matcher) -> None:
    true_pos = false_pos = false_neg = 0
    wrong: list[str] = []
    for row in _rows():
        expected = {i for i in row["expected"].split(";") if i}
        found = {m.entity_id for m in matcher.match(row["input"])}
        true_pos += len(expected & found)
        false_pos += len(found - expected)
        false_neg += len(expected - found)
        if found != expected:
            wrong.append(f"{row['input']!r}: expected {sorted(expected)}, got {sorted(found)}")
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    print(f"\nlabelled set: precision {precision:.4f}, recall {recall:.4f}")
    print("\n".join(wrong))
    assert precision >= MIN_PRECISION, wrong
    assert recall >= MIN_RECALL, wrong


def test_every_match_on_the_labelled_set_is_explained(matcher: Matcher) -> None:
    for row in _rows()[:120]:
        for match in matcher.match(row["input"]):
            assert match.evidence, row
            for evidence in match.evidence:
                assert evidence.explanation.startswith("matched ")
                assert match.entity_name in evidence.explanation
                assert "{" not in evidence.explanation  # template fully filled in
