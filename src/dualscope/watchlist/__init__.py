"""The curated watchlist of military-linked Chinese institutions.

The names below are imported on first use (PEP 562), so importing a light submodule such as
:mod:`dualscope.watchlist.categories` does not load YAML and pydantic.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dualscope.watchlist.loader import load_watchlist, validate_watchlist
    from dualscope.watchlist.model import (
        Alias,
        Category,
        Entity,
        Identifier,
        ListMembership,
        Source,
        Subunit,
        Watchlist,
    )

_WHERE = {
    "load_watchlist": "loader",
    "validate_watchlist": "loader",
    "Alias": "model",
    "Category": "model",
    "Entity": "model",
    "Identifier": "model",
    "ListMembership": "model",
    "Source": "model",
    "Subunit": "model",
    "Watchlist": "model",
}

__all__ = [
    "Alias",
    "Category",
    "Entity",
    "Identifier",
    "ListMembership",
    "Source",
    "Subunit",
    "Watchlist",
    "load_watchlist",
    "validate_watchlist",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
