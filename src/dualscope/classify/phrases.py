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

Each compiled :class:`Phrase` keeps a lower-case *anchor* (a literal its matches must contain):
:meth:`PhraseList.find` skips a phrase whose anchor is not in the lower-cased text. That rule
defines which phrases are tried; the classifier applies it faster, with the same results:

- an :class:`AnchorIndex` finds, once per text, which anchors of the whole taxonomy occur in it
  (token by token, with a cache), instead of one substring search per phrase and area;
- each phrase also keeps the other *literals* every match must contain (:func:`word_literals`,
  :func:`regex_literals`; raw regexes have no anchor but usually have literals): a phrase one of
  whose literals is missing cannot match and is not run. Case-insensitive matching and
  ``str.lower()`` disagree on four characters (:func:`folds_to_ascii`); on a text with one of
  them only the anchor rule is applied;
- a :class:`FieldText` runs every remaining phrase once and keeps the matches, so scoring 22
  areas, their combos and the re-scoring passes costs no further regex run;
- ordinary phrases are compiled on first use (:attr:`Phrase.pattern`).
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

try:  # the parser behind re.compile: used only to read the literals a regex requires
    _sre_parse: Any = importlib.import_module("re._parser")
except ImportError:  # pragma: no cover - other Pythons: no literal filter, every regex runs
    _sre_parse = None

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
    """One compiled phrase: the text as written, its regex and a literal anchor.

    The regex is compiled on first use (:attr:`pattern`): a taxonomy has thousands of phrases
    and most works need a handful, so loading the classifier does not pay for all of them.
    A raw regex (``re:``) is compiled at once, to report a bad one when the file is loaded.
    """

    text: str
    source: str  # the regular expression
    flags: int
    anchor: str  # lower-case literal every match contains ("" = always try the pattern)
    # What every match contains, lower-cased, on a text that does not fold to ASCII
    # (:func:`folds_to_ascii`): for each tuple, one of its literals (runs of ASCII letters and
    # digits), from the words (:func:`word_literals`) or the regex (:func:`regex_literals`).
    literals: tuple[tuple[str, ...], ...] = ()
    compiled: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    @property
    def pattern(self) -> re.Pattern[str]:
        """The compiled regex (compiled once, on first use)."""
        compiled = self.compiled
        if compiled is None:
            compiled = re.compile(self.source, self.flags)
            object.__setattr__(self, "compiled", compiled)
        return compiled

    def spans(self, text: str, lowered: str) -> list[tuple[int, int]]:
        """Start/end offsets of every match in ``text`` (``lowered`` = ``text.lower()``)."""
        if self.anchor and self.anchor not in lowered:
            return []
        return [m.span() for m in self.pattern.finditer(text)]


def _is_case_sensitive(words: list[str]) -> bool:
    return any(sum(map(str.isupper, word)) >= 2 for word in words)


_IZE_END = re.compile(r"i[sz]e[dr]?$")
_IZE_END_ANY_CASE = re.compile(r"i[sz](e[dr]?)$", re.IGNORECASE)


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
    if not prefix and _IZE_END.search(word.lower()):
        escaped = _IZE_END_ANY_CASE.sub(r"i[sz]\1", escaped)
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


def _literal_runs(text: str) -> list[str]:
    """The maximal runs of ASCII letters and digits of ``text``, lower-cased."""
    return [run.lower() for run in re.split(r"[^A-Za-z0-9]+", text) if run]


_Conjuncts = list[tuple[str, ...]]


def _best(conjuncts: _Conjuncts) -> tuple[str, ...] | None:
    """The most selective requirement (the longest shortest literal), first among equals."""
    return max(conjuncts, key=lambda c: min(map(len, c)), default=None)


def _lead(items: Any) -> str:
    """The ASCII letters and digits a parsed sequence starts with, as plain literals."""
    lead = []
    for op, av in items:
        if op is not _sre_parse.LITERAL or not (chr(av).isascii() and chr(av).isalnum()):
            break
        lead.append(chr(av))
    return "".join(lead)


