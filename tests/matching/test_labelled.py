"""Precision and recall on our own labelled set of affiliation strings (bundled watchlist).

``data/affiliations_labelled.csv`` (written by us, not copied): ``input`` the affiliation,
``expected`` the watchlist entity ids it names (``;``-joined, empty for none), ``style`` what the
row tests (WoS abbreviation, Chinese name, cover name, near miss, ...). Positives cover all five
categories; negatives hold the DOMAIN.md §2 near misses and ordinary Chinese and foreign
institutions.
"""

from __future__ import annotations

import pytest

from dualscope.matching.matcher import Matcher
from dualscope.settings import Settings

from .labelled import expected_ids, read_rows, score

LABELLED = "affiliations_labelled.csv"
MIN_PRECISION = 0.99
MIN_RECALL = 0.95


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    home = tmp_path_factory.mktemp("home")
    return Matcher.default(Settings(home=home))


def test_the_labelled_set_is_large_and_covers_every_category(matcher: Matcher) -> None:
    rows = read_rows(LABELLED)
    assert len(rows) >= 300
    entities = {e.id: e for e in matcher.watchlist.entities}
    expected = [i for row in rows for i in expected_ids(row)]
    unknown = sorted(set(expected) - set(entities))
    assert not unknown, f"labelled ids not on the watchlist: {unknown}"
    categories = {entities[i].category for i in expected}
    assert categories == {"military", "seven_sons", "defence_industry", "security", "civilian"}
    negatives = [row for row in rows if not row["expected"]]
    assert len(negatives) >= 100
    assert all(row["style"] for row in rows)


def test_precision_and_recall_on_the_labelled_set(matcher: Matcher) -> None:
    result = score(matcher, read_rows(LABELLED))
    print(f"\nlabelled set: precision {result.precision:.4f}, recall {result.recall:.4f}")
    print("\n".join(result.wrong))
    assert result.precision >= MIN_PRECISION, result.wrong
    assert result.recall >= MIN_RECALL, result.wrong


def test_every_match_on_the_labelled_set_is_explained(matcher: Matcher) -> None:
    for row in read_rows(LABELLED)[:120]:
        for match in matcher.match(row["input"]):
            assert match.evidence, row
            for evidence in match.evidence:
                assert evidence.explanation.startswith("matched ")
                assert match.entity_name in evidence.explanation
                assert "{" not in evidence.explanation  # template fully filled in
