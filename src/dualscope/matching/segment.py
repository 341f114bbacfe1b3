"""One organisation-level segment of an affiliation, prepared once for every rule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from dualscope.matching.normalize import canon_tokens, norm_tokens

_WORD = re.compile(r"\S+")

# A direction word (or "National") right before a name makes it another institution's name:
# "North China University of ..." is not "China University of ...", and "National Sun Yat-sen
# University" (Kaohsiung) is not "Sun Yat-sen University".
DIRECTIONS = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "central",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northern",
        "southern",
        "eastern",
        "western",
        "inner",
        "national",
        "natl",
    ]
)
# Words after a name that continue it into a longer, different name ("Wuhan University of
# Technology"), unless what follows is just a place ("... of China").
CONTINUATIONS = frozenset({"of", "for"})
# Head words of organisations that are not the university they are named after.
HOSPITAL_WORDS = frozenset({"hosp", "hospital", "hospitals"})
CANCER_CENTRE = ("cancer", "ctr")


@dataclass(slots=True)
class Segment:
    """The raw text of one segment with its normalised and canonical tokens."""

    raw: str
    norm: list[str]
    keys: list[str]
    positions: list[int]  # index in ``norm`` of each canonical key
    _word_ends: list[int] | None = field(default=None)

    @classmethod
    def of(cls, raw: str) -> Segment:
        return cls.from_tokens(raw.strip(), norm_tokens(raw))

    @classmethod
    def from_tokens(cls, raw: str, norm: list[str]) -> Segment:
        keys, positions = canon_tokens(norm)
        return cls(raw, norm, keys, positions)

    def norm_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in normalised tokens of canonical keys ``start:end``."""
        return self.positions[start], self.positions[end - 1] + 1

    def is_hospital(self) -> bool:
        """True when the segment names a hospital or cancer centre (an organisation of its own)."""
        keys = self.keys
        if not HOSPITAL_WORDS.isdisjoint(keys):
            return True
        if "cancer" not in keys:
            return False
        return any(keys[i : i + 2] == list(CANCER_CENTRE) for i in range(len(keys) - 1))

    def raw_text(self, start: int, end: int) -> str:
        """The words of the raw segment that produced canonical keys ``start:end`` (best effort)."""
        if start == 0 and end == len(self.keys):
            return self.raw
        if self._word_ends is None:
            ends: list[int] = []
            total = 0
            for word in _WORD.findall(self.raw):
                total += len(norm_tokens(word))
                ends.append(total)
            self._word_ends = ends
        words = list(_WORD.finditer(self.raw))
        if not words or self._word_ends[-1] != len(self.norm):
            return self.raw
        first, last = self.norm_span(start, end)
        begin = next(i for i, e in enumerate(self._word_ends) if e > first)
        stop = next(i for i, e in enumerate(self._word_ends) if e >= last)
        # The raw text verbatim (its own spacing), so the evidence quotes the input exactly.
        return self.raw[words[begin].start() : words[stop].end()].strip(" .()[]")
