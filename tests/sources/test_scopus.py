"""Scopus CSV exports, new and old layouts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dualscope.errors import InputError
from dualscope.sources.exports import ExportRecord, SkippedRecord, detect_format, read_export

DATA = Path(__file__).parent / "data"


def _read(path: Path) -> tuple[dict[str, ExportRecord], list[SkippedRecord]]:
    records: dict[str, ExportRecord] = {}
    skipped: list[SkippedRecord] = []
    for item in read_export(path):
        if isinstance(item, SkippedRecord):
            skipped.append(item)
        else:
            records[item.id] = item
    return records, skipped


def _people(record: dict[str, Any]) -> list[tuple[str | None, list[str], list[str]]]:
    return [
        (a["author"]["display_name"], a["countries"], a["raw_affiliation_strings"])
        for a in record["authorships"]
    ]


def test_new_layout() -> None:
    assert detect_format(DATA / "scopus_new.csv") == "scopus"
    records, skipped = _read(DATA / "scopus_new.csv")
    one = records["scopus:2-s2.0-85000000001"]
    assert one["doi"] == "10.9999/synth.2021.001"
    assert one["publication_year"] == 2021
    assert one["keywords"] == ["swarm control", "UAV", "Cooperative control"]
    assert one["source"] == "scopus" and one["line"] == 2
    people = _people(one)
    assert [p[0] for p in people] == ["Wang, Lei", "Smith, John", "Mueller, Katrin"]
    assert one["authorships"][0]["author"]["id"] == "scopus-author:57000000001"
    assert people[0][1] == ["CN"]
    # Smith has two affiliations joined by ", " in one entry: split back using Affiliations
    assert people[1][2] == [
        "Department of Engineering Science, University of Oxford, Oxford, United Kingdom",
        "Technical University of Munich, Garching, Germany",
    ]
    assert people[1][1] == ["GB", "DE"]
    assert people[2][1] == ["DE"]
    assert [s.reason for s in skipped] == ["no EID: the record has no key"]
    assert skipped[0].line == 4


def test_same_short_names_keep_their_order() -> None:
    records, _ = _read(DATA / "scopus_new.csv")
    two = records["scopus:2-s2.0-85000000002"]
    assert [(p[0], p[1]) for p in _people(two)] == [
        ("Chen, Yu", ["CN"]),
        ("Li, Yan", ["CN"]),
        ("Li, Yang", ["NL"]),
    ]
    assert two["abstract"] is None  # "[No abstract available]"
    assert two["doi"] is None


def test_old_layout() -> None:
    path = DATA / "scopus_old.csv"
    assert detect_format(path) == "scopus"
    records, skipped = _read(path)
    assert skipped == []
    one = records["scopus:2-s2.0-84000000001"]
    assert [(p[0], p[1]) for p in _people(one)] == [
        ("Zhang W.", ["CN"]),
        ("Kowalski J.", ["PL"]),
        ("Dupont A.", ["FR"]),
    ]
    assert _people(one)[0][2] == [
        "School of Automation, Beijing Institute of Technology, Beijing, China"
    ]


def test_affiliations_without_author_links_are_unattributed() -> None:
    records, _ = _read(DATA / "scopus_old.csv")
    two = records["scopus:2-s2.0-84000000002"]
    positions = [a["author_position"] for a in two["authorships"]]
    assert positions == ["first", "last", "unattributed"]
    assert two["authorships"][2]["countries"] == ["GB", "KR"]
    assert two["authorships"][0]["raw_affiliation_strings"] == []


def test_missing_affiliation_columns_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "scopus.csv"
    path.write_text('"Authors","Title","Year","EID"\n"A B.","T","2020","2-s2.0-1"\n')
    with pytest.raises(InputError, match="without 'Affiliations'"):
        list(read_export(path, "scopus"))
    # detected as Scopus from its other columns, so the error says what to re-export
    path.write_text(
        '"Authors","Title","Year","Source title","EID"\n"A B.","T","2020","J","2-s2.0-1"\n'
    )
    assert detect_format(path) == "scopus"
    with pytest.raises(InputError, match="re-export from Scopus with 'Affiliations' ticked"):
        list(read_export(path))


@pytest.mark.shared
@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("bibliometrix-fixtures/scopus_sample.csv", 8),
        ("metaknowledge-fixtures/scopus_testing.csv.scopus", 220),
    ],
)
def test_real_samples(shared_raw: Path, name: str, count: int) -> None:
    path = shared_raw / name
    assert detect_format(path) == "scopus"
    records, skipped = _read(path)
    assert skipped == []
    assert len(records) == count
    china = [
        a
        for r in records.values()
        for a in r["authorships"]
        for s in a["raw_affiliation_strings"]
        if s.endswith(", China")
    ]
    assert china and all("CN" in a["countries"] for a in china)
    uk = [
        a
        for r in records.values()
        for a in r["authorships"]
        for s in a["raw_affiliation_strings"]
        if s.endswith("United Kingdom")
    ]
    assert all("GB" in a["countries"] for a in uk)


@pytest.mark.shared
def test_real_sample_splits_multiple_affiliations(shared_raw: Path) -> None:
    records, _ = _read(shared_raw / "metaknowledge-fixtures/scopus_testing.csv.scopus")
    mok = records["scopus:2-s2.0-69949162760"]["authorships"][0]
    assert mok["author"]["display_name"] == "Mok T.S."
    assert len(mok["raw_affiliation_strings"]) == 2
    assert mok["countries"] == ["HK"]


def test_authors_with_affiliations_edge_cases(tmp_path: Path) -> None:
    header = '"Authors","Title","Year","Affiliations","Authors with affiliations","EID"\n'
    rows = [
        # the same author named again for a second affiliation
        '"Smith J.; Wang L.","T1","2020","Univ A, Oxford, United Kingdom; Univ B, Beijing, China",'
        '"Smith J., Univ A, Oxford, United Kingdom; Smith J., Univ B, Beijing, China; '
        'Wang L., Univ B, Beijing, China","2-s2.0-1"\n',
        # an entry before any known author name: kept, on an unattributed authorship
        '"Smith J.","T2","2020","Univ C, Paris, France","Univ C, Paris, France; Smith J.",'
        '"2-s2.0-2"\n',
    ]
    path = tmp_path / "scopus.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    records, skipped = _read(path)
    assert skipped == []
    one = _people(records["scopus:2-s2.0-1"])
    assert one[0][:2] == ("Smith J.", ["GB", "CN"])
    assert one[1][:2] == ("Wang L.", ["CN"])
    two = records["scopus:2-s2.0-2"]["authorships"]
    assert [a["author_position"] for a in two] == ["first", "unattributed"]
    assert two[1]["countries"] == ["FR"]
