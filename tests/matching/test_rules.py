"""One test group per rule, on the factory's small watchlist (no bundled data needed)."""

from __future__ import annotations

import pytest

from dualscope.matching.known import KnownInstitution
from dualscope.matching.matcher import Matcher
from dualscope.watchlist.model import Subunit

from .factory import hit, make_entity, make_watchlist, ndu, nudt, small_watchlist


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(small_watchlist())


def ids(matcher: Matcher, text: str, **kwargs: object) -> list[str]:
    return [m.entity_id for m in matcher.match(text, **kwargs)]  # type: ignore[arg-type]


def only(matcher: Matcher, text: str, **kwargs: object):  # type: ignore[no-untyped-def]
    found = matcher.match(text, **kwargs)  # type: ignore[arg-type]
    assert len(found) == 1, found
    return found[0]


# --- identifier ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["05d2yfz11", "https://ror.org/05d2yfz11", "ror.org/05d2yfz11", "05D2YFZ11 "]
)
def test_identifier_matches_ror_ids_in_every_spelling(matcher: Matcher, value: str) -> None:
    match = only(matcher, None, ids=[value])  # type: ignore[arg-type]
    assert match.entity_id == "nudt"
    assert match.score == 1.0
    assert match.evidence[0].rule == "identifier"
    assert "ROR id" in match.evidence[0].explanation


def test_identifier_matches_openalex_ids_and_urls() -> None:
    entity = make_entity("x", "Example Defence Institute", openalex="I123")
    matcher = Matcher(make_watchlist(entity))
    for value in ("I123", "https://openalex.org/I123", "https://openalex.org/institutions/I123"):
        assert ids(matcher, "", ids=[value]) == ["x"]


def test_identifier_finds_the_watchlist_id_among_lineage_ids(matcher: Matcher) -> None:
    lineage = ["https://ror.org/000000000", "https://ror.org/01yqg2h08"]
    assert ids(matcher, "Some Lab", ids=lineage) == ["hit"]


def test_unknown_ids_match_nothing(matcher: Matcher) -> None:
    assert matcher.match("", ids=["https://ror.org/037b1pp87"]) == []


# --- exact alias ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "National University of Defense Technology",
        "NATIONAL UNIVERSITY OF DEFENCE TECHNOLOGY",
        "National University of Defense Technology, Changsha 410073, China",
        "College of Computer, National University of Defense Technology, Changsha",
        "national  university of defense-technology.",
    ],
)
def test_exact_alias_after_normalisation(matcher: Matcher, text: str) -> None:
    match = only(matcher, text)
    assert match.entity_id == "nudt"
    assert match.evidence[0].rule == "exact_alias"
    assert "to National University of Defense Technology by its official name" in (
        match.evidence[0].explanation
    )


def test_cover_name_is_explained_as_a_cover_name(matcher: Matcher) -> None:
    match = only(matcher, "Changsha Institute of Technology, Changsha, Hunan")
    assert match.entity_id == "nudt"
    assert "cover name 'Changsha Institute of Technology'" in match.evidence[0].explanation


def test_pla_prefix_variants_meet(matcher: Matcher) -> None:
    for text in (
        "Chinese People's Liberation Army National University of Defense Technology",
        "Chinese PLA National University of Defense Technology",
    ):
        assert ids(matcher, text) == ["nudt"]


def test_former_names_match(matcher: Matcher) -> None:
    match = only(matcher, "Beijing University of Aeronautics & Astronautics, Beijing")
    assert match.entity_id == "beihang"
    assert "former name" in match.evidence[0].explanation


# --- Web of Science abbreviations ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Natl Univ Def Technol, Coll Comp, Changsha 410073, Peoples R China", "nudt"),
        ("Harbin Inst Technol, Sch Astronaut, Harbin 150001, Peoples R China", "hit"),
        ("Beijing Univ Aeronaut & Astronaut, Beijing 100191, Peoples R China", "beihang"),
        ("Beijing Inst Technol, Sch Informat & Elect, Beijing, Peoples R China", "bit"),
    ],
)
def test_wos_abbreviations(matcher: Matcher, text: str, expected: str) -> None:
    match = only(matcher, text)
    assert match.entity_id == expected
    assert match.evidence[0].rule == "wos_abbreviation"
    assert "Web of Science abbreviation" in match.evidence[0].explanation


