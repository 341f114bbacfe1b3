"""Property tests of the matcher's normalisation and of ``Matcher.match`` on arbitrary input.

tests/matching/test_normalize.py already checks that matching never fails and always explains
(on the small test watchlist); these add the invariants of normalisation (idempotent; the same
under NFC/NFD/NFKC forms, diacritics and letter case) and check the real bundled matcher: any
text, identifiers and country give Match objects only for watchlist entities, with their real
name and category, evidence quoting the input, and the same answer twice.

Examples per test: ``DUALSCOPE_FUZZ_EXAMPLES`` (default 50; ``make fuzz`` runs 5,000).
"""

from __future__ import annotations

import dataclasses
import os
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dualscope.matching.matcher import Matcher
from dualscope.matching.normalize import canon_key, fold, norm_tokens, segments
from dualscope.matching.types import Match
from dualscope.settings import Settings

EXAMPLES = int(os.environ.get("DUALSCOPE_FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Pieces of real-looking affiliations (WoS abbreviations, full names, Chinese, noise).
FRAGMENTS = st.sampled_from(
    ["Natl Univ Def Technol", "National University of Defense Technology", "Harbin Inst Technol",
     "Harbin", "Beihang Univ", "Northwestern Polytech Univ", "Chinese Acad Engn Phys", "Mianyang",
     "China Aerodynam Res & Dev Ctr", "国防科技大学", "北京", "大学", ",", ";", " of ",
     "University", "Univ", "Inst", "Coll Comp", "Sch", "Key Lab", "Dept", "(", ")", "Xi'an",
     "Xi’an", "Hospital", "Beijing", "Changsha 410073", "Peoples R China", "USA", "Oxford",
     "Univ Bologna", "&", "  ", "é", "\u0301", "\x00", "ﬁ", "Ｎａｔｌ", "\ufeff", "\u200b"]
)  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(FRAGMENTS, max_size=14).map(" ".join),
    st.lists(FRAGMENTS, max_size=14).map("".join),
)
IDS = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(["https://openalex.org/I170215575", "https://ror.org/05d2yfz11",
                         "I170215575", "05d2yfz11", "https://ror.org/", "", "W1", "I"]),
    ),
    max_size=4,
)  # fmt: skip
COUNTRY = st.one_of(st.none(), st.text(max_size=3), st.sampled_from(["CN", "cn", "HK", "XX"]))


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    """The bundled watchlist (no user data: an empty home folder)."""
    home = tmp_path_factory.mktemp("home")
    return Matcher.default(dataclasses.replace(Settings(), home=home, db_path=Path("unused")))


# --- normalisation ---------------------------------------------------------------------------


@FUZZ
@given(TEXT)
def test_fuzz_normalisation_never_fails_and_gives_clean_tokens(text: str) -> None:
    folded = fold(text)
    assert folded == folded.strip() and "  " not in folded
    assert all(part and part == part.strip() for part in segments(text))


@FUZZ
@example("PEOPLES%R%CHInaPeOPLES%R%CHINA")
@example("PEOPLE:R:CHINA")
@given(TEXT)
def test_fuzz_fold_and_canon_key_are_idempotent(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert norm_tokens(folded) == norm_tokens(text)
    key = canon_key(text)
    assert canon_key(" ".join(key)) == key


@FUZZ
@given(TEXT, st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
def test_fuzz_fold_is_the_same_for_every_unicode_normal_form(text: str, form: str) -> None:
    assert fold(unicodedata.normalize(form, text)) == fold(text)  # type: ignore[arg-type]


ASCII_WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1,
            max_size=12),
    min_size=1, max_size=8,
).map(" ".join)  # fmt: skip


@FUZZ
@given(ASCII_WORDS, st.data())
def test_fuzz_fold_ignores_diacritics_case_and_fullwidth_forms(
    text: str, data: st.DataObject
) -> None:
    marks = data.draw(st.lists(st.sampled_from("\u0301\u0300\u0308\u0302\u030c\u0327"),
                               min_size=len(text), max_size=len(text)))  # fmt: skip
    accented = "".join(c + m if c.isalpha() else c for c, m in zip(text, marks, strict=True))
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in text)
    expected = fold(text.lower())
    assert fold(accented.lower()) == expected
    assert fold(unicodedata.normalize("NFC", accented).lower()) == expected
    assert fold(fullwidth.lower()) == expected
    assert fold(text.upper()) == expected


# --- the matcher -----------------------------------------------------------------------------


@FUZZ
@given(text=TEXT, ids=IDS, country=COUNTRY)
def test_fuzz_match_returns_only_watchlist_entities_with_evidence(
    matcher: Matcher, text: str, ids: list[str], country: str | None
) -> None:
    entities = {e.id: e for e in matcher.watchlist.entities}
    found = matcher.match(text, ids, country)
    assert isinstance(found, list)
    assert len({m.entity_id for m in found}) == len(found), "one Match per entity"
    for match in found:
        assert isinstance(match, Match)
        entity = entities[match.entity_id]
        assert (match.entity_name, match.category) == (entity.name_en, entity.category)
        assert 0 < match.score <= 1 and match.evidence
        for evidence in match.evidence:
            assert evidence.explanation.startswith("matched ")
            if evidence.rule == "identifier":
                assert any(evidence.matched_text in i for i in ids) or not ids
            elif evidence.rule != "chinese_name":  # Chinese evidence quotes the compacted text
                assert evidence.matched_text and evidence.matched_text in text
    assert matcher.match(text, ids, country) == found, "the same answer twice"


@FUZZ
@given(st.lists(FRAGMENTS, max_size=10).map(" ".join))
def test_fuzz_upper_case_records_match_the_same_entities(matcher: Matcher, text: str) -> None:
    """Old Web of Science records are all capitals: the same names must be found.

    (Bare acronyms are left out: in an all-capitals string any word looks like one.)
    """
    plain = {m.entity_id for m in matcher.match(text)}
    shouted = {m.entity_id for m in matcher.match(text.upper())}
    assert plain == shouted


AFFILIATIONS = [
    "Natl Univ Def Technol, Changsha 410073, Peoples R China",
    "Harbin Inst Technol, Harbin 150001, Peoples R China",
    "Beihang Univ, Beijing 100191, Peoples R China",
    "Northwestern Polytech Univ, Xian 710072, Shaanxi, Peoples R China",
    "Chinese Acad Engn Phys, Mianyang 621900, Peoples R China",
]
NEIGHBOURS = ["Dept Phys", "Coll Comp", "Key Lab", "Univ Oxford, Oxford, England",
              "Tech Univ Munich, Garching, Germany", "Sch Elect Engn"]  # fmt: skip


@FUZZ
@given(st.sampled_from(AFFILIATIONS), st.lists(st.sampled_from(NEIGHBOURS), max_size=4))
def test_fuzz_a_watchlist_affiliation_is_found_whatever_surrounds_it(
    matcher: Matcher, affiliation: str, others: list[str]
) -> None:
    alone = {m.entity_id for m in matcher.match(affiliation)}
    assert alone, affiliation
    text = "; ".join([*others[:2], affiliation, *others[2:]])
    assert alone <= {m.entity_id for m in matcher.match(text)}
