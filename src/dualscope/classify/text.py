"""Text helpers for classification: OpenAlex abstracts and topic ids."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_TOPIC_RE = re.compile(r"(?:^|/)(T\d+)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def abstract_from_inverted_index(index: Any) -> str:
    """Rebuild plain text from an OpenAlex ``abstract_inverted_index`` (word → positions).

    Robust to ``None``, non-dict values, positions that are not integers and gaps: words are
    placed at their positions, anything malformed is skipped, and the result is "" when
    nothing usable is left.

    >>> abstract_from_inverted_index({"Drones": [0], "fly": [1], "far.": [2]})
    'Drones fly far.'
    """
    if not isinstance(index, Mapping):
        return ""
    placed: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(word, str) or not isinstance(positions, list | tuple):
            continue
        for position in positions:
            if isinstance(position, int) and not isinstance(position, bool) and position >= 0:
                placed.setdefault(position, word)
    if not placed:
        return ""
    text = " ".join(placed[i] for i in sorted(placed))
    return _SPACES.sub(" ", text).strip()


def normalise_topic_id(value: Any) -> str | None:
    """``https://openalex.org/T10057`` or ``t10057`` → ``T10057``; anything else → None."""
    if not isinstance(value, str):
        return None
    match = _TOPIC_RE.search(value.strip())
    return match.group(1).upper() if match else None
