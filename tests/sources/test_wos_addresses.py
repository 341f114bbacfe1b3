"""Web of Science address parsing: C1 groups, wrapped lines, RP, author names."""

from __future__ import annotations

import pytest

from dualscope.sources.wos_addresses import (
    AuthorIndex,
    join_c1_lines,
    parse_rp,
    split_c1_entry,
    split_c1_field,
)


def test_split_c1_entry() -> None:
    assert split_c1_entry(
        "[Wang, Lei; Li, X] Natl Univ Def Technol, Changsha, Peoples R China."
    ) == (
        ["Wang, Lei", "Li, X"],
        "Natl Univ Def Technol, Changsha, Peoples R China",
    )
    assert split_c1_entry("UNIV TRONDHEIM,N-7034 TRONDHEIM,NORWAY.") == (
        [],
        "UNIV TRONDHEIM,N-7034 TRONDHEIM,NORWAY",
    )
    assert split_c1_entry("[broken bracket Univ X, Paris, France") == (
        [],
        "[broken bracket Univ X, Paris, France",
    )


def test_split_c1_field_keeps_bracket_groups() -> None:
    value = "[A, B; C, D] Univ X, Paris, France; [E, F] Univ Y, Rome, Italy; Univ Z, Oslo, Norway"
    assert split_c1_field(value) == [
        "[A, B; C, D] Univ X, Paris, France",
        "[E, F] Univ Y, Rome, Italy",
        "Univ Z, Oslo, Norway",
    ]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # one address a line, each ending with a full stop
        (["[A] Univ X, Paris, France.", "[B] Univ Y, Rome, Italy."], 2),
        # no full stops, but each line names its country: still two addresses
        (["UNIV A,PARIS,FRANCE", "UNIV B,BONN,GERMANY"], 2),
        # a wrapped address: the first line names no country yet
        (["[A] Natl Univ Def Technol, Coll Comp,", "Changsha 410073, Peoples R China."], 1),
        # two groups on one line, as in tab-delimited files
        (["[A] Univ X, Paris, France; [B] Univ Y, Rome, Italy."], 2),
        # a cited reference that lost its CR tag is not an address
        (["Univ X, Paris, France.", "Abraham M., 1909, RC CIRC MAT PALERMO, V28, P1"], 1),
    ],
)
def test_join_c1_lines(lines: list[str], expected: int) -> None:
    assert len(join_c1_lines(lines)) == expected


def test_parse_rp_several_and_old_style() -> None:
    value = (
        "Wang, L (corresponding author), Natl Univ Def Technol, Changsha, Peoples R China.; "
        "Smith, J (corresponding author), Univ Oxford, Oxford, England."
    )
    assert parse_rp(value) == [
        ("Wang, L", "Natl Univ Def Technol, Changsha, Peoples R China"),
        ("Smith, J", "Univ Oxford, Oxford, England"),
    ]
    assert parse_rp("BIRMAN, JL (reprint author), CUNY CITY COLL,NEW YORK,NY 10031, USA.") == [
        ("BIRMAN, JL", "CUNY CITY COLL,NEW YORK,NY 10031, USA")
    ]
    assert parse_rp("SMITH, J, UNIV X, PARIS, FRANCE") == []  # no marker: not guessed


def test_author_index() -> None:
    index = AuthorIndex(
        ["Wang, Lei", "Wang, Li", "Müller, Katrin", "Li, Xiao-Ming"],
        ["Wang, L", "Wang, L", "Muller, K", "Li, XM"],
    )
    assert index.find("Wang, Lei") == 0
    assert index.find("wang, li") == 1
    assert index.find("Wang, L") is None  # the AU form of two authors: not guessed
    assert index.find("Mueller, K") is None  # different surname spelling, no guess
    assert index.find("Muller, Katrin") == 2  # accents do not matter
    assert index.find("Li, Xiaoming") == 3  # surname + first initial, unique
    assert index.find("Nobody, N") is None
