"""Name helpers, alias classification, location parsing and the importers' name index."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dualscope.watchlist.aspi import classify_alias, pick_category
from dualscope.watchlist.location import parse_location
from dualscope.watchlist.model import Entity
from dualscope.watchlist.names import is_acronym, normalise_name, slugify, split_bilingual
from dualscope.watchlist.resolve import NameIndex


@pytest.mark.parametrize(
    ("text", "english", "chinese"),
    [
        ("Beihang University (北京航空航天大学)", "Beihang University", "北京航空航天大学"),
        (
            "China University of Geosciences (Wuhan) (中国地质大学)",
            "China University of Geosciences (Wuhan)",
            "中国地质大学",
        ),
        (
            "Artificial Intelligence Research Center (人工智能研究中心",
            "Artificial Intelligence Research Center",
            "人工智能研究中心",
        ),
        (
            "Tunable Laser Lab (可调谐(气体)激光重点实验室)",
            "Tunable Laser Lab",
            "可调谐(气体)激光重点实验室",
        ),
        (
            "China Aerodynamics Research and Development Center",
            "China Aerodynamics Research and Development Center",
            None,
        ),
    ],
)
def test_split_bilingual(text: str, english: str, chinese: str | None) -> None:
    assert split_bilingual(text) == (english, chinese)


def test_normalise_name_folds_case_punctuation_and_spelling() -> None:
    assert normalise_name("Xi’an Technological University") == normalise_name(
        "Xi'an technological university"
    )
    assert normalise_name("Center for High Pressure Science & Technology") == normalise_name(
        "Center for High Pressure Science and Technology"
    )
    assert (
        normalise_name("Huazhong University of S&T")
        == "huazhong university of science and technology"
    )
    assert normalise_name("National Defence University") == normalise_name(
        "National Defense University"
    )
    assert normalise_name("中国地质大学（武汉）") == normalise_name("中国地质大学(武汉)")
    assert normalise_name("The High Power Laser Laboratory") == "high power laser laboratory"


@pytest.mark.parametrize(
    ("alias", "kind"),
    [
        ("中国人民解放军国防科技大学", "chinese"),
        ("63820部队", "unit"),
        ("Unit 63820", "unit"),
        ("NUDT", "acronym"),
        ("NJTech", "acronym"),
        ("A/SEU", "acronym"),
        ("Norinco", "name"),
        ("Changsha Institute of Technology", "name"),
    ],
)
def test_classify_alias_by_form(alias: str, kind: str) -> None:
    assert classify_alias(alias) == kind


def test_acronym_and_slug_helpers() -> None:
    assert is_acronym("HIT") and not is_acronym("Beida") and not is_acronym("Harbin Institute")
    assert slugify("Air Force Xi'an Flight Academy") == "air-force-xian-flight-academy"
    assert slugify("China People’s Police University") == "china-peoples-police-university"


def test_category_mapping_and_several_categories() -> None:
    assert pick_category(["Seven sons of national defence"], where="x") == ("seven_sons", None)
    category, note = pick_category(["Civilian", "Military"], where="x")
    assert category == "military" and note and "Civilian" in note


@pytest.mark.parametrize(
    ("address", "city", "province"),
    [
        ("7 Changle E Rd, Baqiao Qu, Xian Shi, Shaanxi Sheng, China, 710015", "Xi'an", "Shaanxi"),
        (
            "Central South University, Lushan South Road, Yuelu, Changsha, Hunan, China",
            "Changsha",
            "Hunan",
        ),
        ("中国湖北省武汉市 Jiang'an, 黄浦大街288号", "Wuhan", "Hubei"),
        ("China, 广西桂林市象山区崇信路33号", "Guilin", "Guangxi"),
        ("China, Jilin, Changchun, Chaoyang, Qianjin Street, 吉林大学", "Changchun", "Jilin"),
        (
            "Sichuan University, Shuncheng Street, Qingyang, Chengdu, Sichuan, China",
            "Chengdu",
            "Sichuan",
        ),
        ("Zhong Guo Ke Xue Ji Shu Da Xue Nan Xiao Qu Yu Shi, Baohe Qu, Hefei Shi", "Hefei", None),
        ("China, Beijing, Haidian, 香山路73号", "Beijing", "Beijing"),
        ("空军石家庄飞行学院", None, None),
    ],
)
def test_parse_location(address: str, city: str | None, province: str | None) -> None:
    location = parse_location(address, 30.5, 114.3)
    assert (location.city, location.province) == (city, province)
    assert location.address == address and location.lat == 30.5


def test_name_index_prefers_the_entity_and_drops_ambiguous_names(
    make_entity: Callable[..., Entity],
) -> None:
    first = make_entity(
        id="first",
        name_en="First University",
        aliases=[{"name": "Shared Academy"}, {"name": "FU", "kind": "acronym"}],
        subunits=[{"name": "Key Laboratory of Things"}],
    )
    second = make_entity(
        id="second", name_en="Second University", aliases=[{"name": "Shared Academy"}]
    )
    index = NameIndex([first, second])
    assert index.lookup("first university").entity_id == "first"  # type: ignore[union-attr]
    assert index.lookup("Shared Academy") is None
    lab = index.lookup("Key Laboratory of Things")
    assert lab is not None and lab.subunit == "Key Laboratory of Things"
    at = index.resolve("Defense Key Laboratory of Stuff at Second University")
    assert at is not None and (at.entity_id, at.subunit) == (
        "second",
        "Defense Key Laboratory of Stuff",
    )
    assert index.resolve("Unknown College", ["FU"]) is not None
    assert index.resolve("Unknown College", ["FU", "Second University"]) is None


def test_aspi_lab_annotations_become_notes_and_prose_is_left_out() -> None:
    from dualscope.watchlist.aspi import entity_from_value

    value = {
        "value": "Example University (示例大学)",
        "meta": {
            "categories": ["Civilian"],
            "major defence laboratories": [
                "Key Laboratory of Examples (示例重点实验室)",
                "(Jointly run with Example Corporation)",
                "This laboratory allegedly does things that only ASPI's prose describes.",
            ],
            "subsidiaries": [
                "Example Trading Co., Ltd. (Hong Kong)",
                "Example Holdings (HK) Limited",
            ],
        },
    }
    entity, warnings = entity_from_value(value, where="test")
    units = {u.name: u for u in entity.subunits}
    assert set(units) == {
        "Key Laboratory of Examples",
        "Example Trading Co., Ltd.",
        "Example Holdings (HK) Limited",
    }
    assert units["Key Laboratory of Examples"].note == "ASPI: Jointly run with Example Corporation"
    assert units["Example Trading Co., Ltd."].note == "ASPI gives the location: Hong Kong"
    assert entity.defence_labs == ["Key Laboratory of Examples"]
    assert warnings == [
        "test: 1 explanatory line(s) in the laboratory/subsidiary lists left out (ASPI's prose, "
        "not a name)"
    ]


def test_aspi_lab_with_two_names_keeps_both() -> None:
    from dualscope.watchlist.aspi import entity_from_value

    value = {
        "value": "Example University (示例大学)",
        "meta": {
            "categories": ["Civilian"],
            "major defence laboratories": [
                "Key Laboratory of Examples or Example Defence Laboratory "
                "(示例国家重点实验室/示例国防科技重点实验室)",
                "Micro/Nano Example Laboratory (微米/纳米示例实验室)",
            ],
        },
    }
    entity, _ = entity_from_value(value, where="test")
    first, second = entity.subunits
    assert (first.name, first.name_zh) == ("Key Laboratory of Examples", "示例国家重点实验室")
    assert first.aliases == ["Example Defence Laboratory", "示例国防科技重点实验室"]
    assert (second.name, second.name_zh, second.aliases) == (
        "Micro/Nano Example Laboratory",
        "微米/纳米示例实验室",
        [],
    )
