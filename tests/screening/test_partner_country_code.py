"""An institution with an empty country code is placed nowhere, as one without a country code:
the partner rules then read the author's affiliation text, as the resolver and the ingest
filter already do."""

from __future__ import annotations

from typing import Any

from .conftest import BOLOGNA, NUDT_AUTHOR, author, screen_tables, work

BOLOGNA_RAW = "Dipartimento di Fisica, Universita di Bologna, Bologna, Italy"


def _institution_without_country(code: str | None) -> dict[str, Any]:
    return {**BOLOGNA, "id": None, "lineage": [], "country_code": code}


def test_an_empty_country_code_is_no_country_like_a_missing_one(tmp_path, components):
    # the resolver already reads "" as "placed nowhere"; the partner rules must too, or the
    # Italian partner known from the raw string is lost and the work is not flagged
    for code in (None, ""):
        partner = author("Anna", [BOLOGNA_RAW], [_institution_without_country(code)], [], "A9")
        tables = screen_tables(
            tmp_path / ("null" if code is None else "empty"),
            [work(1, [NUDT_AUTHOR, partner])],
            components,
        )
        assert [w["partner_countries"] for w in tables["works"]] == ["IT"], code
        assert [(c["country"], c["works"]) for c in tables["countries"]] == [("IT", "1")], code
