"""A partner known only from ``authorships.countries``, with no institution and no affiliation
text, counts for its country but is not an institution named ""."""

from __future__ import annotations

from .conftest import NUDT_AUTHOR, author, screen_tables, work


def test_a_partner_without_institution_or_text_names_no_institution(tmp_path, components):
    # a country from authorships.countries with no institution and no raw string: the partner
    # counts for its country, but is not an institution called ""
    partner = author("Anna", [], [], ["IT"], author_id="A9")
    tables = screen_tables(tmp_path, [work(1, [NUDT_AUTHOR, partner])], components)
    assert [(c["country"], c["works"], c["institutions"]) for c in tables["countries"]] == [
        ("IT", "1", "0")
    ]
    report = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Anna ((no institution named), IT, by authorships.countries)" in report
    assert '<div class="figure"><b>0</b>focus-country institutions</div>' in report
