"""The acronym rule: BIT, HIT, NUDT count only with Chinese context in the same string.

Acronyms must be written in capitals (and the string must not be all capitals, where words look
like acronyms). Three letters need the institution's own city or province (or the caller's
country CN, or Chinese script); four or more need the string to place it in China. An acronym
standing alone is not enough: "Instituto Cajal, CSIC" is Spain's research council.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from dualscope.matching.context import CHINESE_PLACES, StringContext
from dualscope.matching.normalize import fold
from dualscope.watchlist.model import Entity

_UPPER_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9&]{1,7}(?![A-Za-z0-9])")
_HAS_UPPER = re.compile(r"[A-Z]")
MIN_FREE_ACRONYM = 4  # shorter acronyms (BIT, HIT) need the institution's own city
_NOT_A_PLACE = frozenset({"china", "chinese", "pla", "prc"})


def capital_words(text: str) -> Iterator[str]:
    """Words written in capitals that could be acronyms (none in an all-capitals string)."""
    if text.islower() or text.isupper() or not _HAS_UPPER.search(text):
        return
    for hit in _UPPER_WORD.finditer(text):
        yield hit.group(0)


def entity_places(entity: Entity) -> tuple[str, ...]:
    """Normalised places of an entity: city, province, places in its address, name, campuses."""
    location = entity.location
    found = [fold(p).replace(" ", "") for p in (location.city, location.province) if p]
    campuses = " ".join(s.name for s in entity.subunits if s.kind == "campus")
    for text in (location.address or "", entity.name_en, campuses):
        found += [t for t in fold(text).split() if t in CHINESE_PLACES]
    return tuple(p for p in dict.fromkeys(found) if p not in _NOT_A_PLACE)


def acronym_context(
    acronym: str,
    places: tuple[str, ...],
    owners: int,
    tokens: set[str],
    ctx: StringContext,
) -> str | None:
    """What in the string makes ``acronym`` this institution's (its ``places``), or None."""
    place = next((p for p in places if p in tokens), None)
    if place is not None or owners > 1:
        return place
    if ctx.country == "CN" or ctx.cjk:
        return "country CN" if ctx.country == "CN" else "Chinese script"
    if len(acronym) < MIN_FREE_ACRONYM:
        return None
    return ctx.words() if ctx.in_china else None
