"""Known non-watchlist institutions: ROR dump import (all three layouts) and the bundled list."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from dualscope.errors import DataFileError, InputError
from dualscope.matching.known import (
    KnownInstitution,
    import_ror,
    institutions_from_record,
    load_known,
    load_near_misses,
)
from dualscope.matching.matcher import Matcher

from .factory import make_entity, make_watchlist

V2_RECORD = {
    "id": "https://ror.org/037b1pp87",
    "names": [
        {"value": "Beijing University of Technology", "types": ["ror_display", "label"]},
        {"value": "北京工业大学", "types": ["label"], "lang": "zh"},
        {"value": "BJUT", "types": ["acronym"]},
        {"value": "Beijing Polytechnic University", "types": ["alias"]},
    ],
    "locations": [{"geonames_details": {"country_code": "CN", "name": "Beijing"}}],
    "relationships": [],
    "status": "active",
}
V1_RECORD = {
    "id": "https://ror.org/0aaaaaa00",
    "name": "Wuhan University Renmin Hospital",
    "aliases": ["Renmin Hospital of Wuhan University"],
    "acronyms": ["RHWU"],
    "labels": [{"label": "武汉大学人民医院", "iso639": "zh"}],
    "country": {"country_code": "CN"},
    "relationships": [{"type": "Related", "id": "https://ror.org/033vjfk17"}],
}
CHILD_RECORD = {
    "id": "https://ror.org/0bbbbbb00",
    "names": [{"value": "Wuhan University Institute of Hydrology", "types": ["ror_display"]}],
    "locations": [{"geonames_details": {"country_code": "CN"}}],
    "relationships": [{"type": "parent", "id": "https://ror.org/033vjfk17"}],
}
WATCHLIST_RECORD = {
    "id": "https://ror.org/033vjfk17",
    "names": [{"value": "Wuhan University", "types": ["ror_display"]}],
    "locations": [{"geonames_details": {"country_code": "CN"}}],
}
RECORDS = [V2_RECORD, V1_RECORD, CHILD_RECORD, WATCHLIST_RECORD]


def test_names_of_v2_and_v1_records_without_acronyms() -> None:
    v2 = institutions_from_record(V2_RECORD)
    assert [k.name for k in v2] == [
        "Beijing University of Technology",
        "北京工业大学",
        "Beijing Polytechnic University",
    ]
    assert {k.country for k in v2} == {"CN"} and v2[0].ror_id == "037b1pp87"
    v1 = institutions_from_record(V1_RECORD)
    assert "武汉大学人民医院" in [k.name for k in v1]
    assert "RHWU" not in [k.name for k in v1]
    assert institutions_from_record(CHILD_RECORD)[0].parents == ("033vjfk17",)


def _write(path: Path, layout: str) -> Path:
    if layout == "json":
        path.write_text(json.dumps(RECORDS), encoding="utf-8")
    elif layout == "jsonl":
        lines = [
            json.dumps({"_source_path": f"v2/{i}.json", "record": r}) for i, r in enumerate(RECORDS)
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("v1.55-2024-10-31-ror-data.json", json.dumps(RECORDS))
            archive.writestr("v1.55-2024-10-31-ror-data_schema_v2.json", json.dumps(RECORDS))
    return path


@pytest.mark.parametrize("layout", ["json", "jsonl", "zip"])
def test_import_ror_reads_every_layout_and_leaves_out_watchlist_ids(
    tmp_path: Path, layout: str
) -> None:
    dump = _write(tmp_path / f"dump.{layout}", layout)
    out = tmp_path / "home" / "known.csv"
    summary = import_ror(dump, out, exclude_ids={"033vjfk17"})
    assert summary.records == 4
    assert summary.skipped_watchlist == 1
    known = load_known(out)
    assert "Wuhan University" not in {k.name for k in known}
    assert "Beijing University of Technology" in {k.name for k in known}
    assert summary.names == len(known)


def test_bad_records_are_counted_or_stop_with_strict(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(
        json.dumps({"record": V2_RECORD}) + "\n" + json.dumps({"record": {"names": []}}) + "\n",
        encoding="utf-8",
    )
    summary = import_ror(dump, tmp_path / "known.csv")
    assert summary.records == 1 and summary.skipped_bad == 1
    assert summary.first_problems == ["record 2: record has no 'id'"]
    with pytest.raises(InputError, match="record 2"):
        import_ror(dump, tmp_path / "known2.csv", strict=True)
    assert not (tmp_path / "known2.csv").exists()


def test_broken_json_names_file_and_line(tmp_path: Path) -> None:
    dump = tmp_path / "dump.jsonl"
    dump.write_text(json.dumps({"record": V2_RECORD}) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"dump.jsonl, line 2"):
        import_ror(dump, tmp_path / "known.csv")


def test_known_index_stops_watchlist_names_inside_known_names(tmp_path: Path) -> None:
    dump = _write(tmp_path / "dump.json", "json")
    import_ror(dump, tmp_path / "known.csv", exclude_ids={"033vjfk17"})
    wuhan = make_entity("wuhan-university", "Wuhan University", name_zh="武汉大学", ror="033vjfk17")
    matcher = Matcher(make_watchlist(wuhan), load_known(tmp_path / "known.csv"))
    assert matcher.match("Renmin Hospital of Wuhan University") == []
    assert matcher.match("武汉大学人民医院") == []
    # ROR files the institute under Wuhan University: it is a unit, not another institution.
    assert [m.entity_id for m in matcher.match("Wuhan University Institute of Hydrology")] == [
        "wuhan-university"
    ]
    assert [m.entity_id for m in matcher.match("School of Physics, Wuhan University")] == [
        "wuhan-university"
    ]


def test_bundled_near_miss_list_is_valid_and_sourced() -> None:
    entries = load_near_misses()
    assert len(entries) >= 20
    names = {e.name for e in entries}
    assert {
        "Beijing University of Technology",
        "Northwest University",
        "National Defense University",
    } <= names
    assert all(e.source.startswith("https://") for e in entries)


def test_a_bad_near_miss_file_names_the_entry(tmp_path: Path) -> None:
    bad = tmp_path / "near_misses.yaml"
    bad.write_text(
        "near_misses:\n  - name: Fine University\n    country: CN\n    confusable_with: x\n"
        "    source: https://example.org\n  - name: Bad Place\n    country: china\n"
        "    confusable_with: x\n    source: https://example.org\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"entry 2 \('Bad Place'\): country"):
        load_near_misses(bad)


def test_near_misses_point_at_real_watchlist_entities_and_never_match(tmp_path: Path) -> None:
    from dualscope.settings import Settings

    matcher = Matcher.default(Settings(home=tmp_path))
    ids = {e.id for e in matcher.watchlist.entities}
    for entry in load_near_misses():
        assert entry.confusable_with in ids, entry
        if entry.country != "CN":
            continue  # abroad: generic names are told apart by context, tested elsewhere
        assert matcher.match(entry.name) == [], entry.name


def test_an_alias_another_chinese_institution_bears_is_contested() -> None:
    soochow = make_entity(
        "soochow-university",
        "Soochow University",
        aliases=[("Suzhou University", "translation")],
        ror="05t8y2r12",
    )
    known = [
        KnownInstitution("Suzhou University", "CN", "02bz8aa76"),  # Suzhou, Anhui
        KnownInstitution("Soochow University Lab", "CN", "0ccccccc0", ("05t8y2r12",)),
    ]
    without = Matcher(make_watchlist(soochow), near_misses=False)
    assert [m.entity_id for m in without.match("Suzhou University")] == ["soochow-university"]
    matcher = Matcher(make_watchlist(soochow), known, near_misses=False)
    assert matcher.match("Suzhou University, Suzhou, Anhui") == []
    assert [m.entity_id for m in matcher.match("Soochow University, Suzhou")] == [
        "soochow-university"
    ]


def test_context_vocabulary_file_is_valid_and_bad_files_are_named(tmp_path: Path) -> None:
    from dualscope.matching.context import load_context_words

    words = load_context_words()
    assert {"beijing", "changsha", "harbin", "pla"} <= set(words.chinese_places.split())
    assert {"usa", "taiwan", "finland"} <= set(words.foreign_places.split())
    assert not set(words.chinese_places.split()) & set(words.foreign_places.split())
    bad = tmp_path / "context_words.yaml"
    bad.write_text("chinese_places: Beijing\nforeign_places: usa\ngeneric_words: univ\n")
    with pytest.raises(DataFileError, match=r"context_words.yaml: chinese_places: .*lower-case"):
        load_context_words(bad)
