"""Normalisation: from a raw affiliation string to segments of comparable tokens.

Two token forms are used by the rules:

* **normalised tokens**: case-folded, diacritics and punctuation removed, ``&`` → ``and``,
  Defence → Defense, Centre → Center, "People's Liberation Army" / "Chinese PLA" → ``pla``,
  glued words split ("andAstronautics"), a few frequent misspellings fixed ("Univeristy");
* **canonical tokens**: normalised tokens with Web of Science abbreviations and word variants
  collapsed (see :mod:`dualscope.matching.abbreviations`) and stop words dropped, each
  remembering its position among the normalised tokens.

Everything here is plain string work on the hot path: no regex per token, one ``translate``.
"""

from __future__ import annotations

import re
import unicodedata

from dualscope.matching.abbreviations import CANONICAL, STOPWORDS

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Split an affiliation into organisation-level segments (ASCII and full-width separators).
_SEGMENT_SPLIT = re.compile(r"[,;，；、|]+")
# "HarbinEngineering", "andAstronautics", "ofTianjin": a lower-case run glued to a capitalised word.
_GLUED = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z])")

# ASCII punctuation → space, everything else ASCII kept: a complete 1:1 ASCII table lets
# ``str.translate`` take CPython's fast path. ``&`` and apostrophes are handled before it.
_ASCII_PUNCT = '!"#$%()*+,./:;<=>?@[\\]^_`{|}~-\t\n\r'
_PUNCT_ASCII = {i: (" " if chr(i) in _ASCII_PUNCT else chr(i)) for i in range(128)}
# Non-ASCII punctuation left after NFKD (curly quotes, dashes, bullets, CJK punctuation).
_PUNCT_UNICODE = {ord(c): " " for c in "–—‐‑‒―·•“”«»（）。、，；"}
_PUNCT_UNICODE.update({ord("’"): "", ord("‘"): "", ord("´"): ""})

# Multi-word spellings that must become one token (matched word by word on canonical forms,
# stop words skipped, repeatedly until none is left: see ``fold``).
_PHRASES: tuple[tuple[str, str], ...] = (
    (" s and t ", " science and technology "),
    (" chinese peoples liberation army ", " pla "),
    (" peoples liberation army ", " pla "),
    (" chinese pla ", " pla "),
    (" chinese peoples armed police force ", " pap "),
    (" chinese peoples armed police forces ", " pap "),
    (" chinese peoples armed police ", " pap "),
    (" peoples armed police force ", " pap "),
    (" peoples armed police forces ", " pap "),
    (" peoples armed police ", " pap "),
    (" chinese armed police force ", " pap "),
    (" armed police force ", " pap "),
    (" armed police forces ", " pap "),
    (" armed police ", " pap "),
    (" capf ", " pap "),
    (" china pla ", " pla "),
    (" jiao tong ", " jiaotong "),
    (" xi an ", " xian "),
    (" sun yat sen ", " sunyatsen "),
    (" sun yatsen ", " sunyatsen "),
    (" peoples r china ", " china "),
    (" p r china ", " china "),
    (" pr china ", " china "),
    (" peoples republic of china ", " china "),
)

# Single-token fixes: British spellings and frequent misspellings in real affiliation strings.
_TOKEN_FIXES: dict[str, str] = {
    "defence": "defense",
    "centre": "center",
    "centres": "centers",
    "univeristy": "university",
    "univerisity": "university",
    "universtiy": "university",
    "unversity": "university",
    "universty": "university",
    "universiy": "university",
    "univesity": "university",
    "techology": "technology",
    "technolgy": "technology",
    "tecnology": "technology",
    "enginering": "engineering",
    "engeering": "engineering",
    "armoured": "armored",
    "programme": "program",
}


# Kana, or kanji written only in Japan (歯, 県, 広, 図, 経 ...): the text is Japanese, where
# 東北大学 is Tohoku University, not Northeastern University (东北大学).
_JAPANESE = re.compile("[\u3040-\u30ff\u31f0-\u31ff歯県広沢栄駅図経済関発変囲労総応戦転薬検権]")


def is_japanese(text: str) -> bool:
    """True when Chinese-script ``text`` is Japanese (kana or Japan-only kanji)."""
    return _JAPANESE.search(text) is not None


