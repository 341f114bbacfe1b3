"""The technology-area taxonomy: a YAML file validated by pydantic when it is loaded.

Two bundled files (``classify/data``):

- ``taxonomy.yaml``: the ten EU critical technology areas (Commission Recommendation (EU)
  2023/2113) and the sensitive sub-areas, each with phrases, context phrases, combos,
  exclusions, penalties and OpenAlex topic ids;
- ``topic_map.yaml``: our reviewed mapping of OpenAlex topics to areas with a role (``core``:
  the topic alone is enough; ``partial``: it needs a phrase; ``trap``: it argues against the
  area), built by ``scripts/build_topic_map.py`` from the CC0 OpenAlex topics table.

A bad file fails with the file, the area id and the field named (:class:`DataFileError`).
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from dualscope.classify.phrases import PhraseError, compile_phrase
from dualscope.errors import DataFileError
from dualscope.watchlist.yamlload import load_yaml_text

DATA_DIR = Path(__file__).resolve().parent / "data"
TAXONOMY_FILE = DATA_DIR / "taxonomy.yaml"
TOPIC_MAP_FILE = DATA_DIR / "topic_map.yaml"

# Ids fixed by issue 4: the ten areas of Recommendation (EU) 2023/2113 and the sub-areas.
EU_AREA_IDS = (
    "semiconductors",
    "ai",
    "quantum",
    "biotech",
    "connectivity-navigation",
    "sensing",
    "space-propulsion",
    "energy",
    "robotics-autonomy",
    "materials",
)
SUB_AREA_IDS = (
    "face-recognition",
    "ethnicity-recognition",
    "keystroke-biometrics",
    "gait-reid",
    "uav-navigation",
    "underwater-vehicles",
    "hypersonics",
    "radar",
    "quantum-communication",
    "target-recognition",
    "gnss-navigation",
    "video-surveillance",
)
TOPIC_ID_RE = re.compile(r"^T\d{5}$")


class TopicRole(StrEnum):
    """How much an OpenAlex topic says about an area."""

    CORE = "core"  # the topic alone labels the work
    PARTIAL = "partial"  # counts as half a signal: needs a phrase as well
    TRAP = "trap"  # a field that borrows the area's words (clinical gait, facial surgery): vetoes


def _check_phrases(values: list[str]) -> list[str]:
    for value in values:
        try:
            compile_phrase(value)
        except PhraseError as exc:
            raise ValueError(str(exc)) from exc
    if len({v.strip() for v in values}) != len(values):
        seen: set[str] = set()
        dupes = [v for v in values if v in seen or seen.add(v)]  # type: ignore[func-returns-value]
        raise ValueError(f"duplicate phrases: {dupes}")
    return values


class Combo(BaseModel):
    """Two phrase lists; one phrase of each anywhere in the work counts as a strong phrase."""

    model_config = ConfigDict(extra="forbid")
    all: list[list[str]] = Field(min_length=2, max_length=2)

    @field_validator("all")
    @classmethod
    def _phrases_compile(cls, value: list[list[str]]) -> list[list[str]]:
        for side in value:
            if not side:
                raise ValueError("each side of a combo needs at least one phrase")
            _check_phrases(side)
        return value


class AreaSpec(BaseModel):
    """One area (an EU area when ``parent`` is empty, else a sensitive sub-area)."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    label: str = Field(min_length=2)
    description: str = Field(min_length=10)
    parent: str | None = None
    phrases: list[str] = Field(default_factory=list)
    context: list[str] = Field(default_factory=list)
    combos: list[Combo] = Field(default_factory=list)
    exclusions: list[str] = Field(default_factory=list)
    penalties: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    # Phrases that only name where a method is applied ("CCTV", "surveillance cameras"): when a
    # sub-area of ``defers_to`` is labelled, they stop counting for this area.
    setting: list[str] = Field(default_factory=list)
    defers_to: list[str] = Field(default_factory=list)

    @field_validator("phrases", "context", "exclusions", "penalties", "setting")
    @classmethod
    def _phrases_compile(cls, value: list[str]) -> list[str]:
        return _check_phrases(value)

    @field_validator("topics")
    @classmethod
    def _topic_ids(cls, value: list[str]) -> list[str]:
        bad = [t for t in value if not TOPIC_ID_RE.match(t)]
        if bad:
            raise ValueError(f"topic ids must look like T10057, got {bad}")
        if len(set(value)) != len(value):
            raise ValueError("duplicate topic ids")
        return value


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    url: str = Field(pattern=r"^https://")
    published: str


class TaxonomyFile(BaseModel):
    """The whole ``taxonomy.yaml``."""

    model_config = ConfigDict(extra="forbid")
    source: Source
    areas: list[AreaSpec]


