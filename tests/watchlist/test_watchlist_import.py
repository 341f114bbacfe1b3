"""Import commands' library side: ASPI MISP JSON and DoD 1286 CSV into the user watchlist."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dualscope.errors import DualscopeError, InputError
from dualscope.settings import Settings
from dualscope.watchlist.importer import USER_FILE, import_1286, import_aspi
from dualscope.watchlist.loader import load_entity_file, load_watchlist

NEW_INSTITUTE: dict[str, Any] = {
    "value": "Example Institute of Ordnance Technology (示例兵器技术研究所)",
    "uuid": "00000000-0000-0000-0000-000000000001",
    "description": "Prose that must not be imported.",
    "meta": {
        "aliases": ["示例兵器技术研究所", "EIOT", "Unit 99999", "Example Ordnance Institute"],
        "categories": ["Defence industry conglomerate"],
        "supervising agencies": ["SASTIND"],
        "topics": ["Armament science and technology"],
        "major defence laboratories": ["Key Laboratory of Example Fuzes (示例引信重点实验室)"],
        "subsidiaries": ["Example Fuze Company (示例引信公司)"],
        "address": "1 Example Rd, Xian Shi, Shaanxi Sheng, China",
        "lat": "34.2",
        "long": "108.9",
        "refs": ["https://unitracker.aspi.org.au/universities/example"],
    },
}
NUDT_WITH_NEW_FACTS: dict[str, Any] = {
    "value": "National University of Defense Technology (中国人民解放军国防科技大学)",
    "meta": {
        "aliases": ["NUDT", "Changsha Institute of Technology", "Example Cover Name"],
        "categories": ["Military"],
        "topics": ["Quantum", "Hypersonics"],
        "refs": [
            "https://unitracker.aspi.org.au/universities/national-university-of-defense-technology"
        ],
    },
}


def test_import_aspi_adds_updates_and_round_trips(
    misp_file: Callable[[list[dict[str, Any]]], Path], settings: Settings
) -> None:
    path = misp_file([NEW_INSTITUTE, NUDT_WITH_NEW_FACTS])
    summary = import_aspi(path, settings)
    assert summary.added == ["example-institute-of-ordnance-technology"]
    assert summary.updated == {"nudt": ["aliases +1", "topics +1"]}
    assert summary.records == 2 and not summary.not_matched

    written = load_entity_file(settings.user_watchlist_dir / USER_FILE)
    assert {e.id for e in written} == {"example-institute-of-ordnance-technology", "nudt"}
    wl = load_watchlist(settings)
    new = wl.get("example-institute-of-ordnance-technology")
    assert new is not None
    assert new.category == "defence_industry" and new.name_zh == "示例兵器技术研究所"
    assert {a.name: a.kind for a in new.aliases} == {
        "EIOT": "acronym",
        "Unit 99999": "unit",
        "Example Ordnance Institute": "name",
    }
    assert {(u.name, u.name_zh, u.kind) for u in new.subunits} == {
        ("Example Fuze Company", "示例引信公司", "subsidiary"),
        ("Key Laboratory of Example Fuzes", "示例引信重点实验室", "laboratory"),
    }
    assert (new.location.city, new.location.province, new.location.lat) == (
        "Xi'an",
        "Shaanxi",
        34.2,
    )
    assert "Prose" not in (settings.user_watchlist_dir / USER_FILE).read_text(encoding="utf-8")
    nudt = wl.get("nudt")
    assert nudt is not None and "Example Cover Name" in nudt.all_names()
    assert nudt.ids("ror") == ["05d2yfz11"]  # bundled facts are kept

    again = import_aspi(path, settings)
    assert again.added == [] and again.updated == {}
    assert again.unchanged == ["example-institute-of-ordnance-technology", "nudt"]


def test_import_aspi_matches_by_chinese_name(
    misp_file: Callable[[list[dict[str, Any]]], Path], settings: Settings
) -> None:
    renamed = {
        "value": "Beijing Aerospace University (北京航空航天大学)",
        "meta": {"categories": ["Seven sons of national defence"]},
    }
    summary = import_aspi(misp_file([renamed]), settings)
    # the list entry under its new name is a fact of its own
    assert summary.updated == {"beihang-university": ["aliases +1", "lists +1 (aspi_cdut 2020)"]}


def test_import_aspi_skips_bad_values_and_strict_stops(
    misp_file: Callable[[list[dict[str, Any]]], Path], settings: Settings
) -> None:
    bad = {"value": "Odd Place (奇怪的地方)", "meta": {"categories": ["Pirates"]}}
    path = misp_file([bad, NEW_INSTITUTE])
    summary = import_aspi(path, settings, dry_run=True)
    assert summary.skipped == {"bad value": 1}
    assert summary.added == ["example-institute-of-ordnance-technology"]
    assert "values[0]" in summary.warnings[0] and "Pirates" in summary.warnings[0]
    assert not (settings.user_watchlist_dir / USER_FILE).exists()  # dry run writes nothing
    with pytest.raises(InputError, match=r"values\[0\].*unknown ASPI category 'Pirates'"):
        import_aspi(path, settings, strict=True)


def test_import_aspi_rejects_a_file_that_is_not_misp(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"entities": []}', encoding="utf-8")
    with pytest.raises(InputError, match="not a MISP galaxy cluster file"):
        import_aspi(path, settings)


MINIMAL_1286 = """name,aliases,edition
National University of Defense Technology,NUDT; Hunan Guofang Keji University,2026
HARBIN INSTITUTE OF TECHNOLOGY,,2026
Example Quantum Laboratory,EQL,2026
Defense S&T Key Laboratory of Example Radar at Xidian University,Example Radar Lab,2026
,missing name,2026
Broken Row,,twenty
"""


def test_import_1286_minimal_layout(csv_1286: Callable[[str], Path], settings: Settings) -> None:
    summary = import_1286(csv_1286(MINIMAL_1286), settings, category="military")
    assert summary.records == 6
    assert summary.skipped == {"missing name": 1, "bad edition": 1}
    assert summary.added == ["example-quantum-laboratory"]
    assert summary.updated == {
        "harbin-institute-of-technology": ["lists +1 (dod_1286 2026)"],
        "nudt": ["lists +1 (dod_1286 2026)"],
        "xidian-university": ["sub-units +1"],
    }
    wl = load_watchlist(settings)
    nudt = wl.get("nudt")
    assert nudt is not None
    listed = [m for m in nudt.lists if m.list == "dod_1286" and m.edition == "2026"]
    assert [(m.name_on_list, m.aliases_on_list) for m in listed] == [
        ("National University of Defense Technology", ["NUDT", "Hunan Guofang Keji University"])
    ]
    new = wl.get("example-quantum-laboratory")
    assert new is not None and new.category == "military"
    assert new.notes and "Not on the ASPI tracker" in new.notes
    assert new.sources[0].name == "US DoD Section 1286 list"
    xidian = wl.get("xidian-university")
    assert xidian is not None
    lab = next(
        u for u in xidian.subunits if u.name == "Defense S&T Key Laboratory of Example Radar"
    )
    assert lab.kind == "laboratory" and [m.edition for m in lab.lists] == ["2026"]


TRANSCRIPTION_HEADER = (
    "schema,name,aliases,topics,program,authority,reason,report-date,start-date,end-date,"
    "country,notes,source_url\n"
)
TRANSCRIPTION_1286 = (
    TRANSCRIPTION_HEADER
    + """\
