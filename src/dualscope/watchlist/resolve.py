"""Find the watchlist entity an imported row names, by normalised name.

Importers need a plain, predictable lookup, not the affiliation matcher: a row matches an entity
when its name (after :func:`~dualscope.watchlist.names.normalise_name`) equals the entity's
English or Chinese name, one of its aliases, a name an official list already printed for it, or
the name of one of its sub-units. A key shared by two entities is ambiguous and matches neither.
A list name of the form ``"<laboratory> at <institution>"`` resolves to that institution.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dualscope.watchlist.model import Entity
from dualscope.watchlist.names import normalise_name


@dataclass(frozen=True)
class Target:
    """What a name resolved to: an entity, or one of its sub-units, and by which known name."""

    entity_id: str
    subunit: str | None
    via: str  # the known name that matched


class NameIndex:
    """Normalised known names → entity (or sub-unit); ambiguous keys are dropped."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self._targets: dict[str, Target] = {}
        self._ambiguous: set[str] = set()
        self._rank: dict[str, int] = {}
        for entity in entities:
            self.add(entity)

    def add(self, entity: Entity) -> None:
        """Index every known name of ``entity`` and of its sub-units.

        Within one entity its own English/Chinese name wins over a sub-unit of the same name,
        and a sub-unit wins over an alias (ASPI lists some institutes both ways).
        """
        for name in (entity.name_en, entity.name_zh):
            if name:
                self._add(name, Target(entity.id, None, name), rank=3)
        for unit in entity.subunits:
            listed = [m.name_on_list for m in unit.lists if m.name_on_list]
            names = [unit.name, *unit.aliases, *listed, *([unit.name_zh] if unit.name_zh else [])]
            for name in names:
                self._add(name, Target(entity.id, unit.name, name), rank=2)
        others = [a.name for a in entity.aliases]
        others += [m.name_on_list for m in entity.lists if m.name_on_list]
        for name in others:
            self._add(name, Target(entity.id, None, name), rank=1)

    def _add(self, name: str, target: Target, *, rank: int) -> None:
        key = normalise_name(name)
        if not key or key in self._ambiguous:
            return
        known = self._targets.get(key)
        if known is None:
            self._targets[key] = target
            self._rank[key] = rank
        elif known.entity_id != target.entity_id:
            del self._targets[key]
            self._ambiguous.add(key)
        elif rank > self._rank[key]:
            self._targets[key] = target
            self._rank[key] = rank

    def lookup(self, name: str) -> Target | None:
        """Exact lookup of one name."""
        return self._targets.get(normalise_name(name))

    def resolve(self, name: str, aliases: Iterable[str] = ()) -> Target | None:
        """The name first, then ``"X at Y"``, then each alias; aliases must agree on one entity."""
        found = self.lookup(name)
        if found:
            return found
        if " at " in name:
            unit, host = name.rsplit(" at ", 1)
            hit = self.lookup(host)
            if hit is not None:
                return Target(hit.entity_id, unit.strip(), name)
        hits = [t for t in (self.lookup(a) for a in aliases) if t is not None]
        if hits and len({h.entity_id for h in hits}) == 1:
            return hits[0]
        return None