def test_wos_explanation_names_the_abbreviations(matcher: Matcher) -> None:
    match = only(matcher, "Natl Univ Def Technol")
    explanation = match.evidence[0].explanation
    assert explanation.startswith(
        "matched 'Natl Univ Def Technol' to National University of Defense Technology"
    )
    assert "Natl = National" in explanation and "Technol = Technology" in explanation


# --- Chinese names -------------------------------------------------------------------------


def test_chinese_name_substring(matcher: Matcher) -> None:
    match = only(matcher, "北京航空航天大学计算机学院，北京")
    assert match.entity_id == "beihang"
    assert match.evidence[0].rule == "chinese_name"


def test_chinese_name_without_the_pla_prefix(matcher: Matcher) -> None:
    assert ids(matcher, "国防科技大学计算机学院") == ["nudt"]


def test_longest_chinese_name_wins(matcher: Matcher) -> None:
    # 国防科技大学 (NUDT) contains 国防大学? No: but 中国人民解放军国防大学 must not hit NUDT.
    assert ids(matcher, "中国人民解放军国防大学") == ["pla-ndu"]


def test_chinese_affiliated_hospital_is_not_the_university(matcher: Matcher) -> None:
    assert matcher.match("武汉大学人民医院") == []


# --- sub-units and campuses ---------------------------------------------------------------


def test_campus_name(matcher: Matcher) -> None:
    assert ids(matcher, "Harbin Institute of Technology (Shenzhen), Shenzhen 518055") == ["hit"]
    assert ids(matcher, "Harbin Institute of Technology at Weihai, Weihai") == ["hit"]


def test_named_subsidiary_institute(matcher: Matcher) -> None:
    match = only(matcher, "Nanjing Research Institute of Electronics Technology, Nanjing")
    assert match.entity_id == "china-electronics-technology-group-corporation"
    assert match.evidence[0].rule == "subunit"
    assert "belongs to it" in match.evidence[0].explanation


def test_numbered_cetc_institute(matcher: Matcher) -> None:
    for text in (
        "The 14th Research Institute of China Electronics Technology Group Corporation",
        "the 38th Research Institute of CETC, Hefei",
        "No. 54 Research Institute of China Electronics Technology Group Corp",
    ):
        found = matcher.match(text)
        assert [m.entity_id for m in found] == ["china-electronics-technology-group-corporation"]
        assert any(e.rule == "numbered_institute" for e in found[0].evidence)


def test_generic_subunit_name_only_supports_its_parent(matcher: Matcher) -> None:
    assert matcher.match("College of Computer, Hunan University, Changsha") == []
    found = matcher.match("College of Computer, National University of Defense Technology")
    assert [e.rule for e in found[0].evidence] == ["exact_alias", "subunit"]


# --- acronyms ------------------------------------------------------------------------------


def test_acronym_with_the_institutions_city(matcher: Matcher) -> None:
    match = only(matcher, "School of Computer Science, HIT, Harbin 150001")
    assert match.entity_id == "hit"
    assert match.evidence[0].rule == "acronym_in_context"
    assert "Harbin" in match.evidence[0].explanation


def test_acronym_without_chinese_context_does_not_match(matcher: Matcher) -> None:
    assert matcher.match("Department of Physics, BIT Mesra, Ranchi, India") == []
    assert matcher.match("HIT") == []
    assert matcher.match("Holon Institute of Technology (HIT), Holon, Israel") == []


def test_acronym_must_be_written_in_capitals(matcher: Matcher) -> None:
    assert matcher.match("a hit in Harbin") == []


def test_long_acronym_with_chinese_context(matcher: Matcher) -> None:
    assert ids(matcher, "NUDT, Changsha, China") == ["nudt"]
    assert ids(matcher, "BUAA, Beijing") == ["beihang"]


