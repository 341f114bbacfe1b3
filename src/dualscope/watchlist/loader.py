"""Load the watchlist: bundled YAML data plus the user's own files, validated on load.

Bundled data lives in ``data/watchlist.yaml`` (version, list sources) and ``data/entities/*.yaml``
(one file per category). User files (``Settings.user_watchlist_dir``, ``*.yaml``, read in name
order, written by ``dualscope watchlist import-*`` or by hand) extend the bundled list; an entity
with a bundled id replaces the bundled entry whole.

Every entry is checked by the pydantic model; a bad one raises :class:`DataFileError` naming
the file, the entry (id or index) and the field. :func:`validate_watchlist` adds the checks a
model cannot make alone (unique ids and identifiers, sources, documented identifier traps).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from dualscope.errors import DataFileError
from dualscope.settings import Settings, get_settings
from dualscope.watchlist.model import CATEGORIES, Entity, Source, Watchlist

# Re-exported: the YAML reader lives apart so that modules without pydantic can use it.
from dualscope.watchlist.yamlload import FastSafeLoader as FastSafeLoader
from dualscope.watchlist.yamlload import load_yaml_text as load_yaml_text

BUNDLED_DIR = Path(__file__).resolve().parent / "data"
INDEX_FILE = "watchlist.yaml"
ENTITY_DIR = "entities"
TOP_LEVEL_KEYS = {"format", "version", "sources", "entities"}
# Identifiers that must never be attached to an entity: ROR records known to be wrong
# (DOMAIN.md §2). 02syyrn67 is mapped to two different PLA schools; 030xwyx96 mixes
# Heilongjiang Institute of Technology and Heilongjiang University of Science and Technology.
TRAP_IDENTIFIERS: dict[str, str] = {
    "02syyrn67": "ROR id used for two different PLA schools (Army Academy of Armored Forces and "
    "the Logistical Engineering University / Army Service Academy)",
    "030xwyx96": "ROR record mixes Heilongjiang Institute of Technology (Chinese label) and "
    "Heilongjiang University of Science and Technology (English name)",
}


@dataclass(frozen=True)
class Problem:
    """One validation finding, naming file, entry and field."""

    file: str
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: entry {self.entry}"
        if self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class LoadedWatchlist:
    """The merged watchlist plus where each entity came from (for messages and `show`)."""

    watchlist: Watchlist
    origins: Mapping[str, str]  # entity id -> file


def _read_yaml(path: Path) -> Any:
    try:
        return load_yaml_text(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        raise DataFileError(f"{path}{line}: not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read: {exc}") from exc


def _field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _entity_problems(path: Path, index: int, raw: Any, exc: ValidationError) -> list[Problem]:
    entry = f"#{index}"
    if isinstance(raw, dict) and raw.get("id"):
        entry += f" (id {raw['id']!r})"
    return [
        Problem(str(path), entry, _field_path(err["loc"]) or "<entry>", err["msg"])
        for err in exc.errors()
    ]


def parse_entity_file(path: Path) -> tuple[list[Entity], list[Problem]]:
    """Entities of one YAML file (a mapping with ``entities:`` or a bare list) and every bad
    entry found, each naming file, entry and field. Unreadable YAML raises DataFileError."""
    data = _read_yaml(path)
    if data is None:
        return [], []
    if isinstance(data, dict):
        unknown = sorted(set(data) - TOP_LEVEL_KEYS)
        if unknown:
            raise DataFileError(
                f"{path}: unknown top-level key(s) {unknown}",
                hint=f"a watchlist file has {', '.join(sorted(TOP_LEVEL_KEYS))}",
            )
        raw_entities = data.get("entities", [])
    else:
        raw_entities = data
    if not isinstance(raw_entities, list):
        raise DataFileError(f"{path}: 'entities' must be a list of entries")
    entities: list[Entity] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_entities):
        try:
            entity = Entity.model_validate(raw)
        except ValidationError as exc:
            problems += _entity_problems(path, index, raw, exc)
            continue
        if entity.id in seen:
            problems.append(
                Problem(str(path), f"#{index} (id {entity.id!r})", "id", "duplicate id in one file")
            )
            continue
        seen.add(entity.id)
        entities.append(entity)
    return entities, problems


def load_entity_file(path: Path) -> list[Entity]:
    """Entities of one YAML file; the first bad entry raises :class:`DataFileError`."""
    entities, problems = parse_entity_file(path)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DataFileError(
            f"{problems[0]}{more}",
            hint="fix the entry; `dualscope watchlist validate PATH` lists every problem",
        )
    return entities


def load_index(path: Path) -> tuple[str, list[Source]]:
    data = _read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("version"), str):
        raise DataFileError(f"{path}: needs a 'version' string and a 'sources' list")
    sources = []
    for index, raw in enumerate(data.get("sources") or []):
        try:
            sources.append(Source.model_validate(raw))
        except ValidationError as exc:
            raise DataFileError(f"{path}: sources[{index}]: {exc.errors()[0]['msg']}") from exc
    return data["version"], sources


def _collect(files: Iterable[Path], origins: dict[str, str]) -> dict[str, Entity]:
    """User files in order: a later file's entity replaces an earlier one with the same id."""
    entities: dict[str, Entity] = {}
    for path in files:
        for entity in load_entity_file(path):
            entities[entity.id] = entity
            origins[entity.id] = str(path)
    return entities