class TopicMapping(BaseModel):
    """One row of ``topic_map.yaml``: an OpenAlex topic, the area it informs, and its role."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^T\d{5}$")
    name: str
    area: str
    role: TopicRole
    reviewed: bool = False
    note: str | None = None


class TopicMapFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str
    topics: list[TopicMapping]


def _read_yaml(path: Path) -> Any:
    try:  # libyaml's events built into data: what the safe loader gives, about 2x faster
        return load_yaml_text(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataFileError(f"{path}: file not found") from exc
    except yaml.YAMLError as exc:
        raise DataFileError(f"{path}: not valid YAML: {exc}") from exc


def _explain(path: Path, raw: Any, exc: ValidationError, key: str) -> DataFileError:
    """Turn pydantic's error into one line naming the file, the entry id and the field."""
    first = exc.errors()[0]
    loc = list(first["loc"])
    where = ""
    if len(loc) >= 2 and loc[0] == key and isinstance(loc[1], int):
        try:
            entry_id = raw[key][loc[1]].get("id", f"#{loc[1] + 1}")
        except (KeyError, IndexError, TypeError, AttributeError):
            entry_id = f"#{loc[1] + 1}"
        field = ".".join(str(p) for p in loc[2:]) or "(entry)"
        where = f"entry '{entry_id}', field '{field}'"
    else:
        where = f"field '{'.'.join(str(p) for p in loc)}'"
    return DataFileError(f"{path}: {where}: {first['msg']}")


def load_taxonomy_file(path: Path = TAXONOMY_FILE) -> TaxonomyFile:
    """Parse and validate ``taxonomy.yaml`` (structure, ids, parents, phrases)."""
    raw = _read_yaml(path)
    try:
        taxonomy = TaxonomyFile.model_validate(raw)
    except ValidationError as exc:
        raise _explain(path, raw, exc, "areas") from exc
    check_structure(taxonomy, path)
    return taxonomy


def check_structure(taxonomy: TaxonomyFile, path: Path) -> None:
    """Ids unique and exactly the issue's; every sub-area has an existing EU area as parent."""
    ids = [a.id for a in taxonomy.areas]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise DataFileError(f"{path}: duplicate area ids {dupes}")
    top = {a.id for a in taxonomy.areas if a.parent is None}
    subs = {a.id for a in taxonomy.areas if a.parent is not None}
    if top != set(EU_AREA_IDS):
        raise DataFileError(
            f"{path}: the EU areas must be exactly {list(EU_AREA_IDS)}; "
            f"missing {sorted(set(EU_AREA_IDS) - top)}, unexpected {sorted(top - set(EU_AREA_IDS))}"
        )
    missing = sorted(set(SUB_AREA_IDS) - subs)
    if missing:
        raise DataFileError(f"{path}: sub-areas missing: {missing}")
    for area in taxonomy.areas:
        if area.parent is not None and area.parent not in top:
            raise DataFileError(
                f"{path}: entry '{area.id}', field 'parent': '{area.parent}' is not an EU area "
                f"(one of {', '.join(EU_AREA_IDS)})"
            )
        unknown = sorted(set(area.defers_to) - subs)
        if unknown or area.id in area.defers_to:
            raise DataFileError(
                f"{path}: entry '{area.id}', field 'defers_to': {unknown or [area.id]} "
                "must name other sub-areas"
            )
        if bool(area.setting) != bool(area.defers_to):
            raise DataFileError(f"{path}: entry '{area.id}': 'setting' and 'defers_to' go together")
        if not (area.phrases or area.combos or area.topics):
            raise DataFileError(f"{path}: entry '{area.id}': needs phrases, combos or topics")


def load_topic_map(path: Path = TOPIC_MAP_FILE) -> TopicMapFile:
    """Parse and validate ``topic_map.yaml``."""
    raw = _read_yaml(path)
    try:
        topic_map = TopicMapFile.model_validate(raw)
    except ValidationError as exc:
        raise _explain(path, raw, exc, "topics") from exc
    keys = [(t.id, t.area) for t in topic_map.topics]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise DataFileError(f"{path}: topic listed twice for the same area: {dupes}")
    return topic_map


def topic_roles(
    taxonomy: TaxonomyFile,
    topic_map: TopicMapFile,
    taxonomy_path: Path = TAXONOMY_FILE,
    map_path: Path = TOPIC_MAP_FILE,
) -> dict[str, dict[str, tuple[TopicRole, str]]]:
    """Per area: topic id → (role, display name), checking both files agree.

    Every topic an area lists must be a *reviewed* row of the map for that area, and every
    reviewed row must be listed by its area: the two files cannot drift apart silently.
    """
    area_ids = {a.id for a in taxonomy.areas}
    reviewed = {(t.id, t.area): t for t in topic_map.topics if t.reviewed}
    for row in topic_map.topics:
        if row.area not in area_ids:
            raise DataFileError(f"{map_path}: topic {row.id}: unknown area '{row.area}'")
    roles: dict[str, dict[str, tuple[TopicRole, str]]] = {}
    for area in taxonomy.areas:
        roles[area.id] = {}
        for topic_id in area.topics:
            found = reviewed.get((topic_id, area.id))
            if found is None:
                raise DataFileError(
                    f"{taxonomy_path}: entry '{area.id}', field 'topics': {topic_id} is not a "
                    f"reviewed row of {map_path.name} for this area",
                    hint="run scripts/build_topic_map.py and review the candidates",
                )
            roles[area.id][topic_id] = (found.role, found.name)
    for (topic_id, area_id), row in reviewed.items():
        if topic_id not in roles.get(area_id, {}):
            raise DataFileError(
                f"{map_path}: reviewed topic {topic_id} ({row.name}) for '{area_id}' is not listed "
                f"in {taxonomy_path.name} under that area's topics"
            )
    return roles
