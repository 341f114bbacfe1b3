"""rich.table loads when a command prints a table, not when the CLI starts."""

from __future__ import annotations

import subprocess
import sys


def test_starting_the_cli_does_not_load_rich_table() -> None:
    probe = "import sys\nfrom dualscope.cli import main\nprint('rich.table' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip() == "False"


def test_the_screen_tables_still_print() -> None:
    from dualscope.cli.screen_cmd import print_screen

    summary = {
        "works_read": 3,
        "candidates": 2,
        "flagged": 1,
        "countries": {"IT": 1},
        "entities": {"Harbin Institute of Technology": 1},
    }
    print_screen(summary)  # builds two rich tables without a NameError
