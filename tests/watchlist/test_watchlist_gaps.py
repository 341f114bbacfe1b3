"""Gaps the matcher found in the watchlist data (issue 2), closed from ROR and cited sources.

Unit tests drive the build script's ROR helpers with small synthetic records; data tests check
the bundled YAML; one test re-reads the ROR subset (``shared_raw``) to show that no entity with
a verified ROR record that gives a place is left without a city.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from dualscope.watchlist.loader import LoadedWatchlist

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def build() -> ModuleType:
    """scripts/build_watchlist.py loaded as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "build_watchlist", REPO / "scripts" / "build_watchlist.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_watchlist", module)
    spec.loader.exec_module(module)
    return module


V2_CHILD: dict[str, Any] = {
    "id": "https://ror.org/0test0v2a",
    "names": [
        {"value": "Example University Shenzhen Campus", "types": ["ror_display", "label"]},
        {"value": "示例大学深圳校区", "types": ["label"], "lang": "zh"},
        {"value": "EUSZ", "types": ["acronym"]},
        {"value": "Example University (Shenzhen)", "types": ["alias"]},
    ],
    "locations": [{"geonames_id": 1795565, "geonames_details": {"name": "Shenzhen"}}],
    "relationships": [{"type": "parent", "id": "https://ror.org/0parent00", "label": "EU"}],
}
V1_RECORD: dict[str, Any] = {
    "id": "https://ror.org/0test0v1a",
    "name": "Example Laboratory",
    "aliases": ["Example Lab"],
    "acronyms": ["EXL"],
    "labels": [{"label": "示例实验室", "iso639": "zh"}],
    "addresses": [
        {
            "city": "Shenzhen",
            "geonames_city": {
                "id": 1795565,
                "city": "Shenzhen",
                "geonames_admin1": {"name": "Guangdong"},
            },
        }
    ],
}


def _records() -> dict[str, tuple[str, dict[str, Any]]]:
    return {"0test0v2a": ("v2.9/0test0v2a.json", V2_CHILD), "0test0v1a": ("v1.1/x.json", V1_RECORD)}


def _entity(ror: str = "0parent00", confidence: str = "verified") -> dict[str, Any]:
    return {
        "id": "example-university",
        "name_en": "Example University",
        "aliases": [],
        "subunits": [],
        "identifiers": [
            {"scheme": "ror", "value": ror, "confidence": confidence, "source": "test"}
        ],
        "location": {"address": None, "city": None, "province": None},
        "sources": [],
    }


def test_ror_names_reads_both_schemas(build: ModuleType) -> None:
    v2 = build.ror_names(V2_CHILD)
    assert ("Example University Shenzhen Campus", "ror_display", None) in v2
    assert ("示例大学深圳校区", "label", "zh") in v2
    v1 = build.ror_names(V1_RECORD)
    assert ("Example Laboratory", "ror_display", None) in v1
    assert ("EXL", "acronym", None) in v1
    assert ("示例实验室", "label", "zh") in v1


def test_province_comes_from_another_record_on_the_same_geonames_place(
    build: ModuleType,
) -> None:
    provinces = build.geonames_provinces(_records())
    assert provinces == {1795565: ("Guangdong", "0test0v1a")}
    assert build.ror_place(V2_CHILD) == ("Shenzhen", None, None)
    assert build.ror_place(V2_CHILD, provinces) == ("Shenzhen", "Guangdong", "0test0v1a")


def test_a_province_given_as_the_city_is_not_a_city(build: ModuleType) -> None:
    record = {"locations": [{"geonames_id": 1, "geonames_details": {"name": "Henan"}}]}
    assert build.ror_place(record)[0] is None


def test_location_is_filled_from_a_verified_record_only(build: ModuleType) -> None:
    records = {"0parent00": ("v2.9/0parent00.json", V2_CHILD)}
    provinces = {1795565: ("Guangdong", "0other000")}
    entity = _entity()
    assert build.apply_ror_location(entity, records, provinces) is not None
    assert entity["location"]["city"] == "Shenzhen"
    assert entity["location"]["province"] == "Guangdong"
    [source] = entity["sources"]
    assert source["url"] == "https://ror.org/0parent00"
    assert "v2.9/0parent00.json" in source["note"] and "0other000" in source["note"]

    probable = _entity(confidence="probable")
    assert build.apply_ror_location(probable, records, provinces) is None
    assert probable["location"]["city"] is None


