"""Join observations of the same device across sources (MAC, IP, asset id) and decide
what each device is.

Union-find over the identifiers each observation carries: an inventory row (asset id, IP, MAC),
an nmap host (IP, MAC), a Zeek client (IP, MAC from DHCP) become one device when they share any
identifier. A device is reported when at least one non-weak hit names a watched vendor.
"""

from __future__ import annotations

import ipaddress
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from dualscope.devices.catalog import Catalog
from dualscope.devices.evidence import UNCONFIRMED_OEM, Hit, Observation


class UnionFind:
    """Disjoint sets over hashable keys, with path halving."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, key: object) -> object:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: object, b: object) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


@dataclass
class Device:
    """One physical device as all sources together describe it: a row of ``devices.csv``."""

    device_id: str
    ips: list[str]
    macs: list[str]
    vendor: str
    brand: str
    model: str
    sources: list[str]
    evidence: list[str]
    regulatory: list[str]
    cloud_contacts: list[str]
    notes: list[str] = field(default_factory=list)


#: Values hand-edited inventories use for "no value": never a join key or a device id.
PLACEHOLDERS = {
    "", "-", "--", "?", "n/a", "na", "n.a.", "none", "null", "nil", "tbd", "unknown", "0",
    "sconosciuto", "nd", "n.d.", "unbekannt", "dhcp", "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff",
}  # fmt: skip


def usable(value: str | None) -> str | None:
    """``value`` stripped, or None when it is a placeholder such as "N/A" or "-"."""
    if value is None:
        return None
    text = value.strip()
    return None if text.casefold() in PLACEHOLDERS else text


def _ip_key(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _keys(obs: Observation) -> list[tuple[str, str]]:
    """Join keys: a real MAC, a parseable IP address, a non-placeholder asset id."""
    keys = []
    if usable(obs.mac):
        keys.append(("mac", obs.mac or ""))
    ip = _ip_key(obs.ip) if obs.ip else None
    if ip:
        keys.append(("ip", ip))
    asset = usable(obs.asset_id)
    if asset:
        keys.append(("asset", asset.casefold()))
    return keys


def group(observations: Iterable[Observation]) -> list[list[Observation]]:
    """Observations grouped into devices by shared MAC, IP or asset id (input order kept)."""
    items = list(observations)
    uf = UnionFind()
    for i, obs in enumerate(items):
        uf.find(("obs", i))
        for key in _keys(obs):
            uf.union(("obs", i), key)
    groups: dict[object, list[Observation]] = {}
    for i, obs in enumerate(items):
        groups.setdefault(uf.find(("obs", i)), []).append(obs)
    return list(groups.values())


def _uniq(values: Iterable[str | None]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def choose_vendor(hits: list[Hit]) -> tuple[str, str]:
    """(vendor, brand): the parent with the most confident evidence; OEM-only → unconfirmed."""
    score: Counter[str] = Counter()
    for hit in hits:
        if hit.vendor and not hit.weak:  # weak hits (generic model families) never decide
            score[hit.vendor] += hit.rank
    if not score:
        brands = _uniq(h.brand for h in hits if not h.weak)
        return UNCONFIRMED_OEM, brands[0] if brands else ""
    vendor = score.most_common(1)[0][0]
    ranked = sorted(
        (h for h in hits if h.brand and h.vendor in (vendor, None)),
        key=lambda h: (h.weak, -h.rank, h.vendor is None),
    )
    return vendor, (ranked[0].brand or "") if ranked else ""


def build_device(members: list[Observation], catalog: Catalog) -> Device | None:
    """The device a group describes, or None when nothing non-weak names a watched vendor."""
    hits = [h for obs in members for h in obs.hits]
    if not any(not h.weak for h in hits):
        return None
    vendor, brand = choose_vendor(hits)
    inventory_ids = _uniq(usable(o.asset_id) for o in members if o.source == "inventory")
    ips = _uniq(usable(o.ip) for o in members)
    macs = _uniq(usable(o.mac) for o in members)
    device_id = (
        inventory_ids
        or _uniq(usable(o.asset_id) for o in members)
        or ips
        or macs
        or [members[0].where]
    )[0]
    models = _uniq([o.model for o in members if o.source == "inventory"] + [h.model for h in hits])
    evidence = _uniq(
        f"{o.source} {o.where}: {h.evidence}" if o.where else f"{o.source}: {h.evidence}"
        for o in members
        for h in o.hits
    )
    contacts = _uniq(c for o in members for c in o.cloud_contacts)
    notes = _uniq(n for o in members for n in o.notes)
    regulatory = catalog.regulatory(vendor)
    return Device(
        device_id=device_id, ips=ips, macs=macs, vendor=vendor, brand=brand,
        model=models[0] if models else "", sources=_uniq(o.source for o in members),
        evidence=evidence + notes, regulatory=regulatory, cloud_contacts=contacts, notes=notes,
    )  # fmt: skip


def correlate(observations: Iterable[Observation], catalog: Catalog) -> list[Device]:
    """Devices found across all observations, sorted by device id."""
    devices = [d for g in group(observations) if (d := build_device(g, catalog)) is not None]
    return sorted(devices, key=lambda d: d.device_id.casefold())