# --- generic names need Chinese context, never abroad --------------------------------------


def test_generic_name_abroad_does_not_match(matcher: Matcher) -> None:
    assert matcher.match("National Defense University, Washington, DC, USA") == []
    assert matcher.match("National Defence University, Helsinki, Finland") == []
    assert matcher.match("National Defense University", country="US") == []


def test_generic_name_with_chinese_context(matcher: Matcher) -> None:
    match = only(matcher, "National Defense University, Beijing 100091, China")
    assert match.entity_id == "pla-ndu"
    assert match.evidence[0].rule == "generic_name_in_context"


def test_name_known_abroad_needs_positive_chinese_context() -> None:
    entity = make_entity("neu", "Northeastern University", city="Shenyang")
    matcher = Matcher(make_watchlist(entity))  # bundled near misses: the Boston one
    assert matcher.match("Northeastern University") == []
    assert ids(matcher, "Northeastern University, Shenyang, Liaoning") == ["neu"]
    assert ids(matcher, "Northeastern University", country="CN") == ["neu"]


# --- guarded fuzzy rule --------------------------------------------------------------------


def test_fuzzy_forgives_a_misspelt_word(matcher: Matcher) -> None:
    match = only(matcher, "Harbin Insitute of Technology, Harbin")
    assert match.entity_id == "hit"
    assert match.evidence[0].rule == "fuzzy_spelling"
    assert "'insitute' read as" in match.evidence[0].explanation


@pytest.mark.parametrize(
    "text",
    [
        "Beijing University of Technology",  # a real word differs: never a hit
        "Beijing Institute of Petrochemical Technology",
        "Harbin University of Science and Technology",
        "Nanning University, Nanning",  # a place differs
        "Wuhan Textile University",
    ],
)
def test_fuzzy_never_turns_a_near_miss_into_a_hit(matcher: Matcher, text: str) -> None:
    assert matcher.match(text) == []


# --- segments, longest name, dual affiliations ---------------------------------------------


def test_longer_name_containing_a_watchlist_name_is_another_institution(matcher: Matcher) -> None:
    assert matcher.match("Wuhan University of Technology, Wuhan") == []
    assert matcher.match("Nanjing University of Information Science and Technology") == []
    assert matcher.match("School of Information Engineering, Zhengzhou University") == []
    assert matcher.match("School of Aerospace Engineering, Tsinghua University") == []


def test_affiliated_hospital_is_its_own_institution(matcher: Matcher) -> None:
    assert matcher.match("Zhongnan Hospital of Wuhan University, Wuhan") == []
    assert matcher.match("Department of Surgery, Wuhan University Renmin Hospital") == []
    assert ids(matcher, "School of Medicine, Wuhan University, Wuhan") == ["wuhan-university"]


def test_dual_affiliation_yields_both(matcher: Matcher) -> None:
    text = "Natl Univ Def Technol, Changsha; Beihang Univ, Beijing, Peoples R China"
    assert ids(matcher, text) == ["nudt", "beihang"]


def test_known_institution_blocks_the_watchlist_name_inside_it() -> None:
    entity = make_entity("tju", "Tianjin University", city="Tianjin")
    known = [KnownInstitution("Tianjin University Cancer Institute Hospital", "CN", "0xx")]
    matcher = Matcher(make_watchlist(entity), known)
    assert matcher.match("Tianjin University Cancer Institute Hospital") == []
    assert ids(matcher, "Tianjin University, Tianjin") == ["tju"]


def test_known_unit_of_a_watchlist_institution_does_not_block_it() -> None:
    entity = make_entity("tju", "Tianjin University", ror="012tb2g32")
    known = [
        KnownInstitution(
            "Tianjin University Institute of Smart Things", "CN", "0yy", ("012tb2g32",)
        )
    ]
    matcher = Matcher(make_watchlist(entity), known)
    assert ids(matcher, "Tianjin University Institute of Smart Things") == ["tju"]


