"""The bundled watchlist data: counts, identifiers, aliases, sources, provenance."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from dualscope.watchlist.loader import TRAP_IDENTIFIERS, LoadedWatchlist, validate_watchlist

REPO = Path(__file__).resolve().parents[2]

# DOMAIN.md §2: category counts of the 2020 tracker and the verified ROR ids of the Seven Sons.
CATEGORY_COUNTS = {
    "civilian": 80,
    "military": 52,
    "defence_industry": 12,
    "security": 8,
    "seven_sons": 7,
}
SEVEN_SONS_ROR = {
    "beihang-university": "00wk2mp56",
    "beijing-institute-of-technology": "01skt4w74",
    "harbin-engineering-university": "03x80pn82",
    "harbin-institute-of-technology": "01yqg2h08",
    "nanjing-university-of-aeronautics-and-astronautics": "01scyh794",
    "nanjing-university-of-science-and-technology": "00xp9wg62",
    "northwestern-polytechnical-university": "01y0j0j86",
}


def test_all_159_tracker_institutions_with_the_published_category_counts(
    bundled: LoadedWatchlist,
) -> None:
    entities = bundled.watchlist.entities
    assert len(entities) == 159
    assert Counter(e.category for e in entities) == CATEGORY_COUNTS


def test_raw_aspi_file_has_the_counts_domain_md_gives(shared_raw: Path) -> None:
    data = json.loads(
        (shared_raw / "aspi-cdut-misp" / "china-defence-universities.json").read_text()
    )
    labels = Counter(label for v in data["values"] for label in v["meta"]["categories"])
    assert len(data["values"]) == 159
    assert labels == {
        "Civilian": 80,
        "Military": 52,
        "Defence industry conglomerate": 12,
        "Security": 8,
        "Seven sons of national defence": 7,
    }
    assert all(len(v["meta"]["categories"]) == 1 for v in data["values"])


def test_seven_sons_carry_their_verified_ror_ids(bundled: LoadedWatchlist) -> None:
    seven = {e.id: e for e in bundled.watchlist.by_category({"seven_sons"})}
    assert set(seven) == set(SEVEN_SONS_ROR)
    for entity_id, ror in SEVEN_SONS_ROR.items():
        identifiers = [i for i in seven[entity_id].identifiers if i.scheme == "ror"]
        assert [(i.value, i.confidence) for i in identifiers] == [(ror, "verified")]


def test_other_verified_ids_from_domain_md(bundled: LoadedWatchlist) -> None:
    wl = bundled.watchlist
    expected = {
        "nudt": "05d2yfz11",
        "xidian-university": "05s92vm98",
        "university-of-electronic-science-and-technology-of-china": "04qr3zq92",
        "sichuan-university": "011ashp19",
        "chinese-academy-of-engineering-physics": "039vqpp67",
    }
    for entity_id, ror in expected.items():
        entity = wl.get(entity_id)
        assert entity is not None and entity.ids("ror") == [ror]


def test_nudt_names_cover_name_chinese_name_and_acronym(bundled: LoadedWatchlist) -> None:
    nudt = bundled.watchlist.get("nudt")
    assert nudt is not None
    assert nudt.name_zh == "中国人民解放军国防科技大学"
    kinds = {a.name: a.kind for a in nudt.aliases}
    assert kinds["Changsha Institute of Technology"] == "cover"
    assert kinds["NUDT"] == "acronym"
    assert nudt.category == "military"


def test_alias_kinds_cover_units_former_names_and_chinese(bundled: LoadedWatchlist) -> None:
    wl = bundled.watchlist
    cardc = wl.get("china-aerodynamics-research-and-development-center")
    beihang = wl.get("beihang-university")
    assert cardc is not None and beihang is not None
    cardc_kinds = {a.name: a.kind for a in cardc.aliases}
    assert cardc_kinds["Unit 63820"] == "unit"
    assert cardc_kinds["63820部队"] == "unit"
    beihang_kinds = {a.name: a.kind for a in beihang.aliases}
    assert beihang_kinds["Beijing University of Aeronautics and Astronautics"] == "former"
    assert beihang_kinds["BUAA"] == "acronym"
    chinese = [a for e in wl.entities for a in e.aliases if a.kind == "chinese"]
    assert chinese and all(a.lang == "zh" or a.note for a in chinese)


def test_generic_and_subunit_aliases_carry_a_warning_note(bundled: LoadedWatchlist) -> None:
    wl = bundled.watchlist

    def note(entity_id: str, alias: str) -> str:
        entity = wl.get(entity_id)
        assert entity is not None
        return next(a.note or "" for a in entity.aliases if a.name == alias)

    assert note("naval-research-academy", "Naval Academy").startswith("generic or ambiguous")
    assert "Rocket Force Research Institute" in note(
        "rocket-force-sergeant-school", "PLA Rocket Force Academy"
    )
    assert "sub-unit" in note(
        "chinese-academy-of-engineering-physics", "Southwest Institute of Fluid Physics"
    )


def test_every_aspi_alias_is_kept(bundled: LoadedWatchlist, shared_raw: Path) -> None:
    data = json.loads(
        (shared_raw / "aspi-cdut-misp" / "china-defence-universities.json").read_text()
    )
    names = {
        n
        for e in bundled.watchlist.entities
        for n in (e.name_en, e.name_zh, *(a.name for a in e.aliases))
        if n
    }
    missing = [
        a for v in data["values"] for a in v["meta"]["aliases"] if " ".join(a.split()) not in names
    ]
    assert missing == []


def test_every_fact_has_a_source(bundled: LoadedWatchlist) -> None:
    for entity in bundled.watchlist.entities:
        assert entity.sources, entity.id
        assert any(s.url and "unitracker.aspi.org.au" in s.url for s in entity.sources), entity.id
        for ident in [*entity.identifiers, *(i for u in entity.subunits for i in u.identifiers)]:
            assert ident.source.strip(), (entity.id, ident.value)
        for membership in [*entity.lists, *(m for u in entity.subunits for m in u.lists)]:
            assert membership.source.url or membership.source.note, (entity.id, membership.list)
        assert all(a.source for a in entity.aliases), entity.id


def test_every_entity_is_on_the_aspi_2020_list(bundled: LoadedWatchlist) -> None:
    for entity in bundled.watchlist.entities:
        aspi = [m for m in entity.lists if m.list == "aspi_cdut"]
        assert [m.edition for m in aspi] == ["2020"], entity.id


def test_known_identifier_traps_are_not_attached_but_noted(bundled: LoadedWatchlist) -> None:
    wl = bundled.watchlist
    attached = {
        i.value
        for e in wl.entities
        for i in [*e.identifiers, *(i for u in e.subunits for i in u.identifiers)]
    }
    assert not attached & set(TRAP_IDENTIFIERS)
    for entity_id, trap in (
        ("army-academy-of-armored-forces", "02syyrn67"),
        ("army-service-academy", "02syyrn67"),
        ("heilongjiang-institute-of-technology", "030xwyx96"),
    ):
        entity = wl.get(entity_id)
        assert entity is not None and entity.notes and trap in entity.notes


def test_bundled_data_passes_validation(bundled: LoadedWatchlist) -> None:
    assert validate_watchlist(bundled.watchlist, bundled.origins) == []


def test_dod_1286_and_bis_memberships_follow_key_institutions(bundled: LoadedWatchlist) -> None:
    wl = bundled.watchlist

    def editions(entity_id: str) -> list[str]:
        entity = wl.get(entity_id)
        assert entity is not None
        return sorted({m.edition or "" for m in entity.lists if m.list == "dod_1286"})

    for entity_id in ("nudt", *SEVEN_SONS_ROR, "sichuan-university"):
        assert editions(entity_id) == ["2022", "2023", "2024", "2025"], entity_id
    assert editions("xidian-university") == ["2025"]
    nudt = wl.get("nudt")
    assert nudt is not None
    bis = [m for m in nudt.lists if m.list == "bis_entity_list"]
    assert [str(m.start) for m in bis] == ["2015-02-18"]
    beihang = wl.get("beihang-university")
    assert beihang is not None
    names = {m.name_on_list for m in beihang.lists if m.list == "dod_1286"}
    assert names == {"Beihang University", "Beijing University of Aeronautics and Astronautics"}
    assert any(m.list == "bis_entity_list" and m.start is None for m in beihang.lists)


def test_listed_laboratories_are_recorded_on_the_subunit(bundled: LoadedWatchlist) -> None:
    xidian = bundled.watchlist.get("xidian-university")
    assert xidian is not None
    labs = {u.name: u for u in xidian.subunits if u.lists}
    radar = labs["Defense S&T Key Laboratory of Radar Signal Processing"]
    assert {m.edition for m in radar.lists} == {"2023", "2024", "2025"}
    assert radar.kind == "laboratory"


def test_build_script_reproduces_the_committed_data(shared_raw: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "build_watchlist.py"),
            "--check",
            "--shared",
            str(shared_raw.parent),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
