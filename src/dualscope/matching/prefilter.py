"""A cheap, vectorised pre-filter: which affiliation strings could the matcher match at all?

Screening a corpus sends hundreds of thousands of distinct raw affiliation strings to the
matcher (pure Python, tens of microseconds each), and almost none of them name a watchlist
entity. This module decides, in bulk and in SQL, which strings cannot: a string is *skipped*
only when it holds none of the **anchor tokens** of the selected entities and no Chinese (or
other East Asian) script. It is a **superset filter**: every string the matcher would match to a
selected entity passes (tests/matching/test_prefilter.py runs the labelled sets, the sample and
the ROR gold strings through both paths and requires identical results).

Why a single anchor per alias is enough. The matcher finds a name when the canonical keys of the
alias occur in a segment (:func:`dualscope.matching.normalize.canon_key`): exactly, or with one
misspelt word (the fuzzy rule). So every match holds each key of the alias, except at most one
misspelt word, which starts with the same letter and is close to the alias word (the fuzzy
rule's own test, :data:`dualscope.matching.fuzzy.MIN_SIMILARITY`). For each alias we take its
most distinctive key as the anchor; a string passes when one of its tokens canonicalises to an
anchor, or resembles an anchor word the way a fuzzy typo must. Besides names:

- multi-word phrases folded into one token ("People's Liberation Army" → ``pla``,
  "Xi'an" → ``xian``): an anchor made by a phrase also anchors on a word of the phrase;
- acronyms (``NUDT``): the acronym itself;
- CETC numbered institutes ("14th Research Institute of CETC"): ``cetc``, ``electronics``;
- Chinese names: any character from U+2E80 up (CJK, kana, full-width forms) passes.

How it runs. Arrow (C++) splits each distinct string into words on whitespace, and Python
splits each *distinct word* on ASCII punctuation once (never finer than
:func:`~dualscope.matching.normalize.fold` splits, so no token fold would join is cut);
Python canonicalises each distinct token once (far fewer than strings) and keeps the anchor
tokens; hash look-ups pick out the strings that hold one. The
matcher's own data (index, fuzzy shapes, phrase table) is read, never changed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz.distance import OSA

from dualscope.matching.abbreviations import STOPWORDS, canonical
from dualscope.matching.context import CHINESE_PLACES, GENERIC_WORDS
from dualscope.matching.fuzzy import MIN_SIMILARITY, MIN_WORD
from dualscope.matching.index import AliasEntry, WatchlistIndex
from dualscope.matching.normalize import _PHRASES, canon_tokens, fold
from dualscope.store.arrow import query_arrow, temp_table

# Tokens are split where fold() certainly splits: whitespace, ASCII punctuation except the
# apostrophe (fold deletes it, joining "Xi'an"), and "&" (fold reads " and ").
TOKEN_SPLIT = r"""[\s!"#$%()*+,./:;<=>?@\[\\\]^_`{|}~&-]+"""  # noqa: S105 (a regex, not a secret)
# Chinese, Japanese and Korean script and full-width forms: always sent to the matcher.
EAST_ASIAN = "[\u2e80-\U0010ffff]"
_ALNUM = re.compile(r"[A-Za-z0-9]+")
_CETC_ID = "china-electronics-technology-group-corporation"
_CETC_ANCHORS = ("cetc", "electronics")
FUZZY_SPAN = 2  # the fuzzy rule compares words of about the same length (± 2)


def _rank(key: str, frequency: Mapping[str, int]) -> tuple[int, bool, bool, int]:
    """Sort key: the most distinctive canonical key first (rare in the data at hand, not
    generic, not a Chinese place, long)."""
    return (frequency.get(key, 0), key in GENERIC_WORDS, key in CHINESE_PLACES, -len(key))


@dataclass
class Prefilter:
    """The selected entities' names, acronyms and rules; anchors are chosen per corpus."""

    entries: list[tuple[tuple[str, ...], AliasEntry]]
    acronym_pieces: frozenset[str]
    cetc: bool
    # words the fuzzy rule never reads as a misspelling (the matcher's known vocabulary)
    vocabulary: frozenset[str] = frozenset()
    _keys: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        index: WatchlistIndex,
        entity_ids: Collection[str] | None = None,
        vocabulary: Collection[str] = (),
    ) -> Prefilter:
        """The pre-filter for the entities ``entity_ids`` of ``index`` (all when ``None``);
        ``vocabulary``: the words the matcher's fuzzy rule knows (``Matcher.fuzzy.vocabulary``),
        which it never reads as misspellings."""
        wanted = set(index.entities) if entity_ids is None else set(entity_ids)
        entries = [
            (key, entry)
            for key, bucket in index.names.by_key.items()
            for entry in bucket
            if entry.entity_id in wanted and key
        ]
        pieces = {
            piece.upper()
            for acronym, bucket in index.acronyms.items()
            if any(e.entity_id in wanted for e in bucket)
            for piece in _ALNUM.findall(acronym)
        }
        return cls(entries, frozenset(pieces), _CETC_ID in wanted, frozenset(vocabulary))

    @classmethod
    def for_matcher(cls, matcher: object, categories: Collection[str] | None) -> Prefilter | None:
        """The pre-filter of a :class:`~dualscope.matching.matcher.Matcher` for watchlist
        ``categories`` (all when ``None``); ``None`` for any other matcher-like object."""
        index = getattr(matcher, "index", None)
        fuzzy = getattr(matcher, "fuzzy", None)
        if not isinstance(index, WatchlistIndex) or fuzzy is None:
            return None
        ids = [
            e.id for e in index.entities.values() if categories is None or e.category in categories
        ]
        return cls.build(index, ids, getattr(fuzzy, "vocabulary", ()))

    def token_keys(self, token: str) -> frozenset[str]:
        """Canonical keys ``token`` can stand for (CamelCase read split and whole; memoised)."""
        keys = self._keys.get(token)
        if keys is None:
            forms = set(fold(token).split()) | set(fold(token.lower()).split())
            keys = self._keys[token] = frozenset(forms | set(canon_tokens(sorted(forms))[0]))
        return keys

    def anchors(self, key_frequency: Mapping[str, int] | None = None) -> Anchors:
        """One anchor per alias: its key rarest in ``key_frequency`` (strings holding each
        canonical key), so the fewest strings pass; with no frequencies, the most distinctive
        by the vocabulary alone. A key some phrase produces costs the phrase's rarest word
        too, and that word becomes an anchor with it."""
        frequency: Mapping[str, int] = key_frequency or {}
        if not frequency:
            counts: Counter[str] = Counter(k for key, _ in self.entries for k in set(key))
            frequency = {k: -1_000_000 + n for k, n in counts.items()}  # still rank by rarity
        phrase_words: dict[str, set[str]] = {}
        for old, new in _PHRASES:
            # the phrase's own words (canon_key would fold the phrase itself)
            words = [canonical(w) for w in old.split() if w not in STOPWORDS]
            if words:
                word = min(words, key=lambda k: _rank(k, frequency))
                for out in new.split():
                    phrase_words.setdefault(out, set()).add(word)

        def cost(key: str) -> tuple[int, bool, bool, int]:
            base = _rank(key, frequency)
            extra = sum(max(frequency.get(w, 0), 0) for w in phrase_words.get(key, ()))
            return (base[0] + extra, *base[1:])

        keys: set[str] = set()
        fuzzy: dict[tuple[str, int], set[str]] = {}
        for key, entry in self.entries:
            anchor = min(set(key), key=cost)
            keys.add(anchor)
            keys.update(phrase_words.get(anchor, ()))
            for word in _written(entry, key, anchor):
                if word:
                    fuzzy.setdefault((word[0], len(word)), set()).add(word)
        if self.cetc:
            keys.update(_CETC_ANCHORS)
        return Anchors(
            frozenset(keys),
            self.acronym_pieces,
            {shape: tuple(sorted(words)) for shape, words in fuzzy.items()},
        )

    def is_anchor(self, token: str, anchors: Anchors) -> bool:
        """True when ``token`` (one SQL token of a raw string) could be part of a match."""
        if any(p.upper() in anchors.acronym_pieces for p in _ALNUM.findall(token)):
            return True
        keys = self.token_keys(token)
        if not anchors.keys.isdisjoint(keys):
            return True
        return any(
            anchors.resembles(form)
            for form in keys
            if len(form) >= MIN_WORD and form.isalpha() and form not in self.vocabulary
        )

    def may_match(self, raw: str, anchors: Anchors | None = None) -> bool:
        """The filter on one string (the SQL path of :meth:`mark` does the same in bulk)."""
        if re.search(EAST_ASIAN, raw):
            return True
        anchors = anchors or self.anchors()
        return any(self.is_anchor(t, anchors) for t in re.split(TOKEN_SPLIT, raw) if t)

    def select(self, strings: pa.Array, anchors: Anchors | None = None) -> tuple[pa.Array, Anchors]:
        """The distinct strings of ``strings`` that may match, and the anchors used (see
        :meth:`passes`)."""
        distinct = pc.drop_null(pc.unique(strings.cast(pa.string())))
        mask, anchors = self._passes_distinct(distinct, anchors)
        return pc.filter(distinct, mask), anchors

    def passes(self, strings: pa.Array, anchors: Anchors | None = None) -> tuple[pa.Array, Anchors]:
        """For each of ``strings``, whether it may match (never null), and the anchors used:
        chosen here for this corpus (token frequencies of these strings) when ``anchors`` is
        ``None``.

        In bulk, in Arrow: strings are split into words on ASCII whitespace (C++), the words
        are dictionary-encoded, Python splits and decides each distinct word once (remembered
        in ``anchors`` for the next batch), and a string passes when one of its words does (a
        running sum over the words, C++) or it holds East Asian script. Python's split on
        punctuation and any other whitespace (:data:`TOKEN_SPLIT`) then sees each word, so the
        tokens are exactly those :meth:`may_match` reads. A string repeated in ``strings`` is
        decided once.
        """
        encoded = pc.dictionary_encode(strings.cast(pa.string()))
        mask, anchors = self._passes_distinct(encoded.dictionary, anchors)
        return pc.fill_null(pc.take(mask, encoded.indices), False), anchors

    def _passes_distinct(
        self, strings: pa.Array, anchors: Anchors | None
    ) -> tuple[pa.Array, Anchors]:
        """:meth:`passes` on strings that are all distinct (anchors chosen from their words)."""
        words = pc.ascii_split_whitespace(strings)
        encoded = pc.dictionary_encode(pc.list_flatten(words))
        vocabulary = encoded.dictionary.to_pylist()
        if anchors is None:
            anchors = self.anchors(self._frequency(vocabulary, encoded.indices))
        decided = anchors.decided
        marks = []
        for word in vocabulary:
            hit = decided.get(word)
            if hit is None:
                tokens = [t for t in re.split(TOKEN_SPLIT, word) if t]
                hit = decided[word] = any(self.is_anchor(t, anchors) for t in tokens)
            marks.append(hit)
        holds = _any_per_list(words, pc.take(pa.array(marks, pa.bool_()), encoded.indices))
        return pc.or_(holds, east_asian(strings)), anchors

    def _frequency(self, vocabulary: list[str], indices: pa.Array) -> Counter[str]:
        """How often each canonical key occurs among the words (``indices`` into
        ``vocabulary``)."""
        counts = pc.value_counts(indices)
        frequency: Counter[str] = Counter()
        for index, count in zip(
            counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True
        ):
            for token in re.split(TOKEN_SPLIT, vocabulary[index]):
                if token:
                    for key in self.token_keys(token):
                        frequency[key] += count
        return frequency

    def mark(self, con: duckdb.DuckDBPyConnection, source: str, target: str) -> int:
        """Create temp table ``target(raw)``: the strings of ``source(raw)`` that may match.

        ``source`` must hold distinct strings in a column ``raw``. Anchors are chosen for
        this corpus (see :meth:`anchors`). Returns the number of strings that pass.
        """
        sql = f"SELECT raw FROM {source}"  # noqa: S608
        strings = query_arrow(con, sql).to_arrow_table().column("raw")
        passing, _ = self.select(strings.combine_chunks())
        temp_table(con, target, pa.table({"raw": passing}))
        return len(passing)