def test_empty_and_none_inputs(matcher: Matcher) -> None:
    assert matcher.match(None) == []
    assert matcher.match("") == []
    assert matcher.match(" ,; ") == []


def test_results_are_memoised(matcher: Matcher) -> None:
    first = matcher.match("Harbin Inst Technol")
    assert matcher.match("Harbin Inst Technol") == first
    assert "hits=" in matcher.cache_info()


def test_closest_names_for_a_miss(matcher: Matcher) -> None:
    closest = matcher.closest("Beijing University of Technology", limit=3)
    assert closest and closest[0][0] == "bit"
    assert all(0 <= score <= 1 for _, _, score in closest)


def test_taiwan_and_national_prefix_are_other_institutions() -> None:
    sysu = make_entity("sysu", "Sun Yat-sen University", city="Guangzhou")
    matcher = Matcher(make_watchlist(sysu, ndu()))
    assert matcher.match("College of Medicine, National Sun Yat-sen University, Kaohsiung") == []
    assert matcher.match("Department of Finance, National Defense University, Taipei, Taiwan") == []
    assert [m.entity_id for m in matcher.match("Sun Yat-sen University, Guangzhou")] == ["sysu"]


def test_glued_company_name_is_not_an_abbreviated_university() -> None:
    tju = make_entity("tju", "Tianjin University", city="Tianjin")
    assert Matcher(make_watchlist(tju)).match("Tianjin UniStarCom Technology Co") == []


def test_topical_subunit_name_alone_proves_nothing() -> None:
    ams = make_entity(
        "ams",
        "Academy of Military Science",
        category="military",
        subunits=[Subunit(name="Artificial Intelligence Research Center", kind="laboratory")],
    )
    matcher = Matcher(make_watchlist(ams))
    assert matcher.match("Artificial Intelligence Research Centre, Near East University") == []
    found = matcher.match("Artificial Intelligence Research Center, Academy of Military Science")
    assert [e.rule for e in found[0].evidence] == ["exact_alias", "subunit"]


def test_curators_prose_is_not_a_name() -> None:
    entity = make_entity(
        "njust",
        "Nanjing University of Science and Technology",
        subunits=[
            Subunit(
                name="May also known as the National Defense Key Laboratory of Trajectory",
                kind="laboratory",
            )
        ],
    )
    matcher = Matcher(make_watchlist(entity))
    assert matcher.match("Ben May Department for Cancer Research, University of Chicago") == []
    found = matcher.match("National Defense Key Laboratory of Trajectory, Nanjing")
    assert [m.entity_id for m in found] == ["njust"]


def test_japanese_kanji_names_are_not_chinese_names() -> None:
    neu = make_entity("neu", "Northeastern University", name_zh="东北大学", city="Shenyang")
    matcher = Matcher(make_watchlist(neu))
    assert matcher.match("東北大学大学院歯学研究科") == []  # Tohoku University, Sendai
    assert matcher.match("東北大学 工学研究科 とうほく") == []
    assert [m.entity_id for m in matcher.match("東北大學信息科學與工程學院")] == ["neu"]


def test_short_name_starting_a_longer_organisation_name() -> None:
    cec = make_entity(
        "cec", "China Electronics Corporation", aliases=[("China Electronics", "name")]
    )
    matcher = Matcher(make_watchlist(cec))
    assert matcher.match("China Electronics Standardization Institute, Beijing") == []
    assert [m.entity_id for m in matcher.match("China Electronics, Beijing")] == ["cec"]


def test_place_and_organisation_words_make_a_weak_subunit_name() -> None:
    whut = make_entity(
        "whut",
        "Wuhan University of Technology",
        subunits=[Subunit(name="Qingdao Research Institute", kind="institute")],
    )
    matcher = Matcher(make_watchlist(whut, hit()))
    found = matcher.match("Harbin Institute of Technology Qingdao Research Institute, Qingdao")
    assert [m.entity_id for m in found] == ["hit"]


