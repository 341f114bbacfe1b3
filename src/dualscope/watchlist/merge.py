"""Merge newly imported facts into an existing entity, saying which facts changed.

Merging only adds: names, aliases, agencies, topics, laboratories, sub-units, list memberships
and sources are unioned (compared after normalisation); a missing Chinese name or location is
filled in. Nothing the watchlist already holds is removed or overwritten, except the category,
which follows the imported list and is reported when it changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from dualscope.watchlist.model import Alias, Entity, ListMembership, Source, Subunit
from dualscope.watchlist.names import normalise_name

T = TypeVar("T")


def _union(old: list[T], new: Iterable[T], key: Callable[[T], object]) -> tuple[list[T], int]:
    seen = {key(item) for item in old}
    merged = list(old)
    for item in new:
        k = key(item)
        if k not in seen:
            seen.add(k)
            merged.append(item)
    return merged, len(merged) - len(old)


def membership_key(m: ListMembership) -> tuple[str, str, str]:
    return (m.list, m.edition or "", normalise_name(m.name_on_list or ""))


def _source_key(s: Source) -> tuple[str, str]:
    return (s.name, s.url or "")


def _merge_subunit(old: Subunit, new: Subunit) -> tuple[Subunit, int]:
    lists, added = _union(old.lists, new.lists, membership_key)
    aliases, more = _union(old.aliases, new.aliases, normalise_name)
    if not added and not more:
        return old, 0
    return old.model_copy(update={"lists": lists, "aliases": aliases}), added + more


def _merge_subunits(old: list[Subunit], new: list[Subunit]) -> tuple[list[Subunit], int, int]:
    """(merged, sub-units added, facts added to existing sub-units)."""
    by_key = {normalise_name(n): i for i, u in enumerate(old) for n in (*u.aliases, u.name)}
    merged = list(old)
    added = changed = 0
    for unit in new:
        index = by_key.get(normalise_name(unit.name))
        if index is None:
            by_key[normalise_name(unit.name)] = len(merged)
            merged.append(unit)
            added += 1
        else:
            merged[index], n = _merge_subunit(merged[index], unit)
            changed += n
    return merged, added, changed


def merge_entity(old: Entity, new: Entity) -> tuple[Entity, list[str]]:
    """``old`` with the facts of ``new`` added, and a list of what changed (empty: unchanged)."""
    changes: list[str] = []
    update: dict[str, object] = {}
    known = {normalise_name(n) for n in old.all_names()}

    def note(label: str, count: int) -> None:
        if count:
            changes.append(f"{label} +{count}")

    if not old.name_zh and new.name_zh:
        update["name_zh"] = new.name_zh
        changes.append("Chinese name")
    if new.category != old.category:
        update["category"] = new.category
        changes.append(f"category {old.category} -> {new.category}")
    candidates = [a for a in new.aliases if normalise_name(a.name) not in known]
    if normalise_name(new.name_en) not in known:
        source = new.sources[0].url if new.sources else None
        candidates.insert(0, Alias(name=new.name_en, kind="name", source=source))
    aliases, count = _union(old.aliases, candidates, lambda a: normalise_name(a.name))
    update["aliases"] = aliases
    note("aliases", count)
    for field in ("supervising_agencies", "topics", "defence_labs"):
        merged, count = _union(getattr(old, field), getattr(new, field), normalise_name)
        update[field] = merged
        note(field.replace("_", " "), count)
    units, added, changed = _merge_subunits(old.subunits, new.subunits)
    update["subunits"] = units
    note("sub-units", added)
    note("sub-unit list entries", changed)
    if (
        not old.location.address
        and not old.location.lat
        and (new.location.address or new.location.lat)
    ):
        update["location"] = new.location
        changes.append("location")
    identifiers, count = _union(old.identifiers, new.identifiers, lambda i: (i.scheme, i.value))
    update["identifiers"] = identifiers
    note("identifiers", count)
    lists, count = _union(old.lists, new.lists, membership_key)
    update["lists"] = lists
    if count:
        added_lists = sorted(
            {f"{m.list} {m.edition or ''}".strip() for m in lists[len(old.lists) :]}
        )
        changes.append(f"lists +{count} ({', '.join(added_lists)})")
    sources, _ = _union(old.sources, new.sources, _source_key)
    update["sources"] = sources
    if not changes:
        return old, []
    return old.model_copy(update=update), changes
