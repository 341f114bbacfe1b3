"""Validate watchlist data and list every problem (``dualscope watchlist validate``).

Unlike loading, which stops at the first bad entry, validation collects all problems: bad
entries (model errors, naming file, entry and field), duplicate ids, identifiers attached to two
entities, identifiers known to be wrong, entities without a source.
"""

from __future__ import annotations

from pathlib import Path

from dualscope.errors import DataFileError
from dualscope.settings import Settings
from dualscope.watchlist.loader import (
    BUNDLED_DIR,
    ENTITY_DIR,
    INDEX_FILE,
    Problem,
    load_bundled,
    load_index,
    parse_entity_file,
    user_files,
    validate_watchlist,
)
from dualscope.watchlist.model import Entity, Watchlist


def _parse_all(files: list[Path]) -> tuple[dict[str, Entity], dict[str, str], list[Problem]]:
    entities: dict[str, Entity] = {}
    origins: dict[str, str] = {}
    problems: list[Problem] = []
    for path in files:
        try:
            parsed, found = parse_entity_file(path)
        except DataFileError as exc:
            problems.append(Problem(str(path), "-", "", str(exc)))
            continue
        problems += found
        for entity in parsed:
            entities[entity.id] = entity
            origins[entity.id] = str(path)
    return entities, origins, problems


def _bundled_style(folder: Path) -> tuple[str, list[Problem]]:
    problems: list[Problem] = []
    try:
        version, sources = load_index(folder / INDEX_FILE)
    except DataFileError as exc:
        return str(folder), [Problem(str(folder / INDEX_FILE), "-", "", str(exc))]
    files = sorted((folder / ENTITY_DIR).glob("*.yaml"))
    seen: dict[str, str] = {}
    entities: list[Entity] = []
    origins: dict[str, str] = {}
    for path in files:
        parsed, found = parse_entity_file(path)
        problems += found
        for entity in parsed:
            if entity.id in seen:
                problems.append(
                    Problem(
                        str(path),
                        repr(entity.id),
                        "id",
                        f"duplicate id (also in {seen[entity.id]})",
                    )
                )
                continue
            seen[entity.id] = origins[entity.id] = str(path)
            entities.append(entity)
    watchlist = Watchlist(version=version, entities=entities, sources=sources)
    return str(folder), problems + validate_watchlist(watchlist, origins)


def _over_bundled(files: list[Path], label: str) -> tuple[str, list[Problem]]:
    """User files checked on top of the bundled data (so clashes with it are found)."""
    bundled = load_bundled()
    entities, origins, problems = _parse_all(files)
    merged = {e.id: e for e in bundled.watchlist.entities}
    merged.update(entities)
    all_origins = {**bundled.origins, **origins}
    watchlist = Watchlist(version=bundled.watchlist.version, entities=list(merged.values()))
    checked = {str(f) for f in files}
    problems += [p for p in validate_watchlist(watchlist, all_origins) if p.file in checked]
    return label, problems


def validate_path(path: Path | None, settings: Settings) -> tuple[str, list[Problem]]:
    """(what was checked, problems): a file, a folder, or bundled + user data when ``None``."""
    if path is None:
        label, problems = _bundled_style(BUNDLED_DIR)
        files = user_files(settings)
        if files:
            _, more = _over_bundled(files, "")
            problems += more
            label = f"bundled watchlist + {len(files)} file(s) in {settings.user_watchlist_dir}"
        else:
            label = "bundled watchlist"
        return label, problems
    if path.is_dir():
        if (path / INDEX_FILE).is_file() and (path / ENTITY_DIR).is_dir():
            return _bundled_style(path)
        return _over_bundled(sorted(path.glob("*.yaml")), str(path))
    if not path.is_file():
        raise DataFileError(f"{path}: no such file or folder")
    return _over_bundled([path], str(path))