def test_campus_name_containing_the_university_name() -> None:
    sdu = make_entity(
        "sdu",
        "Shandong University",
        subunits=[Subunit(name="Shandong University, Weihai", kind="campus")],
    )
    matcher = Matcher(make_watchlist(sdu))
    found = matcher.match("Shandong University (Weihai), Weihai 264209")
    assert [m.entity_id for m in found] == ["sdu"]
    assert found[0].evidence[0].rule == "subunit"


def test_short_chinese_abbreviation_must_stand_alone() -> None:
    casc = make_entity(
        "casc",
        "China Aerospace Science and Technology Corporation",
        name_zh="中国航天科技集团",
        aliases=[("中国航天", "chinese")],
    )
    matcher = Matcher(make_watchlist(casc))
    assert matcher.match("中国航天员科研训练中心，北京") == []  # astronaut centre, not CASC
    assert [m.entity_id for m in matcher.match("中国航天，北京")] == ["casc"]
    assert [m.entity_id for m in matcher.match("中国航天科技集团第五研究院")] == ["casc"]


def test_chinese_generic_subunit_name_only_supports_its_parent() -> None:
    amu = make_entity(
        "amu",
        "Army Medical University",
        name_zh="陆军军医大学",
        subunits=[Subunit(name="Third Affiliated Hospital", name_zh="第三附属医院")],
    )
    matcher = Matcher(make_watchlist(amu))
    assert matcher.match("南昌大学第三附属医院") == []


def test_chinese_independent_college_is_not_the_university() -> None:
    scu = make_entity("sichuan-university", "Sichuan University", name_zh="四川大学")
    matcher = Matcher(make_watchlist(scu))  # bundled near misses: 四川大学锦城学院
    assert matcher.match("四川大学锦城学院") == []
    assert matcher.match("Sichuan University Jincheng College, Chengdu") == []
    assert [m.entity_id for m in matcher.match("四川大学化学学院")] == ["sichuan-university"]


def test_address_country_decides_for_generic_names_and_acronyms() -> None:
    just = make_entity(
        "just",
        "Jiangsu University of Science and Technology",
        aliases=[("JUST", "acronym")],
        city="Zhenjiang",
    )
    matcher = Matcher(make_watchlist(just, ndu(), nudt()))
    assert matcher.match("Department of Physics, JUST, Irbid 22110, Jordan") == []
    assert matcher.match("National Defense University, Islamabad, Pakistan") == []
    assert matcher.match("National Defense University, Kuala Lumpur, Malaysia") == []
    # an acronym alone proves nothing: Spain's CSIC is not China Shipbuilding Industry Corp.
    assert matcher.match("College of Computer, NUDT") == []
    assert [m.entity_id for m in matcher.match("College of Computer, NUDT, China")] == ["nudt"]


# --- CamelCase spellings ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def camel_matcher() -> Matcher:
    return Matcher(
        make_watchlist(
            make_entity("tiangong", "Tiangong University", city="Tianjin"),
            make_entity("beihang", "BeiHang University", city="Beijing"),
            make_entity("hit-like", "Harbin Engineering University", city="Harbin"),
        )
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TianGong University, Tianjin 300387, China", ["tiangong"]),  # CamelCase query
        ("Tiangong University", ["tiangong"]),
        ("TIANGONG UNIV, TIANJIN, PEOPLES R CHINA", ["tiangong"]),
        ("Beihang University, Beijing", ["beihang"]),  # CamelCase alias, plain query
        ("BeiHang University", ["beihang"]),
        ("Bei Hang University", ["beihang"]),  # the alias's own split reading
        ("HarbinEngineering University", ["hit-like"]),  # glued words still split
        ("TianJin University", []),  # the joined reading is not a near-miss licence
        ("Tiangong Institute of Technology", []),
    ],
)
def test_camel_case_and_plain_spellings_meet(
    camel_matcher: Matcher, text: str, expected: list[str]
) -> None:
    assert ids(camel_matcher, text) == expected


def test_camel_case_evidence_quotes_the_input(camel_matcher: Matcher) -> None:
    match = only(camel_matcher, "School of Computer Science, TianGong University, Tianjin")
    assert match.evidence[0].matched_text == "TianGong University"


