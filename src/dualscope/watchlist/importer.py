"""Import official list files into the user's watchlist (``<home>/watchlist/imported.yaml``).

Each import reads the file, finds for every record the watchlist entity it names (by normalised
name, Chinese name or alias: :mod:`dualscope.watchlist.resolve`), merges the new facts into that
entity (:mod:`dualscope.watchlist.merge`) or adds a new entity, validates the result together
with the bundled data, and only then rewrites the user file atomically. The returned
:class:`ImportSummary` says what was added, updated (which facts), unchanged and not matched.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dualscope.errors import DataFileError, DualscopeError, InputError
from dualscope.settings import Settings
from dualscope.watchlist.aspi import classify_alias, read_misp_galaxy
from dualscope.watchlist.dod1286 import LIST_NAME, Row1286, read_1286_csv
from dualscope.watchlist.loader import (
    load_entity_file,
    load_with_origins,
    validate_watchlist,
)
from dualscope.watchlist.merge import merge_entity
from dualscope.watchlist.model import Alias, Category, Entity, Source, Subunit, Watchlist
from dualscope.watchlist.names import normalise_name, slugify
from dualscope.watchlist.resolve import NameIndex, Target
from dualscope.watchlist.yamlio import write_entities

USER_FILE = "imported.yaml"
CHINA = {"china", "cn", "prc", "peoples republic of china", "mainland china"}


@dataclass
class ImportSummary:
    """What one import changed; rendered by the CLI and returned as JSON with ``--json``."""

    source: str
    output: str
    added: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    not_matched: Counter[str] = field(default_factory=Counter)  # reason -> rows
    skipped: dict[str, int] = field(default_factory=dict)  # bad records by reason
    warnings: list[str] = field(default_factory=list)
    records: int = 0
    dry_run: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "output": self.output,
            "records": self.records,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "not_matched": dict(sorted(self.not_matched.items())),
            "records_skipped": {"total": sum(self.skipped.values()), **self.skipped},
            "dry_run": self.dry_run,
        }


class _Session:
    """The effective watchlist during one import, plus the user entities it will write."""

    def __init__(self, settings: Settings, summary: ImportSummary) -> None:
        self.settings = settings
        self.summary = summary
        self.path = settings.user_watchlist_dir / USER_FILE
        loaded = load_with_origins(settings)
        self.base = loaded.watchlist
        self.entities = {e.id: e for e in loaded.watchlist.entities}
        self.user = {e.id: e for e in load_entity_file(self.path)} if self.path.is_file() else {}
        self.index = NameIndex(self.entities.values())
        self.touched: dict[str, list[str]] = {}
        self.seen: set[str] = set()

    def new_id(self, name: str) -> str:
        base = slugify(name) or "entity"
        candidate, n = base, 2
        while candidate in self.entities:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def add(self, entity: Entity) -> None:
        self.entities[entity.id] = self.user[entity.id] = entity
        self.index.add(entity)
        self.summary.added.append(entity.id)
        self.seen.add(entity.id)

    def merge(self, entity_id: str, facts: Entity) -> None:
        merged, changes = merge_entity(self.entities[entity_id], facts)
        self.seen.add(entity_id)
        if changes:
            self.entities[entity_id] = self.user[entity_id] = merged
            self.index.add(merged)
            bucket = self.touched.setdefault(entity_id, [])
            bucket += [c for c in changes if c not in bucket]

    def finish(self, *, dry_run: bool) -> ImportSummary:
        summary = self.summary
        added = set(summary.added)
        summary.updated = {k: v for k, v in sorted(self.touched.items()) if k not in added}
        summary.unchanged = sorted(self.seen - added - set(summary.updated))
        watchlist = Watchlist(
            version=self.base.version,
            entities=list(self.entities.values()),
            sources=self.base.sources,
        )
        origins = {eid: str(self.path) for eid in self.user}
        problems = validate_watchlist(watchlist, origins)
        if problems:
            raise DataFileError(f"import would make the watchlist invalid: {problems[0]}")
        summary.dry_run = dry_run
        if not dry_run and (summary.added or summary.updated):
            header = (
                "User watchlist written by `dualscope watchlist import-*`; it extends or\n"
                "overrides the bundled watchlist by id. Safe to edit by hand."
            )
            try:
                write_entities(self.path, list(self.user.values()), header=header)
            except OSError as exc:
                raise DualscopeError(
                    f"cannot write {self.path}: {exc.strerror or exc}",
                    hint="choose a writable folder with --home or DUALSCOPE_HOME",
                ) from exc
        return summary


def import_aspi(
    path: Path,
    settings: Settings,
    *,
    edition: str = "2020",
    strict: bool = False,
    dry_run: bool = False,
) -> ImportSummary:
    """Merge a MISP galaxy file of the ASPI tracker (of the given edition) into the user list."""
    parsed = read_misp_galaxy(path, strict=strict, edition=edition)
    summary = ImportSummary(
        source=str(path),
        output=str(settings.user_watchlist_dir / USER_FILE),
        skipped=dict(parsed.skipped),
        warnings=list(parsed.warnings),
        records=len(parsed.entities) + sum(parsed.skipped.values()),
    )
    session = _Session(settings, summary)
    for entity in parsed.entities:
        names = [n for n in (entity.name_zh, *(a.name for a in entity.aliases)) if n]
        target = session.index.lookup(entity.name_en) or session.index.resolve(
            entity.name_en, names
        )
        if target is None:
            session.add(entity.model_copy(update={"id": session.new_id(entity.name_en)}))
        elif target.subunit is not None:
            summary.not_matched["names a sub-unit of a watchlist entity"] += 1
            summary.warnings.append(
                f"{entity.name_en!r} names a sub-unit of {target.entity_id!r}: not imported"
            )
        else:
            session.merge(target.entity_id, entity)
    return session.finish(dry_run=dry_run)


def _countries(rows: list[Row1286]) -> dict[str, str]:
    """Country by normalised name, learnt from the rows that give one (later editions)."""
    known: dict[str, str] = {}
    for row in rows:
        if row.country:
            for name in (row.name, *row.aliases):
                known.setdefault(normalise_name(name), row.country)
    return known


def _row_entity(row: Row1286, entity_id: str, category: Category) -> Entity:
    membership = row.membership()
    source = Source(name=LIST_NAME, url=membership.source.url)
    return Entity(
        id=entity_id,
        name_en=row.name,
        category=category,
        aliases=[Alias(name=a, kind=classify_alias(a), source=source.url) for a in row.aliases],
        lists=[membership],
        sources=[source],
        notes=(
            f"Not on the ASPI tracker (2020): added from the {LIST_NAME} by "
            f"`dualscope watchlist import-1286`; category '{category}' set by --category."
        ),
    )


def _apply_row(session: _Session, row: Row1286, target: Target) -> None:
    """Record the row's list membership on the entity, or on the sub-unit it names."""
    entity = session.entities[target.entity_id]
    membership = row.membership()
    units = []
    if target.subunit is not None:
        units = [
            Subunit(
                name=target.subunit,
                kind="laboratory" if "laborator" in target.subunit.casefold() else "other",
                source=membership.source.url,
                lists=[membership],
            )
        ]
    facts = Entity(
        id=entity.id,
        name_en=entity.name_en,
        category=entity.category,
        subunits=units,
        lists=[] if units else [membership],
        sources=[Source(name=LIST_NAME, url=membership.source.url)],
    )
    session.merge(entity.id, facts)