@dataclass(frozen=True)
class Anchors:
    """The anchor vocabulary chosen for one corpus."""

    keys: frozenset[str]
    acronym_pieces: frozenset[str]
    # (first letter, length) → written alias words a fuzzy typo could stand for
    fuzzy_words: dict[tuple[str, int], tuple[str, ...]]
    # word → whether it holds an anchor token (filled as batches are read)
    decided: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def resembles(self, form: str) -> bool:
        """Could ``form`` be a fuzzy-rule misspelling of an anchor word?"""
        if not form:
            return False
        for length in range(len(form) - FUZZY_SPAN, len(form) + FUZZY_SPAN + 1):
            for word in self.fuzzy_words.get((form[0], length), ()):
                if OSA.normalized_similarity(form, word) >= MIN_SIMILARITY:
                    return True
        return False


def _written(entry: AliasEntry, key: tuple[str, ...], anchor: str) -> list[str]:
    """The alias's written words at the anchor's positions (what a fuzzy typo is compared to)."""
    keys, positions = canon_tokens(list(entry.norm))
    if tuple(keys) != key:
        return [anchor]
    return [entry.norm[p] for k, p in zip(keys, positions, strict=True) if k == anchor] + [anchor]


def _any_per_list(lists: pa.Array, flags: pa.Array) -> pa.Array:
    """For each list of ``lists``, whether any of its values is flagged (``flags``: one boolean
    per value of ``pc.list_flatten(lists)``); an empty or null list is ``False``."""
    running = pc.cumulative_sum(flags.cast(pa.int64()))
    running = pa.concat_arrays([pa.array([0], pa.int64()), running])
    offsets = lists.offsets
    offsets = pc.subtract(offsets, offsets[0])  # a sliced array's offsets do not start at 0
    ends = pc.take(running, offsets.slice(1))
    starts = pc.take(running, offsets.slice(0, len(offsets) - 1))
    return pc.greater(pc.subtract(ends, starts), 0)


def east_asian(strings: pa.Array) -> pa.Array:
    """Whether each string holds East Asian script (never null); the regular expression only
    runs on the strings that are not plain ASCII."""
    other = pc.fill_null(pc.invert(pc.string_is_ascii(strings)), False)
    if not pc.any(other).as_py():
        return other
    found = pc.fill_null(pc.match_substring_regex(pc.filter(strings, other), EAST_ASIAN), False)
    return pc.replace_with_mask(other, other, found)
