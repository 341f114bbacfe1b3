"""The watchlist categories, in display order (no pydantic: the CLI imports this at start-up)."""

from __future__ import annotations

from typing import Literal

Category = Literal["military", "seven_sons", "defence_industry", "security", "civilian"]
CATEGORIES: tuple[str, ...] = ("military", "seven_sons", "defence_industry", "security", "civilian")
