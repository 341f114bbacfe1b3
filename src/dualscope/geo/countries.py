"""Countries: ISO 3166-1 alpha-2 codes, English names, the Europe set, and option parsing.

Codes follow ISO 3166-1 as OpenAlex does: ``GB`` (not ``UK``), ``GR`` (not ``EL``), and Hong
Kong (``HK``), Macao (``MO``) and Taiwan (``TW``) separate from China (``CN``).
:func:`country_from_text` (the country of an address string) lives in
:mod:`dualscope.geo.address` and is re-exported here.
"""

from __future__ import annotations

import difflib
import re
from types import MappingProxyType

from dualscope.errors import DualscopeError
from dualscope.geo.address import country_from_text
from dualscope.geo.vocab import norm_key, vocab

__all__ = [
    "COUNTRY_NAMES",
    "EU27",
    "EUROPE",
    "country_from_text",
    "country_name",
    "parse_country_list",
]

# The 27 member states of the European Union (since 2020-02-01, after the UK left).
EU27: frozenset[str] = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ]
)

# "Europe" as the 2022 investigation and this tool use it: EU27 + UK, Switzerland, and the EEA
# members outside the EU (Norway, Iceland, Liechtenstein).
EUROPE: frozenset[str] = EU27 | frozenset({"GB", "CH", "NO", "IS", "LI"})

# ISO 3166-1 alpha-2 code -> English short name (read-only).
COUNTRY_NAMES = MappingProxyType(vocab().names)

# Group names accepted by parse_country_list, besides single countries.
_GROUPS: dict[str, frozenset[str]] = {"europe": EUROPE, "eu": EU27, "eu27": EU27}
# Non-ISO codes people type, mapped to the ISO code (EL is the EU's code for Greece).
_CODE_ALIASES = {"UK": "GB", "EL": "GR"}
_SPLIT = re.compile(r"[,;]+")


def country_name(code: str) -> str:
    """English name of an ISO code, or the code itself when unknown."""
    return COUNTRY_NAMES.get(code.upper(), code)


def _one_country(token: str) -> frozenset[str]:
    group = _GROUPS.get(token.lower())
    if group is not None:
        return group
    code = _CODE_ALIASES.get(token.upper(), token.upper())
    if code in COUNTRY_NAMES:
        return frozenset({code})
    by_name = vocab().aliases.get(norm_key(token))
    if by_name is not None:
        return frozenset({by_name})
    raise DualscopeError(
        f"unknown country {token!r}",
        hint=_suggest(token) or "use ISO 3166-1 codes like IT,DE,GB or 'europe'",
    )


def _suggest(token: str) -> str | None:
    choices = {**{c.lower(): c for c in COUNTRY_NAMES}, **{g: g for g in _GROUPS}}
    names = {name.lower(): code for code, name in COUNTRY_NAMES.items()}
    close = difflib.get_close_matches(token.lower(), [*choices, *names], n=3, cutoff=0.6)
    if not close:
        return None
    shown = [f"{names[c]} ({COUNTRY_NAMES[names[c]]})" if c in names else choices[c] for c in close]
    return "did you mean " + " or ".join(dict.fromkeys(shown)) + "?"


def parse_country_list(spec: str) -> frozenset[str]:
    """Parse a ``--countries`` value such as ``europe``, ``IT,DE``, ``gb`` or ``europe,US``.

    Tokens are separated by commas, semicolons or spaces; each is an ISO 3166-1 alpha-2 code
    (any case; ``UK`` and ``EL`` are accepted for GB and GR), a group (``europe``, ``eu27``),
    or an English country name. Raises :class:`DualscopeError` naming the unknown token, with a
    suggestion.
    """
    tokens = [t.strip() for t in _SPLIT.split(spec) if t.strip()]
    if not tokens:
        raise DualscopeError("empty country list", hint="give ISO codes like IT,DE or 'europe'")
    result: set[str] = set()
    for token in tokens:
        try:
            result |= _one_country(token)
        except DualscopeError:
            if " " not in token:  # "IT DE" separated by spaces; "United Kingdom" is one name
                raise
            for word in token.split():
                result |= _one_country(word)
    return frozenset(result)
