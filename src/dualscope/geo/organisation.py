"""The organisation an address string names: "Dept Phys, Univ Oxford, Oxford, England" → "Univ
Oxford".

A partner known only by its raw affiliation string is counted and listed by its organisation,
not by the whole string: otherwise every department of one university would count as an
institution of its own in ``countries.csv`` and ``institutions.csv``.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Words that make a segment the institution itself (a university-level body) ...
_TOP_WORDS = (
    r"\b(univ\w*|universit\w*|uniwersytet\w*|hochschule\w*|politecnic\w*|polytechn\w*|"
    r"polytech|eth|epfl|kth|dtu|ucl|kcl|lmu|tum|ku leuven|cnrs|inserm|csic|cnr|inria|"
    r"max planck|fraunhofer|helmholtz|ecole|école|grande ecole)\b"
)
# ... or an organisation of its own when no university-level segment is present.
_ORG_WORDS = (
    r"\b(inst\w*|istitut\w*|academ\w*|acad|akademi\w*|cent(er|re)|centro|zentrum|ctr|lab\w*|"
    r"hosp\w*|klinik\w*|college|coll|gmbh|ltd|inc|corp\w*|company|co|ag|s\.?p\.?a|s\.?a|"
    r"agency|council|observatory|museum|foundation|fdn)\b"
)
# Segments that name a part of an organisation, never the organisation itself.
_PART_WORDS = (
    r"^(dept|department|dipartimento|departement|département|departamento|fac|faculty|"
    r"fakultät|facoltà|school of|sch |division|div |unit |group|grp|chair|lehrstuhl)\b"
)
_TOP, _ORG, _PART = (re.compile(p, re.IGNORECASE) for p in (_TOP_WORDS, _ORG_WORDS, _PART_WORDS))
# The same patterns (written in lower case) for ASCII text lower-cased first: on ASCII text that
# matches exactly where IGNORECASE would, at the same positions, in a third of the time.
_TOP_ASCII, _ORG_ASCII, _PART_ASCII = map(re.compile, (_TOP_WORDS, _ORG_WORDS, _PART_WORDS))


def organisation_of(text: str) -> str:
    """The segment of ``text`` that names the organisation, as written (whitespace trimmed).

    Looks at the first affiliation of a ``;``-joined string; prefers a university-level segment,
    then any organisation segment that is not a department, else the first segment.
    """
    return _organisation_cached(text)


@lru_cache(maxsize=200_000)
def _organisation_cached(text: str) -> str:
    first = text.split(";", 1)[0]
    if first.isascii():
        probe, top, org, part = first.lower(), _TOP_ASCII, _ORG_ASCII, _PART_ASCII
    else:
        probe, top, org, part = first, _TOP, _ORG, _PART
    # Each pattern runs once over the whole affiliation rather than once per segment: no match
    # spans a comma, and the characters around a segment (a comma, spaces, dots) are not word
    # characters, so a segment holds a match here exactly when it holds one on its own, and
    # the first match is in the first segment that has one.
    found = top.search(probe)
    if found is not None:
        return _segment_at(first, found.start())
    for found in org.finditer(probe):
        if not part.match(_segment_at(probe, found.start())):
            return _segment_at(first, found.start())
    for segment in first.split(","):
        if segment.strip(" ."):
            return segment.strip(" .")
    return text.strip()


def _segment_at(text: str, position: int) -> str:
    """The comma-separated segment of ``text`` around ``position``, trimmed of spaces and dots."""
    start = text.rfind(",", 0, position) + 1
    end = text.find(",", position)
    return text[start : end if end >= 0 else len(text)].strip(" .")