def test_evidence_quotes_the_input_verbatim_with_its_own_spacing(matcher: Matcher) -> None:
    match = only(matcher, "Coll  Comp, Natl  Univ Def   Technol, Changsha")
    assert "Natl  Univ Def   Technol" in [e.matched_text for e in match.evidence]


# --- campus siblings --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def campus_matcher() -> Matcher:
    """Synthetic: a watchlist university whose official name carries its campus, one whose
    name is bare, each with a same-name sibling in another city that is not on the list."""
    watchlist = make_watchlist(
        make_entity(
            "geo-wuhan",
            "Example University of Geosciences (Wuhan)",
            name_zh="示例地质大学",
            city="Wuhan",
        ),
        make_entity("mining", "Example University of Mining and Technology", city="Xuzhou"),
        make_entity("peking", "Peking University", city="Beijing"),
    )
    known = [
        KnownInstitution("Example University of Geosciences (Beijing)", "CN", "0aa"),
        KnownInstitution("示例地质大学（北京）", "CN", "0aa"),
        KnownInstitution("Example University of Mining and Technology - Beijing", "CN", "0bb"),
        KnownInstitution("Example University of Mining and Technology, East China", "CN", "0cc"),
    ]
    return Matcher(watchlist, known, near_misses=False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the sibling's city or qualifier right after the name names the sibling
        ("Example University of Geosciences (Beijing), Beijing 100083, China", []),
        ("Example University of Geosciences, Beijing 100083, China", []),
        ("EXAMPLE UNIV GEOSCI, BEIJING 100083, PEOPLES R CHINA", []),
        ("Example University of Mining and Technology-Beijing, Beijing, China", []),
        ("Example University of Mining and Technology, Beijing, China", []),
        ("Example University of Mining and Technology, East China, Qingdao", []),
        # ... or later in the same affiliation, when the own campus is not named
        ("Example University of Geosciences, School of Ocean Sciences, Beijing 100083", []),
        # the own campus, in parentheses, next or later in the affiliation
        ("Example University of Geosciences (Wuhan), Wuhan 430074", ["geo-wuhan"]),
        ("Example University of Geosciences, Wuhan 430074, China", ["geo-wuhan"]),
        ("School of Earth Sciences, Example University of Geosciences, Wuhan", ["geo-wuhan"]),
        ("Example University of Mining and Technology, Xuzhou 221116, China", ["mining"]),
        # another affiliation's city (after a semicolon) says nothing about this one
        ("Example University of Mining and Technology; Peking University, Beijing",
         ["mining", "peking"]),
        # a bare name without any city
        ("Example University of Mining and Technology", ["mining"]),
        ("Example University of Geosciences", ["geo-wuhan"]),
        # Chinese: the sibling's name, also when a comma separates the qualifier
        ("示例地质大学（北京）", []),
        ("示例地质大学，北京 100083", []),
        ("示例地质大学，武汉", ["geo-wuhan"]),
        ("示例地质大学；北京大学", ["geo-wuhan"]),
        ("示例地质大学", ["geo-wuhan"]),
    ],
)  # fmt: skip
def test_campus_siblings_are_told_apart(
    campus_matcher: Matcher, text: str, expected: list[str]
) -> None:
    assert ids(campus_matcher, text) == expected


def test_a_name_without_its_official_campus_matches_with_lower_score_and_says_so(
    campus_matcher: Matcher,
) -> None:
    bare = only(campus_matcher, "Example University of Geosciences, Dept of Geology")
    assert bare.score < 0.9
    assert bare.evidence[0].rule == "name_without_campus"
    assert "does not say 'Wuhan'" in bare.evidence[0].explanation
    located = only(campus_matcher, "Example University of Geosciences, Wuhan")
    assert located.score == 1.0
    assert located.evidence[0].rule == "exact_alias"
    # a bare official name (no qualifier in it) is the name itself: full score
    assert only(campus_matcher, "Example University of Mining and Technology").score == 1.0
