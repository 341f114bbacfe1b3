"""Small name helpers shared by the watchlist builder and the import commands.

These are deliberately simple (case, punctuation, ``&``/``and``, Defence/Defense): importers only
need to recognise a row that names an institution already on the watchlist. The affiliation
matcher (``dualscope.matching``) has its own, much richer normalisation.
"""

from __future__ import annotations

import re
import unicodedata

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"'})
_ACRONYM = re.compile(r"^[A-Za-z][A-Za-z/&.\-]{1,11}$")


def has_cjk(text: str) -> bool:
    """True when ``text`` contains Chinese characters."""
    return bool(_CJK.search(text))


def split_bilingual(text: str) -> tuple[str, str | None]:
    """Split ``"Beihang University (北京航空航天大学)"`` into English and Chinese parts.

    The Chinese part starts at the first opening bracket followed by Chinese text before any
    closing bracket, so ``"China University of Geosciences (Wuhan) (中国地质大学)"`` keeps
    ``(Wuhan)`` and nested brackets inside the Chinese part survive. A string without a Chinese
    part comes back unchanged with ``None``.
    """
    text = " ".join(text.split())
    for index, char in enumerate(text):
        if char not in "(（" or has_cjk(text[:index]):
            continue
        rest = text[index + 1 :]
        first_cjk = _CJK.search(rest)
        if first_cjk is None:
            break
        if re.search(r"[)）]", rest[: first_cjk.start()]):
            continue
        english = text[:index].strip()
        chinese = re.sub(r"[)）]$", "", rest.strip()).strip()
        if english:
            return english, chinese
        break
    return text, None


def normalise_name(text: str) -> str:
    """A comparison key: casefolded, punctuation-free, ``&``→and, Defence→Defense, S&T expanded.

    Chinese text keeps its characters but loses spaces and punctuation, so
    ``"中国地质大学(武汉)"`` and ``"中国地质大学（武汉）"`` compare equal.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = text.replace("s&t", "science and technology").replace("'", "")
    text = text.replace("&", " and ")
    text = re.sub(r"\bdefence\b", "defense", text)
    text = re.sub(r"[^\w]+", " ", text).strip()
    text = re.sub(r"^the ", "", text)
    if has_cjk(text):
        text = text.replace(" ", "")
    return text


def is_acronym(text: str) -> bool:
    """``NUDT``, ``NJTech``, ``A/SEU``: one short token with at least two capitals."""
    return bool(_ACRONYM.match(text)) and sum(c.isupper() for c in text) >= 2


def slugify(text: str) -> str:
    """A stable lower-case id such as ``harbin-institute-of-technology``."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").casefold()
    ascii_text = ascii_text.replace("'", "").replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
