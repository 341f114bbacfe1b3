"""The fast paths of the address parsers give the answers of the plain forms they replace.

``organisation_of`` runs its patterns once over the whole affiliation (lower-cased ASCII text
case-sensitively) instead of once per segment with IGNORECASE; ``country_from_text`` skips the
e-mail label regex when lower-cased ASCII text holds none of its words. The reference below is
the per-segment form; both are compared on strings of every kind (case, accents, dots,
departments, several affiliations, e-mail labels).
"""

from __future__ import annotations

import itertools

import pytest

from dualscope.geo import address
from dualscope.geo.organisation import _ORG, _PART, _TOP, organisation_of


def reference_organisation(text: str) -> str:
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


PIECES = [
    "Dept Phys",
    "DEPARTMENT OF CHEMISTRY",
    "School of Engineering",
    "Sch Engn",
    "Univ Oxford",
    "UNIVERSITÄT STUTTGART",
    "Université Paris-Saclay",
    "École Polytechnique",
    "ETH Zurich",
    "Max  Planck Inst",
    "Inst. Phys.",
    "Istituto Italiano di Tecnologia",
    "Siemens AG",
    "ACME S.p.A.",
    "Foo S.A.",
    "Co.",
    "Lab. Opt.",
    "Fakultät Physik",
    "Facoltà di Ingegneria",
    "Group of Optics Center",
    "Division of Labs",
    " . ",
    "",
    "Oxford OX1 3PU",
    "England",
    "İstanbul Teknik",
    "Kelvin Lab (\u212a)",
    "Technische Universität München",
    "Hospital Clinic",
    "center",
    "e-mail: a@b.c",
    "ORCID 0000",
    "Electronic Address: x",
]


def _strings() -> list[str]:
    out = []
    for size in (1, 2, 3):
        for parts in itertools.permutations(PIECES[:18], size):
            out.append(", ".join(parts))
    for a, b in itertools.product(PIECES, repeat=2):
        out += [f"{a},{b}", f"{a}; {b}, Italy", f"{a} ,{b}.", f"{a}.,{b}", f"{a}/{b}"]
    return out


def test_organisation_matches_the_per_segment_form() -> None:
    for text in _strings():
        assert organisation_of(text) == reference_organisation(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Beijing 100081, China. Electronic address: someone@bit.edu.cn",
        "Univ X, Paris, France, E-mail: x@y.fr",
        "Univ X, Paris, France. EMAIL x",
        "Univ X, Paris, France, ORCID: 0000-0001",
        "Univ X, Paris, France, e-Mail",
        "Univ X, Paris, France, Emailing list",
        "Univ X, Paris, France (EMail)",
        "Université X, Paris, France, electronic address: x",
    ],
)
def test_the_email_label_hint_holds_wherever_the_label_matches(text: str) -> None:
    assert address._EMAIL_LABEL.search(text)
    assert not text.isascii() or address._email_label_hint(text.lower())


def test_the_hint_holds_for_every_match_in_the_reference_strings() -> None:
    for text in _strings():
        if text.isascii() and address._EMAIL_LABEL.search(text):
            assert address._email_label_hint(text.lower()), text