Company,Moscow Example Institute,,debarment,s1286,US,,2024,,,,,https://example.mil/fy24.pdf
Company,Moscow Example Institute,,debarment,s1286,US,,2025,,,Russia,,https://example.mil/fy25.pdf
Company,Tehran Example University,,debarment,s1286,US,,2025,,,Iran,,https://example.mil/fy25.pdf
Company,Example Talent Plan,,debarment,s1286,US,,2025,,,,,https://example.mil/fy25.pdf
Company,Beihang University,Beijing University of Aeronautics and Astronautics,debarment,s1286,US,,2025,,,China,,https://www.cto.mil/wp-content/uploads/2026/07/FY25-Section-1286-List.pdf
Company,Example Ocean University,,debarment,s1286,US,,2024,2024-01-05,2026-07-23,,,https://example.mil/fy24.pdf
Company,Example Ocean University,,debarment,s1286,US,,2025,,,China,,https://example.mil/fy25.pdf
"""
)


def test_import_1286_transcription_layout_counts_other_countries(
    csv_1286: Callable[[str], Path], settings: Settings
) -> None:
    summary = import_1286(csv_1286(TRANSCRIPTION_1286), settings)
    assert dict(summary.not_matched) == {
        "country Russia": 2,  # the 2024 row learns its country from the 2025 row
        "country Iran": 1,
        "country not given (not on the watchlist)": 1,
    }
    assert summary.unchanged == ["beihang-university"]  # the bundled data already holds it
    assert summary.added == ["example-ocean-university"]
    ocean = load_watchlist(settings).get("example-ocean-university")
    assert ocean is not None
    assert [(m.edition, str(m.end)) for m in ocean.lists] == [
        ("2024", "2026-07-23"),
        ("2025", "None"),
    ]
    assert ocean.lists[1].source.url == "https://example.mil/fy25.pdf"


def test_unwritable_home_is_a_user_error(csv_1286: Callable[[str], Path], tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    settings = Settings(home=blocker)
    with pytest.raises(DualscopeError, match="cannot write"):
        import_1286(csv_1286("name,aliases,edition\nNew Example Institute,,2025\n"), settings)


def test_import_1286_rejects_other_csv(csv_1286: Callable[[str], Path], settings: Settings) -> None:
    with pytest.raises(InputError, match="line 1: not a Section 1286 CSV"):
        import_1286(csv_1286("institution,year\nX,2024\n"), settings)


def test_import_the_real_files(shared_raw: Path, settings: Settings) -> None:
    aspi = import_aspi(shared_raw / "aspi-cdut-misp" / "china-defence-universities.json", settings)
    assert (len(aspi.unchanged), aspi.added, aspi.updated) == (159, [], {})
    dod = import_1286(shared_raw / "us-dod-1286" / "section_1286.csv", settings)
    assert dod.records == 443
    assert dod.updated == {}  # every tracker membership is already bundled
    assert dod.not_matched["country Russia"] == 82 and dod.not_matched["country Iran"] == 12
    assert "ocean-university-of-china" in dod.added
    assert all(not a.startswith(("moscow", "sharif")) for a in dod.added)
    assert len(load_watchlist(settings).entities) == 159 + len(dod.added)
