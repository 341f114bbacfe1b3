"""The country of an address or affiliation string, read from its last segments.

Bibliographic addresses put the country last: ``Natl Univ Def Technol, Coll Comp, Changsha
410073, Peoples R China.`` (Web of Science), ``..., Changsha, China`` (Scopus), ``..., Cambridge,
MA 02139 USA``. :func:`country_from_text` reads the comma-separated segments from the end and
stops at the first that names a country. It does not guess from weak signals: a string naming no
country, or an ambiguous one (``New Guinea``; ``Univ Georgia`` without a ZIP code), gives None.

Rules, in order, for each segment (at most three from the end):

1. Chinese script: 香港 HK, 澳门 MO, 台湾 TW, then 中国 CN.
2. ``XX 12345`` with a US state postal code and a ZIP code (``MA 02139 USA``) -> US;
   a US state's full name with a ZIP code (``Georgia 30332``) -> US.
3. The whole segment is a country name or alias (``Peoples R China``, ``England``, ``USA``).
4. The whole segment is a US state name (``New Jersey`` -> US; ``Jersey`` alone is JE).
5. Only in the last segment: a Chinese or Taiwanese province or large city (``Changsha``,
   ``Changsha 410073``, ``Hunan``) -> CN / TW.
6. The segment ends with a country name (``Oxford OX1 3PU UK``, ``Kowloon Hong Kong``), longest
   name first so ``Papua New Guinea`` is PG and ``New South Wales`` AU; words that are also
   other things (``Georgia``, ``Jersey``, ``Jordan``, ``Chad``, ``DRC``...) count at the end
   of a segment only after a postal code; a US state's name counts too (``University of New
   Mexico``); parenthesised text is ignored here, and a name joining two countries
   (``Institute ... Israel-Canada``) makes the answer "unsure".

A trailing parenthesised country, as in ROR/OpenAlex names (``AstraZeneca (United Kingdom)``),
counts as the last segment; ``/`` separates segments like a comma (``Istanbul/Turkey``).

``Hong Kong, China`` / ``Taipei, Taiwan, China`` give HK / TW: a region named just before
``China`` wins. The function is cached; every raw string of a corpus goes through it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from dualscope.geo.vocab import norm_key, norm_tokens, vocab

# Words that end many non-country phrases; at a segment's end they name a country only after
# a postal code (whole-segment matches always count).
_AMBIGUOUS_TAIL = frozenset(
    ["georgia", "jersey", "jordan", "chad", "guinea", "niger", "us", "drc", "roc", "prc"]
)
_CJK = re.compile(r"[\u3400-\u9fff]")
# Regions before China: "中国香港" is Hong Kong.
_CJK_REGIONS: tuple[tuple[str, str], ...] = (
    ("香港", "HK"),
    ("澳门", "MO"),
    ("澳門", "MO"),
    ("台湾", "TW"),
    ("臺灣", "TW"),
    ("台灣", "TW"),
    ("中国", "CN"),
    ("中國", "CN"),
)
_EMAIL = re.compile(r"\S+@\S+")
# Newlines and tabs some databases escape inside affiliation strings.
_ESCAPES = re.compile(r"#(?:N|TAB)#")
_JOINED = re.compile(r"\w[-–‐]\s*\w+\W*$")  # "...Israel-Canada": a hyphen before the last word
_PARENS = re.compile(r"\([^()]*\)")
_EMAIL_LABEL = re.compile(r"(?i)\b(?:electronic address|e-?mail|orcid)\s*:?.*$")
_TRAILING_PARENS = re.compile(r"\s*\([^()]*\)\s*$")
_SEGMENTS = re.compile(r"[,;/]")
_HAS_DIGIT = re.compile(r"\d")
_US_ZIP_TAIL = re.compile(
    r"\s*(?<!\d)\d{5}(?:-\d{4})?\s*(?:U\.?\s?S\.?\s?A?\.?|United States)?\s*$"
)
_MAX_SEGMENTS = 3
_TAIL_CHARS = 1000
_REGIONS_OF_CHINA = frozenset({"HK", "MO", "TW"})
# Georgia the US state, named with one of its cities and no ZIP code: "Atlanta, Georgia".
_US_GEORGIA_CITIES = frozenset({"atlanta", "athens", "savannah", "augusta", "macon", "marietta"})


def _us_state_codes() -> re.Pattern[str]:
    codes = "|".join(sorted(vocab().us_states))
    return re.compile(rf"\b(?:{codes})\.?$")


_US_STATE_CODE = _us_state_codes()
_US_STATE_NAMES = frozenset(n for n in vocab().us_states.values() if n)


def country_from_text(text: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of the country an address string names, or None when unsure.

    >>> country_from_text("Natl Univ Def Technol, Coll Comp, Changsha 410073, Peoples R China.")
    'CN'
    >>> country_from_text("Univ Edinburgh, Sch Informat, Edinburgh EH8 9AB, Midlothian, Scotland")
    'GB'
    >>> country_from_text("Univ Sydney, Sydney, New South Wales")
    'AU'
    """
    if not text:
        return None
    # The country is in the last segments; a bounded tail keeps the cache small and the
    # work constant for enormous strings.
    return _country_cached(text[-_TAIL_CHARS:])


