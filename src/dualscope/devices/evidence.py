"""The small, fast objects readers produce: a :class:`Hit` (one piece of evidence naming a
vendor) and an :class:`Observation` (one device as one input record saw it).

Plain dataclasses on purpose: they are built per input row on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CONFIDENCE_RANK = {"high": 3, "medium": 2, "low": 1}

#: Vendor column value when only an OEM relabeller's name is known.
UNCONFIRMED_OEM = "unconfirmed (OEM relabeller)"


@dataclass(frozen=True)
class Hit:
    """One signal that a record concerns a watched vendor's equipment."""

    vendor: str | None  # parent vendor ("Hikvision"); None = OEM brand, parent unconfirmed
    brand: str | None  # sub-brand or OEM brand ("EZVIZ", "Annke"), if known
    signal: str  # name | model | oui | fingerprint | port | cloud
    confidence: str  # high | medium | low
    evidence: str  # one line a reader can check
    model: str | None = None
    weak: bool = False  # never flags on its own (generic model pattern, common port)
    owned_until: str | None = None  # brand left the vendor's group (YYYY-MM), if it did

    @property
    def rank(self) -> int:
        return CONFIDENCE_RANK.get(self.confidence, 0)


@dataclass
class Observation:
    """A device as one input record saw it (inventory row, nmap host, Zeek client...)."""

    source: str  # inventory | nmap | zeek
    where: str  # "file:line" or "file, host 3"
    asset_id: str | None = None
    ip: str | None = None
    mac: str | None = None
    hostname: str | None = None
    model: str | None = None
    hits: list[Hit] = field(default_factory=list)
    cloud_contacts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