def _conjuncts(items: Any) -> _Conjuncts:
    """Requirements every match of the parsed sequence ``items`` meets: for each tuple, the
    match contains one of its literals (lower-cased runs of ASCII letters and digits).

    Only what is certain counts: runs of plain literals, groups, branches whose every
    alternative requires something, and repeats of at least one; lookarounds, classes,
    optional parts and anything else add nothing.
    """
    assert _sre_parse is not None
    out: _Conjuncts = []
    run: list[str] = []

    def close_run() -> str:
        text = "".join(run)
        out.extend((piece,) for piece in _literal_runs(text))
        run.clear()
        return text

    for op, av in items:
        if op is _sre_parse.LITERAL:
            run.append(chr(av))
            continue
        before = close_run()
        if op is _sre_parse.SUBPATTERN:
            out.extend(_conjuncts(av[3]))
        elif op is _sre_parse.BRANCH:
            alternatives = [_best(_conjuncts(alt)) for alt in av[1]]
            if all(alternatives):
                out.append(tuple(sorted({lit for alt in alternatives if alt for lit in alt})))
            # "GNSS|GPS" is parsed as G(?:NSS|PS): join the literals before the branch to the
            # literals each alternative starts with (gnss, gps).
            tail = re.search(r"[A-Za-z0-9]+$", before)
            if tail:
                out.append(tuple(sorted({(tail.group() + _lead(alt)).lower() for alt in av[1]})))
        elif op in (_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT) and av[0] >= 1:
            out.extend(_conjuncts(av[2]))
    close_run()
    return out


_MIN_LITERAL = 3  # shorter literals are in too many texts to be worth testing