def import_1286(
    path: Path,
    settings: Settings,
    *,
    category: Category = "civilian",
    strict: bool = False,
    dry_run: bool = False,
) -> ImportSummary:
    """Merge a DoD Section 1286 CSV: memberships by edition; new Chinese institutions added."""
    parsed = read_1286_csv(path, strict=strict)
    summary = ImportSummary(
        source=str(path),
        output=str(settings.user_watchlist_dir / USER_FILE),
        skipped=dict(parsed.skipped),
        warnings=list(parsed.warnings),
        records=len(parsed.rows) + sum(parsed.skipped.values()),
    )
    session = _Session(settings, summary)
    has_country = any(row.country for row in parsed.rows)
    countries = _countries(parsed.rows)
    for row in parsed.rows:
        country = row.country or next(
            (countries[k] for k in map(normalise_name, (row.name, *row.aliases)) if k in countries),
            None,
        )
        if country and normalise_name(country) not in CHINA:
            summary.not_matched[f"country {country}"] += 1
            continue
        target = session.index.resolve(row.name, row.aliases)
        if target is not None:
            _apply_row(session, row, target)
        elif has_country and country is None:
            summary.not_matched["country not given (not on the watchlist)"] += 1
            summary.warnings.append(
                f"{path}, line {row.line}: {row.name!r}: country unknown, skipped"
            )
        else:
            session.add(_row_entity(row, session.new_id(row.name), category))
    if not parsed.rows and not parsed.skipped:
        raise InputError(path, "no rows", hint="expected columns name, aliases, edition")
    return session.finish(dry_run=dry_run)
