"""country_from_text: WoS, Scopus and free-text address strings, and the traps."""

from __future__ import annotations

import time

import pytest

from dualscope.geo.address import country_from_text

CASES = [
    # Web of Science spellings
    ("Natl Univ Def Technol, Coll Comp, Changsha 410073, Peoples R China.", "CN"),
    ("N Univ China, Sch Mat Sci, Taiyuan 030051, Shanxi, Peoples R China", "CN"),
    ("PEOPLES R CHINA", "CN"),
    ("Univ Oxford, Dept Engn Sci, Oxford OX1 3PJ, England", "GB"),
    ("Univ Edinburgh, Edinburgh EH8 9AB, Midlothian, Scotland", "GB"),
    ("Cardiff Univ, Sch Engn, Cardiff CF24 3AA, S Glam, Wales", "GB"),
    ("Queens Univ Belfast, Belfast BT7 1NN, Antrim, North Ireland", "GB"),
    ("Ulster Univ, Coleraine, Northern Ireland", "GB"),
    ("MIT, Dept Phys, Cambridge, MA 02139 USA", "US"),
    ("Stanford Univ, Stanford, CA 94305-4035 USA.", "US"),
    ("Naval Res Lab, Washington, DC 20375 USA", "US"),
    ("Czech Tech Univ, Prague 16627, Czech Republic", "CZ"),
    ("Masaryk Univ, Brno, Czechia", "CZ"),
    ("Middle E Tech Univ, Ankara, Turkiye", "TR"),
    ("Bogazici Univ, Istanbul, Turkey", "TR"),
    ("KAIST, Daejeon 34141, South Korea", "KR"),
    ("Seoul Natl Univ, Seoul, Korea", "KR"),
    ("Seoul, Korea, Republic of", "KR"),
    ("Moscow MV Lomonosov State Univ, Moscow 119991, Russia", "RU"),
    ("Natl Taiwan Univ, Taipei 10617, Taiwan", "TW"),
    ("Univ Hong Kong, Pokfulam, Hong Kong", "HK"),
    ("Univ Macau, Taipa, Macau", "MO"),
    ("Tech Univ Munich, D-85748 Garching, Germany", "DE"),
    ("Aristotle Univ Thessaloniki, Thessaloniki, Greece", "GR"),
    ("Delft Univ Technol, Delft, Netherlands", "NL"),
    ("ETH, Zurich, Switzerland", "CH"),
    # Scopus / publisher styles
    ("National University of Defense Technology, Changsha, China", "CN"),
    ("Harbin Institute of Technology, Harbin, Heilongjiang, China, 150001", "CN"),
    ("Beijing 100081, China. Electronic address: someone@bit.edu.cn", "CN"),
    ("Shanghai 200240, P.R. China", "CN"),
    ("People's Republic of China", "CN"),
    ("University of Oxford, Oxford OX1 3PU, UK", "GB"),
    ("Universität Stuttgart, Stuttgart, Germany (corresponding author)", "DE"),
    ("Tehran, Iran, Islamic Republic of", "IR"),
    ("Hanoi, Viet Nam", "VN"),
    # China without its name
    ("Changsha 410073", "CN"),
    ("Natl Univ Def Technol, Changsha", "CN"),
    ("Coll Comp, Changsha 410073, Hunan", "CN"),
    ("Hohhot, Inner Mongolia", "CN"),
    ("国防科技大学, 长沙, 中国", "CN"),
    ("香港大学", "HK"),
    ("國立臺灣大學, 臺灣", "TW"),
]