def _useful(conjuncts: Iterable[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    return tuple(dict.fromkeys(c for c in conjuncts if min(map(len, c)) >= _MIN_LITERAL))


def regex_literals(regex: str, flags: int = re.IGNORECASE) -> tuple[tuple[str, ...], ...]:
    r"""What every match of ``regex`` contains: for each tuple, one of its literals.

    On a text that does not :func:`fold to ASCII <folds_to_ascii>`, a requirement none of whose
    literals is in ``text.lower()`` proves that the regex does not match it.

    >>> regex_literals(r"(?<![a-z])(?:drones?|UAVs?)\s+detection")
    (('drone', 'uav'), ('detection',))
    """
    if _sre_parse is None:  # pragma: no cover
        return ()
    return _useful(_conjuncts(_sre_parse.parse(regex, flags)))


_NOT_LITERAL = re.compile(r"[^A-Za-z0-9]")  # any character but an ASCII letter or digit
_S_OR_Z_AFTER_I = re.compile(r"(?<=i)[sz]")


def word_literals(word: str, *, last: bool, prefix: bool) -> list[str]:
    """Lower-case literals that every match of ``_word_pattern(word, ...)`` contains.

    The word's runs of ASCII letters and digits, cut wherever the pattern lets the spelling
    vary: the s/z of ``-isation``/``-ise`` (any ``is``/``iz``, to be safe), the optional ``u``
    of ``behaviour``, an apostrophe, and the ``y`` of a last word (``strategy``/``strategies``).
    """
    text = _NOT_LITERAL.sub(" ", word).lower()  # one character for one: offsets stay
    text = _S_OR_Z_AFTER_I.sub(" ", text)
    at = text.find("behavio")
    if at >= 0:
        chars = list(text)
        while at >= 0:
            if at + 7 < len(chars):
                chars[at + 7] = " "
            at = text.find("behavio", at + 1)
        text = "".join(chars)
    if last and not prefix and text.endswith("y"):
        text = text[:-1]
    return text.split()


# A non-ASCII character that a case-insensitive regex takes for an ASCII letter (the Kelvin
# sign, dotless i, long s ...) while str.lower() does not turn it into that letter.
_FOLDS_TO_ASCII = re.compile(r"(?-i:[^\x00-\x7f])(?<=[a-z])", re.IGNORECASE)


def folds_to_ascii(text: str) -> bool:
    """Whether ``text`` has a non-ASCII character that matches an ASCII letter ignoring case."""
    return not text.isascii() and _FOLDS_TO_ASCII.search(text) is not None


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
        needs = regex_literals(pattern.pattern, re.IGNORECASE)
        return Phrase(
            text=text,
            source=pattern.pattern,
            flags=re.IGNORECASE,
            anchor="",
            literals=needs,
            compiled=pattern,
        )
    prefix = text.endswith("*")
    core = text.rstrip("*").strip()
    parts = [p for p in re.split(r"(\s+|-)", core) if p]
    words = [p for p in parts if not p.isspace() and p != "-"]
    if not words:
        raise PhraseError(f"phrase {phrase!r} has no words")
    last_word = max(i for i, p in enumerate(parts) if not p.isspace() and p != "-")
    case_sensitive = _is_case_sensitive(words)
    out: list[str] = []
    literals: list[str] = []
    for index, part in enumerate(parts):
        if part.isspace():
            out.append(_SPACE_SEP)
        elif part == "-":
            out.append(_HYPHEN_SEP)
        else:
            word = _word_pattern(part, last=index == last_word, prefix=prefix)
            literals.extend(word_literals(part, last=index == last_word, prefix=prefix))
            if case_sensitive and not _is_case_sensitive([part]):
                word = f"(?i:{word})"  # only the acronym keeps its case: "Multi-UAV"
            out.append(word)
    body = "".join(out)
    flags = 0 if case_sensitive else re.IGNORECASE
    regex = _BEFORE + body + (r"[A-Za-z]*" if prefix else _AFTER)  # a prefix shows its word
    return Phrase(
        text=text,
        source=regex,
        flags=flags,
        anchor=_anchor(words),
        literals=_useful((lit,) for lit in literals),
    )


_Match = tuple[int, int, int]  # (phrase index, start, end)
_Requirements = tuple[tuple[str, ...], ...]  # for each tuple: one of its literals
_TOKEN_CACHE_MAX = 100_000  # distinct tokens remembered (a few MB); then the cache restarts
_NO_KEYS: frozenset[str] = frozenset()  # shared by the many tokens without any key


class AnchorIndex:
    """The phrases of a fixed set of :class:`PhraseList` s, indexed by anchor and literals.

    :meth:`candidates` gives the phrases that may match a text: those whose anchor is in it
    (``anchor in text.lower()``, the rule of :meth:`PhraseList.find`) and, unless the text folds
    to ASCII, that contain one literal of each of their :attr:`Phrase.literals`.

    Which anchors and literals are substrings of a lower-cased text is answered for all of them
    at once (:meth:`present`): a key without whitespace occurs in a text exactly when it occurs
    inside one of the text's whitespace-separated tokens, and tokens repeat across works, so
    the keys of each distinct token are found once in a trie and then cached.
    """

    __slots__ = (
        "_by_anchor",
        "_by_key",
        "_cache",
        "_list_ids",
        "_lists",
        "_occurs",
        "_raw",
        "_spaced",
        "_trie",
        "_unkeyed",
    )

    def __init__(self, lists: Iterable[PhraseList]):
        self._lists = tuple(lists)  # kept alive: their ids are keys below
        self._list_ids = frozenset(id(phrases) for phrases in self._lists)
        self._occurs: dict[int, list[tuple[int, int]]] = {}  # id(phrase) → (id(list), index)
        # most selective literal → phrases, each with its other requirements (anchor included)
        by_key: dict[str, dict[int, tuple[Phrase, _Requirements]]] = {}
        by_anchor: dict[str, dict[int, Phrase]] = {}  # for texts that fold: anchor → phrases
        unkeyed: dict[int, Phrase] = {}  # raw regexes without literals: always tried
        raw: dict[int, Phrase] = {}  # raw regexes with literals: always tried if the text folds
        # how many phrases need each literal: a rare one finds a phrase with fewer false leads
        uses: dict[str, int] = {}
        for phrase in {id(p): p for p in self._phrases()}.values():
            for key in {lit for alts in phrase.literals for lit in alts} | {phrase.anchor}:
                uses[key] = uses.get(key, 0) + 1
        for phrases in self._lists:
            for index, phrase in enumerate(phrases.phrases):
                self._occurs.setdefault(id(phrase), []).append((id(phrases), index))
                if phrase.anchor:
                    by_anchor.setdefault(phrase.anchor, {})[id(phrase)] = phrase
                elif phrase.literals:
                    raw[id(phrase)] = phrase
                else:
                    unkeyed[id(phrase)] = phrase
                    continue
                primary = self._primary(phrase, uses)
                anchor = ((phrase.anchor,),) if phrase.anchor else ()
                required = dict.fromkeys(phrase.literals + anchor)
                rest = tuple(alts for alts in required if alts != primary)
                for key in primary:
                    by_key.setdefault(key, {})[id(phrase)] = (phrase, rest)
        self._by_key = {k: tuple(v.values()) for k, v in by_key.items()}
        self._by_anchor = {k: tuple(v.values()) for k, v in by_anchor.items()}
        self._unkeyed = tuple(unkeyed.values())
        self._raw = tuple(raw.values())
        keys = {lit for p in self._phrases() for alts in p.literals for lit in alts}
        keys.update(self._by_anchor)
        self._trie: dict[str, Any] = {}
        spaced = []
        for key in sorted(keys):
            if any(ch.isspace() for ch in key):
                spaced.append(key)
                continue
            node = self._trie
            for ch in key:
                node = node.setdefault(ch, {})
            node[""] = key  # "" is never a character key: it marks the end of a key
        self._spaced = tuple(spaced)
        self._cache: dict[str, frozenset[str]] = {}

    def _phrases(self) -> Iterable[Phrase]:
        return (phrase for phrases in self._lists for phrase in phrases.phrases)

    @staticmethod
    def _primary(phrase: Phrase, uses: dict[str, int]) -> tuple[str, ...]:
        """The literals to find ``phrase`` by: its requirement (or anchor) that fewest phrases
        share, the longer at equal counts. Any choice is correct; this one is fast."""
        options = list(phrase.literals)
        if phrase.anchor:
            options.append((phrase.anchor,))
        return min(
            options,
            key=lambda alts: (sum(uses[lit] for lit in alts), -min(map(len, alts))),
            default=(),
        )

    def __reduce__(self) -> tuple[type[AnchorIndex], tuple[Any, ...]]:
        # keyed by object ids: a copy (pickle, deepcopy) is rebuilt from its lists
        return (type(self), (self._lists,))

    @property
    def keys(self) -> frozenset[str]:
        """Every anchor and literal that :meth:`present` looks for."""
        return frozenset(self._by_anchor) | {
            lit for p in self._phrases() for alts in p.literals for lit in alts
        }

    def _scan(self, token: str) -> frozenset[str]:
        found = set()
        for start in range(len(token)):
            node = self._trie
            for ch in token[start:]:
                child = node.get(ch)
                if child is None:
                    break
                node = child
                end = node.get("")
                if end is not None:
                    found.add(end)
        return frozenset(found) if found else _NO_KEYS

    def present(self, lowered: str) -> set[str]:
        """Every key (anchor or literal) that is a substring of ``lowered``."""
        found: set[str] = set()
        cache = self._cache
        for token in set(lowered.split()):
            anchors = cache.get(token)
            if anchors is None:
                if len(cache) >= _TOKEN_CACHE_MAX:
                    cache.clear()
                anchors = cache[token] = self._scan(token)
            if anchors:
                found |= anchors
        found.update(a for a in self._spaced if a in lowered)
        return found

    def candidates(self, present: set[str], folds: bool) -> list[Phrase]:
        """The phrases that may match a text with these keys ``present`` (each once).

        ``folds``: the text :func:`folds to ASCII <folds_to_ascii>`, so only anchors count.
        """
        found: dict[int, Phrase] = {id(p): p for p in self._unkeyed}
        if folds:
            found.update((id(p), p) for p in self._raw)
            for anchor in present:
                for phrase in self._by_anchor.get(anchor, ()):
                    found[id(phrase)] = phrase
            return list(found.values())
        by_key = self._by_key
        for key in present:
            entries = by_key.get(key)
            if entries is None:
                continue
            for phrase, rest in entries:
                if id(phrase) in found:
                    continue
                for alts in rest:  # the anchor and the other literals; ``key`` is in ``present``
                    for lit in alts:
                        if lit in present:
                            break
                    else:
                        break  # no literal of this requirement: no match possible
                else:
                    found[id(phrase)] = phrase
        return list(found.values())


class FieldText:
    """One field of one work: its text, the anchors present and every phrase match in it.

    Built once per field and work: every phrase of the index that can match is run here, once,
    so :meth:`found` is a look-up, and :attr:`matched` says at once which lists match anything
    at all.
    """

    __slots__ = (
        "_found",
        "_index",
        "_spans",
        "anchors",
        "folds",
        "lowered",
        "matched",
        "name",
        "text",
    )

    def __init__(self, name: str, text: str, index: AnchorIndex):
        self._index = index
        self.name = name
        self.text = text
        self.lowered = text.lower()
        self.anchors = index.present(self.lowered)
        # case folding that str.lower() does not see: literal filters cannot skip regexes here
        self.folds = folds_to_ascii(text)
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._found: dict[int, tuple[_Match, ...]] = {}
        # id(list) → indices of its phrases with at least one match here
        self.matched: dict[int, list[int]] = {}
        matched = self.matched
        occurs = index._occurs
        for phrase in index.candidates(self.anchors, self.folds):
            spans = self._spans[id(phrase)] = [m.span() for m in phrase.pattern.finditer(text)]
            if spans:
                for list_id, position in occurs[id(phrase)]:
                    if list_id in matched:
                        matched[list_id].append(position)
                    else:
                        matched[list_id] = [position]

    def found(self, phrases: PhraseList) -> tuple[_Match, ...]:
        """:meth:`PhraseList.find` on this field, for a list of the index."""
        got = self._found.get(id(phrases))
        if got is not None:
            return got
        indices = self.matched.get(id(phrases))
        if indices is None:
            if id(phrases) not in self._index._list_ids:
                raise ValueError("this phrase list is not in the field's AnchorIndex")
            return ()
        spans = self._spans
        got = self._found[id(phrases)] = tuple(
            (index, start, end)
            for index in sorted(indices)
            for start, end in spans[id(phrases.phrases[index])]
        )
        return got


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
