"""All settings in one place: ``DUALSCOPE_*`` environment variables, each with a default.

Read once through :func:`get_settings`; tests pass their own :class:`Settings` instead of
mutating the environment or module globals.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env_path(name: str, default: str | None) -> Path | None:
    value = os.environ.get(name, default)
    return Path(value).expanduser() if value else None


@dataclass(frozen=True)
class Settings:
    # DuckDB store used when a command gets no --db.
    db_path: Path = field(
        default_factory=lambda: _env_path("DUALSCOPE_DB", "dualscope.duckdb") or Path()
    )
    # Folder for the user's own watchlist files (`watchlist import-*`), extending the bundled one.
    home: Path = field(
        default_factory=lambda: _env_path("DUALSCOPE_HOME", "~/.dualscope") or Path()
    )
    # OpenAlex API base URL (tests point it at a local server).
    openalex_url: str = field(
        default_factory=lambda: os.environ.get("DUALSCOPE_OPENALEX_URL", "https://api.openalex.org")
    )
    # OpenAlex API key; required by the API since 2026-02-13.
    openalex_api_key: str | None = field(
        default_factory=lambda: os.environ.get("OPENALEX_API_KEY") or None
    )
    # Token the web app requires when bound to anything but localhost.
    web_token: str | None = field(default_factory=lambda: os.environ.get("DUALSCOPE_TOKEN") or None)
    # Where the third-party reference data lives (tests and evaluation scripts only).
    shared_dir: Path = field(
        default_factory=lambda: (
            _env_path("DUALSCOPE_SHARED", None)
            or Path(__file__).resolve().parents[2].parent / "shared"
        )
    )

    @property
    def user_watchlist_dir(self) -> Path:
        return self.home / "watchlist"


def get_settings() -> Settings:
    """Settings from the current environment."""
    return Settings()
