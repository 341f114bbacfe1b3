"""The curated watchlist of military-linked Chinese institutions."""

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
