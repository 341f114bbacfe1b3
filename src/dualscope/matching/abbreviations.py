"""Web of Science abbreviations and the canonical token each word collapses to.

Web of Science abbreviates organisation names in ``C1`` addresses with a fixed word list
("Natl Univ Def Technol", "Beijing Univ Aeronaut & Astronaut", "Harbin Engn Univ"). Matching
works on *canonical tokens*: the full word, its WoS abbreviation and its common variants
(British/American spelling, singular/plural, adjective/noun) all map to one key, so an alias
written in full and an abbreviated address meet in the same index bucket.

The table was built from the abbreviations WoS uses in real ``C1`` fields (see the
bibliometrix and metaknowledge WoS fixtures) for the words that occur in institution names.
"""

from __future__ import annotations

# canonical key -> every spelling that collapses to it (full words first, then abbreviations).
_GROUPS: dict[str, tuple[str, ...]] = {
    "univ": ("university", "univ", "universitat", "universite"),
    "natl": ("national", "natl"),
    "technol": ("technology", "technologies", "technological", "technol", "tech"),
    "engn": ("engineering", "engn", "engineer", "engineers", "eng"),
    "aeronaut": ("aeronautics", "aeronautical", "aeronaut"),
    "astronaut": ("astronautics", "astronautical", "astronaut"),
    "polytech": ("polytechnic", "polytechnical", "polytech"),
    "sci": ("science", "sciences", "scientific", "sci"),
    "def": ("defense", "def"),
    "coll": ("college", "colleges", "coll"),
    "inst": ("institute", "institutes", "institution", "inst"),
    "acad": ("academy", "academies", "academic", "acad"),
    "mil": ("military", "mil"),
    "informat": ("information", "informat", "info", "informatics"),
    "elect": ("electronic", "electronics", "electrical", "electric", "elect", "electr"),
    "commun": ("communication", "communications", "commun"),
    "telecommun": ("telecommunication", "telecommunications", "telecommun"),
    "nav": ("naval", "navy", "nav"),
    "aviat": ("aviation", "aviat"),
    "chem": ("chemical", "chemistry", "chem"),
    "med": ("medical", "medicine", "med"),
    "lab": ("laboratory", "laboratories", "lab", "labs"),
    "res": ("research", "res"),
    "ctr": ("center", "ctr"),
    "central": ("central", "cent"),
    "south": ("south", "s"),
    "north": ("north", "n"),
    "east": ("east", "e"),
    "west": ("west", "w"),
    "dept": ("department", "dept"),
    "corp": ("corporation", "corp"),
    "grp": ("group", "grp"),
    "co": ("company", "co"),
    "ind": ("industry", "industries", "industrial", "ind"),
    "mech": ("mechanical", "mechanics", "mech"),
    "phys": ("physics", "physical", "phys"),
    "math": ("mathematics", "mathematical", "math"),
    "agr": ("agricultural", "agriculture", "agr"),
    "min": ("mining", "min"),
    "geosci": ("geosciences", "geoscience", "geosci"),
    "aerosp": ("aerospace", "aerosp"),
    "aerodynam": ("aerodynamics", "aerodynamic", "aerodynam"),
    "int": ("international", "int", "intl"),
    "econ": ("economics", "economic", "econ"),
    "post": ("posts", "post"),
    "logist": ("logistics", "logistic", "logist"),
    "armed": ("armed",),
    "secur": ("security", "secur"),
    "publ": ("public", "publ"),
    "police": ("police",),
    "key": ("key",),
    "adv": ("advanced", "adv"),
    "comp": ("computer", "computing", "comp"),
    "automat": ("automation", "automat"),
    "syst": ("system", "systems", "syst"),
    "stud": ("studies", "study", "stud"),
    "grad": ("graduate", "grad"),
    "sch": ("school", "sch"),
    "hosp": ("hospital", "hosp"),
    "minist": ("ministry", "minist"),
    "environm": ("environment", "environmental", "environm"),
    "mat": ("materials", "material", "mat", "mater"),
    "ocean": ("ocean", "oceanography", "oceanog"),
    "energy": ("energy",),
    "optoelect": ("optoelectronic", "optoelectronics", "optoelect"),
    "petr": ("petroleum", "petr"),
    "opt": ("optics", "optical", "opt"),
    "nucl": ("nuclear", "nucl"),
    "shipbldg": ("shipbuilding", "shipbldg"),
    "southwest": ("southwest", "sw"),
    "northwest": ("northwest", "nw"),
    "northeast": ("northeast", "ne"),
    "southeast": ("southeast", "se"),
    "jiaotong": ("jiaotong",),
    "peoples": ("peoples", "people", "people's"),
    "assoc": ("association", "assoc"),
    "soc": ("society", "soc"),
    "dev": ("development", "dev"),
    "normal": ("normal", "norm"),
    "educ": ("education", "educ"),
}

# Every spelling (lower case, no punctuation) -> its canonical key.
CANONICAL: dict[str, str] = {
    spelling: key for key, spellings in _GROUPS.items() for spelling in spellings
}

# Abbreviations WoS writes, with the full word to show in explanations: the canonical key where
# it is an abbreviation ("univ", "natl", "technol"), and short forms of full-word keys ("cent",
# "s", "sw").
WOS_ABBREVIATIONS: dict[str, str] = {
    spelling: spellings[0]
    for key, spellings in _GROUPS.items()
    for spelling in spellings[1:]
    if (spelling == key or (key == spellings[0] and len(spelling) < len(key)))
    and spelling not in {"people", "post", "norm"}  # variants, not abbreviations
}

# Words that never decide which organisation a name means; dropped from canonical keys so that
# "Beijing Institute of Technology" and "Beijing Inst Technol" meet.
STOPWORDS: frozenset[str] = frozenset({"of", "the", "and", "for", "at", "in", "on", "de", "a"})


def canonical(token: str) -> str:
    """The canonical key of one normalised token (itself when it has no variants)."""
    return CANONICAL.get(token, token)
