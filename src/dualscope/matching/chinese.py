"""The Chinese-name rule: substring matching on Chinese script, longest name first.

Guards: traditional characters are simplified first (normalize.cjk_compact); a hospital,
cancer or "affiliated" unit (医院, 肿瘤, 附属) is an organisation of its own; a short
abbreviation (中国航天) must be the whole segment; a name without its army prefix must start the
Chinese text (信息工程大学 inside 南京信息工程大学 is NUIST); a longer known non-watchlist name
containing the match wins (四川大学锦城学院).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dualscope.matching.index import AliasEntry, WatchlistIndex
from dualscope.matching.knownindex import KnownIndex
from dualscope.matching.normalize import (
    cjk_compact,
    has_cjk,
    raw_segments,
    segment_separators,
)

# A separator between two affiliations rather than between parts of one.
_AFFILIATION_BREAK = re.compile(r"[;；|]")
# A hospital, cancer centre or "affiliated" unit is an organisation of its own.
HOSPITAL_WORDS = ("医院", "肿瘤", "附属")
# A name stripped of its army prefix may follow what is left of one.
PLA_PREFIX_ENDS = ("解放军", "武警")
# Abbreviations this short (中国航天, 航空工业) must stand alone.
SHORT_CHINESE = 4


@dataclass(frozen=True, slots=True)
class ChineseHit:
    """A Chinese name found in the string; ``strong`` is False for a sub-unit name that only
    supports its parent (it does not contain the parent's Chinese name)."""

    zh: str
    entry: AliasEntry
    strong: bool


def find_chinese_names(text: str, index: WatchlistIndex, known: KnownIndex) -> list[ChineseHit]:
    """Chinese names of watchlist entities in ``text`` that pass the guards."""
    found: list[ChineseHit] = []
    parts = raw_segments(text)
    separators = segment_separators(text)
    for i, raw in enumerate(parts):
        if has_cjk(raw):
            # The next part after a comma continues the name for the known-name guard:
            # 中国地质大学，北京 names 中国地质大学（北京）, not the Wuhan university.
            after = ""
            if i + 1 < len(parts) and not _AFFILIATION_BREAK.search(separators[i]):
                after = cjk_compact(parts[i + 1])
            found.extend(_in_segment(cjk_compact(raw), index, known, after))
    return found


def _in_segment(
    compact: str, index: WatchlistIndex, known: KnownIndex, after: str = ""
) -> list[ChineseHit]:
    by_start = index.chinese_by_start
    hits = [
        (at, zh, entry)
        for at in range(len(compact) - 1)
        for zh, entry in by_start.get(compact[at : at + 2], ())
        if compact.startswith(zh, at)
    ]
    taken: list[tuple[int, int]] = []
    found: list[ChineseHit] = []
    for at, zh, entry in sorted(hits, key=lambda h: -len(h[1])):  # longest name wins
        span = (at, at + len(zh))
        if any(s <= span[0] and span[1] <= e for s, e in taken):
            continue
        if entry.generic and at > 0 and not compact[:at].endswith(PLA_PREFIX_ENDS):
            continue  # a short name inside a longer Chinese name
        if any(word in compact and word not in zh for word in HOSPITAL_WORDS):
            continue
        if entry.kind != "official" and len(zh) <= SHORT_CHINESE and compact != zh:
            continue  # a short abbreviation must stand alone: 中国航天 in 中国航天员...
        context = compact + after if span[1] == len(compact) else compact
        if known.suppresses_chinese(context, zh, entry.entity_id):
            continue
        taken.append(span)
        strong = entry.subunit is None or _contains_parent(zh, entry.entity_id, index)
        found.append(ChineseHit(zh, entry, strong))
    return found


def _contains_parent(zh: str, entity_id: str, index: WatchlistIndex) -> bool:
    """True when a Chinese sub-unit name contains its institution's Chinese name."""
    return any(
        name in zh
        for name, entry in index.chinese
        if entry.entity_id == entity_id and entry.subunit is None and name != zh
    )