@lru_cache(maxsize=1 << 17)
def _country_cached(text: str) -> str | None:
    if not text.isascii() and _CJK.search(text):
        for needle, code in _CJK_REGIONS:
            if needle in text:
                return code
    segments = _segments(text)
    for rank, segment in enumerate(segments[:_MAX_SEGMENTS]):
        found = _segment_country(segment, last=rank == 0)
        if found is None:
            continue
        if found == _UNSURE:
            return None
        earlier = segments[rank + 1 : rank + 1 + _MAX_SEGMENTS]
        if found == "CN":
            return _region_before(earlier) or "CN"
        if found == "GE" and _georgia_is_us(earlier):
            return "US"
        return found
    return None


_UNSURE = "?"  # sentinel: a phrase that ends like a country but must not be read as one


def _segments(text: str) -> list[str]:
    """Cleaned segments, last first, without empty or digits-only ones."""
    # (each pattern needs its character: most strings skip the substitution)
    if "#" in text:
        text = _ESCAPES.sub(" ", text)
    if "@" in text:
        text = _EMAIL.sub("", text)
    if not text.isascii() or _email_label_hint(text.lower()):
        text = _EMAIL_LABEL.sub("", text)
    text = text.strip().rstrip(".;, ")
    while ")" in text:
        match = _TRAILING_PARENS.search(text)
        if match is None:
            break
        inside = match.group(0).strip()[1:-1]
        if norm_key(inside) in vocab().aliases:  # "AstraZeneca (United Kingdom)"
            text = f"{text[: match.start()]}, {inside}"
            break
        text = text[: match.start()].rstrip(".;, ")
    out: list[str] = []
    for raw in reversed(_SEGMENTS.split(text)):
        segment = raw.strip().strip(".").strip()
        if segment and not segment.replace(" ", "").replace("-", "").isdigit():
            out.append(segment)
    return out


def _email_label_hint(lowered: str) -> bool:
    """Whether lower-cased ASCII text holds what every match of ``_EMAIL_LABEL`` holds (most
    strings hold none, and these tests cost a fraction of the regex)."""
    return "mail" in lowered or "orcid" in lowered or "electronic address" in lowered


@lru_cache(maxsize=1 << 16)
def _segment_country(segment: str, *, last: bool) -> str | None:
    """Country code, ``_UNSURE``, or None (this segment names nothing) for one segment."""
    zip_tail = _US_ZIP_TAIL.search(segment)
    if zip_tail and zip_tail.start() > 0:
        head = segment[: zip_tail.start()].strip()
        if _US_STATE_CODE.search(head) or " ".join(norm_tokens(head)) in _US_STATE_NAMES | {
            "georgia"
        }:
            return "US"
    tokens = _without_trailing_codes(norm_tokens(segment))
    if not tokens:
        return None
    voc = vocab()
    whole = " ".join(tokens)
    if whole in voc.not_countries:
        return voc.not_countries[whole] or _UNSURE
    if whole in voc.aliases:
        return voc.aliases[whole]
    if whole in _US_STATE_NAMES:
        return "US"
    place = _place(tokens)
    if place is not None and (last or _HAS_DIGIT.search(segment)):
        return place
    without_parens = _PARENS.sub(" ", segment)
    return _tail_country(_without_trailing_codes(norm_tokens(without_parens)), without_parens)


def _without_trailing_codes(tokens: list[str]) -> list[str]:
    """Tokens without postal codes after the country ("China 410073")."""
    while tokens and _HAS_DIGIT.search(tokens[-1]):
        tokens.pop()
    return tokens


def _place(tokens: list[str]) -> str | None:
    """A Chinese/Taiwanese province or city, alone or with postal codes around it."""
    words = [t for t in tokens if not _HAS_DIGIT.search(t)]
    return vocab().places.get(" ".join(words)) if words else None


def _tail_country(tokens: list[str], segment: str) -> str | None:
    voc = vocab()
    for size in range(min(len(tokens) - 1, 5), 0, -1):
        tail = " ".join(tokens[-size:])
        if tail in voc.not_countries:
            return voc.not_countries[tail] or _UNSURE
        code = voc.aliases.get(tail) or ("US" if tail in _US_STATE_NAMES else None)
        if code is None:
            continue
        before = tokens[-size - 1]
        if size == 1 and tail in _AMBIGUOUS_TAIL and not _HAS_DIGIT.search(before):
            return None
        if voc.aliases.get(before, code) != code and _JOINED.search(segment):
            return _UNSURE  # "Institute ... Israel-Canada": a name joining two countries
        return code
    return None


def _region_before(earlier: list[str]) -> str | None:
    """HK, MO or TW when a segment before "China" names one ("Kowloon, Hong Kong, China").

    Only whole segments count, nearest first, and a mainland place stops the search: the
    Shenzhen institute of the Chinese University of Hong Kong is in China.
    """
    voc = vocab()
    for segment in earlier:
        whole = " ".join(_without_trailing_codes(norm_tokens(segment)))
        code = voc.aliases.get(whole) or voc.places.get(whole)
        if code in _REGIONS_OF_CHINA:
            return code
        if code == "CN":
            return None
    return None


def _georgia_is_us(earlier: list[str]) -> bool:
    """'Atlanta, Georgia': the state, not the country."""
    return any(" ".join(norm_tokens(s)) in _US_GEORGIA_CITIES for s in earlier[:2])
