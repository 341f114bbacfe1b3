"""What a screening run looks for: categories, focus countries, years."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from dualscope.errors import DualscopeError
from dualscope.geo.countries import EUROPE, parse_country_list
from dualscope.watchlist.categories import CATEGORIES

DEFAULT_CATEGORIES: frozenset[str] = frozenset({"military", "seven_sons"})


@dataclass(frozen=True)
class ScreenOptions:
    """Options of one `screen` run, echoed in summary.json."""

    categories: frozenset[str] = DEFAULT_CATEGORIES
    countries: frozenset[str] = EUROPE
    since: int | None = None
    until: int | None = None
    countries_spec: str = "europe"
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise DualscopeError(
                f"--since {self.since} is after --until {self.until}",
                hint="swap the two years",
            )

    def as_dict(self) -> dict[str, Any]:
        return {
            "categories": sorted(self.categories),
            "countries": self.countries_spec,
            "focus_countries": sorted(self.countries),
            "since": self.since,
            "until": self.until,
            **self.extra,
        }


def parse_categories(spec: str) -> frozenset[str]:
    """``military,seven_sons`` / ``all`` → the set of watchlist categories; unknown ones fail."""
    tokens = [t.strip().lower().replace("-", "_") for t in spec.split(",") if t.strip()]
    if not tokens:
        raise DualscopeError("empty --categories", hint=f"choose from {', '.join(CATEGORIES)}")
    if "all" in tokens:
        return frozenset(CATEGORIES)
    unknown = [t for t in tokens if t not in CATEGORIES]
    if unknown:
        close = difflib.get_close_matches(unknown[0], CATEGORIES, n=1)
        hint = f"did you mean {close[0]!r}?" if close else None
        raise DualscopeError(
            f"unknown category {unknown[0]!r} (known: {', '.join(CATEGORIES)}, all)", hint=hint
        )
    return frozenset(tokens)


def parse_countries(spec: str) -> frozenset[str]:
    """``europe`` / ``IT,DE`` → the set of focus countries (ISO 3166-1 alpha-2)."""
    return parse_country_list(spec)