TRAPS = [
    ("Univ Sydney, Sydney, New South Wales", "AU"),
    ("Univ New South Wales, Sydney, NSW 2052, Australia", "AU"),
    ("Tbilisi State Univ, Tbilisi, Georgia", "GE"),
    ("Georgia Inst Technol, Atlanta, GA 30332 USA", "US"),
    ("Emory Univ, Atlanta, Georgia 30322", "US"),
    ("Univ Georgia, Athens, Georgia", "US"),
    ("Univ Georgia", None),
    ("St Helier, Jersey", "JE"),
    ("Princeton Univ, Princeton, New Jersey", "US"),
    ("Rutgers State Univ, Piscataway, NJ 08854 USA", "US"),
    ("City Univ Hong Kong, Kowloon, Hong Kong, China", "HK"),
    ("Hong Kong Polytech Univ, Hung Hom, Kowloon, Hong Kong", "HK"),
    ("Taipei, Taiwan, China", "TW"),
    ("Hong Kong Univ Sci & Technol, Dept Chem, Clear Water Bay, Kowloon, Peoples R China", "HK"),
    ("Univ Macau, Fac Sci & Technol, Taipa, Peoples R China", "MO"),
    ("Chinese Univ Hong Kong, Shenzhen Res Inst, Shenzhen, Peoples R China", "CN"),
    ("Kowloon", "HK"),
    ("UNIV BONN,INST PHYS,D-5300 BONN,FED REP GER", "DE"),  # West Germany: ISO's DE
    ("Moscow, USSR", None),  # historic states get no code
    ("Conakry, Guinea", "GN"),
    ("Port Moresby, Papua New Guinea", "PG"),
    ("Lae, New Guinea", None),
    ("Malabo, Equatorial Guinea", "GQ"),
    ("Bissau, Guinea-Bissau", "GW"),
    ("Roseau, Dominica", "DM"),
    ("Santo Domingo, Dominican Republic", "DO"),
    ("Niamey, Niger", "NE"),
    ("Lagos, Nigeria", "NG"),
    ("Ulaanbaatar, Mongolia", "MN"),
    ("Inner Mongolia Univ, Hohhot 010021, Peoples R China", "CN"),
    ("Juba, South Sudan", "SS"),
    ("Khartoum, Sudan", "SD"),
    ("Amman 11942, Jordan", "JO"),
    ("Dept Chem, Jordan Hall", None),
    ("Chennai 600036, India", "IN"),
    ("Moscow 119991", None),  # a 6-digit postal code alone is not China
    ("Dept Phys, Some Lab", None),
    ("", None),
    (None, None),
    ("   ,  ; .", None),
    # acronyms and country names inside institution names
    ("Dementia Research Centre (DRC), Queen Square Institute of Neurology, UCL", None),
    ("Kinshasa, DRC", "CD"),
    ("Institute for Medical Research Israel-Canada, The Hebrew University", None),
    ("Hong Kong Baptist College, Waterloo Road, Hong Kong, Republic of China", "HK"),
    ("Nanya Inst Technol, Taoyuan, Taiwan 32091, Republic of China", "TW"),
    ("Sungkyunkwan University, Seoul, #N#Korea", "KR"),
    ("Guy's Hospital London UK", "GB"),
    ("Institute for Medical Research Israel-Canada", None),
    ("National Institute of Public Health University of Southern Denmark Denmark", "DK"),
    ("Penrith New South Wales Australia", "AU"),
    ("AstraZeneca (United Kingdom)", "GB"),
    ("Changchun Institute of Optics and Fine Mechanics (China)", "CN"),
    ("Hacettepe University Faculty of Medicine  Ankara Turkey", "TR"),
    ("Borsa Istanbul Directorate, Istanbul/Turkey.", "TR"),
    ("Univ. of Kufa, Najaf 00964, Iraq. ORCID: .", "IQ"),
    ("Jerash University, the Hashemite Kingdom of Jordan", "JO"),
    ("Department of Pathology, University of New Mexico", "US"),
    ("Rutgers, The State University of New Jersey", "US"),
    ("Biophysics Graduate Program, University of California, Berkeley", "US"),
    ("Chinese University of Hong Kong, Prince of Wales Hospital, Shatin, Hong Kong, SAR", "HK"),
    ("New England Biolabs", None),
    ("University of New England", None),
    ("Prince of Wales", None),
    # a country word inside an institution's name is a weak signal: China Medical University
    # is in Taiwan, the University of Georgia in the US
    ("Shengjing Hospital of China Medical University", None),
    ("Department of Microbiology, University of Georgia", None),
    ("National Taiwan University", None),
    ("Hurley Medical Center, Flint, MI 48503, USA. someone@example.com", "US"),
]


@pytest.mark.parametrize(("text", "expected"), CASES + TRAPS)
def test_country_from_text(text: str | None, expected: str | None) -> None:
    assert country_from_text(text) == expected


def test_fast_on_uncached_strings() -> None:
    texts = [
        f"Lab {i}, Natl Univ Def Technol, Changsha {410000 + i}, Peoples R China"
        for i in range(20000)
    ]
    start = time.perf_counter()
    codes = {country_from_text(t) for t in texts}
    elapsed = time.perf_counter() - start
    assert codes == {"CN"}
    assert elapsed < 2.0, f"{elapsed:.2f}s for 20,000 distinct strings"


def test_enormous_string_reads_only_its_tail() -> None:
    text = "Lab X, " * 200_000 + "Changsha 410073, Peoples R China"
    start = time.perf_counter()
    assert country_from_text(text) == "CN"
    assert time.perf_counter() - start < 0.5
