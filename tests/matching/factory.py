"""A tiny factory of watchlist entities, so rule tests do not depend on the bundled data.

The names are real institutions (the rules are about real naming habits); identifiers are the
verified ROR ids from DOMAIN.md, and nothing else is invented.
"""

from __future__ import annotations

from typing import Any

from dualscope.watchlist.model import (
    Alias,
    Entity,
    Identifier,
    Location,
    Source,
    Subunit,
    Watchlist,
)

SOURCE = Source(name="test factory", url="https://unitracker.aspi.org.au/")


def make_entity(
    entity_id: str,
    name_en: str,
    *,
    category: str = "civilian",
    name_zh: str | None = None,
    aliases: list[tuple[str, str]] = (),  # type: ignore[assignment]
    ror: str | None = None,
    openalex: str | None = None,
    city: str | None = None,
    province: str | None = None,
    subunits: list[Subunit] = (),  # type: ignore[assignment]
) -> Entity:
    """An :class:`Entity` with the given names; ``aliases`` are ``(name, kind)`` pairs."""
    identifiers = []
    if ror:
        identifiers.append(Identifier(scheme="ror", value=ror, source="DOMAIN.md"))
    if openalex:
        identifiers.append(Identifier(scheme="openalex", value=openalex, source="test"))
    data: dict[str, Any] = {
        "id": entity_id,
        "name_en": name_en,
        "name_zh": name_zh,
        "category": category,
        "aliases": [Alias(name=n, kind=k) for n, k in aliases],  # type: ignore[arg-type]
        "identifiers": identifiers,
        "location": Location(city=city, province=province),
        "subunits": list(subunits),
        "sources": [SOURCE],
    }
    return Entity(**data)


def make_watchlist(*entities: Entity) -> Watchlist:
    return Watchlist(version="test", entities=list(entities))


def nudt() -> Entity:
    return make_entity(
        "nudt",
        "National University of Defense Technology",
        category="military",
        name_zh="中国人民解放军国防科技大学",
        aliases=[
            ("NUDT", "acronym"),
            ("Changsha Institute of Technology", "cover"),
            ("PLA National University of Defense Technology", "name"),
        ],
        ror="05d2yfz11",
        city="Changsha",
        province="Hunan",
        subunits=[
            Subunit(name="College of Computer", kind="college"),
            Subunit(name="State Key Laboratory of High Performance Computing", kind="laboratory"),
        ],
    )


def hit() -> Entity:
    return make_entity(
        "hit",
        "Harbin Institute of Technology",
        category="seven_sons",
        name_zh="哈尔滨工业大学",
        aliases=[("HIT", "acronym")],
        ror="01yqg2h08",
        city="Harbin",
        province="Heilongjiang",
        subunits=[
            Subunit(name="Harbin Institute of Technology, Shenzhen", kind="campus"),
            Subunit(name="Harbin Institute of Technology at Weihai", kind="campus"),
        ],
    )


def beihang() -> Entity:
    return make_entity(
        "beihang",
        "Beihang University",
        category="seven_sons",
        name_zh="北京航空航天大学",
        aliases=[
            ("Beijing University of Aeronautics and Astronautics", "former"),
            ("BUAA", "acronym"),
        ],
        ror="00wk2mp56",
        city="Beijing",
    )


def bit() -> Entity:
    return make_entity(
        "bit",
        "Beijing Institute of Technology",
        category="seven_sons",
        name_zh="北京理工大学",
        aliases=[("BIT", "acronym")],
        ror="01skt4w74",
        city="Beijing",
    )


def ndu() -> Entity:
    return make_entity(
        "pla-ndu",
        "National Defense University",
        category="military",
        name_zh="中国人民解放军国防大学",
        aliases=[("PLA National Defense University", "name")],
        city="Beijing",
    )


def cetc() -> Entity:
    return make_entity(
        "china-electronics-technology-group-corporation",
        "China Electronics Technology Group Corporation",
        category="defence_industry",
        aliases=[("CETC", "acronym")],
        subunits=[
            Subunit(
                name="Nanjing Research Institute of Electronics Technology",
                kind="institute",
                aliases=["CETC 14th Research Institute"],
            )
        ],
    )


def wuhan() -> Entity:
    return make_entity("wuhan-university", "Wuhan University", name_zh="武汉大学", city="Wuhan")


def nanjing() -> Entity:
    return make_entity("nanjing-university", "Nanjing University", name_zh="南京大学")


def info_eng() -> Entity:
    return make_entity(
        "information-engineering-university",
        "Information Engineering University",
        category="military",
        aliases=[("PLA Information Engineering University", "name")],
        city="Zhengzhou",
    )


def space_eng() -> Entity:
    return make_entity(
        "space-engineering-university", "Space Engineering University", category="military"
    )


def small_watchlist() -> Watchlist:
    """The factory's entities, one per rule family."""
    return make_watchlist(
        nudt(),
        hit(),
        beihang(),
        bit(),
        ndu(),
        cetc(),
        wuhan(),
        nanjing(),
        info_eng(),
        space_eng(),
    )
