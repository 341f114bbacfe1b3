"""Property tests: the classifier and the abstract rebuilder never crash and keep their promises.

Examples per test: ``DUALSCOPE_FUZZ_EXAMPLES`` (default 100; `make fuzz` raises it).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualscope.classify.classifier import THRESHOLD, Classifier
from dualscope.classify.taxonomy import EU_AREA_IDS
from dualscope.classify.text import abstract_from_inverted_index

EXAMPLES = int(os.environ.get("DUALSCOPE_FUZZ_EXAMPLES", "100"))
WORDS = st.sampled_from(
    [
        "face",
        "recognition",
        "UAV",
        "drone",
        "radar",
        "SAR",
        "gait",
        "re-identification",
        "quantum",
        "key",
        "distribution",
        "hypersonic",
        "scramjet",
        "GNSS",
        "spoofing",
        "underwater",
        "acoustic",
        "surveillance",
        "video",
        "keystroke",
        "dynamics",
        "target",
        "detection",
        "patients",
        "particle",
        "swarm",
        "optimization",
        "the",
        "of",
        "-",
        "é",
        "\u2013",
        "'s",
        "(",
        ")",
        ";",
    ]
)
TEXT = st.one_of(st.text(max_size=300), st.lists(WORDS, max_size=40).map(" ".join))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, abstract=st.one_of(st.none(), TEXT), keywords=st.lists(TEXT, max_size=4))
def test_fuzz_classify_never_crashes_and_every_label_is_explained(
    title: str, abstract: str | None, keywords: list[str]
) -> None:
    hits = Classifier.default().classify(title, abstract, keywords)
    ids = [h.area_id for h in hits]
    assert len(ids) == len(set(ids))
    for hit in hits:
        assert hit.evidence
        assert hit.score >= THRESHOLD
    subs = {h.area_id for h in hits if h.area_id not in EU_AREA_IDS}
    # every sub-area brings its parent EU area
    parents = {a.id: a.parent for a in Classifier.default().areas}
    assert {parents[s] for s in subs} <= set(ids)


JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    index=st.one_of(
        JSONISH, st.dictionaries(st.text(max_size=8), st.lists(st.integers(-3, 50), max_size=4))
    )
)
def test_fuzz_abstract_rebuilder_accepts_any_shape(index: object) -> None:
    text = abstract_from_inverted_index(index)
    assert isinstance(text, str)
    assert text == text.strip()
