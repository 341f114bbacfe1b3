"""Known non-watchlist names compiled against the watchlist index.

Only names that can matter are kept in the scan index: those that contain a watchlist name (the
"Wuhan University" inside "Wuhan University of Technology" or "Zhongnan Hospital of Wuhan
University"). A known name identical to a watchlist name but abroad makes that name ambiguous
("National Defense University" in Washington). A known record that ROR files under a watchlist
institution (``parents``) is one of its units and never suppresses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from dualscope.matching.index import NameIndex, WatchlistIndex
from dualscope.matching.known import KnownInstitution
from dualscope.matching.normalize import canon_key, cjk_compact, has_cjk, norm_tokens, segments


@dataclass(frozen=True, slots=True)
class KnownName:
    """A known institution's name as stored in the scan index."""

    name: str
    country: str
    source: str
    child_of: frozenset[str]  # watchlist entity ids ROR lists as its parents


@dataclass(slots=True)
class KnownIndex:
    names: NameIndex[KnownName] = field(default_factory=NameIndex)
    keys: dict[tuple[str, ...], KnownInstitution] = field(default_factory=dict)
    ambiguous: dict[tuple[str, ...], list[KnownInstitution]] = field(default_factory=dict)
    ambiguous_spellings: set[tuple[str, ...]] = field(default_factory=set)  # normalised tokens
    # Names another Chinese institution (its own ROR record, not a unit of the watchlist
    # institution) bears today: "Suzhou University" (Anhui) versus Soochow University's old name.
    contested: dict[tuple[str, ...], KnownInstitution] = field(default_factory=dict)
    chinese: list[tuple[str, KnownName]] = field(default_factory=list)
    vocabulary: set[str] = field(default_factory=set)
    count: int = 0

    @classmethod
    def build(cls, rows: Iterable[KnownInstitution], index: WatchlistIndex) -> KnownIndex:
        """Compile ``rows`` against the watchlist ``index`` (records of watchlist ids skipped)."""
        known = cls()
        ror_owner = index.ids
        zh_aliases = [zh for zh, _ in index.chinese]
        for row in rows:
            if row.ror_id and row.ror_id in ror_owner:
                continue
            known.count += 1
            child_of = frozenset(
                entity_id for parent in row.parents for entity_id, _, _ in ror_owner.get(parent, ())
            )
            entry = KnownName(row.name, row.country, row.source, child_of)
            if has_cjk(row.name):
                compact = cjk_compact(row.name)
                if any(zh in compact and zh != compact for zh in zh_aliases):
                    known.chinese.append((compact, entry))
                continue
            key = canon_key(row.name)
            if not key:
                continue
            known.vocabulary.update(key)
            known.keys.setdefault(key, row)
            if key in index.names.by_key:
                if row.country and row.country != "CN":
                    known.ambiguous.setdefault(key, []).append(row)
                    known.ambiguous_spellings.add(tuple(norm_tokens(row.name)))
                elif row.ror_id or row.source:
                    owners = {e.entity_id for e in index.names.by_key[key]}
                    if not owners & child_of:
                        known.contested.setdefault(key, row)
                continue
            if any(True for _ in index.names.scan(list(key))):
                known.names.add(key, entry)
        return known

    def spans(self, keys: list[str]) -> list[tuple[int, int, list[KnownName]]]:
        """Known names found in a segment's canonical keys."""
        return list(self.names.scan(keys))

    @staticmethod
    def suppresses(
        spans: list[tuple[int, int, list[KnownName]]], start: int, end: int, owners: set[str]
    ) -> bool:
        """True when a longer known name covers ``start:end`` and is not a unit of ``owners``."""
        for known_start, known_end, entries in spans:
            longer = known_end - known_start > end - start
            unit = all(entry.child_of & owners for entry in entries)
            if known_start <= start and end <= known_end and longer and not unit:
                return True
        return False

    def suppresses_chinese(self, compact: str, zh: str, entity_id: str) -> bool:
        """True when a longer known Chinese name containing ``zh`` is in ``compact``."""
        return any(
            zh in name and name in compact and entity_id not in entry.child_of
            for name, entry in self.chinese
        )

    def is_ambiguous(
        self, key: tuple[str, ...], spelling: tuple[str, ...], alias: tuple[str, ...]
    ) -> bool:
        """True when an institution abroad has this name.

        Canonical keys fold "Polytechnic" and "Polytechnical" together (WoS writes both
        "Polytech"), so an abbreviated form is ambiguous; a string spelling out exactly the
        watchlist name, and not the foreign one, is not.
        """
        if key not in self.ambiguous:
            return False
        return spelling in self.ambiguous_spellings or spelling != alias

    def named(self, text: str) -> KnownInstitution | None:
        """The known institution whose name ``text`` (or its first segment) is, if any."""
        for candidate in (text, *segments(text)[:1]):
            row = self.keys.get(canon_key(candidate))
            if row is not None:
                return row
        return None

    def covers(self, keys: list[str], start: int, end: int) -> bool:
        """True when the span, or the whole segment, is exactly a known institution's name."""
        return tuple(keys[start:end]) in self.keys or tuple(keys) in self.keys
