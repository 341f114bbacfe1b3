"""Recognise watched vendors, brands and model numbers in free text.

Three rules, each explained in the evidence it produces:

- **exact name**: a vendor's legal name, alias, known misspelling or a brand, found as whole
  words after normalisation ("HIKVISION DIGITAL TECHNOLOGY CO" → Hikvision);
- **guarded fuzzy name** (manufacturer/supplier fields only, never long descriptions): one word
  within a small edit distance of a long vendor or brand name ("Hikvisoin" → Hikvision);
- **model number**: a vendor's model-number family (``DS-2CD…``, ``IPC-HFW…``); generic families
  only add evidence.

Confusables ("HiKOKI", "Hikari", "Shanghai Dahua Scale Factory") are removed before any rule runs.
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from dualscope.devices.catalog import FUZZY_MIN_LEN, Catalog, NameKey
from dualscope.devices.evidence import Hit

#: Words that carry no identity in company names; removed before comparing.
_NOISE = {
    "co", "ltd", "limited", "inc", "corp", "corporation", "company", "technology",
    "technologies", "tech", "digital", "network", "software", "group", "gmbh", "srl", "spa",
    "sa", "sas", "bv", "llc", "plc", "the", "international", "intl",
}  # fmt: skip
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_MAX_TEXT = 65_536  # longer fields are matched on their first 64 KiB (noted by callers)
_FUZZY_THRESHOLD = 88.0
_MODEL_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/+()-]*")


def normalise(text: str, *, keep_noise: bool = False) -> str:
    """Lower-case ASCII words: accents folded, punctuation dropped, legal-form words removed."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = _NON_ALNUM.sub(" ", folded.lower()).split()
    if not keep_noise:
        words = [w for w in words if w not in _NOISE]
    return " ".join(words)


def _strip_confusables(norm: str, catalog: Catalog) -> tuple[str, list[str]]:
    notes: list[str] = []
    padded = f" {norm} "
    for phrase, note in catalog.confusables:
        if f" {phrase} " in padded:
            padded = padded.replace(f" {phrase} ", " ")
            notes.append(f"ignored confusable '{phrase}': {note}")
    return padded.strip(), notes


def _hit_from_key(key: NameKey, raw: str, rule: str) -> Hit:
    who = key.brand or key.vendor or "?"
    parent = f" (brand of {key.vendor})" if key.brand and key.vendor else ""
    note = f"; {key.note}" if key.note else ""
    return Hit(
        vendor=key.vendor,
        brand=key.brand,
        signal="name",
        confidence=key.confidence if rule == "exact" else "medium",
        evidence=f"{rule} {key.kind} {raw[:80]!r} → {who}{parent}{note}",
        weak=not key.flag,  # e.g. plain "Honeywell": only a brand label next to other evidence
        owned_until=key.owned_until,
    )


def match_names(text: str, catalog: Catalog, *, vendor_field: bool = False) -> list[Hit]:
    """Names of watched vendors/brands in ``text``; fuzzy only when ``vendor_field`` is true."""
    norm, _ = _strip_confusables(normalise(text[:_MAX_TEXT]), catalog)
    if not norm:
        return []
    found: list[NameKey] = []
    assert catalog.name_pattern is not None
    for m in catalog.name_pattern.finditer(norm):
        found += catalog.names_by_phrase[m.group(0)]
    if vendor_field:
        found += catalog.names_by_compact.get(norm.replace(" ", ""), [])
    hits: dict[tuple[str | None, str | None], Hit] = {}
    for key in found:
        if key.vendor_field_only and not vendor_field:
            continue
        raw = text.strip() if vendor_field else key.phrase
        hits.setdefault((key.vendor, key.brand), _hit_from_key(key, raw, "exact"))
    if not hits and vendor_field and len(norm) <= 60:
        fuzzy = _fuzzy_name(norm, catalog)
        if fuzzy is not None:
            hits[(fuzzy[0].vendor, fuzzy[0].brand)] = fuzzy[1]
    return list(hits.values())


def _fuzzy_name(norm: str, catalog: Catalog) -> tuple[NameKey, Hit] | None:
    """Best single-word near miss of a long (≥6 letters) vendor/brand name, same first letters."""
    words = {w for w in norm.split() if len(w) >= FUZZY_MIN_LEN}
    if len(norm.split()) <= 3:
        words.add(norm.replace(" ", ""))
    best: tuple[float, NameKey, str] | None = None
    for target, key in catalog.fuzzy_targets:
        for word in words:
            if word[:2] != target[:2] or abs(len(word) - len(target)) > 2:
                continue
            score = fuzz.ratio(word, target)
            if score >= _FUZZY_THRESHOLD and (best is None or score > best[0]):
                best = (score, key, word)
    if best is None:
        return None
    score, key, word = best
    hit = _hit_from_key(key, word, f"near-miss ({score:.0f}%)")
    return key, hit


def model_token(text: str, start: int) -> str:
    """The whole model number starting at ``start`` ("DS-2CD2143G2-I" rather than "DS-2CD2")."""
    m = _MODEL_TOKEN.match(text, start)
    return m.group(0).rstrip(".,;:)") if m else text[start : start + 20]


def match_models(text: str, catalog: Catalog) -> list[Hit]:
    """Model-number families in ``text``; generic families come back as weak hits."""
    text = text[:_MAX_TEXT]
    hits: list[Hit] = []
    seen: set[str] = set()
    for pat in catalog.model_patterns:  # specific families come first in the data file
        m = pat.regex.search(text)
        if not m:
            continue
        token = model_token(text, m.start())
        if token in seen:
            continue
        seen.add(token)
        spec = pat.spec
        generic = " (generic family: evidence only)" if spec.generic else ""
        hits.append(
            Hit(
                vendor=pat.vendor,
                brand=pat.brand,
                signal="model",
                confidence=spec.confidence,
                evidence=f"model {token!r} matches {pat.vendor} {spec.kind} family{generic}",
                model=token,
                weak=spec.generic,
            )
        )
    return hits
