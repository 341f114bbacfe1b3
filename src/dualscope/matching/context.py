"""Context in the same string: is it Chinese, is it clearly abroad, is a name generic?

Short acronyms (BIT, HIT) and generic names ("National Defense University", "Army Research
Institute") exist in many countries; the matcher accepts them only when the string itself places
the institution in China. These small vocabularies say what counts as such context.
"""

from __future__ import annotations

# Provinces, autonomous regions, municipalities and the larger cities with research institutions
# (normalised spelling, as :func:`dualscope.matching.normalize.norm_tokens` produces it).
CHINESE_PLACES: frozenset[str] = frozenset(
    [
        "china",
        "chinese",
        "pla",
        "pap",
        "prc",
        "beijing",
        "shanghai",
        "tianjin",
        "chongqing",
        "hebei",
        "shanxi",
        "liaoning",
        "jilin",
        "heilongjiang",
        "jiangsu",
        "zhejiang",
        "anhui",
        "fujian",
        "jiangxi",
        "shandong",
        "henan",
        "hubei",
        "hunan",
        "guangdong",
        "hainan",
        "sichuan",
        "guizhou",
        "yunnan",
        "shaanxi",
        "gansu",
        "qinghai",
        "inner",
        "mongolia",
        "guangxi",
        "tibet",
        "xizang",
        "ningxia",
        "xinjiang",
        "harbin",
        "changsha",
        "xian",
        "nanjing",
        "hefei",
        "wuhan",
        "chengdu",
        "hangzhou",
        "guangzhou",
        "shenzhen",
        "dalian",
        "shenyang",
        "changchun",
        "qingdao",
        "jinan",
        "zhengzhou",
        "luoyang",
        "taiyuan",
        "shijiazhuang",
        "lanzhou",
        "mianyang",
        "kunming",
        "nanchang",
        "fuzhou",
        "xiamen",
        "suzhou",
        "wuxi",
        "changzhou",
        "ningbo",
        "zhuhai",
        "weihai",
        "yantai",
        "xuzhou",
        "baoding",
        "tangshan",
        "nanning",
        "guiyang",
        "urumqi",
        "hohhot",
        "yinchuan",
        "xining",
        "haikou",
        "sanya",
        "zhanjiang",
        "qinhuangdao",
        "handan",
        "xiangtan",
        "zhuzhou",
        "hengyang",
        "guilin",
        "liuzhou",
        "zibo",
        "weifang",
        "anshan",
        "fushun",
        "jinzhou",
        "daqing",
        "qiqihar",
        "mudanjiang",
        "jiamusi",
        "jilin",
        "siping",
        "baotou",
        "datong",
        "yangzhou",
        "zhenjiang",
        "nantong",
        "huaian",
        "lianyungang",
        "wenzhou",
        "shaoxing",
        "jinhua",
        "huzhou",
        "quzhou",
        "zhoushan",
        "wuhu",
        "bengbu",
        "huainan",
        "maanshan",
        "ganzhou",
        "jiujiang",
        "yichang",
        "xiangyang",
        "shiyan",
        "zigong",
        "yibin",
        "luzhou",
        "nanchong",
        "deyang",
        "guanghan",
        "xianyang",
        "baoji",
        "yulin",
        "hanzhong",
        "dongguan",
        "foshan",
        "shantou",
        "huizhou",
        "jiangmen",
        "zhongshan",
        "zhaoqing",
        "langfang",
        "cangzhou",
        "xingtai",
        "changping",
        "haidian",
        "chaoyang",
        "xicheng",
        "dongcheng",
        "fengtai",
        "zhoukou",
        "xinxiang",
        "kaifeng",
        "anyang",
    ]
)

# Country names and abbreviations that place a string outside mainland China.
FOREIGN_PLACES: frozenset[str] = frozenset(
    [
        "usa",
        # Taiwan, Hong Kong and Macau are separate in ISO 3166 and outside the watchlist's scope
        "taiwan",
        "taipei",
        "kaohsiung",
        "hsinchu",
        "taichung",
        "tainan",
        "taoyuan",
        "hong",
        "kong",
        "kowloon",
        "macau",
        "macao",
        "america",
        "american",
        "united",
        "states",
        "us",
        "uk",
        "england",
        "scotland",
        "wales",
        "ireland",
        "britain",
        "germany",
        "deutschland",
        "france",
        "italy",
        "spain",
        "portugal",
        "netherlands",
        "belgium",
        "switzerland",
        "austria",
        "sweden",
        "norway",
        "denmark",
        "finland",
        "iceland",
        "poland",
        "czech",
        "slovakia",
        "hungary",
        "romania",
        "bulgaria",
        "greece",
        "turkey",
        "russia",
        "ukraine",
        "israel",
        "iran",
        "india",
        "pakistan",
        "bangladesh",
        "japan",
        "korea",
        "singapore",
        "malaysia",
        "thailand",
        "vietnam",
        "indonesia",
        "philippines",
        "australia",
        "zealand",
        "canada",
        "mexico",
        "brazil",
        "argentina",
        "chile",
        "colombia",
        "peru",
        "egypt",
        "nigeria",
        "kenya",
        "ethiopia",
        "africa",
        "saudi",
        "arabia",
        "emirates",
        "qatar",
        "washington",
        "dc",
        "boston",
        "massachusetts",
        "california",
        "texas",
        "illinois",
        "virginia",
        "maryland",
        "helsinki",
        "london",
        "paris",
        "berlin",
        "munich",
        "tokyo",
        "seoul",
        "moscow",
        "toronto",
        "sydney",
        "melbourne",
    ]
)