@functools.lru_cache(maxsize=4)
def _bundled(directory: Path) -> LoadedWatchlist:
    origins: dict[str, str] = {}
    version, sources = load_index(directory / INDEX_FILE)
    files = sorted((directory / ENTITY_DIR).glob("*.yaml"))
    entities: dict[str, Entity] = {}
    for path in files:
        for entity in load_entity_file(path):
            if entity.id in entities:
                raise DataFileError(
                    f"{path}: entry id {entity.id!r}: duplicate id (also in {origins[entity.id]})"
                )
            entities[entity.id] = entity
            origins[entity.id] = str(path)
    watchlist = Watchlist(version=version, entities=list(entities.values()), sources=sources)
    problems = validate_watchlist(watchlist, origins)
    if problems:
        raise DataFileError(f"bundled watchlist is invalid: {problems[0]}")
    return LoadedWatchlist(watchlist, origins)


def load_bundled(directory: Path | None = None) -> LoadedWatchlist:
    """The bundled watchlist (cached: it is read once per process)."""
    return _bundled((directory or BUNDLED_DIR).resolve())


def user_files(settings: Settings) -> list[Path]:
    folder = settings.user_watchlist_dir
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def load_with_origins(settings: Settings | None = None) -> LoadedWatchlist:
    """Bundled + user watchlist, with each entity's file; raises on any invalid entry."""
    settings = settings or get_settings()
    bundled = load_bundled()
    files = user_files(settings)
    if not files:
        return bundled
    origins = dict(bundled.origins)
    merged = {e.id: e for e in bundled.watchlist.entities}
    merged.update(_collect(files, origins))
    base = bundled.watchlist
    version = f"{base.version} + user ({len(files)} file{'s' if len(files) > 1 else ''})"
    watchlist = Watchlist(version=version, entities=list(merged.values()), sources=base.sources)
    problems = validate_watchlist(watchlist, origins)
    if problems:
        raise DataFileError(
            f"watchlist is invalid: {problems[0]}"
            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""),
            hint="run `dualscope watchlist validate` for the full list",
        )
    return LoadedWatchlist(watchlist, origins)


def load_watchlist(settings: Settings | None = None) -> Watchlist:
    """The watchlist the tool screens against: bundled data extended by the user's files."""
    return load_with_origins(settings).watchlist


def validate_watchlist(
    watchlist: Watchlist, origins: Mapping[str, str] | None = None
) -> list[Problem]:
    """Checks beyond the model: unique ids and identifiers, sources, categories, known traps."""
    origins = origins or {}
    problems: list[Problem] = []
    seen_ids: set[str] = set()
    owner: dict[tuple[str, str], str] = {}
    for entity in watchlist.entities:
        file = origins.get(entity.id, "<watchlist>")
        entry = repr(entity.id)

        def add(field: str, message: str, *, _file: str = file, _entry: str = entry) -> None:
            problems.append(Problem(_file, _entry, field, message))

        if entity.id in seen_ids:
            add("id", "duplicate id")
        seen_ids.add(entity.id)
        if entity.category not in CATEGORIES:
            add("category", f"unknown category {entity.category!r}")
        if not entity.sources:
            add("sources", "every entity needs at least one source")
        identifiers = [("identifiers", i, ident) for i, ident in enumerate(entity.identifiers)]
        for u, unit in enumerate(entity.subunits):
            identifiers += [
                (f"subunits[{u}].identifiers", i, ident) for i, ident in enumerate(unit.identifiers)
            ]
        for field, index, ident in identifiers:
            where = f"{field}[{index}]"
            if not ident.source.strip():
                add(where, "identifier without source")
            if ident.value in TRAP_IDENTIFIERS:
                add(
                    where,
                    f"{ident.scheme} {ident.value} must not be attached: "
                    f"{TRAP_IDENTIFIERS[ident.value]}",
                )
            key = (ident.scheme, ident.value)
            other = owner.setdefault(key, entity.id)
            if other != entity.id:
                add(where, f"{ident.scheme} {ident.value} is also attached to {other!r}")
        for index, membership in enumerate(entity.lists):
            if membership.end and membership.start and membership.end < membership.start:
                add(f"lists[{index}]", "end date before start date")
    return problems