def test_a_city_already_known_is_never_overwritten(build: ModuleType) -> None:
    records = {"0parent00": ("v2.9/0parent00.json", V2_CHILD)}
    entity = _entity()
    entity["location"]["city"] = "Guangzhou"
    build.apply_ror_location(entity, records, {1795565: ("Guangdong", "0other000")})
    assert entity["location"] == {"address": None, "city": "Guangzhou", "province": None}


def test_ror_child_becomes_a_subunit_with_its_names_and_id(build: ModuleType) -> None:
    entity = _entity()
    curation = {"ror_subunits": {"example-university": [{"ror": "0test0v2a", "kind": "campus"}]}}
    build.apply_ror_subunits(entity, _records(), curation)
    [unit] = entity["subunits"]
    assert unit["name"] == "Example University Shenzhen Campus"
    assert unit["name_zh"] == "示例大学深圳校区"
    assert unit["kind"] == "campus"
    assert unit["aliases"] == ["Example University (Shenzhen)"]  # acronyms are left out
    [ident] = unit["identifiers"]
    assert ident["value"] == "0test0v2a"
    assert ident["source"].endswith("v2.9/0test0v2a.json")


def test_a_child_that_does_not_name_the_entity_as_parent_is_refused(build: ModuleType) -> None:
    entity = _entity(ror="0another0")
    curation = {"ror_subunits": {"example-university": [{"ror": "0test0v2a", "kind": "campus"}]}}
    with pytest.raises(SystemExit, match="does not name it as parent"):
        build.apply_ror_subunits(entity, _records(), curation)


def test_ror_names_must_be_in_the_record(build: ModuleType) -> None:
    records = {"0parent00": ("v2.9/0parent00.json", V2_CHILD)}
    good = {"ror_names": {"example-university": [{"name": "示例大学深圳校区", "kind": "chinese"}]}}
    entity = _entity()
    build.apply_ror_names(entity, records, good)
    assert entity["aliases"][0]["source"].endswith("v2.9/0parent00.json")
    bad = {"ror_names": {"example-university": [{"name": "Invented Name"}]}}
    with pytest.raises(SystemExit, match="not in ROR"):
        build.apply_ror_names(_entity(), records, bad)


def test_extra_subunits_need_a_source(build: ModuleType) -> None:
    curation = {"extra_subunits": {"example-university": [{"name": "X Campus", "kind": "campus"}]}}
    with pytest.raises(SystemExit, match="no source"):
        build.apply_extra_subunits(_entity(), curation)


# Bundled data ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity_id", "city", "province"),
    [
        ("northwestern-polytechnical-university", "Xi'an", "Shaanxi"),
        ("harbin-institute-of-technology", "Harbin", "Heilongjiang"),
        ("harbin-engineering-university", "Harbin", "Heilongjiang"),
        ("nudt", "Changsha", "Hunan"),
    ],
)
def test_the_reported_entities_have_a_sourced_city(
    bundled: LoadedWatchlist, entity_id: str, city: str, province: str
) -> None:
    entity = bundled.watchlist.get(entity_id)
    assert entity is not None
    assert (entity.location.city, entity.location.province) == (city, province)
    [ror] = entity.ids("ror")
    assert any(
        s.url == f"https://ror.org/{ror}" and "location" in (s.note or "") for s in entity.sources
    )


def test_hit_has_its_shenzhen_and_weihai_campuses(bundled: LoadedWatchlist) -> None:
    hit = bundled.watchlist.get("harbin-institute-of-technology")
    assert hit is not None
    campuses = {u.name: u for u in hit.subunits if u.kind == "campus"}
    assert {
        "Harbin Institute of Technology, Shenzhen",
        "Harbin Institute of Technology, Weihai",
    } <= set(campuses)
    for unit in campuses.values():
        assert unit.source and unit.source.startswith("https://www.hit")
        assert unit.name_zh and unit.name_zh.startswith("哈尔滨工业大学")


def test_ror_children_carry_their_ror_id(bundled: LoadedWatchlist) -> None:
    tsinghua = bundled.watchlist.get("tsinghua-university")
    assert tsinghua is not None
    [sigs] = [
        u for u in tsinghua.subunits if u.name == "Tsinghua Shenzhen International Graduate School"
    ]
    assert sigs.kind == "campus"
    assert sigs.name_zh == "清华大学深圳国际研究生院"
    assert [(i.value, i.confidence) for i in sigs.identifiers] == [("01vceef04", "verified")]


