"""Normalisation, WoS abbreviations, segments; and a property test that matching never fails."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualscope.matching.abbreviations import CANONICAL, WOS_ABBREVIATIONS, canonical
from dualscope.matching.index import name_variants, normalise_id
from dualscope.matching.matcher import Matcher
from dualscope.matching.normalize import canon_key, fold, norm_tokens, raw_segments, segments

from .factory import small_watchlist


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Xi’an Jiaotong University", "xian jiaotong university"),
        ("Xi An Jiao Tong Univ", "xian jiaotong univ"),
        ("Université de Défense", "universite de defense"),
        ("Chinese People's Liberation Army Rocket Force", "pla rocket force"),
        (
            "Engineering University of the Chinese People’s Armed Police Force",
            "engineering university of the pap",
        ),
        ("Beijing Univ Aeronaut & Astronaut", "beijing univ aeronaut and astronaut"),
        (
            "Nanjing University of Aeronautics andAstronautics",
            "nanjing university of aeronautics and astronautics",
        ),
        (
            "Natl. Univ. Def. Technol., Changsha 410073, Peoples R China",
            "natl univ def technol changsha 410073 china",
        ),
        ("  SUN  YAT-SEN   University ", "sunyatsen university"),
    ],
)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_spelling_fixes_and_british_spelling() -> None:
    assert norm_tokens("National University of Defence Technology Univeristy Centre") == [
        "national", "university", "of", "defense", "technology", "university", "center",
    ]  # fmt: skip


def test_canonical_keys_meet_for_full_and_abbreviated_names() -> None:
    assert canon_key("National University of Defense Technology") == canon_key(
        "Natl Univ Def Technol"
    )
    assert canon_key("Harbin Engineering University") == canon_key("Harbin Engn Univ")
    assert canon_key("Central South University") == canon_key("Cent S Univ")
    assert canon_key("Beijing University of Technology") != canon_key(
        "Beijing Institute of Technology"
    )
    assert canon_key("Northwest University") != canon_key("Northwestern Polytechnical University")


def test_wos_abbreviation_table() -> None:
    for abbreviation in ("natl", "univ", "technol", "engn", "aeronaut", "astronaut", "polytech",
                         "sci", "def", "coll", "inst", "acad", "mil", "informat", "elect",
                         "commun", "nav", "aviat", "chem", "med"):  # fmt: skip
        assert abbreviation in WOS_ABBREVIATIONS, abbreviation
        assert canonical(abbreviation) == canonical(WOS_ABBREVIATIONS[abbreviation])
    assert CANONICAL["defense"] == CANONICAL["def"]


def test_segments_split_on_commas_and_semicolons_of_both_widths() -> None:
    assert segments("A, B; C，D；E") == ["A", "B", "C", "D", "E"]
    assert raw_segments(",A,,B") == ["", "A", "B"]


def test_identifier_normalisation() -> None:
    assert normalise_id("https://ror.org/05D2YFZ11") == "05d2yfz11"
    assert normalise_id("https://openalex.org/I4210") == "I4210"
    assert normalise_id("i4210") == "I4210"


def test_names_inside_aka_notes() -> None:
    assert name_variants("CASC 5th Academy, a.k.a. China Academy of Space Technology (CAST)") == [
        "CASC 5th Academy, a.k.a. China Academy of Space Technology (CAST)",
        "CASC 5th Academy",
        "China Academy of Space Technology",
    ]


MATCHER = Matcher(small_watchlist())
EXAMPLES = int(os.environ.get("DUALSCOPE_FUZZ_EXAMPLES", "150"))
FRAGMENTS = st.sampled_from(
    ["Natl Univ Def Technol", "Harbin", "HIT", "北京", "大学", ",", ";", " of ", "University",
     "(", ")", "Wuhan", "Hospital", "Beijing", "USA", "China", "  ", "&", "’", "PLA"]
)  # fmt: skip


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=120), st.lists(FRAGMENTS, max_size=12).map("".join)))
def test_fuzz_matching_never_fails_and_always_explains(text: str) -> None:
    for match in MATCHER.match(text):
        assert match.evidence and 0 < match.score <= 1
        assert all(e.explanation.startswith("matched ") for e in match.evidence)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("PEOPLES R CHINA PEOPLES R CHINA", "china china"),  # adjacent phrases, one pass
        ("People R China", "china"),  # the variant 'people' is the phrase too
        ("PEOPLE:R:CHINA", "china"),
        ("Peoples Republic China", "china"),  # stop words inside a phrase may be absent
        ("peoples r china pla", "pla"),  # a replacement that completes another phrase
        ("S&T", "science and technology"),
        ("South and T", "south and t"),  # single letters are themselves, not South
        ("Xi An Jiao Tong Univ", "xian jiaotong univ"),
    ],
)
def test_fold_replaces_phrases_to_a_fixed_point(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold(folded) == folded
    key = canon_key(text)
    assert canon_key(" ".join(key)) == key


def test_canon_key_is_the_same_for_a_name_and_its_own_key() -> None:
    assert canon_key("People R China") == canon_key("peoples r china") == ("china",)
    assert canon_key("Defence Univ Centre") == canon_key("defense univ center")
