"""OCDS procurement data: release packages, record packages, single releases or records, and
JSON lines of any of these. Finds purchases of watched vendors' equipment.

A purchase is flagged when a supplier *is* a watched vendor or brand, or when a reseller (a
telecom operator, an integrator) supplied items whose descriptions name the brand or a model
number. Video-surveillance CPV codes strengthen a finding but never flag on their own. Releases
of one ``ocid`` (tender, award, contract stages) are merged before judging.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dualscope.devices.catalog import Catalog
from dualscope.devices.evidence import UNCONFIRMED_OEM, Hit
from dualscope.devices.names import match_models, match_names
from dualscope.devices.readers.ocds_documents import documents, iter_releases
from dualscope.devices.stats import ReadLog

_TEXT_CAP = 65_536  # matched in full up to 64 KiB
_SHOWN = 300  # characters of each item shown in contracts.csv


@dataclass
class Purchase:
    """What the releases of one ``ocid`` say, merged across stages."""

    ocid: str
    where: str
    buyer: str = ""
    suppliers: list[str] = field(default_factory=list)
    tenderers: list[str] = field(default_factory=list)  # bidders: evidence, never a purchase
    items: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # titles and descriptions
    cpv: list[str] = field(default_factory=list)
    amount: str = ""
    currency: str = ""
    dates: dict[str, str] = field(default_factory=dict)  # award | contract | release -> date

    @property
    def date(self) -> str:
        """Award date, else contract signature date, else the earliest release date."""
        for kind in ("award", "contract", "release"):
            if self.dates.get(kind):
                return self.dates[kind]
        return ""

    def note_date(self, kind: str, value: str) -> None:
        if value and (kind not in self.dates or (kind == "release" and value < self.dates[kind])):
            self.dates[kind] = value


@dataclass
class ContractFinding:
    """A flagged purchase: one row of ``contracts.csv``."""

    ocid: str
    buyer: str
    suppliers: list[str]
    vendor: str
    brand: str
    items: list[str]
    cpv: list[str]
    amount: str
    currency: str
    date: str
    evidence: list[str]


def _obj(value: Any, what: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{what} should be an object, not {type(value).__name__}")
    return value


def _list(value: Any, what: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{what} should be a list, not {type(value).__name__}")
    return value


def _str(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def cpv_code(value: Any) -> str | None:
    """8-digit CPV id from ``"32323500"``, ``"32323500-8"``, ``"32323500.0"`` or 32323500."""
    text = _str(value).split("-")[0].split(".")[0].strip()
    return text.zfill(8) if text.isdigit() and 7 <= len(text) <= 8 else None


def _classifications(item: dict[str, Any]) -> Iterator[str]:
    entries = [
        item.get("classification"),
        *_list(item.get("additionalClassifications"), "additionalClassifications"),
    ]
    for entry in entries:
        entry = _obj(entry, "classification")
        scheme = _str(entry.get("scheme")).upper()
        code = cpv_code(entry.get("id"))
        if code and (not scheme or "CPV" in scheme):
            yield code


def merge_release(purchase: Purchase, release: dict[str, Any]) -> None:
    """Add what one release says to the purchase of its ocid (raises ValueError on wrong types)."""
    parties = {}
    for party in _list(release.get("parties"), "parties"):
        party = _obj(party, "parties[]")
        name, roles = _str(party.get("name")), _list(party.get("roles"), "roles")
        parties[_str(party.get("id"))] = name
        if "buyer" in roles and not purchase.buyer:
            purchase.buyer = name
        if "supplier" in roles and name and name not in purchase.suppliers:
            purchase.suppliers.append(name)
        if "tenderer" in roles and name and name not in purchase.tenderers:
            purchase.tenderers.append(name)
    buyer = _obj(release.get("buyer"), "buyer")
    purchase.buyer = (
        purchase.buyer or _str(buyer.get("name")) or parties.get(_str(buyer.get("id")), "")
    )
    tender = _obj(release.get("tender"), "tender")
    for bidder in _list(tender.get("tenderers"), "tender.tenderers"):
        name = _str(_obj(bidder, "tenderer").get("name"))
        if name and name not in purchase.tenderers:
            purchase.tenderers.append(name)
    stages = [("tender", tender)]
    for award in _list(release.get("awards"), "awards"):
        award = _obj(award, "awards[]")
        stages.append(("award", award))
        for supplier in _list(award.get("suppliers"), "awards[].suppliers"):
            supplier = _obj(supplier, "supplier")
            name = _str(supplier.get("name")) or parties.get(_str(supplier.get("id")), "")
            if name and name not in purchase.suppliers:
                purchase.suppliers.append(name)
        purchase.note_date("award", _str(award.get("date"))[:10])
    for contract in _list(release.get("contracts"), "contracts"):
        contract = _obj(contract, "contracts[]")
        stages.append(("contract", contract))
        purchase.note_date("contract", _str(contract.get("dateSigned"))[:10])
    for stage, block in stages:
        for key in ("title", "description"):
            text = _str(block.get(key))[:_TEXT_CAP]
            if text and text not in purchase.texts:
                purchase.texts.append(text)
        for item in _list(block.get("items"), f"{stage}.items"):
            item = _obj(item, f"{stage}.items[]")
            desc = _str(item.get("description"))[:_TEXT_CAP]
            if desc and desc not in purchase.items:
                purchase.items.append(desc)
            for code in _classifications(item):
                if code not in purchase.cpv:
                    purchase.cpv.append(code)
        value = _obj(block.get("value"), f"{stage}.value")
        amount = _str(value.get("amount"))
        # award value first, then contract, then tender estimate
        if amount and (not purchase.amount or stage == "award"):
            purchase.amount, purchase.currency = amount, _str(value.get("currency"))
    purchase.note_date("release", _str(release.get("date"))[:10])


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _after_sale(hit: Hit, date: str) -> bool:
    return bool(hit.owned_until and date and date[:7] > hit.owned_until)


# Words that say a purchase is about cameras or video surveillance (several languages).
_CAMERA_WORDS = re.compile(
    r"camera|telecamer|kamera|cámara|caméra|cctv|video.?surveil|videosorveglian|"
    r"videoüberwach|vidéosurveil|videovigilan|surveillance|sorveglianza|überwachung|"
    r"\bnvr\b|\bdvr\b|\bipc\b|\bptz\b|doorbell|citofon|videocitofon|türsprech",
    re.IGNORECASE,
)


def _camera_context(purchase: Purchase, catalog: Catalog) -> bool:
    """Does the purchase itself say it is about cameras (a surveillance CPV code or words)?"""
    if any(code in catalog.cpv for code in purchase.cpv):
        return True
    return any(_CAMERA_WORDS.search(text) for text in purchase.items + purchase.texts)


def judge(purchase: Purchase, catalog: Catalog) -> ContractFinding | None:
    """A finding when a supplier is a watched vendor/brand or items name one; else None."""
    evidence: list[str] = []
    strong: list[Hit] = []
    context = _camera_context(purchase, catalog)
    for supplier in purchase.suppliers:
        for hit in match_names(supplier, catalog, vendor_field=True):
            if hit.weak:  # a plain "Honeywell" supplier is not a watched vendor
                pass
            elif hit.brand and not context:
                # "Hi-Watch Orologi" (a watch shop) bears a brand's name: without cameras in
                # the items or a surveillance CPV code, a brand-named supplier is not enough.
                evidence.append(
                    f"not counted: supplier {supplier!r} bears the brand name {hit.brand} but "
                    "the purchase names no camera or surveillance equipment"
                )
                continue
            else:
                strong.append(hit)
            evidence.append(f"supplier {supplier!r}: {hit.evidence}")
    via = "" if strong or not purchase.suppliers else " (supplied through a reseller)"
    for text in purchase.items + purchase.texts:
        for hit in match_names(text, catalog) + match_models(text, catalog):
            if not hit.weak:
                strong.append(hit)
            evidence.append(f"item/description{via} {text[:80]!r}: {hit.evidence}")
    for bidder in purchase.tenderers:
        for hit in match_names(bidder, catalog, vendor_field=True):
            evidence.append(f"tenderer {bidder!r} (a bid, not necessarily awarded): {hit.evidence}")
    dropped = [h for h in strong if _after_sale(h, purchase.date)]
    strong = [h for h in strong if h not in dropped]
    evidence += [
        f"not counted: {h.brand} named in a purchase dated {purchase.date}, after the brand "
        f"left {h.vendor} ({h.owned_until})"
        for h in dropped
    ]
    if not strong:
        return None
    for code in purchase.cpv:
        spec = catalog.cpv.get(code)
        if spec is not None:
            evidence.append(f"CPV {code} {spec.label} ({spec.status})")
    best = max(strong, key=lambda h: (h.vendor is not None, h.rank))
    vendor = best.vendor or UNCONFIRMED_OEM
    brands = [h.brand for h in strong if h.brand and (h.vendor == best.vendor)]
    return ContractFinding(
        ocid=purchase.ocid, buyer=purchase.buyer, suppliers=purchase.suppliers, vendor=vendor,
        brand=brands[0] if brands else "", items=[_shown(i) for i in purchase.items],
        cpv=purchase.cpv,
        amount=purchase.amount, currency=purchase.currency, date=purchase.date,
        evidence=list(dict.fromkeys(evidence)),
    )  # fmt: skip


def read_ocds(path: Path, purchases: dict[str, Purchase], log: ReadLog) -> None:
    """Merge the releases of one OCDS file into ``purchases`` (keyed by ocid)."""
    for where, doc in documents(path, log):
        for release in iter_releases(doc, path, where, log):
            ocid = _str(release.get("ocid"))
            if not ocid:
                log.skip(
                    path, "release without ocid", record=where or _str(release.get("id")) or None
                )
                continue
            known = purchases.get(ocid)
            purchase = (
                copy.deepcopy(known) if known else Purchase(ocid, f"{path.name} {where}".strip())
            )
            try:  # merged into a copy: a bad release leaves nothing half-merged
                merge_release(purchase, release)
            except (ValueError, TypeError) as exc:
                log.skip(
                    path,
                    "wrong type",
                    record=f"{ocid} {_str(release.get('id'))}".strip(),
                    detail=str(exc),
                )
                continue
            purchases[ocid] = purchase
            log.read("ocds")
