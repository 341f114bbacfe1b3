"""OpenAlex web-interface CSV exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.sources.exports import SkippedRecord, detect_format, read_export

DATA = Path(__file__).parent / "data"


def test_synthetic() -> None:
    assert detect_format(DATA / "openalex.csv") == "openalex_csv"
    one, two = list(read_export(DATA / "openalex.csv"))
    assert one["id"] == "W9000000001"
    assert one["doi"] == "10.9999/synth.2021.001"
    assert one["source"] == "openalex_csv"
    assert one["topics"] == [{"id": None, "display_name": "Swarm robotics", "score": None}]
    wang, smith = one["authorships"]
    assert wang["author"] == {
        "id": "https://openalex.org/A9000000001",
        "display_name": "Lei Wang",
        "orcid": None,
    }
    assert wang["countries"] == ["CN"]
    assert wang["institutions"][0]["id"] == "https://openalex.org/I9000000001"
    assert wang["institutions"][0]["country_code"] == "CN"
    assert smith["author"]["orcid"] == "https://orcid.org/0000-0002-1825-0097"
    # three institutions for two authors: the links are lost, the institutions are kept aside
    brown, li, leftover = two["authorships"]
    assert brown["institutions"] == [] and brown["countries"] == ["GB"]
    assert li["countries"] == ["CN"]
    assert leftover["author_position"] == "unattributed"
    assert [i["display_name"] for i in leftover["institutions"]] == [
        "University of Cambridge",
        "Harbin Institute of Technology",
    ]


@pytest.mark.shared
def test_real_sample(shared_raw: Path) -> None:
    path = shared_raw / "bibliometrix-fixtures/openalex_sample.csv"
    assert detect_format(path) == "openalex_csv"
    items = list(read_export(path))
    assert not any(isinstance(i, SkippedRecord) for i in items)
    assert len(items) == 8
    aria = next(i for i in items if i["id"] == "W2755950973")
    assert aria["doi"] == "10.1016/j.joi.2017.08.007"
    assert [a["countries"] for a in aria["authorships"]] == [["IT"], ["IT"]]
    assert aria["authorships"][0]["institutions"][0]["display_name"] == (
        "University of Naples Federico II"
    )
