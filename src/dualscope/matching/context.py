"""Context in the same string: is it Chinese, is it clearly abroad, is a name generic?

Short acronyms (BIT, HIT) and generic names ("National Defense University", "Army Research
Institute") exist in many countries; the matcher accepts them only when the string itself places
the institution in China. The vocabularies that say what counts as such context are data
(``data/context_words.yaml``), validated on load.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from dualscope.errors import DataFileError
from dualscope.watchlist.loader import load_yaml_text

CONTEXT_FILE = Path(__file__).with_name("data") / "context_words.yaml"
_WORD = re.compile(r"^[a-z0-9]+$")


class _ContextWords(BaseModel):
    """The vocabulary file: three space-separated word lists in normalised spelling."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    chinese_places: str
    foreign_places: str
    generic_words: str

    @field_validator("chinese_places", "foreign_places", "generic_words")
    @classmethod
    def _normalised_words(cls, value: str) -> str:
        bad = [word for word in value.split() if not _WORD.match(word)]
        if bad:
            raise ValueError(f"words must be lower-case letters or digits, not {bad[:5]}")
        return value


def load_context_words(path: Path = CONTEXT_FILE) -> _ContextWords:
    """Read and validate the context vocabularies; a bad file fails with the file named."""
    try:
        return _ContextWords.model_validate(load_yaml_text(path.read_text(encoding="utf-8")))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "file"
        raise DataFileError(f"{path}: {where}: {first['msg']}") from exc
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot read context vocabulary: {exc}") from exc


_WORDS = load_context_words()
# Chinese provinces, municipalities, larger cities, and china/pla/pap.
CHINESE_PLACES: frozenset[str] = frozenset(_WORDS.chinese_places.split())
# Places outside mainland China (Taiwan, Hong Kong and Macau included).
FOREIGN_PLACES: frozenset[str] = frozenset(_WORDS.foreign_places.split())
# Canonical tokens that do not identify one institution.
GENERIC_WORDS: frozenset[str] = frozenset(_WORDS.generic_words.split())

MAX_GENERIC_TOKENS = 3


def is_generic(canonical_tokens: tuple[str, ...]) -> bool:
    """True for a short name made only of generic words ("National Defense University").

    Such names exist in many countries. Longer all-generic names ("National University of
    Defense Technology") are specific enough unless a known institution abroad bears them too
    (the matcher then treats them as ambiguous).
    """
    return len(canonical_tokens) <= MAX_GENERIC_TOKENS and all(
        token in GENERIC_WORDS for token in canonical_tokens
    )


def chinese_context(tokens: list[str], country: str | None, cjk: bool) -> bool:
    """True when the string (or the caller's country code) places the institution in China."""
    if country is not None:
        return country.upper() == "CN"
    if cjk:
        return True
    return any(token in CHINESE_PLACES for token in tokens)


def foreign_context(tokens: list[str], country: str | None) -> bool:
    """True when the string or the caller's country code places it outside mainland China."""
    if country is not None:
        return country.upper() != "CN"
    if any(token in CHINESE_PLACES for token in tokens):
        return False
    return any(token in FOREIGN_PLACES for token in tokens)


class StringContext:
    """What the whole affiliation string says about where it is, computed only when asked.

    ``in_china``: the caller's country is CN, or the string has Chinese script, a Chinese place,
    or ends in a Chinese address. ``abroad``: the caller's country is not CN, or the string has
    no Chinese place and names a foreign country or place (``dualscope.geo`` reads the address).
    """

    __slots__ = ("_abroad", "_in_china", "cjk", "country", "text", "tokens")

    def __init__(self, text: str, tokens: list[str], country: str | None, cjk: bool) -> None:
        self.text = text
        self.tokens = tokens
        self.country = country
        self.cjk = cjk
        self._in_china: bool | None = None
        self._abroad: bool | None = None

    def _address_country(self) -> str | None:
        from dualscope.geo.address import country_from_text  # heavy vocabulary: load lazily

        return country_from_text(self.text)

    @property
    def in_china(self) -> bool:
        if self._in_china is None:
            self._in_china = chinese_context(self.tokens, self.country, self.cjk) or (
                self.country is None and self._address_country() == "CN"
            )
        return self._in_china

    @property
    def abroad(self) -> bool:
        if self._abroad is None:
            self._abroad = foreign_context(self.tokens, self.country)
            if not self._abroad and self.country is None and not self.in_china:
                self._abroad = self._address_country() not in (None, "CN")
        return self._abroad

    def words(self) -> str:
        """The words that place the string in China, for explanations."""
        places = [t for t in self.tokens if t in CHINESE_PLACES]
        if places:
            return ", ".join(dict.fromkeys(places))
        if self.country == "CN":
            return "country CN"
        return "Chinese script" if self.cjk else "a Chinese address"