# Words that do not identify one institution: a name built only from these (with stop words)
# exists in many countries and needs Chinese context ("National Defense University").
GENERIC_WORDS: frozenset[str] = frozenset(
    [
        "natl",
        "univ",
        "inst",
        "acad",
        "coll",
        "sch",
        "ctr",
        "lab",
        "res",
        "technol",
        "tech",
        "engn",
        "sci",
        "def",
        "mil",
        "army",
        "nav",
        "air",
        "force",
        "forces",
        "rocket",
        "space",
        "aerosp",
        "aeronaut",
        "astronaut",
        "aviat",
        "informat",
        "commun",
        "telecommun",
        "elect",
        "command",
        "commd",
        "staff",
        "logist",
        "med",
        "armed",
        "police",
        "publ",
        "secur",
        "special",
        "operations",
        "officers",
        "officer",
        "nco",
        "petty",
        "sergeant",
        "submarine",
        "artillery",
        "armored",
        "infantry",
        "border",
        "coastal",
        "transportation",
        "service",
        "services",
        "engn",
        "key",
        "state",
        "central",
        "joint",
        "int",
        "flight",
        "early",
        "warning",
        "equipment",
        "strategic",
        "support",
        "political",
        "work",
        "warfare",
        "systems",
        "syst",
        "comp",
        "adv",
        "stud",
        "grad",
        "educ",
        "training",
        "faculty",
        "dept",
        "div",
        "corp",
        "grp",
        "co",
        "ind",
        "polytech",
        "normal",
        "chem",
        "phys",
        "math",
        "ocean",
        "nucl",
        "energy",
        "mat",
        "opt",
        "optoelect",
        "automat",
        "mech",
        "agr",
        "min",
        "geosci",
        "environm",
        "econ",
        "post",
        "management",
        "applied",
        "general",
        "border",
        # ordinals and hospital words: "Third Affiliated Hospital" exists at many universities
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "affiliated",
        "hosp",
        "clinical",
        "children",
        "childrens",
        "womens",
    ]
)


MAX_GENERIC_TOKENS = 3


def is_generic(canonical_tokens: tuple[str, ...]) -> bool:
    """True for a short name made only of generic words ("National Defense University").

    Such names exist in many countries. Longer all-generic names ("National University of
    Defense Technology") are specific enough unless a known institution abroad bears them too
    (the matcher then treats them as ambiguous).
    """
    return len(canonical_tokens) <= MAX_GENERIC_TOKENS and all(
        token in GENERIC_WORDS for token in canonical_tokens
    )


def chinese_context(tokens: list[str], country: str | None, cjk: bool) -> bool:
    """True when the string (or the caller's country code) places the institution in China."""
    if country is not None:
        return country.upper() == "CN"
    if cjk:
        return True
    return any(token in CHINESE_PLACES for token in tokens)


def foreign_context(tokens: list[str], country: str | None) -> bool:
    """True when the string or the caller's country code places it outside mainland China."""
    if country is not None:
        return country.upper() != "CN"
    if any(token in CHINESE_PLACES for token in tokens):
        return False
    return any(token in FOREIGN_PLACES for token in tokens)


class StringContext:
    """What the whole affiliation string says about where it is, computed only when asked.

    ``in_china``: the caller's country is CN, or the string has Chinese script, a Chinese place,
    or ends in a Chinese address. ``abroad``: the caller's country is not CN, or the string has
    no Chinese place and names a foreign country or place (``dualscope.geo`` reads the address).
    """

    __slots__ = ("_abroad", "_in_china", "cjk", "country", "text", "tokens")

    def __init__(self, text: str, tokens: list[str], country: str | None, cjk: bool) -> None:
        self.text = text
        self.tokens = tokens
        self.country = country
        self.cjk = cjk
        self._in_china: bool | None = None
        self._abroad: bool | None = None

    def _address_country(self) -> str | None:
        from dualscope.geo.address import country_from_text  # heavy vocabulary: load lazily

        return country_from_text(self.text)

    @property
    def in_china(self) -> bool:
        if self._in_china is None:
            self._in_china = chinese_context(self.tokens, self.country, self.cjk) or (
                self.country is None and self._address_country() == "CN"
            )
        return self._in_china

    @property
    def abroad(self) -> bool:
        if self._abroad is None:
            self._abroad = foreign_context(self.tokens, self.country)
            if not self._abroad and self.country is None and not self.in_china:
                self._abroad = self._address_country() not in (None, "CN")
        return self._abroad

    def words(self) -> str:
        """The words that place the string in China, for explanations."""
        places = [t for t in self.tokens if t in CHINESE_PLACES]
        if places:
            return ", ".join(dict.fromkeys(places))
        if self.country == "CN":
            return "country CN"
        return "Chinese script" if self.cjk else "a Chinese address"
