"""The classifier's fast path (dualscope.classify.phrases): anchor index, literal filters, memo.

Each shortcut must give exactly what the plain rule gives: :meth:`PhraseList.find` (try every
phrase whose anchor is a substring of the lower-cased text).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualscope.classify.classifier import Classifier
from dualscope.classify.evaluate import load_labelled
from dualscope.classify.phrases import (
    AnchorIndex,
    FieldText,
    Phrase,
    PhraseError,
    PhraseList,
    compile_phrase,
    folds_to_ascii,
    regex_literals,
    word_literals,
)

DATA = Path(__file__).parent / "data"
# Characters a case-insensitive regex takes for ASCII letters while str.lower() does not.
FOLDING = ("\u0130", "\u0131", "\u017f", "\u212a")


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.default()


@pytest.fixture(scope="module")
def lists(clf: Classifier) -> list[PhraseList]:
    return [phrases for area in clf._areas for phrases in area.lists]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    out = []
    for name in ("labelled_papers.csv", "holdout_papers.csv", "holdout2_papers.csv"):
        for paper in load_labelled(DATA / name):
            out.extend([paper.title, paper.abstract, "; ".join(paper.keywords)])
    return [t for t in out if t.strip()]


def _brute(index: AnchorIndex, lowered: str) -> set[str]:
    return {key for key in index.keys if key in lowered}


# --- AnchorIndex.present: exactly the keys that are substrings --------------------------------


def test_present_finds_overlapping_and_prefix_anchors() -> None:
    index = AnchorIndex([PhraseList.of(["radar", "radargram", "dar", "gram", "arg"])])
    assert index.keys >= {"radar", "radargram", "dar", "gram", "arg"}
    assert index.present("the xradargramx images") >= {"radar", "radargram", "dar", "gram", "arg"}
    assert index.present("a radagram") == _brute(index, "a radagram")
    assert not {"radar", "radargram", "dar"} & index.present("rada gram")
    # second call comes from the token cache and must agree
    assert index.present("the xradargramx images") == _brute(index, "the xradargramx images")


def test_present_tests_keys_with_whitespace_directly() -> None:
    spaced = Phrase(text="x", source="a b", flags=0, anchor="a b")
    index = AnchorIndex([PhraseList((spaced,))])
    assert index.present("xa by") == {"a b"}
    assert index.present("a\tb") == set()


def test_present_matches_substring_rule_on_labelled_texts(
    clf: Classifier, texts: list[str]
) -> None:
    index = clf._index
    for text in texts:
        lowered = text.lower()
        assert index.present(lowered) == _brute(index, lowered), text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(["radar", "rad", "ar", "sar", "uav", "s", "-", " ", "\u2013", "x"]),
        max_size=30,
    ).map("".join)
)
def test_present_matches_substring_rule_on_random_text(text: str) -> None:
    index = AnchorIndex([PhraseList.of(["radar", "SAR", "UAV*", "radar array", "sarcasm"])])
    assert index.present(text.lower()) == _brute(index, text.lower())


# --- literal requirements: necessary for a match ------------------------------------------


def test_folds_to_ascii() -> None:
    assert all(folds_to_ascii(f"a{ch}b") for ch in FOLDING)
    assert not any(folds_to_ascii(t) for t in ("caf\u00e9", "na\u00efve \u2013 x", "abc", ""))


@pytest.mark.parametrize(
    ("word", "last", "prefix", "expected"),
    [
        ("organisation", True, False, ["organi", "ation"]),
        ("organization", False, False, ["organi", "ation"]),
        ("behaviour", True, False, ["behavio", "r"]),
        ("behavior", True, False, ["behavio"]),
        ("strategy", True, False, ["strateg"]),
        ("strategy", False, False, ["strategy"]),
        ("strategy", True, True, ["strategy"]),
        ("recognised", True, False, ["recogni", "ed"]),
        ("o'brien", True, False, ["o", "brien"]),
        ("UAV", True, False, ["uav"]),
        ("caf\u00e9", True, False, ["caf"]),
    ],
)
def test_word_literals(word: str, last: bool, prefix: bool, expected: list[str]) -> None:
    assert word_literals(word, last=last, prefix=prefix) == expected


def test_regex_literals() -> None:
    assert regex_literals(r"(?<![a-z])(?:drones?|UAVs?)\s+detection") == (
        ("drone", "uav"),
        ("detection",),
    )
    assert regex_literals(r"(?:ab|cd)\s+x{0,2}y") == ()  # too short, optional: nothing certain
    assert regex_literals(r"foo(?:bar)?baz") == (("foo",), ("baz",))
    assert regex_literals(r"(?:radar|x)") == ()  # one alternative requires nothing useful
    assert regex_literals(r"(?:abc)+def") == (("abc",), ("def",))
    assert regex_literals(r"(?=abc)def") == (("def",),)  # a lookahead is not part of the match


def test_every_match_contains_its_literals(lists: list[PhraseList], texts: list[str]) -> None:
    """The soundness the filter rests on, for every taxonomy phrase on the labelled texts."""
    phrases = {id(p): p for phrases in lists for p in phrases.phrases}.values()
    samples = [*texts, *(p.text.removeprefix("re:") for p in phrases)]
    checked = 0
    for text in samples:
        lowered = text.lower()
        for phrase in phrases:
            if phrase.anchor and phrase.anchor not in lowered:
                continue
            for match in phrase.pattern.finditer(text):
                checked += 1
                seen = match.group().lower()
                for alts in phrase.literals:
                    assert any(lit in seen for lit in alts), (phrase.text, match.group(), alts)
    assert checked > 1000


def test_every_phrase_of_the_taxonomy_has_a_literal_or_an_anchor(lists: list[PhraseList]) -> None:
    raw = [p for phrases in lists for p in phrases.phrases if not p.anchor]
    assert raw and all(p.literals for p in raw)


# --- FieldText.found == PhraseList.find ---------------------------------------------------


def _check_same(clf: Classifier, lists: list[PhraseList], text: str) -> None:
    field = FieldText("abstract", text, clf._index)
    lowered = text.lower()
    for phrases in lists:
        assert list(field.found(phrases)) == phrases.find(text, lowered), (text, phrases)


def test_found_equals_find_on_labelled_texts(
    clf: Classifier, lists: list[PhraseList], texts: list[str]
) -> None:
    for text in texts[::3]:
        _check_same(clf, lists, text)


def test_found_equals_find_when_the_text_folds(
    clf: Classifier, lists: list[PhraseList], texts: list[str]
) -> None:
    """Texts with a long s or a Kelvin sign: the literal filters must step aside."""
    for text in texts[::15]:
        for ch, by in (("s", "\u017f"), ("k", "\u212a"), ("i", "\u0131"), ("I", "\u0130")):
            _check_same(clf, lists, text.replace(ch, by))
    title = "Ground moving target tracking by \u017fynthetic aperture radar"
    assert FieldText("title", title, clf._index).folds


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_found_equals_find_on_phrase_soup(
    clf: Classifier, lists: list[PhraseList], data: st.DataObject
) -> None:
    words = sorted({w for p in clf._specs for w in " ".join(p.phrases).split()})
    pieces = data.draw(
        st.lists(
            st.one_of(
                st.sampled_from(words),
                st.sampled_from([" ", "-", "\u2013", "s", "ies", ", ", *FOLDING]),
            ),
            max_size=25,
        )
    )
    text = data.draw(st.sampled_from([str, str.upper, str.lower, str.title]))("".join(pieces))
    _check_same(clf, lists, text)


def test_found_refuses_a_list_outside_the_index(clf: Classifier) -> None:
    field = FieldText("title", "radar", clf._index)
    with pytest.raises(ValueError, match="not in the field's AnchorIndex"):
        field.found(PhraseList.of(["radar"]))


def test_found_is_computed_once(clf: Classifier, lists: list[PhraseList]) -> None:
    field = FieldText("title", "Synthetic aperture radar imaging of ships", clf._index)
    first = [field.found(p) for p in lists]
    assert any(first)
    assert all(field.found(p) is f for p, f in zip(lists, first, strict=True) if f)
    assert compile_phrase("radar") is compile_phrase(" radar ".strip())


# --- loading: lazy regexes, libyaml ---------------------------------------------------------


def test_every_taxonomy_phrase_compiles(lists: list[PhraseList]) -> None:
    """Ordinary phrases compile on first use: check now that all of them do."""
    for phrases in lists:
        for phrase in phrases.phrases:
            assert phrase.pattern.pattern == phrase.source
            assert phrase.pattern is phrase.pattern  # compiled once


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30))
def test_any_phrase_text_compiles(text: str) -> None:
    try:
        phrase = compile_phrase(text)
    except PhraseError:
        return
    assert isinstance(phrase.pattern, re.Pattern)


def test_lazy_and_eager_phrases_are_equal() -> None:
    phrase = compile_phrase("synthetic aperture radar")
    twin = Phrase(phrase.text, phrase.source, phrase.flags, phrase.anchor, phrase.literals)
    assert phrase.pattern.search("SAR: Synthetic-Aperture Radars")
    assert twin == phrase and twin.compiled is None


def test_libyaml_reads_the_bundled_files_like_pure_python() -> None:
    import yaml

    from dualscope.classify import taxonomy

    for path in (taxonomy.TAXONOMY_FILE, taxonomy.TOPIC_MAP_FILE):
        text = path.read_text(encoding="utf-8")
        assert taxonomy._read_yaml(path) == yaml.load(text, Loader=yaml.SafeLoader)


def test_present_stays_exact_when_the_token_cache_restarts(
    monkeypatch: pytest.MonkeyPatch, texts: list[str]
) -> None:
    from dualscope.classify import phrases as module

    monkeypatch.setattr(module, "_TOKEN_CACHE_MAX", 5)
    index = AnchorIndex([PhraseList.of(["radar", "face recognition", "UAV*", "re-identification"])])
    for text in texts[:200]:
        assert index.present(text.lower()) == _brute(index, text.lower())
    assert len(index._cache) <= 5


def test_a_copied_classifier_classifies_alike(clf: Classifier, texts: list[str]) -> None:
    """The index is keyed by object ids: pickle and deepcopy must rebuild it, not copy it."""
    import copy
    import pickle

    for twin in (pickle.loads(pickle.dumps(clf)), copy.deepcopy(clf)):
        for text in texts[:60]:
            assert twin.classify(text, text) == clf.classify(text, text)
    index = pickle.loads(pickle.dumps(clf._index))
    assert index.present("synthetic aperture radar") == clf._index.present(
        "synthetic aperture radar"
    )
