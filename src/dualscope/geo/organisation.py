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
_TOP = re.compile(
    r"\b(univ\w*|universit\w*|uniwersytet\w*|hochschule\w*|politecnic\w*|polytechn\w*|"
    r"polytech|eth|epfl|kth|dtu|ucl|kcl|lmu|tum|ku leuven|cnrs|inserm|csic|cnr|inria|"
    r"max planck|fraunhofer|helmholtz|ecole|école|grande ecole)\b",
    re.IGNORECASE,
)
# ... or an organisation of its own when no university-level segment is present.
_ORG = re.compile(
    r"\b(inst\w*|istitut\w*|academ\w*|acad|akademi\w*|cent(er|re)|centro|zentrum|ctr|lab\w*|"
    r"hosp\w*|klinik\w*|college|coll|gmbh|ltd|inc|corp\w*|company|co|ag|s\.?p\.?a|s\.?a|"
    r"agency|council|observatory|museum|foundation|fdn)\b",
    re.IGNORECASE,
)
# Segments that name a part of an organisation, never the organisation itself.
_PART = re.compile(
    r"^(dept|department|dipartimento|departement|département|departamento|fac|faculty|"
    r"fakultät|facoltà|school of|sch |division|div |unit |group|grp|chair|lehrstuhl)\b",
    re.IGNORECASE,
)


def organisation_of(text: str) -> str:
    """The segment of ``text`` that names the organisation, as written (whitespace trimmed).

    Looks at the first affiliation of a ``;``-joined string; prefers a university-level segment,
    then any organisation segment that is not a department, else the first segment.
    """
    return _organisation_cached(text)


@lru_cache(maxsize=200_000)
def _organisation_cached(text: str) -> str:
    first = text.split(";", 1)[0]
    segments = [s.strip(" .") for s in first.split(",") if s.strip(" .")]
    if not segments:
        return text.strip()
    for segment in segments:
        if _TOP.search(segment):
            return segment
    for segment in segments:
        if _ORG.search(segment) and not _PART.match(segment):
            return segment
    return segments[0]
