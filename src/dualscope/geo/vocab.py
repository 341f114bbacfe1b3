"""Country vocabulary: ISO 3166-1 codes, English names, aliases and country-naming places.

Loaded once from the bundled data files and checked on load (a bad file fails with the file and
entry named):

- ``data/countries.csv``: ``code,name,aliases``. Codes and English names are the ISO 3166-1
  alpha-2 territories of the Unicode CLDR English locale (as shipped with Babel), without CLDR's
  non-ISO extras (EU, XK, ZZ, ...); aliases (``;``-separated) are the spellings Web of Science,
  Scopus, Dimensions and OpenAlex raw strings use (``Peoples R China``, ``England``, ``USA``).
- ``data/places.yaml``: provinces and cities that name China or Taiwan without naming them, US
  states, and phrases that end in a country's name but are something else (``New South Wales``).

Lookups go through :func:`norm_key`, so ``P.R. China``, ``PR China`` and ``pr-china`` are one key.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from dualscope.errors import DataFileError
from dualscope.watchlist.yamlload import load_yaml_text

_APOSTROPHES = re.compile(r"['’`´]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_STOPWORDS = frozenset({"and", "the"})
_CODE = re.compile(r"^[A-Z]{2}$")


def norm_tokens(text: str) -> list[str]:
    """Lower-case ASCII word tokens of ``text`` without accents, apostrophes, 'and' or 'the'."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text.lower())
    return [t for t in _NON_ALNUM.sub(" ", text).split() if t not in _STOPWORDS]


def norm_key(text: str) -> str:
    """The lookup key of a name: its :func:`norm_tokens` joined by single spaces."""
    return " ".join(norm_tokens(text))


@dataclass(frozen=True)
class CountryVocab:
    """Everything the country parser looks up, as plain dicts/sets for speed."""

    names: dict[str, str]  # code -> English name
    aliases: dict[str, str]  # normalised name or alias -> code
    places: dict[str, str]  # normalised Chinese/Taiwanese place -> code
    us_states: dict[str, str | None]  # postal code -> normalised name (None: name ambiguous)
    not_countries: dict[str, str | None]  # normalised phrase -> code, or None for "unsure"


def _read_countries() -> tuple[dict[str, str], dict[str, str]]:
    source = resources.files("dualscope.geo") / "data" / "countries.csv"
    names: dict[str, str] = {}
    aliases: dict[str, str] = {}
    with source.open("r", encoding="utf-8") as handle:
        for row_no, row in enumerate(csv.DictReader(handle.read().splitlines()), start=2):
            code = (row.get("code") or "").strip()
            name = (row.get("name") or "").strip()
            if not _CODE.match(code) or not name or code in names:
                raise DataFileError(f"{source}, line {row_no}: bad or repeated country row {row}")
            names[code] = name
            for alias in [name, *(row.get("aliases") or "").split(";")]:
                key = norm_key(alias)
                if not key:
                    continue
                if aliases.get(key, code) != code:
                    raise DataFileError(
                        f"{source}, line {row_no}: alias {alias!r} of {code} already names "
                        f"{aliases[key]}"
                    )
                aliases[key] = code
    return names, aliases


def _read_places(
    names: dict[str, str],
) -> tuple[dict[str, str], dict[str, str | None], dict[str, str | None]]:
    source = resources.files("dualscope.geo") / "data" / "places.yaml"
    # libyaml's parser events, built into data directly (the same data as the safe loader)
    data = load_yaml_text(source.read_text(encoding="utf-8"))
    places: dict[str, str] = {}
    sections = (
        ("cn_provinces", "CN"),
        ("cn_cities", "CN"),
        ("tw_cities", "TW"),
        ("hk_places", "HK"),
        ("mo_places", "MO"),
    )
    for key, code in sections:
        for place in data.get(key) or []:
            places[norm_key(str(place))] = code
    us_states = {
        str(k): (norm_key(str(v)) if v else None) for k, v in (data.get("us_states") or {}).items()
    }
    not_countries: dict[str, str | None] = {}
    for phrase, code in (data.get("not_countries") or {}).items():
        if code is not None and code not in names:
            raise DataFileError(f"{source}: not_countries entry {phrase!r} has unknown code {code}")
        not_countries[norm_key(str(phrase))] = code
    return places, us_states, not_countries


@cache
def vocab() -> CountryVocab:
    """The bundled country vocabulary (read and validated once)."""
    names, aliases = _read_countries()
    places, us_states, not_countries = _read_places(names)
    return CountryVocab(names, aliases, places, us_states, not_countries)
