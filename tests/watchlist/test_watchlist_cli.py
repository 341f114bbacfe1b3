"""`dualscope watchlist ...` through the real Typer app (CliRunner)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from dualscope.cli import app
from dualscope.errors import DualscopeError
from dualscope.settings import Settings

runner = CliRunner()


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def test_list_json_has_every_entity(settings: Settings) -> None:
    result = run("watchlist", "list", "--json", "--home", str(settings.home))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["entities"]) == 159
    nudt = next(e for e in data["entities"] if e["id"] == "nudt")
    assert nudt["ror"] == ["05d2yfz11"]
    assert nudt["lists_summary"] == "ASPI 2020; BIS; DoD 1286 2022-2025"


def test_lists_summary_shows_ranges_only_for_consecutive_editions() -> None:
    from dualscope.cli.watchlist_cmd import memberships_summary
    from dualscope.watchlist.model import ListMembership

    def member(edition: str) -> ListMembership:
        return ListMembership.model_validate(
            {"list": "dod_1286", "edition": edition, "source": {"name": "DoD"}}
        )

    assert (
        memberships_summary([member("2022"), member("2023"), member("2024")])
        == "DoD 1286 2022-2024"
    )
    assert memberships_summary([member("2023"), member("2025")]) == "DoD 1286 2023, 2025"


def test_list_table_filters_by_category(settings: Settings) -> None:
    result = run("watchlist", "list", "--category", "seven_sons", "--home", str(settings.home))
    assert result.exit_code == 0, result.output
    assert "7 entities" in result.output
    assert "01yqg2h08" in result.output
    assert "nudt" not in result.output


def test_unknown_category_suggests_a_fix(settings: Settings) -> None:
    result = run("watchlist", "list", "--category", "militry", "--home", str(settings.home))
    assert isinstance(result.exception, DualscopeError)
    assert "did you mean 'military'" in str(result.exception)


def test_show_prints_facts_with_sources(settings: Settings) -> None:
    result = run("watchlist", "show", "nudt", "--home", str(settings.home))
    assert result.exit_code == 0, result.output
    # Rich wraps table cells at the test terminal's 80 columns: check single words.
    for text in (
        "Changsha",
        "cover",
        "05d2yfz11",
        "2015-02-18",
        "unitracker.aspi.org.au",
        "Sources",
    ):
        assert text in result.output


def test_show_json_and_lookup_by_name(settings: Settings) -> None:
    result = run("watchlist", "show", "北京航空航天大学", "--json", "--home", str(settings.home))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["id"] == "beihang-university"
    assert data["origin"].endswith("seven_sons.yaml")


def test_show_unknown_id_suggests_close_ids(settings: Settings) -> None:
    result = run("watchlist", "show", "nudtt", "--home", str(settings.home))
    assert isinstance(result.exception, DualscopeError)
    assert "no watchlist entity 'nudtt'" in str(result.exception)
    assert "nudt" in str(result.exception.hint)


def test_validate_ok_and_bad_file(tmp_path: Path, settings: Settings) -> None:
    result = run("watchlist", "validate", "--home", str(settings.home))
    assert result.exit_code == 0 and "valid" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        yaml.safe_dump(
            {"entities": [{"id": "x", "name_en": "X", "category": "navy", "sources": []}]}
        ),
        encoding="utf-8",
    )
    result = run("watchlist", "validate", str(bad), "--home", str(settings.home))
    assert result.exit_code == 1
    assert "entry #0 (id 'x'), field category" in result.output
    assert "field sources" in result.output
    assert "2 problem(s)" in result.output


def test_import_commands_write_the_user_watchlist(
    misp_file: Callable[[list[dict[str, Any]]], Path],
    csv_1286: Callable[[str], Path],
    settings: Settings,
) -> None:
    misp = misp_file(
        [
            {
                "value": "Example Academy (示例学院)",
                "meta": {"categories": ["Military"], "aliases": ["EXA"]},
            }
        ]
    )
    result = run("watchlist", "import-aspi", str(misp), "--home", str(settings.home))
    assert result.exit_code == 0, result.output
    assert "added: 1\n  + example-academy" in result.output
    assert (settings.user_watchlist_dir / "imported.yaml").is_file()

    listing = csv_1286("name,aliases,edition\nExample Academy,EXA,2025\nMoscow Thing,,2025\n")
    result = run("watchlist", "import-1286", str(listing), "--json", "--home", str(settings.home))
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["updated"] == {"example-academy": ["lists +1 (dod_1286 2025)"]}
    assert summary["added"] == ["moscow-thing"]  # no country column: rows are taken as Chinese

    result = run("watchlist", "show", "example-academy", "--json", "--home", str(settings.home))
    shown = json.loads(result.output)
    assert shown["origin"].endswith("imported.yaml")
    assert [(m["list"], m["edition"]) for m in shown["lists"]] == [
        ("aspi_cdut", "2020"),
        ("dod_1286", "2025"),
    ]


def test_import_1286_refuses_an_unknown_category(
    csv_1286: Callable[[str], Path], settings: Settings
) -> None:
    listing = csv_1286("name,aliases,edition\nX,,2025\n")
    result = run(
        "watchlist", "import-1286", str(listing), "--category", "navy", "--home", str(settings.home)
    )
    assert isinstance(result.exception, DualscopeError)
    assert not settings.user_watchlist_dir.exists()
