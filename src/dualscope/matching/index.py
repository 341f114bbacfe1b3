"""Precompiled lookups built once from a watchlist: names, acronyms, Chinese names, identifiers.

The hot path never touches pydantic models: every alias becomes a small frozen
:class:`AliasEntry` filed under its canonical key (a tuple of canonical tokens), and a segment is
scanned by looking up token n-grams, longest first, only at positions whose token starts some
alias.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from dualscope.matching.context import is_generic
from dualscope.matching.normalize import (
    canon_tokens,
    cjk_compact,
    has_cjk,
    has_inner_capital,
    joined_tokens,
    norm_tokens,
)
from dualscope.watchlist.model import Entity, Watchlist

T = TypeVar("T")

# An alias written entirely in capitals (2-8 letters, optional digits/&) is an acronym.
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}$")
_AKA = re.compile(r"\b(?:a\.k\.a\.?|aka|also known as)\s+", re.IGNORECASE)
# Curators' prose in front of a name ("May also be known as the ...", "Possibly the same as ...").
_PROSE = re.compile(
    r"^(?:may (?:also )?(?:be )?known as|possibly the same as|also known as|a\.k\.a\.?)"
    r"\s+(?:the\s+)?",
    re.IGNORECASE,
)
_PAREN_AKA = re.compile(r"[(（]\s*(?:a\.k\.a\.?|aka|also known as)\s+([^()（）]*)[)）]", re.I)
_TRAILING_PAREN = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")
# Shortest Chinese alias matched as a substring: two or three characters ("北航", "哈工大")
# are abbreviations that also occur inside other names (湖北理工学院 contains 北理工).
MIN_CJK_ALIAS = 4


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One name of one watchlist entity (or of one of its sub-units), ready for lookup."""

    entity_id: str
    alias: str  # as written in the watchlist
    kind: str  # alias kind of the model, "official" for name_en, "subunit" for sub-units
    key: tuple[str, ...]  # canonical tokens
    norm: tuple[str, ...]  # normalised tokens (exact match versus abbreviation)
    generic: bool  # made only of generic words: needs Chinese context
    subunit: str | None = None  # the sub-unit's name when this alias names a sub-unit
    subunit_kind: str | None = None


@dataclass(slots=True)
class NameIndex(Generic[T]):
    """Canonical key → payloads, with the longest key length per first token for fast scans."""

    by_key: dict[tuple[str, ...], list[T]] = field(default_factory=dict)
    max_len: dict[str, int] = field(default_factory=dict)

    def add(self, key: tuple[str, ...], payload: T) -> None:
        if not key:
            return
        bucket = self.by_key.setdefault(key, [])
        if payload not in bucket:
            bucket.append(payload)
        if len(key) > self.max_len.get(key[0], 0):
            self.max_len[key[0]] = len(key)

    def scan(self, keys: list[str]) -> Iterator[tuple[int, int, list[T]]]:
        """Yield ``(start, end, payloads)`` for the longest key starting at each position."""
        n = len(keys)
        max_len = self.max_len
        by_key = self.by_key
        for start in range(n):
            longest = max_len.get(keys[start])
            if longest is None:
                continue
            for end in range(min(n, start + longest), start, -1):
                found = by_key.get(tuple(keys[start:end]))
                if found is not None:
                    yield start, end, found
                    break

    def __len__(self) -> int:
        return len(self.by_key)


@dataclass(slots=True)
class WatchlistIndex:
    """Everything the rules look up, built once per watchlist."""

    entities: dict[str, Entity]
    names: NameIndex[AliasEntry]
    acronyms: dict[str, list[AliasEntry]]
    chinese: list[tuple[str, AliasEntry]]  # compact Chinese alias, longest first
    chinese_by_start: dict[str, list[tuple[str, AliasEntry]]]  # first two characters → aliases
    ids: dict[str, list[tuple[str, str, str | None]]]  # id → (entity_id, scheme, subunit)
    token_aliases: dict[str, list[AliasEntry]]  # distinctive canonical token → aliases (fuzzy)
    # entity id → canonical keys of its own names (not its sub-units')
    entity_keys: dict[str, set[tuple[str, ...]]] = field(default_factory=dict)
    # proper prefixes of name keys → the entities whose longer names start that way
    prefixes: dict[tuple[str, ...], set[str]] = field(default_factory=dict)


