"""An author with neither an id nor a name (the "unattributed" authorship the Dimensions reader
builds for organisations it cannot attribute) is no researcher: ``researchers.csv`` and the
researchers of ``countries.csv`` agree."""

from __future__ import annotations

from .conftest import BOLOGNA, NUDT_AUTHOR, author, screen_tables, work

BOLOGNA_RAW = "Dipartimento di Fisica, Universita di Bologna, Bologna, Italy"


def test_researchers_table_and_country_counts_agree_on_an_author_without_id_or_name(
    tmp_path, components
):
    unattributed = {
        "author": {"id": None, "display_name": None, "orcid": None},
        "institutions": [BOLOGNA],
        "countries": ["IT"],
        "raw_affiliation_strings": [],
    }
    named = author("Mario Rossi", ["Univ Bologna"], [BOLOGNA], author_id="A2")
    works = [work(1, [NUDT_AUTHOR, unattributed]), work(2, [NUDT_AUTHOR, unattributed, named])]
    tables = screen_tables(tmp_path, works, components)
    (italy,) = tables["countries"]
    assert italy["works"] == "2"
    listed = [r for r in tables["researchers"] if "IT" in r["country"].split("; ")]
    assert int(italy["researchers"]) == len(listed) == 1
    assert listed[0]["name"] == "Mario Rossi"
