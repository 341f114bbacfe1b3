"""Dimensions CSV exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.errors import InputError
from dualscope.sources.dimensions import parse_author, split_outside_parens
from dualscope.sources.exports import SkippedRecord, detect_format, read_export

DATA = Path(__file__).parent / "data"


def test_detected_after_title_line() -> None:
    assert detect_format(DATA / "dimensions.csv") == "dimensions"


def test_records() -> None:
    items = list(read_export(DATA / "dimensions.csv"))
    assert not any(isinstance(i, SkippedRecord) for i in items)
    one, two = items
    assert one["id"] == "dimensions:pub.0000000001"
    assert one["doi"] == "10.9999/synth.2021.001"
    assert one["publication_year"] == 2021
    assert one["line"] == 3
    wang, smith = one["authorships"]
    assert wang["author"]["display_name"] == "Wang, Lei"
    assert wang["raw_affiliation_strings"] == [
        "College of Intelligence Science and Technology, National University of Defense "
        "Technology (NUDT), Changsha 410073, China",
        "State Key Laboratory of Complex Systems, Changsha, China",
    ]
    assert wang["countries"] == ["CN"]
    assert smith["countries"] == ["GB"]
    assert one["organizations"] == [
        {
            "display_name": "National University of Defense Technology",
            "id": "grid.000001.1",
            "country_code": "CN",
        },
        {"display_name": "University of Oxford", "id": "grid.000002.2", "country_code": "GB"},
    ]
    rossi, bianchi = two["authorships"]
    assert rossi["countries"] == ["IT"]
    assert bianchi["raw_affiliation_strings"] == [] and bianchi["author_position"] == "last"


def test_without_title_line_and_without_raw_affiliations(tmp_path: Path) -> None:
    path = tmp_path / "dim.csv"
    path.write_text(
        "Publication ID,Title,PubYear,Authors,Research Organizations - standardized,"
        "Country of Research organization\n"
        'pub.1,T,2020,"A, B; C, D","Harbin Engineering University; Ghent University",'
        '"China; Belgium"\n',
        encoding="utf-8",
    )
    assert detect_format(path) == "dimensions"
    (record,) = list(read_export(path))
    assert [a["author_position"] for a in record["authorships"]] == [
        "first",
        "last",
        "unattributed",
    ]
    leftover = record["authorships"][-1]
    assert leftover["countries"] == ["CN", "BE"]
    assert [i["display_name"] for i in leftover["institutions"]] == [
        "Harbin Engineering University",
        "Ghent University",
    ]


def test_export_without_affiliations_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dim.csv"
    path.write_text("Publication ID,Title,PubYear\npub.1,T,2020\n", encoding="utf-8")
    with pytest.raises(InputError, match="without 'Authors \\(Raw Affiliation\\)'"):
        list(read_export(path, "dimensions"))


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("Wang, Lei (Univ A, Beijing, China)", ("Wang, Lei", ["Univ A, Beijing, China"])),
        (
            "Wang, Lei (Inst X (IX), Beijing; Univ B)",
            ("Wang, Lei", ["Inst X (IX), Beijing", "Univ B"]),
        ),
        ("Wang, Lei", ("Wang, Lei", [])),
        ("Wang, Lei (unclosed", ("Wang, Lei (unclosed", [])),
    ],
)
def test_parse_author(item: str, expected: tuple[str, list[str]]) -> None:
    assert parse_author(item) == expected


def test_split_outside_parens() -> None:
    assert split_outside_parens("A (x; y); B (z); C") == ["A (x; y)", "B (z)", "C"]
