"""The affiliation matcher: raw string (+ ids, country) → watchlist entities with evidence.

Order of work, cheap first: identifiers; Chinese names (only when the string has Chinese
script); then each comma/semicolon segment is scanned for watchlist names and known
non-watchlist names (token n-gram lookups), the longest / most specific name wins, and guards
reject names that continue into another institution's name, affiliated hospitals, and generic
names without Chinese context; acronyms need Chinese context too; the fuzzy rule only runs on
segments that name an organisation but matched nothing, and only forgives misspelt words.
Results are memoised per distinct input.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import ClassVar

from rapidfuzz import fuzz, process

from dualscope.matching import rules
from dualscope.matching.acronyms import acronym_context, capital_words, entity_places
from dualscope.matching.campus import CampusSiblings
from dualscope.matching.chinese import find_chinese_names
from dualscope.matching.context import StringContext
from dualscope.matching.fuzzy import FuzzyIndex
from dualscope.matching.guards import continues, maximal, names_its_parent, topical
from dualscope.matching.index import (
    AliasEntry,
    WatchlistIndex,
    build_index,
    entity_ids_of,
    normalise_id,
)
from dualscope.matching.known import (
    KnownInstitution,
    known_file,
    load_known,
    load_near_misses,
    near_miss_institutions,
)
from dualscope.matching.knownindex import KnownIndex
from dualscope.matching.normalize import (
    fold,
    has_cjk,
    has_inner_capital,
    is_japanese,
    joined_tokens,
    raw_segments,
    segment_separators,
)
from dualscope.matching.segment import Segment
from dualscope.matching.types import Evidence, Match
from dualscope.settings import Settings, get_settings
from dualscope.watchlist.model import Watchlist

_NUMBERED = re.compile(
    r"\b(?:no )?(\d{1,3})(?:st|nd|rd|th)? (?:research )?institute of "
    r"(?:china electronics technology (?:group )?(?:corporation|corp|co)?|cetc)\b"
    r"|\bcetc (?:no )?(\d{1,3})(?:st|nd|rd|th)?(?: research)? institute\b"
)
# A separator between two affiliations rather than between parts of one.
_AFFILIATION_BREAK = re.compile(r"[;；|]")
_CETC_ID = "china-electronics-technology-group-corporation"
CACHE_SIZE = 262_144
MIN_CLOSEST = 0.3  # below this similarity a "closest name" is noise, not worth showing

_Found = dict[str, tuple[float, list[Evidence], int]]  # entity id → (score, evidence, order)


@dataclass(frozen=True, slots=True)
class _Findings:
    """What one segment holds, independent of the rest of the string (memoised)."""

    part: Segment
    hits: tuple[tuple[int, int, tuple[AliasEntry, ...]], ...]  # names that passed the guards
    fuzzy: tuple[tuple[int, int, AliasEntry, str], ...]  # spelling-variant candidates
    numbers: tuple[str, ...]  # CETC institute numbers


class Matcher:
    """Resolve affiliation strings to watchlist entities, each with score and evidence."""

    def __init__(
        self,
        watchlist: Watchlist,
        known: Iterable[KnownInstitution] | None = None,
        *,
        near_misses: bool = True,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self.watchlist = watchlist
        self.index: WatchlistIndex = build_index(watchlist)
        rows = list(near_miss_institutions(load_near_misses())) if near_misses else []
        rows.extend(known or ())
        self.known = KnownIndex.build(rows, self.index)
        self.fuzzy = FuzzyIndex.build(self.index, self.known.vocabulary)
        self.campus = CampusSiblings(self.index, self.known)
        self._match_cached = lru_cache(maxsize=cache_size)(self._match)
        self._segment = lru_cache(maxsize=cache_size)(self._find_in_segment)
        self._closest_names: list[tuple[str, str, str]] | None = None
        self._places: dict[str, tuple[str, ...]] = {}
        # sub-units an official list names as organisations of their own (DoD 1286 lists the
        # "Academy of Military Medical Sciences" itself): their names are not topical
        self._listed_subunits = {
            (e.id, sub.name) for e in watchlist.entities for sub in e.subunits if sub.lists
        }

    # --- construction -------------------------------------------------------------------------

    _default_lock: ClassVar[threading.Lock] = threading.Lock()
    _defaults: ClassVar[dict[tuple[str, float], Matcher]] = {}

    @classmethod
    def default(cls, settings: Settings | None = None) -> Matcher:
        """Bundled + user watchlist, plus known institutions if imported; built once and cached."""
        from dualscope.watchlist.loader import load_watchlist

        settings = settings or get_settings()
        path = known_file(settings)
        folder = settings.user_watchlist_dir
        # Rebuild when the user's files change (an import in a long-running server).
        stamp = (
            max((f.stat().st_mtime for f in folder.glob("*") if f.is_file()), default=0.0)
            if folder.is_dir()
            else 0.0
        )
        key = (str(folder.resolve()), stamp)
        with cls._default_lock:
            if key not in cls._defaults:
                known = load_known(path) if path.is_file() else None
                cls._defaults[key] = cls(load_watchlist(settings), known)
            return cls._defaults[key]

    # --- public API ---------------------------------------------------------------------------

    def match(
        self, text: str | None, ids: Sequence[str] = (), country: str | None = None
    ) -> list[Match]:
        """Watchlist entities named by ``text`` (or identified by ``ids``), best evidence first.

        ``ids`` may be ROR or OpenAlex institution ids or URLs, lineage included; ``country`` is
        an ISO 3166-1 code when the caller knows it. Returns ``[]`` when nothing matches.
        """
        key_ids = tuple(ids) if ids else ()
        return list(self._match_cached(text or "", key_ids, country.upper() if country else None))

    def closest(self, text: str, limit: int = 5) -> list[tuple[str, str, float]]:
        """The watchlist names most similar to ``text`` (entity id, name, similarity 0..1).

        For "closest names, not matched" in ``dualscope check``: similarity is not a match.
        """
        if self._closest_names is None:
            self._closest_names = [
                (e.id, name, fold(name))
                for e in self.watchlist.entities
                for name in [
                    e.name_en,
                    *([e.name_zh] if e.name_zh else []),
                    *(a.name for a in e.aliases),
                ]
            ]
        known = self.known.named(text)
        query = fold(text)
        choices = [folded for _, _, folded in self._closest_names]
        results = process.extract(query, choices, scorer=fuzz.ratio, limit=limit * 4)
        seen: dict[str, tuple[str, str, float]] = {}
        confused = self.index.entities.get(known.confusable_with) if known else None
        if confused is not None:  # a curated near miss: show what it is confused with first
            seen[confused.id] = (confused.id, confused.name_en, 1.0)
        for _, score, position in results:
            entity_id, name, _ = self._closest_names[position]
            if entity_id not in seen and score >= MIN_CLOSEST * 100:
                seen[entity_id] = (entity_id, name, round(score / 100, 3))
        ranked = sorted(seen.values(), key=lambda r: -r[2])[:limit]
        if confused is not None:
            similarity = round(fuzz.ratio(query, fold(confused.name_en)) / 100, 3)
            ranked = [(i, n, similarity if i == confused.id else s) for i, n, s in ranked]
        return ranked

    def known_institution(self, text: str) -> KnownInstitution | None:
        """The known non-watchlist institution ``text`` names exactly, if any (for ``check``)."""
        return self.known.named(text)

    def cache_info(self) -> str:
        return str(self._match_cached.cache_info())

    # --- the work -----------------------------------------------------------------------------

    def _match(self, text: str, ids: tuple[str, ...], country: str | None) -> tuple[Match, ...]:
        found: _Found = {}
        for value in ids:
            self._identifier(value, found)
        if text.strip():
            cjk = has_cjk(text)
            raws = raw_segments(text)
            located = [
                (i, f)
                for i, raw in enumerate(raws)
                if (f := self._segment(raw.strip())) is not None
            ]
            findings = [f for _, f in located]
            all_tokens = [t for f in findings for t in f.part.norm]
            ctx = StringContext(text, all_tokens, country, cjk)
            pending: list[tuple[str, Evidence]] = []
            if cjk and not is_japanese(text):
                self._chinese(text, found, pending)
            separators: list[str] | None = None
            for n, (_, finding) in enumerate(located):
                part = finding.part
                for start, end, entries in finding.hits:
                    key = tuple(part.keys[start:end])
                    unqualified: set[str] = set()
                    if self.campus.tails(key):
                        if separators is None:
                            separators = segment_separators(text)
                        entries, unqualified = self._campus(
                            key, entries, end == len(part.keys), n, located, separators
                        )
                        if not entries:
                            continue
                    self._accept(part, start, end, entries, found, ctx, pending, unqualified)
                if finding.fuzzy and (country is None or country == "CN"):
                    self._fuzzy(part, finding.fuzzy, found, ctx)
                for number in finding.numbers:
                    evidence = rules.numbered_institute(part.raw, number, self._name(_CETC_ID))
                    self._add(found, _CETC_ID, rules.SCORES["subunit"], evidence)
            for entity_id, evidence in pending:  # generic sub-unit names only support a parent
                if entity_id in found:
                    self._add(found, entity_id, rules.SCORES["subunit"], evidence)
            self._acronyms(text, found, ctx)
        return self._results(found)

    def _campus(
        self,
        key: tuple[str, ...],
        entries: tuple[AliasEntry, ...],
        ends_segment: bool,
        n: int,
        located: list[tuple[int, _Findings]],
        separators: list[str],
    ) -> tuple[tuple[AliasEntry, ...], set[str]]:
        """The entries of a name with campus siblings that the string does not give to a
        sibling, and the entities among them named without their campus (see ``campus``)."""
        i = located[n][0]
        next_keys: list[str] = []
        adjacent = n + 1 < len(located) and located[n + 1][0] == i + 1
        if ends_segment and adjacent and not _AFFILIATION_BREAK.search(separators[i]):
            next_keys = located[n + 1][1].part.keys
        affiliation: list[str] = []
        for j, finding in located:  # the affiliation: the segments between semicolons
            gap = separators[min(j, i) : max(j, i)]
            if not any(_AFFILIATION_BREAK.search(sep) for sep in gap):
                affiliation.extend(finding.part.keys)
        kept = tuple(
            e
            for e in entries
            if e.subunit is not None
            or not self.campus.names_sibling(key, e.entity_id, next_keys, affiliation)
        )
        unqualified = {
            e.entity_id
            for e in kept
            if e.subunit is None and self.campus.lacks_campus(e.entity_id, key, affiliation)
        }
        return kept, unqualified

    def _find_in_segment(self, raw: str) -> _Findings | None:
        """Everything about one segment that does not depend on the rest of the string.

        Memoised per distinct segment: cities, countries and department names repeat across
        otherwise distinct affiliation strings.
        """
        if not raw:
            return None
        part = Segment.of(raw)
        if not part.keys:
            return None
        findings = self._findings(part)
        if not findings.hits and has_inner_capital(raw):
            # "TianGong University": the words split at the capital name nothing; read the
            # CamelCase word whole (tiangong), as the plain alias is written.
            joined = Segment.from_tokens(raw, joined_tokens(raw))
            alternative = self._findings(joined)
            if alternative.hits:
                return alternative
        return findings

    def _findings(self, part: Segment) -> _Findings:
        numbers = self._numbers(part)
        hits = list(self.index.names.scan(part.keys))
        hospital = part.is_hospital()
        if not hits:
            fuzzy = () if hospital else tuple(self._fuzzy_candidates(part))
            return _Findings(part, (), fuzzy, numbers)
        known_spans = self.known.spans(part.keys) if self.known.names else []
        kept = []
        for start, end, entries in maximal(hits):
            owners = entity_ids_of(entries)
            if hospital and not any("hosp" in e.key for e in entries):
                continue
            if continues(part, start, end, owners, self.index):
                continue
            if self.known.suppresses(known_spans, start, end, owners):
                continue
            kept.append((start, end, tuple(entries)))
        return _Findings(part, tuple(kept), (), numbers)

    def _add(self, found: _Found, entity_id: str, score: float, evidence: Evidence) -> None:
        if entity_id not in self.index.entities:
            return
        old = found.get(entity_id)
        if old is None:
            found[entity_id] = (score, [evidence], len(found))
            return
        best, evidences, order = old
        if all(e.rule != evidence.rule or e.alias != evidence.alias for e in evidences):
            evidences.append(evidence)
        found[entity_id] = (max(best, score), evidences, order)

    def _results(self, found: _Found) -> tuple[Match, ...]:
        matches = []
        for entity_id, (score, evidence, _order) in sorted(found.items(), key=lambda i: i[1][2]):
            entity = self.index.entities[entity_id]
            ranked = sorted(evidence, key=lambda e: -rules.SCORES.get(e.rule, 0.5))
            matches.append(Match(entity.id, entity.name_en, entity.category, score, tuple(ranked)))
        return tuple(matches)

    def _entity_places(self, entity_id: str) -> tuple[str, ...]:
        places = self._places.get(entity_id)
        if places is None:
            places = self._places[entity_id] = entity_places(self.index.entities[entity_id])
        return places

    def _name(self, entity_id: str) -> str:
        return self.index.entities[entity_id].name_en

    # rule: identifier
    def _identifier(self, value: str, found: _Found) -> None:
        if not value:
            return
        for entity_id, scheme, sub in self.index.ids.get(normalise_id(value), ()):
            evidence = rules.identifier(value.strip(), scheme, self._name(entity_id), sub)
            self._add(found, entity_id, rules.SCORES["identifier"], evidence)

    # rule: Chinese names
    def _chinese(self, text: str, found: _Found, pending: list[tuple[str, Evidence]]) -> None:
        for hit in find_chinese_names(text, self.index, self.known):
            entry, name = hit.entry, self._name(hit.entry.entity_id)
            if entry.subunit:
                evidence = rules.subunit(hit.zh, entry, name)
                if not hit.strong:
                    pending.append((entry.entity_id, evidence))
                    continue
            else:
                evidence = rules.chinese_name(hit.zh, entry, name)
            self._add(found, entry.entity_id, rules.SCORES["chinese_name"], evidence)

    # rules: exact alias, WoS abbreviation, generic name in context, sub-unit, fuzzy spelling
    def _accept(
        self,
        part: Segment,
        start: int,
        end: int,
        entries: tuple[AliasEntry, ...],
        found: _Found,
        ctx: StringContext,
        pending: list[tuple[str, Evidence]],
        unqualified: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        matched = part.raw_text(start, end)
        first, last = part.norm_span(start, end)
        span_norm = tuple(part.norm[first:last])
        key = tuple(part.keys[start:end])
        owners = entity_ids_of(entries)
        contested = key in self.known.contested
        for entry in entries:
            name = self._name(entry.entity_id)
            if entry.generic and ctx.abroad:
                continue  # "National Defense University, Washington DC, USA"
            if contested and entry.kind != "official":
                continue  # another Chinese institution bears this alias as its name today
            if entry.subunit is not None:
                evidence = rules.subunit(matched, entry, name)
                listed = (entry.entity_id, entry.subunit) in self._listed_subunits
                weak = entry.generic or (topical(key) and (not listed or ctx.abroad))
                if len(owners) > 1 or (weak and not names_its_parent(entry, self.index)):
                    pending.append((entry.entity_id, evidence))
                    continue
                score = rules.SCORES["subunit"]
            elif self.known.is_ambiguous(key, span_norm, entry.norm) or (
                entry.generic and (len(key) < 3 or ctx.in_china)
            ):
                if not ctx.in_china:
                    continue  # "Naval Academy": needs a Chinese place in the string
                context = ctx.words()
                evidence = rules.generic_name_in_context(matched, entry, name, context)
                score = rules.SCORES["generic_name_in_context"]
            elif entry.entity_id in unqualified:  # "China University of Geosciences" alone
                qualifier = self.campus.qualifier(entry.entity_id) or ""
                evidence = rules.name_without_campus(matched, entry, name, qualifier)
                score = rules.SCORES["name_without_campus"]
            elif span_norm == entry.norm:
                evidence = rules.exact_alias(matched, entry, name)
                score = rules.SCORES["exact_alias"]
            else:
                words = rules.abbreviation_words(span_norm)
                evidence = rules.wos_abbreviation(matched, entry, name, words)
                score = rules.SCORES["wos_abbreviation"]
            self._add(found, entry.entity_id, score, evidence)

    def _fuzzy_candidates(self, part: Segment) -> Iterator[tuple[int, int, AliasEntry, str]]:
        for start, end, entry, pairs in self.fuzzy.candidates(part.keys):
            if continues(part, start, end, {entry.entity_id}, self.index):
                continue
            if self.known.covers(part.keys, start, end):
                continue
            yield start, end, entry, pairs

    def _fuzzy(
        self,
        part: Segment,
        candidates: tuple[tuple[int, int, AliasEntry, str], ...],
        found: _Found,
        ctx: StringContext,
    ) -> None:
        for start, end, entry, pairs in candidates:
            if entry.generic and not ctx.in_china:
                continue
            evidence = rules.fuzzy_spelling(
                part.raw_text(start, end), entry, self._name(entry.entity_id), pairs
            )
            self._add(found, entry.entity_id, rules.SCORES["fuzzy_spelling"], evidence)

    # rule: numbered institutes (CETC)
    def _numbers(self, part: Segment) -> tuple[str, ...]:
        if _CETC_ID not in self.index.entities or "institute" not in part.norm:
            return ()
        joined = " ".join(part.norm)
        return tuple(hit.group(1) or hit.group(2) for hit in _NUMBERED.finditer(joined))

    # rule: acronyms in Chinese context
    def _acronyms(self, text: str, found: _Found, ctx: StringContext) -> None:
        tokens = set(ctx.tokens)
        for acronym in capital_words(text):
            entries = self.index.acronyms.get(acronym, ())
            owners = len(entity_ids_of(entries))
            for entry in entries:
                if entry.entity_id in found:
                    continue
                places = self._entity_places(entry.entity_id)
                place = acronym_context(acronym, places, owners, tokens, ctx)
                if place is None:
                    continue
                name = self._name(entry.entity_id)
                evidence = rules.acronym_in_context(acronym, entry, name, place)
                self._add(found, entry.entity_id, rules.SCORES["acronym_in_context"], evidence)
