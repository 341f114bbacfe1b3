"""Network evidence: fingerprints (Server headers, auth realms, certificates, banners, URL paths),
vendor ports and vendor cloud domains, as seen in scans and traffic logs."""

from __future__ import annotations

import re

from dualscope.devices.catalog import Catalog, CloudDomain
from dualscope.devices.evidence import UNCONFIRMED_OEM, Hit
from dualscope.devices.names import match_models, match_names

_HEADER = re.compile(r"^\s*(server|www-authenticate)\s*:\s*(.+?)\s*$", re.I | re.M)
_PATH = re.compile(r"(?<![\w/])(/[A-Za-z0-9_./-]{2,200})")
_MAX = 65_536


def match_field(field: str, text: str, catalog: Catalog, where: str = "") -> list[Hit]:
    """Fingerprints of kind ``field`` (server, auth, x509, telnet, path, text) found in ``text``."""
    hits: list[Hit] = []
    text = text[:_MAX].strip()
    if not text:
        return hits
    for fp in catalog.fingerprints:
        if fp.spec.field != field or not fp.regex.search(text):
            continue
        maker = fp.brand if fp.vendor is None else fp.vendor
        label = f"{where} " if where else ""
        hits.append(
            Hit(
                vendor=fp.vendor,
                brand=fp.brand,
                signal="fingerprint",
                confidence=fp.spec.confidence,
                evidence=(
                    f"{label}{field} {text[:120]!r} matches {maker or UNCONFIRMED_OEM} "
                    f"fingerprint {fp.spec.id} [{fp.spec.source}: {fp.spec.ref}]"
                ),
            )
        )
    return hits


def match_banner(text: str, catalog: Catalog, where: str = "") -> list[Hit]:
    """Everything a free banner or script output can show: header lines (Server,
    WWW-Authenticate), URL paths, vendor/brand names as whole words and model numbers."""
    text = text[:_MAX]
    hits: list[Hit] = []
    for name, value in _HEADER.findall(text):
        field = "server" if name.lower() == "server" else "auth"
        hits += match_field(field, value, catalog, where)
    for path in _PATH.findall(text):
        hits += match_field("path", path, catalog, where)
    hits += match_field("text", text, catalog, where)
    for hit in match_names(text, catalog) + match_models(text, catalog):
        hits.append(_located(hit, where))
    return hits


def _located(hit: Hit, where: str) -> Hit:
    if not where:
        return hit
    return Hit(
        hit.vendor, hit.brand, hit.signal, hit.confidence, f"{where}: {hit.evidence}",
        hit.model, hit.weak, hit.owned_until,
    )  # fmt: skip


def port_hit(port: int, proto: str, catalog: Catalog, where: str = "") -> Hit | None:
    """A vendor protocol port; common ones (8000/tcp) are weak evidence only."""
    spec = catalog.ports.get((port, proto.lower()))
    if spec is None:
        return None
    vendor = catalog.vendor_names[spec.vendor]
    alone = "" if spec.alone else " (common port: evidence only)"
    return Hit(
        vendor=vendor,
        brand=None,
        signal="port",
        confidence="low",
        evidence=f"{where}{' ' if where else ''}{port}/{proto} ({spec.role}){alone}",
        weak=not spec.alone,
    )


def cloud_domain(name: str, catalog: Catalog) -> CloudDomain | None:
    """The watched cloud domain ``name`` belongs to, matching whole labels only:
    ``litedev.hik-connect.com`` yes, ``nothik-connect.com`` no."""
    host = name.strip().rstrip(".").lower()
    labels = host.split(".")
    for i in range(len(labels) - 1):
        found = catalog.cloud_domains.get(".".join(labels[i:]))
        if found is not None:
            return found
    return None
