"""Phrases of the taxonomy compiled once into regular expressions.

A phrase is written the way a person would type it (``person re-identification``); this module
turns it into a pattern that also matches the usual variants of scientific English:

- whole words only (``radar`` does not match ``radargram``... unless written ``radar*``);
- a space or hyphen between words matches a space, a hyphen (any Unicode dash) or, for a
  hyphen, nothing (``re-identification`` = ``re identification`` = ``reidentification``);
- the last word also matches its plural (``UAV`` → ``UAVs``, ``strategy`` → ``strategies``);
- ``-isation``/``-ization``, ``-ise``/``-ize`` (before ``d``/``r``) and ``behaviour``/``behavior``;
- a word of two or more capitals (``SAR``, ``ReID``) is matched case-sensitively, every other
  word case-insensitively (``multi-UAV`` matches ``Multi-UAV`` but not ``multi-uav``);
- ``word*`` is a prefix match; ``re:<regex>`` is a raw, case-insensitive regular expression.

Each compiled :class:`Phrase` keeps a lower-case *anchor* (a literal its matches must contain),
so the classifier can skip phrases whose anchor is absent with a fast substring test: that is what
makes running every phrase of every area on thousands of works cheap.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014"
_SPACE_SEP = f"[\\s{_DASHES}]+"
_HYPHEN_SEP = f"[\\s{_DASHES}]?"
_BEFORE = r"(?<![A-Za-z0-9])"
_AFTER = r"(?![A-Za-z0-9])"
_RAW_PREFIX = "re:"


class PhraseError(ValueError):
    """A phrase that cannot be compiled (bad raw regex, empty phrase)."""


@dataclass(frozen=True, slots=True)
class Phrase:
    """One compiled phrase: the text as written, its pattern and a literal anchor."""

    text: str
    pattern: re.Pattern[str]
    anchor: str  # lower-case literal every match contains ("" = always try the pattern)

    def spans(self, text: str, lowered: str) -> list[tuple[int, int]]:
        """Start/end offsets of every match in ``text`` (``lowered`` = ``text.lower()``)."""
        if self.anchor and self.anchor not in lowered:
            return []
        return [m.span() for m in self.pattern.finditer(text)]


def _is_case_sensitive(words: list[str]) -> bool:
    return any(sum(ch.isupper() for ch in word) >= 2 for word in words)


def _word_pattern(word: str, *, last: bool, prefix: bool) -> str:
    """Regex for one word, with spelling and (for the last word) plural variants."""
    escaped = re.escape(word).replace("'", "['\u2019]?")
    lowered = escaped.lower()
    for variant, repl in (
        ("isation", "i[sz]ation"),
        ("ization", "i[sz]ation"),
        ("behaviour", "behaviou?r"),
        ("behavior", "behaviou?r"),
    ):
        index = lowered.find(variant)
        if index >= 0:
            escaped = escaped[:index] + repl + escaped[index + len(variant) :]
            lowered = escaped.lower()
    if re.search(r"i[sz]e[dr]?$", word.lower()) and not prefix:
        escaped = re.sub(r"i[sz](e[dr]?)$", r"i[sz]\1", escaped, flags=re.IGNORECASE)
    if not last or prefix or not word[-1:].isalpha():
        return escaped
    if word[-1] in "yY" and len(word) > 3 and word[-2].lower() not in "aeiou":
        return escaped[:-1] + "(?:y|ies|Y|IES)"
    return escaped + "(?:s|es|S|ES)?"


def _anchor(words: list[str]) -> str:
    """The longest word, lower-cased and cut before any spelling variant it may contain."""
    best = max(words, key=len).lower() if words else ""
    if "behavio" in best:  # behaviour / behavior
        best = best[: best.index("behavio") + len("behavio")]
    for cut in ("isat", "izat", "iz", "is", "'"):
        if cut in best and best.index(cut) >= 4:
            best = best[: best.index(cut)]
    if best.endswith("y") and len(best) > 3:
        best = best[:-1]
    return best


@functools.lru_cache(maxsize=8192)
def compile_phrase(phrase: str) -> Phrase:
    """Compile one taxonomy phrase (cached); raises :class:`PhraseError` with the reason."""
    text = phrase.strip()
    if not text:
        raise PhraseError("empty phrase")
    if text.startswith(_RAW_PREFIX):
        try:
            pattern = re.compile(text[len(_RAW_PREFIX) :], re.IGNORECASE)
        except re.error as exc:
            raise PhraseError(f"bad regular expression {text!r}: {exc}") from exc
        if pattern.groups:
            raise PhraseError(f"use non-capturing groups (?:...) in {text!r}")
        return Phrase(text=text, pattern=pattern, anchor="")
    prefix = text.endswith("*")
    core = text.rstrip("*").strip()
    parts = [p for p in re.split(r"(\s+|-)", core) if p]
    words = [p for p in parts if not p.isspace() and p != "-"]
    if not words:
        raise PhraseError(f"phrase {phrase!r} has no words")
    last_word = max(i for i, p in enumerate(parts) if not p.isspace() and p != "-")
    case_sensitive = _is_case_sensitive(words)
    out: list[str] = []
    for index, part in enumerate(parts):
        if part.isspace():
            out.append(_SPACE_SEP)
        elif part == "-":
            out.append(_HYPHEN_SEP)
        else:
            word = _word_pattern(part, last=index == last_word, prefix=prefix)
            if case_sensitive and not _is_case_sensitive([part]):
                word = f"(?i:{word})"  # only the acronym keeps its case: "Multi-UAV"
            out.append(word)
    body = "".join(out)
    flags = 0 if case_sensitive else re.IGNORECASE
    regex = _BEFORE + body + (r"[A-Za-z]*" if prefix else _AFTER)  # a prefix shows its word
    return Phrase(text=text, pattern=re.compile(regex, flags), anchor=_anchor(words))


@dataclass(frozen=True, slots=True)
class PhraseList:
    """An ordered list of compiled phrases (strong, context, exclusion or penalty phrases)."""

    phrases: tuple[Phrase, ...]

    @classmethod
    def of(cls, texts: list[str]) -> PhraseList:
        return cls(tuple(compile_phrase(t) for t in texts))

    def find(self, text: str, lowered: str) -> list[tuple[int, int, int]]:
        """Every match as (phrase index, start, end), in phrase order."""
        found: list[tuple[int, int, int]] = []
        # The anchor test is a C-level substring search: most phrases stop here.
        for index, phrase in enumerate(self.phrases):
            if phrase.anchor and phrase.anchor not in lowered:
                continue
            for match in phrase.pattern.finditer(text):
                found.append((index, match.start(), match.end()))
        return found

    def __len__(self) -> int:
        return len(self.phrases)
