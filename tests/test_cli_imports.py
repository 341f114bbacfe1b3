"""Starting the CLI loads typer and rich, not the matcher, classifier, report or web app.

`dualscope screen` on 100,000 works has to finish within twice a bare DuckDB scan, so every
command pays only for what it uses: the heavy modules load when their command runs.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "dualscope.classify",
    "dualscope.matching",
    "dualscope.report",
    "dualscope.web",
    "dualscope.devices",
    "dualscope.watchlist.loader",
    "dualscope.watchlist.model",
    "dualscope.sources.exports",  # every export reader; --format's help needs only the names
    "pydantic",
    "jinja2",
    "rapidfuzz",
)


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    return set(out.split())


def test_importing_the_cli_loads_no_heavy_module() -> None:
    loaded = _loaded_after("from dualscope.cli import main")
    heavy = sorted(m for m in loaded if m.startswith(HEAVY))
    assert heavy == []


def test_the_watchlist_package_loads_its_submodules_on_first_use() -> None:
    loaded = _loaded_after("import dualscope.watchlist.categories")
    assert "dualscope.watchlist.model" not in loaded
    import dualscope.watchlist as watchlist
    from dualscope.watchlist.categories import CATEGORIES
    from dualscope.watchlist.model import CATEGORIES as MODEL_CATEGORIES
    from dualscope.watchlist.model import Entity

    assert watchlist.Entity is Entity
    assert MODEL_CATEGORIES is CATEGORIES