def _entity_names(entity: Entity) -> Iterator[tuple[str, str, str | None, str | None]]:
    """(name, kind, subunit name, subunit kind) for every name of an entity and its sub-units."""
    yield entity.name_en, "official", None, None
    if entity.name_zh:
        yield entity.name_zh, "official", None, None
    for alias in entity.aliases:
        yield alias.name, alias.kind, None, None
    for sub in entity.subunits:
        yield sub.name, "subunit", sub.name, sub.kind
        if sub.name_zh:
            yield sub.name_zh, "subunit", sub.name, sub.kind
        for name in sub.aliases:
            yield name, "subunit", sub.name, sub.kind


def name_variants(name: str) -> list[str]:
    """A name as written, plus the names inside "X, a.k.a. Y (Z)" notes: X and Y.

    Curated sub-unit names sometimes carry both names in one string ("CASC 5th Academy, a.k.a.
    China Academy of Space Technology (CAST)"); each name is matched on its own.
    """
    flat = _PAREN_AKA.sub(r", a.k.a. \1", name)
    prose = _PROSE.match(flat)
    if prose:  # "May also be known as the X Laboratory": only X is a name
        return [flat[prose.end() :].strip(" ,;")]
    parts = [p.strip(" ,;") for p in _AKA.split(flat)]
    variants = [name]
    for part in parts:
        bare = _TRAILING_PAREN.sub("", part).strip(" ,;")
        if bare and bare not in variants and len(bare.split()) >= 2:
            variants.append(bare)
    return variants


