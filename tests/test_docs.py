"""The docs are tested too: every CLI command has help text and appears in the README."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer.main

from dualscope.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """(name, command) for every leaf command; typer vendors click, so duck-type groups."""
    found: list[tuple[str, Any]] = []
    for name, command in group.commands.items():
        full = f"{prefix}{name}"
        if hasattr(command, "commands"):
            found.extend(_commands(command, prefix=f"{full} "))
        else:
            found.append((full, command))
    return found


COMMANDS = _commands(typer.main.get_command(app))


def test_the_cli_has_the_commands_the_issues_name() -> None:
    names = {name for name, _ in COMMANDS}
    expected = {
        "check",
        "match",
        "watchlist list",
        "watchlist show",
        "watchlist validate",
        "watchlist import-aspi",
        "watchlist import-1286",
        "watchlist import-ror",
        "ingest",
        "fetch",
        "screen",
        "areas",
        "classify",
        "report",
        "export",
        "serve",
        "devices",
    }
    assert expected <= names, f"missing commands: {sorted(expected - names)}"


def test_every_command_has_help_and_is_in_the_readme_reference() -> None:
    reference = README.split("## CLI reference", 1)[1].split("\n## ", 1)[0]
    for name, command in COMMANDS:
        assert (command.help or "").strip(), f"`dualscope {name}` has no help text"
        assert f"dualscope {name}" in reference, f"`dualscope {name}` missing from the README"


def test_readme_reaches_a_first_result_in_two_commands() -> None:
    assert "make demo" in README
    assert "make test" in README
