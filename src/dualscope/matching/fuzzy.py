"""The guarded fuzzy rule's candidate index: misspelt words only, never a different word.

A name is a candidate only if it has the same number of words as a window of the segment, all
but one of them identical (after normalisation and abbreviation folding), and the one that differs
is *not a real word* (not in the vocabulary of watchlist names, known institutions, places,
abbreviations) while being a close spelling of the watchlist word. "Tsinghau University" can
match; "Beijing University of Technology" (a real, different word) and "Nanning University" (a
place) never turn into a hit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from dualscope.matching.abbreviations import CANONICAL, STOPWORDS
from dualscope.matching.context import CHINESE_PLACES, FOREIGN_PLACES, GENERIC_WORDS
from dualscope.matching.index import AliasEntry, WatchlistIndex
from dualscope.matching.normalize import canon_tokens

MIN_SIMILARITY = 0.8
MIN_WORD = 5


@dataclass(slots=True)
class FuzzyIndex:
    by_last: dict[tuple[int, str], list[AliasEntry]] = field(default_factory=dict)
    by_first: dict[tuple[int, str], list[AliasEntry]] = field(default_factory=dict)
    lengths: set[int] = field(default_factory=set)
    vocabulary: set[str] = field(default_factory=set)
    written: dict[AliasEntry, tuple[str, ...]] = field(default_factory=dict)
    # (first letter, length) → alias words, to drop unknown words no alias word resembles
    shapes: dict[tuple[str, int], list[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, index: WatchlistIndex, known_vocabulary: set[str]) -> FuzzyIndex:
        fuzzy = cls()
        fuzzy.vocabulary = (
            set(known_vocabulary)
            | set(CANONICAL)
            | set(CANONICAL.values())
            | GENERIC_WORDS
            | CHINESE_PLACES
            | FOREIGN_PLACES
            | STOPWORDS
        )
        for key, entries in index.names.by_key.items():
            fuzzy.vocabulary.update(key)
            for entry in entries:
                if entry.subunit is not None or len(key) < 2:
                    continue
                fuzzy.by_last.setdefault((len(key), key[-1]), []).append(entry)
                fuzzy.by_first.setdefault((len(key), key[0]), []).append(entry)
                fuzzy.lengths.add(len(key))
                for word in fuzzy._written(entry):
                    if len(word) >= MIN_WORD:
                        bucket = fuzzy.shapes.setdefault((word[0], len(word)), [])
                        if word not in bucket:
                            bucket.append(word)
        return fuzzy

    def _resembles_an_alias_word(self, token: str) -> bool:
        """Cheap filter: some alias word starts alike, has about its length and is close."""
        first, size = token[0], len(token)
        for length in range(size - 2, size + 3):
            for word in self.shapes.get((first, length), ()):
                if OSA.normalized_similarity(token, word) >= MIN_SIMILARITY:
                    return True
        return False

    def candidates(self, keys: list[str]) -> Iterator[tuple[int, int, AliasEntry, str]]:
        """(start, end, alias, "typo → word") for windows that differ by one misspelt word."""
        vocabulary = self.vocabulary
        unknown = [
            i
            for i, k in enumerate(keys)
            if len(k) >= MIN_WORD
            and k not in vocabulary
            and k.isalpha()
            and self._resembles_an_alias_word(k)
        ]
        if not unknown:
            return
        seen: set[tuple[int, int, str]] = set()
        n = len(keys)
        for typo_at in unknown:
            typo = keys[typo_at]
            for length in self.lengths:
                for start in range(max(0, typo_at - length + 1), min(typo_at, n - length) + 1):
                    window = tuple(keys[start : start + length])
                    at = typo_at - start
                    pool = self.by_last.get((length, window[-1]), []) + self.by_first.get(
                        (length, window[0]), []
                    )
                    for entry in pool:
                        key = entry.key
                        if key[:at] != window[:at] or key[at + 1 :] != window[at + 1 :]:
                            continue  # another word differs too: never a spelling variant
                        pair = self._typo(typo, self._written(entry)[at])
                        if pair and (start, start + length, entry.entity_id) not in seen:
                            seen.add((start, start + length, entry.entity_id))
                            yield start, start + length, entry, pair

    def _written(self, entry: AliasEntry) -> tuple[str, ...]:
        """The alias's words as written, one per canonical key (not their abbreviations)."""
        words = self.written.get(entry)
        if words is None:
            _, positions = canon_tokens(list(entry.norm))
            words = self.written[entry] = tuple(entry.norm[p] for p in positions)
        return words

    @staticmethod
    def _typo(typo: str, word: str) -> str | None:
        """ "'typo' read as 'word'" when ``typo`` is a close misspelling of ``word``."""
        if len(word) < MIN_WORD or typo[0] != word[0] or word in CHINESE_PLACES:
            return None
        if OSA.normalized_similarity(typo, word) < MIN_SIMILARITY:
            return None
        return f"'{typo}' read as '{word}'"
