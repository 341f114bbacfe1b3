"""The matcher on the strings that exposed watchlist data gaps (issue 2), now closed in the data:
cities for the acronym-with-context rule, campus and ROR-child sub-units, current names."""

from __future__ import annotations

import pytest

from dualscope.matching.matcher import Matcher
from dualscope.settings import Settings


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    return Matcher.default(Settings(home=tmp_path_factory.mktemp("home")))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # acronym + the institution's own city or province (now recorded from ROR; each of
        # these matched nothing with the data before issue 2)
        ("Sch Astronaut, NPU, Xi'an 710072, China", "northwestern-polytechnical-university"),
        ("Sch Astronaut, NPU, Shaanxi, China", "northwestern-polytechnical-university"),
        ("Coll Automat, HEU, Heilongjiang, China", "harbin-engineering-university"),
        ("Sch Informat Sci & Engn, NEU, Shenyang 110819, China", "northeastern-university"),
        ("Sch Mech Engn, SDU, Jinan 250061, China", "shandong-university"),
        # acronym + a campus city (campus sub-units)
        (
            "School of Mechatronics Engineering, HIT, Weihai 264209, China",
            "harbin-institute-of-technology",
        ),
        ("Sch Comp Sci & Technol, HIT, Shenzhen 518055, China", "harbin-institute-of-technology"),
        ("哈尔滨工业大学（威海）信息科学与工程学院", "harbin-institute-of-technology"),
        # ROR child records
        (
            "Tsinghua Shenzhen International Graduate School, Shenzhen 518055, China",
            "tsinghua-university",
        ),
        ("清华大学深圳国际研究生院", "tsinghua-university"),
        # current names
        (
            "School of Computer Science, TianGong University, Tianjin 300387, China",
            "tianjin-polytechnic-university",
        ),
        (
            "College of Textiles, Tiangong University, Tianjin, China",
            "tianjin-polytechnic-university",
        ),
        (
            "School of Information and Communication, Guilin University of Electronic Technology, "
            "Guilin 541004, China",
            "guilin-university-of-electronic-science-and-technology",
        ),
        ("School of Information, Renmin University of China, Beijing", "renmin-university"),
        (
            "PLA Information Engineering University, Zhengzhou 450001, China",
            "information-engineering-university",
        ),
    ],
)
def test_gap_strings_now_match(matcher: Matcher, text: str, expected: str) -> None:
    assert expected in {m.entity_id for m in matcher.match(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Harbin Medical University, Harbin 150081, China",  # a Harbin university off the list
        "Shandong University of Science and Technology, Qingdao, China",
        "Weihai Maternal and Child Health Hospital, Weihai, China",
        "Duke Kunshan University, Kunshan, Jiangsu, China",  # joint venture: left out on purpose
        "NEU, Boston, MA 02115, USA",  # NEU is Northeastern's only with a Chinese place
        "SDU, Odense, Denmark",
    ],
)
def test_places_and_campuses_do_not_widen_matches(matcher: Matcher, text: str) -> None:
    assert matcher.match(text) == []
