"""Defects found by the issue 6 acceptance round (unseen Web of Science addresses)."""

from __future__ import annotations

import pytest

from dualscope.matching.matcher import Matcher


@pytest.mark.parametrize(
    "text",
    [
        "Acad Mil Med Sci, Beijing 100850, Peoples R China",
        "Acad Mil Med Sci, Inst Basic Med, Beijing 100850, Peoples R China",
        "Academy of Military Medical Sciences, Beijing 100850, China",
    ],
)
def test_a_listed_subsidiary_is_matched_on_its_own(text: str) -> None:
    # was: "Academy of Military Medical Sciences" (on the DoD 1286 list in its own right) was
    # treated as a topical sub-unit name like "Artificial Intelligence Research Center", so it
    # only supported an AMS match already made and a paper from AMMS alone was missed
    found = Matcher.default().match(text)
    assert [m.entity_id for m in found] == ["academy-of-military-science"]
    assert "subsidiary 'Academy of Military Medical Sciences'" in found[0].explain()


@pytest.mark.parametrize(
    "text",
    [
        "Academy of Military Medical Sciences, Moscow, Russia",  # abroad: the name is not enough
        "State Key Laboratory of Proteomics, Beijing, China",  # a lab no list names: still topical
        "Artificial Intelligence Research Center, Beijing, China",
    ],
)
def test_unlisted_or_foreign_sub_unit_names_still_need_their_parent(text: str) -> None:
    assert Matcher.default().match(text) == []