def normalise_id(value: str) -> str:
    """``https://ror.org/05d2yfz11`` → ``05d2yfz11``; ``https://openalex.org/I123`` → ``I123``."""
    value = value.strip()
    for prefix in ("https://", "http://"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
    for host in ("ror.org/", "openalex.org/institutions/", "openalex.org/"):
        if value.startswith(host):
            value = value[len(host) :]
    if value[:1] in "iI" and value[1:].isdigit():
        return "I" + value[1:]
    return value.lower()


_ID_HOSTS = ("", "ror.org/", "openalex.org/institutions/", "openalex.org/")


def written_id_forms(ids: Iterable[str]) -> set[str]:
    """Every lower-cased way of writing ``ids`` (normalised ids, as in ``WatchlistIndex.ids``)
    that :func:`normalise_id` reads back as one of them, once trimmed: bare, or after
    ``ror.org/``, ``openalex.org/`` or ``openalex.org/institutions/``, with or without
    ``http://`` or ``https://``. For exact, vectorised look-ups of raw identifiers."""
    prefixes = [scheme + host for scheme in ("", "http://", "https://") for host in _ID_HOSTS]
    return {prefix + value.lower() for value in ids for prefix in prefixes}


# Chinese military names are often written without the army prefix: "国防科技大学" for
# "中国人民解放军国防科技大学".
_PLA_PREFIXES = ("中国人民解放军", "人民解放军", "解放军")


def _cjk_variants(compact: str) -> list[str]:
    """The Chinese name and, for a PLA institution, the name without the army prefix."""
    variants = [compact]
    for prefix in _PLA_PREFIXES:
        if compact.startswith(prefix):
            variants.append(compact[len(prefix) :])
            break
    return variants


def _is_acronym(name: str, kind: str) -> bool:
    return kind == "acronym" or (" " not in name and _ACRONYM.match(name) is not None)


def build_index(watchlist: Watchlist) -> WatchlistIndex:
    """Compile the lookups of ``watchlist``; ambiguous aliases are kept for every entity."""
    index = WatchlistIndex(
        entities={e.id: e for e in watchlist.entities},
        names=NameIndex(),
        acronyms={},
        chinese=[],
        chinese_by_start={},
        ids={},
        token_aliases={},
    )
    seen_cjk: set[tuple[str, str, str | None]] = set()
    for entity in watchlist.entities:
        for name, kind, subunit, sub_kind in _entity_names(entity):
            for variant in name_variants(name):
                _add_name(index, entity, variant, kind, subunit, sub_kind, seen_cjk)
        for ident in entity.identifiers:
            _add_id(index, ident.value, entity.id, ident.scheme, None)
        for sub in entity.subunits:
            for ident in sub.identifiers:
                _add_id(index, ident.value, entity.id, ident.scheme, sub.name)
    index.chinese.sort(key=lambda item: -len(item[0]))
    for zh, entry in index.chinese:
        index.chinese_by_start.setdefault(zh[:2], []).append((zh, entry))
    return index


def _add_id(
    index: WatchlistIndex, value: str, entity_id: str, scheme: str, subunit: str | None
) -> None:
    bucket = index.ids.setdefault(normalise_id(value), [])
    if (entity_id, scheme, subunit) not in bucket:
        bucket.append((entity_id, scheme, subunit))


def _add_name(
    index: WatchlistIndex,
    entity: Entity,
    name: str,
    kind: str,
    subunit: str | None,
    sub_kind: str | None,
    seen_cjk: set[tuple[str, str, str | None]],
) -> None:
    name = name.strip()
    if not name:
        return
    if has_cjk(name):
        for number, compact in enumerate(_cjk_variants(cjk_compact(name))):
            if len(compact) >= MIN_CJK_ALIAS and (compact, entity.id, subunit) not in seen_cjk:
                seen_cjk.add((compact, entity.id, subunit))
                # A name without its army prefix is short: it must start the Chinese text
                # (信息工程大学 is also the end of 南京信息工程大学); ``generic`` marks that.
                entry = AliasEntry(entity.id, name, kind, (), (), number > 0, subunit, sub_kind)
                index.chinese.append((compact, entry))
        return
    _add_tokens(index, entity, name, kind, subunit, sub_kind, norm_tokens(name))
    # "TianGong University": also as written plain, tiangong (an acronym never)
    if not _is_acronym(name, kind) and has_inner_capital(name):
        _add_tokens(index, entity, name, kind, subunit, sub_kind, joined_tokens(name))


def _add_tokens(
    index: WatchlistIndex,
    entity: Entity,
    name: str,
    kind: str,
    subunit: str | None,
    sub_kind: str | None,
    norm: list[str],
) -> None:
    keys, _ = canon_tokens(norm)
    key = tuple(keys)
    if not key:
        return
    if _is_acronym(name, kind):
        entry = AliasEntry(entity.id, name, "acronym", key, tuple(norm), True, subunit, sub_kind)
        bucket = index.acronyms.setdefault(name.upper().replace(" ", ""), [])
        if entry not in bucket:
            bucket.append(entry)
        return
    if subunit is not None and key in index.entity_keys.get(entity.id, ()):
        # "Harbin Institute of Technology, Shenzhen" folds to the parent's own key (places are
        # not part of keys): as a sub-unit it would only add evidence naming a campus the
        # string may not mention. The parent's own name already matches.
        return
    entry = AliasEntry(entity.id, name, kind, key, tuple(norm), is_generic(key), subunit, sub_kind)
    index.names.add(key, entry)
    if subunit is None:
        index.entity_keys.setdefault(entity.id, set()).add(key)
    for n in range(2, len(key)):
        index.prefixes.setdefault(key[:n], set()).add(entity.id)
    for token in set(key):
        if len(token) >= 5:
            index.token_aliases.setdefault(token, []).append(entry)


def entity_ids_of(entries: Iterable[AliasEntry]) -> set[str]:
    """The distinct entity ids among ``entries``."""
    return {entry.entity_id for entry in entries}
