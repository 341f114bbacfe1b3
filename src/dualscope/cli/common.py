"""Options and helpers shared by every command, declared once."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from dualscope.settings import get_settings

console = Console()
# soft_wrap: an error is one line even when stderr is a pipe (Rich would wrap at 80 columns).
err_console = Console(stderr=True, soft_wrap=True)


def db_option() -> Path:
    """`--db`: the DuckDB store (default `DUALSCOPE_DB` or ./dualscope.duckdb)."""
    return typer.Option(
        get_settings().db_path,
        "--db",
        help="DuckDB store file (default: $DUALSCOPE_DB or ./dualscope.duckdb).",
        dir_okay=False,
    )


def out_dir_option(help_text: str = "Output folder (written atomically).") -> Path:
    return typer.Option(..., "--out", "-o", help=help_text, file_okay=False)


def strict_option() -> bool:
    return typer.Option(
        False,
        "--strict",
        help="Stop at the first bad record (non-zero exit) instead of skipping and counting it.",
    )