@pytest.mark.parametrize(
    ("entity_id", "alias", "source_part"),
    [
        ("tianjin-polytechnic-university", "Tiangong University", "00xsr9m91.json"),
        ("tianjin-polytechnic-university", "TianGong University", "Crossref"),
        (
            "guilin-university-of-electronic-science-and-technology",
            "Guilin University of Electronic Technology",
            "1286",
        ),
        ("renmin-university", "Renmin University of China", "041pakw92.json"),
        ("china-shipbuilding-industry-corporation", "中国船舶重工集团公司", "0410k9915.json"),
    ],
)
def test_current_names_are_aliases_with_a_source(
    bundled: LoadedWatchlist, entity_id: str, alias: str, source_part: str
) -> None:
    entity = bundled.watchlist.get(entity_id)
    assert entity is not None
    [found] = [a for a in entity.aliases if a.name == alias]
    assert found.source and source_part in found.source


def test_no_entity_with_a_verified_ror_place_lacks_a_city(
    build: ModuleType, bundled: LoadedWatchlist, shared_raw: Path
) -> None:
    records = build.read_ror_records(shared_raw / "ror-subset" / "ror_records_CN_latest.jsonl")
    provinces = build.geonames_provinces(records)
    missing = []
    for entity in bundled.watchlist.entities:
        for ident in entity.identifiers:
            if ident.scheme == "ror" and ident.confidence == "verified" and ident.value in records:
                city, province, _ = build.ror_place(records[ident.value][1], provinces)
                if (city and not entity.location.city) or (
                    province and entity.location.city == city and not entity.location.province
                ):
                    missing.append(entity.id)
    assert missing == []


def _lab_record(zh: str) -> dict[str, Any]:
    return {
        "id": "https://ror.org/0testlab0",
        "names": [
            {"value": "State Key Laboratory of Example Science", "types": ["ror_display"]},
            {"value": zh, "types": ["label"], "lang": "zh"},
        ],
        "relationships": [{"type": "parent", "id": "https://ror.org/0parent00"}],
    }


@pytest.mark.parametrize(
    ("aspi_zh", "ror_zh", "attached"),
    [
        ("示例科学国家重点实验室", "示例科学国家重点实验室", True),  # same Chinese name
        (None, "示例科学国家重点实验室", True),  # same English words, no Chinese to compare
        (
            "示例科学国防重点实验室",
            "示例科学国家重点实验室",
            False,
        ),  # a defence lab, not the state lab
    ],
)
def test_ror_child_ids_attach_to_the_same_laboratory_only(
    build: ModuleType, aspi_zh: str | None, ror_zh: str, attached: bool
) -> None:
    entity = _entity()
    lab: dict[str, Any] = {"name": "State Key Laboratory for Example Science", "kind": "laboratory"}
    if aspi_zh:
        lab["name_zh"] = aspi_zh
    entity["subunits"].append(lab)
    records = {"0testlab0": ("v1.41/0testlab0.json", _lab_record(ror_zh))}
    assert build.attach_ror_children(entity, records, set()) == int(attached)
    assert bool(lab.get("identifiers")) is attached
    # an id already used elsewhere in the watchlist is never attached a second time
    fresh = _entity()
    fresh["subunits"].append({"name": "State Key Laboratory of Example Science"})
    assert build.attach_ror_children(fresh, records, {"0testlab0"}) == 0


def test_subunits_gain_the_names_of_their_ror_record_but_not_another_entitys(
    build: ModuleType,
) -> None:
    record = {
        "id": "https://ror.org/0centre00",
        "names": [
            {"value": "Example Supercomputing Centre", "types": ["ror_display"]},
            {"value": "示例超算中心", "types": ["label"], "lang": "zh"},
            {"value": "ESC", "types": ["acronym"]},
            {"value": "Other University Example Supercomputing Centre", "types": ["alias"]},
            {"value": "Example Centre for Supercomputing", "types": ["alias"]},
        ],
    }
    entity = _entity()
    unit: dict[str, Any] = {
        "name": "Example Supercomputing Centre",
        "identifiers": [{"scheme": "ror", "value": "0centre00"}],
    }
    entity["subunits"].append(unit)
    others = {"other-university": ["other university"], "example-university": ["example"]}
    records = {"0centre00": ("v2.9/0centre00.json", record)}
    assert build.enrich_subunits(entity, records, others) == 1
    assert unit["name_zh"] == "示例超算中心"
    assert unit["aliases"] == ["Example Centre for Supercomputing"]  # no acronym, no other entity
