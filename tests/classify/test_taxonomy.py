"""The bundled taxonomy and topic map are valid, and bad files fail with file, entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dualscope.classify.classifier import Classifier
from dualscope.classify.taxonomy import (
    EU_AREA_IDS,
    SUB_AREA_IDS,
    TAXONOMY_FILE,
    TOPIC_MAP_FILE,
    TopicRole,
    load_taxonomy_file,
    load_topic_map,
    topic_roles,
)
from dualscope.errors import DataFileError

PARENTS = {
    "face-recognition": "ai",
    "radar": "sensing",
    "uav-navigation": "robotics-autonomy",
    "gnss-navigation": "connectivity-navigation",
    "quantum-communication": "quantum",
    "hypersonics": "space-propulsion",
    "underwater-vehicles": "robotics-autonomy",
}


def test_area_ids_are_exactly_the_issue_ids() -> None:
    taxonomy = load_taxonomy_file()
    top = [a.id for a in taxonomy.areas if a.parent is None]
    subs = [a.id for a in taxonomy.areas if a.parent is not None]
    assert top == list(EU_AREA_IDS)
    assert sorted(subs) == sorted(SUB_AREA_IDS)
    assert taxonomy.source.url.startswith("https://eur-lex.europa.eu/")
    assert "2023/2113" in taxonomy.source.title


def test_parents_are_eu_areas_and_as_documented() -> None:
    taxonomy = load_taxonomy_file()
    parents = {a.id: a.parent for a in taxonomy.areas if a.parent}
    assert set(parents.values()) <= set(EU_AREA_IDS)
    for sub, parent in PARENTS.items():
        assert parents[sub] == parent


def test_every_sub_area_has_phrases_exclusions_and_topics() -> None:
    for area in load_taxonomy_file().areas:
        if area.parent is None:
            continue
        assert len(area.phrases) >= 10, area.id
        assert area.exclusions or area.penalties, area.id
        assert area.topics, area.id


def test_topic_ids_exist_in_the_reviewed_mapping_and_back() -> None:
    taxonomy, topic_map = load_taxonomy_file(), load_topic_map()
    roles = topic_roles(taxonomy, topic_map)
    reviewed = {(t.id, t.area) for t in topic_map.topics if t.reviewed}
    listed = {(t, a.id) for a in taxonomy.areas for t in a.topics}
    assert listed == reviewed
    assert roles["gait-reid"]["T12740"][0] is TopicRole.CORE
    assert roles["gait-reid"]["T10114"][0] is TopicRole.TRAP  # Balance, Gait, and Falls
    assert roles["hypersonics"]["T13638"][0] is TopicRole.TRAP  # the "hypersonic effect"


def test_topic_map_only_holds_ids_and_names_of_the_openalex_table(shared_raw: Path) -> None:
    import csv

    table = shared_raw / "openalex-topics" / "openalex_topics.csv"
    if not table.is_file():
        pytest.skip(f"{table} is absent")
    with table.open(encoding="utf-8", newline="") as handle:
        names = {f"T{r['topic_id']}": r["new_topic_label"] for r in csv.DictReader(handle)}
    for row in load_topic_map().topics:
        assert names.get(row.id) == row.name, row.id


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "taxonomy.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def _raw() -> dict:
    return yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))


def test_bad_phrase_names_file_area_and_field(tmp_path: Path) -> None:
    raw = _raw()
    radar = next(a for a in raw["areas"] if a["id"] == "radar")
    radar["phrases"].append("re:(unclosed")
    path = _write(tmp_path, raw)
    with pytest.raises(DataFileError) as info:
        load_taxonomy_file(path)
    message = str(info.value)
    assert str(path) in message and "'radar'" in message and "phrases" in message


def test_unknown_parent_is_rejected(tmp_path: Path) -> None:
    raw = _raw()
    next(a for a in raw["areas"] if a["id"] == "radar")["parent"] = "weapons"
    with pytest.raises(DataFileError, match="'radar', field 'parent'"):
        load_taxonomy_file(_write(tmp_path, raw))


def test_duplicate_and_missing_ids_are_rejected(tmp_path: Path) -> None:
    raw = _raw()
    raw["areas"].append(dict(next(a for a in raw["areas"] if a["id"] == "radar")))
    with pytest.raises(DataFileError, match="duplicate area ids"):
        load_taxonomy_file(_write(tmp_path, raw))
    raw = _raw()
    raw["areas"] = [a for a in raw["areas"] if a["id"] != "hypersonics"]
    with pytest.raises(DataFileError, match="hypersonics"):
        load_taxonomy_file(_write(tmp_path, raw))


def test_defers_to_must_name_other_sub_areas_and_come_with_setting(tmp_path: Path) -> None:
    raw = _raw()
    surveillance = next(a for a in raw["areas"] if a["id"] == "video-surveillance")
    surveillance["defers_to"] = ["face-recognition", "weapons"]
    with pytest.raises(DataFileError, match="'video-surveillance', field 'defers_to'"):
        load_taxonomy_file(_write(tmp_path, raw))
    raw = _raw()
    next(a for a in raw["areas"] if a["id"] == "video-surveillance")["setting"] = []
    with pytest.raises(DataFileError, match="'setting' and 'defers_to' go together"):
        load_taxonomy_file(_write(tmp_path, raw))


def test_unknown_field_is_rejected(tmp_path: Path) -> None:
    raw = _raw()
    next(a for a in raw["areas"] if a["id"] == "radar")["phrase"] = ["typo"]
    with pytest.raises(DataFileError, match="'radar', field 'phrase'"):
        load_taxonomy_file(_write(tmp_path, raw))


def test_topic_listed_but_not_reviewed_is_rejected(tmp_path: Path) -> None:
    raw = _raw()
    next(a for a in raw["areas"] if a["id"] == "radar")["topics"].append("T10001")
    path = _write(tmp_path, raw)
    with pytest.raises(DataFileError, match="T10001 is not a reviewed row"):
        Classifier.from_files(str(path), str(TOPIC_MAP_FILE))


def test_not_yaml_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "taxonomy.yaml"
    path.write_text("areas: [\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="not valid YAML"):
        load_taxonomy_file(path)
