"""Accuracy on our labelled set (tests/classify/data/labelled_papers.csv).

The set has realistic titles and abstracts we wrote ourselves: positives for every sensitive
sub-area in varied wording, the known traps (particle swarm optimisation, quantum dots, clinical
gait, the hypersonic effect, facial surgery, drone bees, radar charts, drug targets, swimming and
diving, disease surveillance, keystroke logging in writing research, GPS collars...) and ordinary
papers from other fields. Issue 4's bar: micro precision ≥ 0.85 and recall ≥ 0.80 over the
sub-areas. The per-area table is printed (run pytest with -s to see it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.classify.classifier import Classifier
from dualscope.classify.evaluate import Evaluation, evaluate, load_labelled
from dualscope.classify.taxonomy import SUB_AREA_IDS

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def development() -> Evaluation:
    return evaluate(Classifier.default(), load_labelled(DATA / "labelled_papers.csv"))


def test_labelled_set_is_large_and_covers_every_sub_area() -> None:
    papers = load_labelled(DATA / "labelled_papers.csv")
    assert len(papers) >= 300
    assert len({p.id for p in papers}) == len(papers)
    support = {area: sum(area in p.expected for p in papers) for area in SUB_AREA_IDS}
    assert min(support.values()) >= 10, support
    negatives = [p for p in papers if not p.expected]
    assert len(negatives) >= 100


def test_micro_precision_and_recall_meet_the_bar(development: Evaluation) -> None:
    print("\n" + development.table())
    micro = development.micro
    assert micro.precision >= 0.85, development.errors
    assert micro.recall >= 0.80, development.errors


def test_holdout_set_meets_the_bar() -> None:
    """A second set written after the rules (see docs/classify.md for its first-run figures)."""
    holdout = evaluate(Classifier.default(), load_labelled(DATA / "holdout_papers.csv"))
    print("\n" + holdout.table())
    assert holdout.micro.precision >= 0.85, holdout.errors
    assert holdout.micro.recall >= 0.80, holdout.errors


def test_fresh_rounds_meet_the_bar() -> None:
    """Rounds written later still (holdout2_papers.csv, ids ``rN-...``), each scored once before
    any rule change; their first-run figures are in docs/classify.md. The bar stays issue 4's."""
    papers = load_labelled(DATA / "holdout2_papers.csv")
    assert len(papers) >= 60
    assert len({p.id for p in papers}) == len(papers)
    assert all(any(area in p.expected for p in papers) for area in SUB_AREA_IDS)
    assert sum(not p.expected for p in papers) >= 15  # traps and ordinary papers
    fresh = evaluate(Classifier.default(), papers)
    print("\n" + fresh.table())
    assert fresh.micro.precision >= 0.85, fresh.errors
    assert fresh.micro.recall >= 0.80, fresh.errors


def test_no_sub_area_is_badly_wrong(development: Evaluation) -> None:
    """Precision matters most: no single sub-area may drop below 0.8 precision."""
    weak = {a: round(s.precision, 3) for a, s in development.areas.items() if s.precision < 0.8}
    assert not weak, weak
