"""ISO codes, the Europe set, and --countries parsing."""

from __future__ import annotations

import pytest

from dualscope.errors import DualscopeError
from dualscope.geo.countries import COUNTRY_NAMES, EU27, EUROPE, country_name, parse_country_list


def test_europe_is_eu27_plus_five() -> None:
    assert len(EU27) == 27
    assert EU27 | {"GB", "CH", "NO", "IS", "LI"} == EUROPE
    assert "UK" not in EUROPE and "EL" not in EUROPE
    assert all(code in COUNTRY_NAMES for code in EUROPE)


def test_country_names_are_iso_alpha2_only() -> None:
    assert len(COUNTRY_NAMES) == 249
    assert COUNTRY_NAMES["GB"] == "United Kingdom"
    assert COUNTRY_NAMES["CN"] == "China"
    assert COUNTRY_NAMES["TW"] == "Taiwan"
    for extra in ("EU", "UK", "EL", "XK", "ZZ"):
        assert extra not in COUNTRY_NAMES
    assert country_name("hk") == "Hong Kong"
    assert country_name("QQ") == "QQ"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("europe", EUROPE),
        ("EUROPE", EUROPE),
        ("IT,DE", {"IT", "DE"}),
        ("it, de ; fr", {"IT", "DE", "FR"}),
        ("gb", {"GB"}),
        ("UK", {"GB"}),
        ("EL", {"GR"}),
        ("IT DE", {"IT", "DE"}),
        ("United Kingdom", {"GB"}),
        ("eu27,GB", EU27 | {"GB"}),
        ("europe,US", EUROPE | {"US"}),
    ],
)
def test_parse_country_list(spec: str, expected: set[str]) -> None:
    assert parse_country_list(spec) == frozenset(expected)


def test_unknown_code_suggests() -> None:
    with pytest.raises(DualscopeError, match=r"unknown country 'Itlay'.*did you mean IT \(Italy\)"):
        parse_country_list("DE,Itlay")
    with pytest.raises(DualscopeError, match="did you mean europe"):
        parse_country_list("eurpe")


def test_unknown_code_without_suggestion_says_what_to_type() -> None:
    with pytest.raises(DualscopeError, match=r"unknown country 'XX'.*ISO 3166-1"):
        parse_country_list("XX")


@pytest.mark.parametrize("spec", ["", " , ", ";"])
def test_empty_list_is_an_error(spec: str) -> None:
    with pytest.raises(DualscopeError, match="empty country list"):
        parse_country_list(spec)
