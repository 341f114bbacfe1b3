"""Partners known only by a raw string are named (and counted) by their organisation."""

from __future__ import annotations

import pytest

from dualscope.geo.organisation import organisation_of


@pytest.mark.parametrize(
    ("raw", "organisation"),
    [
        ("Dept Phys, Univ Oxford, Oxford OX1 3PU, England", "Univ Oxford"),
        ("Univ Oxford, Dept Chem, Oxford, England", "Univ Oxford"),
        ("Institute of Physics, University of Bern, Bern, Switzerland", "University of Bern"),
        (
            "Max Planck Institute for Intelligent Systems, Stuttgart, Germany",
            "Max Planck Institute for Intelligent Systems",
        ),
        ("Department of Computing, Imperial College London, London, UK", "Imperial College London"),
        ("Fraunhofer IOSB, Karlsruhe, Germany", "Fraunhofer IOSB"),
        (
            "Politecnico di Milano, Milan, Italy; Tsinghua University, Beijing, China",
            "Politecnico di Milano",
        ),
        ("Siemens AG, Munich, Germany", "Siemens AG"),
        ("Oxford, England", "Oxford"),
    ],
)
def test_the_organisation_segment(raw: str, organisation: str) -> None:
    assert organisation_of(raw) == organisation


def test_departments_of_one_university_are_one_organisation() -> None:
    a = organisation_of("Dept Phys, Univ Oxford, Oxford, England")
    b = organisation_of("Dept Engn Sci, Univ Oxford, Parks Rd, Oxford, England")
    assert a == b
