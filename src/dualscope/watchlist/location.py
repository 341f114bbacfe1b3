"""City and province from the free-text addresses ASPI gives (English, pinyin or Chinese).

Only what the address itself says is kept: a province (or municipality) named in it, and a city
named as ``X Shi``/``X市`` or as the comma-separated part just before the province. When the
address does not say, the field stays empty.
"""

from __future__ import annotations

import re

from dualscope.watchlist.model import Location

# Provincial-level divisions of mainland China: English name → Chinese short name.
PROVINCES: dict[str, str] = {
    "Beijing": "北京",
    "Tianjin": "天津",
    "Shanghai": "上海",
    "Chongqing": "重庆",
    "Hebei": "河北",
    "Shanxi": "山西",
    "Liaoning": "辽宁",
    "Jilin": "吉林",
    "Heilongjiang": "黑龙江",
    "Jiangsu": "江苏",
    "Zhejiang": "浙江",
    "Anhui": "安徽",
    "Fujian": "福建",
    "Jiangxi": "江西",
    "Shandong": "山东",
    "Henan": "河南",
    "Hubei": "湖北",
    "Hunan": "湖南",
    "Guangdong": "广东",
    "Hainan": "海南",
    "Sichuan": "四川",
    "Guizhou": "贵州",
    "Yunnan": "云南",
    "Shaanxi": "陕西",
    "Gansu": "甘肃",
    "Qinghai": "青海",
    "Guangxi": "广西",
    "Inner Mongolia": "内蒙古",
    "Tibet": "西藏",
    "Ningxia": "宁夏",
    "Xinjiang": "新疆",
}
MUNICIPALITIES = {"Beijing", "Tianjin", "Shanghai", "Chongqing"}
_PINYIN_FIXES = {"Xian": "Xi'an", "Haerbin": "Harbin"}
# Chinese names of the cities that appear in Chinese-only addresses, for an English city field.
CITIES_ZH: dict[str, str] = {
    "武汉": "Wuhan",
    "西安": "Xi'an",
    "南昌": "Nanchang",
    "长春": "Changchun",
    "蚌埠": "Bengbu",
    "烟台": "Yantai",
    "青岛": "Qingdao",
    "成都": "Chengdu",
    "廊坊": "Langfang",
    "苏州": "Suzhou",
    "昆明": "Kunming",
    "桂林": "Guilin",
}
# "Hefei Shi" as one comma-separated part of a pinyin address.
_SHI = re.compile(r"(?:^|,\s*)([A-Z][a-z]+) Shi(?=,|$)")
_ZH_PREFIX = re.compile(
    "^(?:中国)?(?:(?:" + "|".join(PROVINCES.values()) + ")(?:壮族自治区|自治区|省)?)?"
)
_ZH_CITY = re.compile(r"^([\u4e00-\u9fff]{2,3}?)市")


def _province(address: str) -> str | None:
    for english, chinese in PROVINCES.items():
        if re.search(rf"\b{english}\b", address) or chinese in address:
            return english
    return None


def _zh_city(address: str) -> str | None:
    for segment in re.findall(r"[\u4e00-\u9fff]+", address):
        match = _ZH_CITY.match(_ZH_PREFIX.sub("", segment, count=1))
        if match:
            return CITIES_ZH.get(match.group(1), match.group(1))
    return None


def _city(address: str, province: str | None) -> str | None:
    if province in MUNICIPALITIES:
        return province
    match = _SHI.search(address)
    if match:
        return _PINYIN_FIXES.get(match.group(1), match.group(1))
    city = _zh_city(address)
    if city or not province:
        return city
    parts = [p.strip() for p in address.split(",")]
    if len(parts) > 2 and parts[0] == "China" and parts[1] == province:
        candidate = parts[2]  # "China, Jilin, Changchun, ..."
    else:
        index = next((i for i, p in enumerate(parts) if p in (province, f"{province} Sheng")), 0)
        candidate = parts[index - 1] if index > 0 else ""  # "..., Changsha, Hunan, China"
    if re.fullmatch(r"[A-Z][a-z']+", candidate) and candidate != "China":
        return _PINYIN_FIXES.get(candidate, candidate)
    return None


def parse_location(address: str | None, lat: float | None, lon: float | None) -> Location:
    """A :class:`Location` with city/province filled only where the address names them."""
    address = " ".join(address.split()) if address else None
    province = _province(address) if address else None
    city = _city(address, province) if address else None
    return Location(address=address, city=city, province=province, lat=lat, lon=lon)