def has_cjk(text: str) -> bool:
    """True when ``text`` contains Chinese characters."""
    return _CJK.search(text) is not None


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _deaccent(text: str) -> str:
    """Compatibility-decompose and drop combining marks (ASCII text is returned as is)."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


def fold(text: str) -> str:
    """Case-fold, strip diacritics and punctuation; return space-separated normalised tokens.

    A fixed point: ``fold(fold(text)) == fold(text)``. Single-token fixes come first, then the
    multi-word phrases are replaced token by token until none is left, so adjacent or chained
    phrases ("Peoples R China Peoples R China", "People R China") fold the same however often.
    """
    return _fold_plain(_deaccent(text))


def _fold_plain(text: str) -> str:
    if not text.islower():
        text = _GLUED.sub(" ", text)
    if "&" in text:
        text = text.replace("&", " and ")
    if "'" in text:
        text = text.replace("'", "")
    if not text.isascii():
        text = text.translate(_PUNCT_UNICODE)
    tokens = [_TOKEN_FIXES.get(t, t) for t in text.translate(_PUNCT_ASCII).lower().split()]
    if not _PHRASE_STARTS.isdisjoint(tokens):
        tokens = _replace_phrases(tokens)
    return " ".join(tokens)


def _phrase_form(token: str) -> str:
    """The form a token is compared in against phrases: its canonical key ("people" → peoples);
    single letters stay themselves ("s" in "S&T" is not South)."""
    return CANONICAL.get(token, token) if len(token) > 1 else token


# Each phrase as the canonical forms of its words without stop words, with its replacement.
_PHRASE_TABLE: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (
        tuple(_phrase_form(t) for t in old.split() if t not in STOPWORDS),
        tuple(new.split()),
    )
    for old, new in _PHRASES
)
_PHRASE_STARTS: frozenset[str] = frozenset(
    spelling
    for words, _ in _PHRASE_TABLE
    for spelling in [words[0], *(s for s, k in CANONICAL.items() if k == words[0])]
)


def _match_phrase(forms: list[str], tokens: list[str], start: int) -> tuple[int, tuple[str, ...]]:
    """The end and replacement of the first phrase starting at ``start`` (end 0 when none).

    Stop words between a phrase's words are skipped ("Peoples Republic China" is the phrase
    too), so a canonical key, which has no stop words, folds to itself.
    """
    for words, new in _PHRASE_TABLE:
        if forms[start] != words[0]:
            continue
        i, n = start + 1, 1
        while n < len(words) and i < len(tokens):
            if tokens[i] in STOPWORDS:
                i += 1
                continue
            if forms[i] != words[n]:
                break
            i, n = i + 1, n + 1
        if n == len(words):
            return i, new
    return 0, ()


def _replace_phrases(tokens: list[str]) -> list[str]:
    """Replace phrases, left to right, until the tokens no longer change (a fixed point)."""
    while True:
        forms = [_phrase_form(t) for t in tokens]
        out: list[str] = []
        i = 0
        changed = False
        while i < len(tokens):
            if tokens[i] in _PHRASE_STARTS:
                end, new = _match_phrase(forms, tokens, i)
                if end:
                    out.extend(new)
                    i = end
                    changed = True
                    continue
            out.append(tokens[i])
            i += 1
        if not changed or out == tokens:
            return out
        tokens = out


def has_inner_capital(text: str) -> bool:
    """True when a word of ``text`` has a capital after lower-case letters ("TianGong",
    "andAstronautics"): ``fold`` splits it there, :func:`joined_tokens` does not."""
    return not text.islower() and _GLUED.search(text) is not None


def joined_tokens(text: str) -> list[str]:
    """Normalised tokens of ``text`` with words kept whole at inner capitals ("TianGong" →
    tiangong, where :func:`norm_tokens` gives tian gong): the other reading of CamelCase."""
    return fold(text.lower()).split()


def segment_separators(text: str) -> list[str]:
    """The separators between the parts :func:`raw_segments` returns, in order."""
    return _SEGMENT_SPLIT.findall(text)


def raw_segments(text: str) -> list[str]:
    """The raw parts of ``text`` between separators, empty ones included."""
    return _SEGMENT_SPLIT.split(text)


def norm_tokens(text: str) -> list[str]:
    """Normalised tokens of ``text`` (see module docstring)."""
    return fold(text).split()


def canon_tokens(tokens: list[str]) -> tuple[list[str], list[int]]:
    """Canonical tokens of normalised ``tokens`` and, for each, its index in ``tokens``."""
    keys: list[str] = []
    positions: list[int] = []
    for index, token in enumerate(tokens):
        if token in STOPWORDS:
            continue
        keys.append(CANONICAL.get(token, token))
        positions.append(index)
    return keys, positions


def canon_key(text: str) -> tuple[str, ...]:
    """The canonical key of a whole name, as stored in the alias index."""
    return tuple(canon_tokens(norm_tokens(text))[0])


def segments(text: str) -> list[str]:
    """Organisation-level segments: the string split on commas, semicolons and the like."""
    return [part.strip() for part in _SEGMENT_SPLIT.split(text) if part.strip()]


# Traditional characters common in institution names → simplified, so 清華大學 meets 清华大学.
_TRADITIONAL = str.maketrans(
    "華學國軍實電機業體醫東會門藝農術師範陸運鐵灣龍廣濟蘇開漢遼陽濱爾傳資訊網絡與創產廠務"
    "經濟貿財錢銀設計測繪圖書館長黨員聯屬專導彈飛風氣發動車輛艦隊衛護訓練檢驗質學院係類"
    "現區縣鎮島嶼歷應際協會屆總隊裝備後勤戰略參謀處",
    "华学国军实电机业体医东会门艺农术师范陆运铁湾龙广济苏开汉辽阳滨尔传资讯网络与创产厂务"
    "经济贸财钱银设计测绘图书馆长党员联属专导弹飞风气发动车辆舰队卫护训练检验质学院系类"
    "现区县镇岛屿历应际协会届总队装备后勤战略参谋处",
)


def cjk_compact(text: str) -> str:
    """Chinese text without spaces and punctuation (traditional characters simplified), for
    substring matching on Chinese script."""
    return "".join(c for c in text if c.isalnum()).translate(_TRADITIONAL)
