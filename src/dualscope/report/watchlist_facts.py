"""The watchlist facts a report cites: version, sources, and per entity its list memberships.

Reports are rendered from the store, which records entity ids and names; what each entity *is*
(category, lists it appears on, with edition and source) comes from the watchlist. When the
watchlist cannot be loaded the report still renders and its methodology says why the facts are
missing (never silently).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dualscope.errors import DualscopeError
from dualscope.settings import Settings

if TYPE_CHECKING:  # imported lazily: a report renders even when the watchlist is broken
    from dualscope.watchlist.model import Entity, ListMembership, Watchlist

LIST_LABELS = {
    "aspi_cdut": "ASPI China Defence Universities Tracker",
    "dod_1286": "US DoD Section 1286 list",
    "bis_entity_list": "US BIS Entity List",
    "dod_1260h": "US DoD Section 1260H list",
    "casi_pla_37": "CASI: The PLA's 37 Academic Institutions",
}


@dataclass(frozen=True)
class SourceFact:
    name: str
    url: str | None
    date: str | None


@dataclass(frozen=True)
class EntityFacts:
    entity_id: str
    name: str
    name_zh: str | None
    category: str
    lists: list[str]  # human-readable, e.g. "US DoD Section 1286 list, edition 2024 (since ...)"
    identifiers: list[str]  # "ror:05d2yfz11"


@dataclass(frozen=True)
class WatchlistFacts:
    version: str | None
    sources: list[SourceFact] = field(default_factory=list)
    entities: dict[str, EntityFacts] = field(default_factory=dict)
    error: str | None = None  # why the facts are missing, shown in the methodology
    watchlist: Watchlist | None = None  # the loaded watchlist (FtM export reads it)


def describe_membership(m: ListMembership) -> str:
    """``"US DoD Section 1286 list, edition 2024, since 2024-06-30 (source: ...)"``."""
    text = LIST_LABELS.get(m.list, m.list)
    if m.edition:
        text += f", edition {m.edition}"
    if m.start:
        text += f", since {m.start.isoformat()}"
    if m.end:
        text += f", until {m.end.isoformat()}"
    if m.source and m.source.name:
        text += f" (source: {m.source.name})"
    return text


def entity_facts(entity: Entity) -> EntityFacts:
    return EntityFacts(
        entity_id=entity.id,
        name=entity.name_en,
        name_zh=entity.name_zh,
        category=entity.category,
        lists=[describe_membership(m) for m in entity.lists],
        identifiers=[f"{i.scheme}:{i.value}" for i in entity.identifiers],
    )


def facts_from(watchlist: Watchlist) -> WatchlistFacts:
    sources = {
        (s.name, s.url): SourceFact(s.name, s.url, s.date.isoformat() if s.date else None)
        for s in watchlist.sources
    }
    return WatchlistFacts(
        version=watchlist.version,
        sources=list(sources.values()),
        entities={e.id: entity_facts(e) for e in watchlist.entities},
        watchlist=watchlist,
    )


def watchlist_facts(settings: Settings | None = None) -> WatchlistFacts:
    """Facts of the installed watchlist, or empty facts naming the reason it did not load."""
    try:
        from dualscope.watchlist.loader import load_watchlist
    except Exception as exc:  # a broken install must not stop the report; the report says why
        return WatchlistFacts(version=None, error=f"watchlist loader unavailable: {exc}")
    try:
        return facts_from(load_watchlist(settings))
    except DualscopeError as exc:
        return WatchlistFacts(version=None, error=f"watchlist did not load: {exc}")
