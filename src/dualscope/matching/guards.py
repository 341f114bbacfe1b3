"""Guards on a name found in a segment: is it really this institution's name?

- the longest, most specific name wins (:func:`maximal`);
- a name that runs on into a longer name is not that name (:func:`continues`): "Wuhan
  University *of Technology*", "*North* China ...", "*National* Sun Yat-sen University",
  words continuing another entity's longer name, a short name followed by a head noun
  ("China Electronics *Standardization Institute*");
- a short sub-unit name many institutions have proves nothing alone (:func:`topical`).
"""

from __future__ import annotations

from dualscope.matching.context import CHINESE_PLACES
from dualscope.matching.index import AliasEntry, WatchlistIndex
from dualscope.matching.segment import CONTINUATIONS, DIRECTIONS, Segment

# Places that may follow "of" without making a longer name ("Tianjin University of China").
_PLACE_NAMES = CHINESE_PLACES - {"chinese"}
TOPICAL_MAX_WORDS = 4
SHORT_ALIAS = 2
# Words that only say what kind of organisation something is.
ORG_WORDS = frozenset(
    {"univ", "inst", "acad", "coll", "sch", "ctr", "lab", "res", "grad", "dept", "corp", "grp"}
    | {"co", "natl", "key", "state", "campus", "branch", "div", "base", "station", "office"}
)
# Head nouns of organisation names.
HEAD_NOUNS = frozenset(
    {"univ", "inst", "acad", "coll", "sch", "corp", "grp", "co", "ctr", "lab", "hosp", "ltd"}
)

Hit = tuple[int, int, list[AliasEntry]]


def maximal(hits: list[Hit]) -> list[Hit]:
    """Drop hits inside a longer hit: the longest, most specific name wins."""
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h[0] - h[1], h[0])):
        if all(hit[1] <= s or hit[0] >= e for s, e, _ in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h[0])


def continues(part: Segment, start: int, end: int, owners: set[str], index: WatchlistIndex) -> bool:
    """True when the name at ``start:end`` runs on into a longer, different name."""
    first, last = part.norm_span(start, end)
    norm, keys = part.norm, part.keys
    if last + 1 < len(norm) and norm[last] in CONTINUATIONS:
        after = last + 2 if norm[last + 1] == "the" and last + 2 < len(norm) else last + 1
        return norm[after] not in _PLACE_NAMES
    longer = index.prefixes.get(tuple(keys[start : end + 1])) if end < len(keys) else None
    if longer and not longer & owners:
        return True  # the words go on as in another entity's longer name
    short = len(keys) > end and len(owners) == 1 and end - start <= SHORT_ALIAS
    if short and keys[end - 1] not in HEAD_NOUNS and HEAD_NOUNS.intersection(keys[end:]):
        return True
    return first > 0 and norm[first - 1] in DIRECTIONS


def topical(key: tuple[str, ...]) -> bool:
    """A short sub-unit name many institutions have, so alone it proves nothing: no place or
    number in it ("Artificial Intelligence Research Center"), or only places and organisation
    words ("Qingdao Research Institute", "Shenzhen Campus")."""
    if len(key) > TOPICAL_MAX_WORDS:
        return False
    if not any(token in CHINESE_PLACES or not token.isalpha() for token in key):
        return True
    return all(token in ORG_WORDS or token in CHINESE_PLACES for token in key)


def names_its_parent(entry: AliasEntry, index: WatchlistIndex) -> bool:
    """True when a sub-unit's name contains its institution's name ("Shandong University,
    Weihai"): then the name is as specific as the institution's own."""
    key = entry.key
    return any(
        key[i : i + len(name)] == name
        for name in index.entity_keys.get(entry.entity_id, ())
        for i in range(len(key) - len(name) + 1)
    )
