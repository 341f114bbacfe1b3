"""Sibling universities that share a name and differ by campus: "China University of Geosciences
(Wuhan)" (on the watchlist) and "China University of Geosciences (Beijing)" (not); China
University of Mining and Technology (Xuzhou) and its Beijing sibling.

A *sibling* is a known non-watchlist institution (bundled near misses or imported ROR names)
whose name is a watchlist name followed by a place qualifier ("Beijing", "East China"). The
matcher uses it three ways, all derived from data, never from a list of universities here:

* the watchlist name followed in the next comma-separated segment by a sibling's qualifier
  ("China University of Geosciences, Beijing 100083") names the sibling: no match;
* the watchlist name in an affiliation (up to the next semicolon) that names a sibling's
  qualifier and not the entity's own city or qualifier names the sibling: no match;
* a watchlist name whose official form carries a qualifier ("(Wuhan)"), written without it and
  without the entity's city, is matched with a lower score and says the campus is missing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from dualscope.matching.context import CHINESE_PLACES
from dualscope.matching.index import WatchlistIndex
from dualscope.matching.knownindex import KnownIndex
from dualscope.matching.normalize import canon_key

_QUALIFIER = re.compile(r"\(([^()]+)\)\s*$")
# Words a campus qualifier is made of besides place names ("East China", "Huadong").
_QUALIFIER_WORDS = frozenset(
    {"east", "west", "north", "south", "e", "w", "n", "s", "huadong", "huabei", "huanan"}
    | {canon_key(w)[0] for w in ("east", "west", "north", "south")}
)


def _is_qualifier(tail: tuple[str, ...]) -> bool:
    """True when ``tail`` is only place words and more than "china" ("Beijing", "East China")."""
    return (
        0 < len(tail) <= 3
        and all(t in CHINESE_PLACES or t in _QUALIFIER_WORDS for t in tail)
        and any(t != "china" for t in tail)
    )


def _contains(keys: Sequence[str], tail: tuple[str, ...]) -> bool:
    n = len(tail)
    return any(tuple(keys[i : i + n]) == tail for i in range(len(keys) - n + 1))


class CampusSiblings:
    """Which watchlist names have campus siblings, and the entity's own campus words."""

    def __init__(self, index: WatchlistIndex, known: KnownIndex) -> None:
        self._index = index
        self._tails: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {}
        for known_key, entries in known.names.by_key.items():
            for n in range(2, len(known_key)):
                head, tail = known_key[:n], known_key[n:]
                if head not in index.names.by_key or not _is_qualifier(tail):
                    continue
                owners = {e.entity_id for e in index.names.by_key[head]}
                if all(entry.child_of & owners for entry in entries):
                    continue  # ROR files it under the watchlist entity: one of its campuses
                tails = self._tails.setdefault(head, ())
                if tail not in tails:
                    self._tails[head] = (*tails, tail)
        self._own: dict[str, frozenset[str]] = {}
        self._qualifiers: dict[str, str | None] = {}

    def tails(self, key: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        """The siblings' qualifiers of the watchlist name ``key`` (empty for most names)."""
        return self._tails.get(key, ())

    def qualifier(self, entity_id: str) -> str | None:
        """The campus qualifier of the entity's official name ("Wuhan"), if any."""
        if entity_id not in self._qualifiers:
            found = _QUALIFIER.search(self._index.entities[entity_id].name_en)
            self._qualifiers[entity_id] = found.group(1).strip() if found else None
        return self._qualifiers[entity_id]

    def own_words(self, entity_id: str) -> frozenset[str]:
        """Canonical words of the entity's city and qualifier: they confirm the campus."""
        words = self._own.get(entity_id)
        if words is None:
            entity = self._index.entities[entity_id]
            parts = [entity.location.city or "", self.qualifier(entity_id) or ""]
            words = frozenset(w for p in parts for w in canon_key(p) if w != "china")
            self._own[entity_id] = words
        return words

    def names_sibling(
        self,
        key: tuple[str, ...],
        entity_id: str,
        next_keys: Sequence[str],
        affiliation_keys: Sequence[str],
    ) -> bool:
        """True when the string names a sibling of ``entity_id`` rather than it: a sibling's
        qualifier opens the next segment, or stands in the affiliation without the own campus."""
        tails = self.tails(key)
        if not tails:
            return False
        if any(tuple(next_keys[: len(t)]) == t for t in tails):
            return True
        if not self.own_words(entity_id).isdisjoint(affiliation_keys):
            return False
        return any(_contains(affiliation_keys, t) for t in tails)

    def lacks_campus(self, entity_id: str, alias_key: tuple[str, ...], keys: Sequence[str]) -> bool:
        """True when the name matched lacks the official qualifier and the string does not say
        the entity's campus either ("China University of Geosciences" alone)."""
        if self.qualifier(entity_id) is None or not self.tails(alias_key):
            return False
        own = self.own_words(entity_id)
        return own.isdisjoint(alias_key) and own.isdisjoint(keys)
