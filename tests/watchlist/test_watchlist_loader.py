"""Loading: bad entries fail with file, entry and field named; user files extend/override."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from dualscope.errors import DataFileError
from dualscope.settings import Settings
from dualscope.watchlist.loader import (
    load_bundled,
    load_entity_file,
    load_watchlist,
    load_with_origins,
    validate_watchlist,
)
from dualscope.watchlist.model import Entity, Watchlist
from dualscope.watchlist.validate import validate_path
from dualscope.watchlist.yamlio import write_entities


def _write(path: Path, entities: list[dict[str, object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({"entities": entities}, allow_unicode=True), encoding="utf-8")
    return path


GOOD = {
    "id": "good-institute",
    "name_en": "Good Institute",
    "category": "civilian",
    "sources": [{"name": "fixture"}],
}


def test_bad_entry_names_file_entry_and_field(tmp_path: Path) -> None:
    bad = {**GOOD, "id": "bad-one", "category": "navy"}
    path = _write(tmp_path / "w.yaml", [GOOD, bad])
    with pytest.raises(DataFileError) as caught:
        load_entity_file(path)
    message = str(caught.value)
    assert str(path) in message
    assert "#1 (id 'bad-one')" in message
    assert "field category" in message


def test_nested_field_errors_give_the_path(tmp_path: Path) -> None:
    bad = {**GOOD, "aliases": [{"name": "GI", "kind": "nickname"}]}
    with pytest.raises(DataFileError, match=r"field aliases\[0\]\.kind"):
        load_entity_file(_write(tmp_path / "w.yaml", [bad]))


def test_entry_without_source_or_with_unknown_field_is_rejected(tmp_path: Path) -> None:
    no_source = {k: v for k, v in GOOD.items() if k != "sources"}
    with pytest.raises(DataFileError, match="field sources"):
        load_entity_file(_write(tmp_path / "a.yaml", [no_source]))
    typo = {**GOOD, "categroy": "civilian"}
    with pytest.raises(DataFileError, match="field categroy"):
        load_entity_file(_write(tmp_path / "b.yaml", [typo]))


def test_misspelt_top_level_key_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(yaml.safe_dump({"entites": [GOOD]}), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"unknown top-level key\(s\) \['entites'\]"):
        load_entity_file(path)


def test_entry_without_id_is_named_by_index(tmp_path: Path) -> None:
    bad = {k: v for k, v in GOOD.items() if k != "id"}
    with pytest.raises(DataFileError, match=r"entry #0, field id: Field required"):
        load_entity_file(_write(tmp_path / "w.yaml", [bad]))


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("entities:\n  - id: x\n    name_en: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"w\.yaml, line \d+: not valid YAML"):
        load_entity_file(path)


def test_identifier_prefix_is_stripped_and_empty_source_rejected(tmp_path: Path) -> None:
    entity = Entity.model_validate(
        {
            **GOOD,
            "identifiers": [{"scheme": "ror", "value": "https://ror.org/05d2yfz11", "source": "x"}],
        }
    )
    assert entity.identifiers[0].value == "05d2yfz11"
    with pytest.raises(DataFileError, match=r"identifiers\[0\]\.source"):
        load_entity_file(
            _write(
                tmp_path / "w.yaml", [{**GOOD, "identifiers": [{"scheme": "ror", "value": "x"}]}]
            )
        )


def test_user_file_extends_and_overrides_by_id(settings: Settings) -> None:
    bundled_nudt = load_bundled().watchlist.get("nudt")
    assert bundled_nudt is not None
    override = bundled_nudt.model_dump(mode="json", exclude_defaults=True)
    override["notes"] = "checked by our compliance office"
    _write(settings.user_watchlist_dir / "mine.yaml", [GOOD, override])
    loaded = load_with_origins(settings)
    wl = loaded.watchlist
    assert len(wl.entities) == 160
    assert wl.get("good-institute") is not None
    nudt = wl.get("nudt")
    assert nudt is not None and nudt.notes == "checked by our compliance office"
    assert loaded.origins["nudt"].endswith("mine.yaml")
    assert "+ user (1 file)" in wl.version
    # the bundled data itself is untouched (it is cached)
    assert load_bundled().watchlist.get("nudt") == bundled_nudt


def test_no_user_folder_means_the_bundled_watchlist(settings: Settings) -> None:
    assert load_watchlist(settings) is load_bundled().watchlist


def test_a_bad_user_file_stops_loading_with_its_name(settings: Settings) -> None:
    path = _write(settings.user_watchlist_dir / "mine.yaml", [{**GOOD, "category": "Military"}])
    with pytest.raises(DataFileError, match=str(path)):
        load_watchlist(settings)


def test_identifier_of_another_entity_is_a_problem(settings: Settings) -> None:
    clash = {**GOOD, "identifiers": [{"scheme": "ror", "value": "05d2yfz11", "source": "mine"}]}
    path = _write(settings.user_watchlist_dir / "mine.yaml", [clash])
    with pytest.raises(DataFileError, match="05d2yfz11 is also attached to"):
        load_watchlist(settings)
    label, problems = validate_path(path, settings)
    assert label == str(path)
    assert [p.field for p in problems] == ["identifiers[0]"]
    assert problems[0].entry == "'good-institute'"
    assert "ror 05d2yfz11 is also attached to 'nudt'" in problems[0].message


def test_trap_identifier_is_refused(make_entity: Callable[..., Entity]) -> None:
    entity = make_entity(
        identifiers=[{"scheme": "ror", "value": "02syyrn67", "source": "gold set"}]
    )
    problems = validate_watchlist(Watchlist(version="t", entities=[entity]))
    assert len(problems) == 1
    assert "must not be attached" in problems[0].message


def test_duplicate_ids_are_problems(make_entity: Callable[..., Entity]) -> None:
    one = make_entity()
    problems = validate_watchlist(Watchlist(version="t", entities=[one, one]))
    assert [(p.entry, p.field, p.message) for p in problems] == [
        ("'test-institute'", "id", "duplicate id")
    ]


def test_validate_lists_every_bad_entry(tmp_path: Path, settings: Settings) -> None:
    path = _write(
        tmp_path / "w.yaml",
        [{**GOOD, "id": "a", "category": "x"}, {**GOOD, "id": "b", "name_en": None}, GOOD, GOOD],
    )
    _, problems = validate_path(path, settings)
    described = [(p.entry, p.field) for p in problems]
    assert ("#0 (id 'a')", "category") in described
    assert ("#1 (id 'b')", "name_en") in described
    assert ("#3 (id 'good-institute')", "id") in described  # duplicate within the file


def test_validate_bundled_folder_and_default(settings: Settings) -> None:
    label, problems = validate_path(None, settings)
    assert problems == [] and label == "bundled watchlist"


def test_writer_round_trips_entities(tmp_path: Path, make_entity: Callable[..., Entity]) -> None:
    entity = make_entity(
        name_zh="测试大学",
        aliases=[{"name": "TIT", "kind": "acronym", "source": "fixture"}],
        lists=[
            {"list": "dod_1286", "edition": "2025", "source": {"name": "DoD", "date": "2026-07-23"}}
        ],
    )
    path = tmp_path / "out.yaml"
    write_entities(path, [entity], header="test")
    assert path.read_text(encoding="utf-8").startswith("# test\n")
    assert load_entity_file(path) == [entity]
