"""Evidence names only what the string says: no campus the string does not mention."""

from __future__ import annotations

from dualscope.matching.matcher import Matcher


def test_the_parent_name_alone_gives_no_campus_evidence() -> None:
    matches = Matcher.default().match("Harbin Inst Technol, Sch Astronaut, Harbin, Peoples R China")
    assert [m.entity_id for m in matches] == ["harbin-institute-of-technology"]
    aliases = [e.alias for e in matches[0].evidence]
    assert not any("Shenzhen" in a or "Weihai" in a for a in aliases), aliases


def test_a_named_campus_still_says_so() -> None:
    matches = Matcher.default().match("Harbin Institute of Technology (Shenzhen), Shenzhen, China")
    assert [m.entity_id for m in matches] == ["harbin-institute-of-technology"]
    assert any("Shenzhen" in e.alias for e in matches[0].evidence)
