"""Result types of the matcher: plain frozen dataclasses (hot path, millions of calls)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why one entity matched: the rule, the alias it hit, and the part of the input."""

    rule: str  # rule name, e.g. "wos_abbreviation"
    explanation: str  # the rule's one-line docstring filled in for this hit
    matched_text: str  # the part of the input string (or the identifier) that matched
    alias: str  # the watchlist name/alias/identifier it matched


@dataclass(frozen=True, slots=True)
class Match:
    entity_id: str
    entity_name: str
    category: str
    score: float  # 0..1; 1.0 = identifier or exact alias
    evidence: tuple[Evidence, ...]

    def explain(self) -> str:
        return "; ".join(e.explanation for e in self.evidence)
