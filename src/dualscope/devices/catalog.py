"""Load and validate the bundled vendor data into a :class:`Catalog` of fast lookup structures.

A bad data file fails with :class:`DataFileError` naming the file and the entry, e.g.
``vendors.yaml: model_patterns[3] (id 'hik-ids') → regex: regex does not compile``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from dualscope.devices.model import (
    CpvSpec,
    FingerprintFile,
    FingerprintSpec,
    ModelPatternSpec,
    OemSpec,
    OuiOverrideFile,
    PortSpec,
    VendorFile,
)
from dualscope.errors import DataFileError

M = TypeVar("M", bound=BaseModel)

DATA_FILES = ("vendors.yaml", "fingerprints.yaml", "oui_overrides.yaml")
FUZZY_MIN_LEN = 6  # shorter names (Imou, Lorex, EZVIZ) are only matched exactly


def _entry_label(data: Any, loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location with the entry's id/name, so users find the entry."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{key}]"]
            node = node[key] if isinstance(node, list) and key < len(node) else None
            if isinstance(node, dict):
                ident = (
                    node.get("id") or node.get("name") or node.get("prefix") or node.get("domain")
                )
                if ident:
                    parts[-1] += f" ({ident!r})"
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or "<file>"


def load_validated(path: Path, schema: type[M]) -> M:
    """Parse YAML at ``path`` and validate it against ``schema``, naming file and entry on error."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path.name}: cannot read vendor data: {exc}") from exc
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _entry_label(data, tuple(first["loc"]))
        raise DataFileError(
            f"{path.name}: {where}: {first['msg']}",
            hint=f"{exc.error_count()} problem(s) in {path}",
        ) from exc


@dataclass(frozen=True)
class NameKey:
    """A normalised name that identifies a vendor, brand or OEM relabeller."""

    phrase: str  # normalised, space-separated tokens
    vendor: str | None  # display name of the parent; None for an OEM brand
    brand: str | None
    kind: str  # legal name | alias | misspelling | brand | oem
    confidence: str
    note: str | None = None
    owned_until: str | None = None
    vendor_field_only: bool = False  # OEM names count only in a manufacturer/supplier field
    flag: bool = True


@dataclass(frozen=True)
class ModelPattern:
    spec: ModelPatternSpec
    regex: re.Pattern[str]
    vendor: str
    brand: str | None


@dataclass(frozen=True)
class Fingerprint:
    spec: FingerprintSpec
    regex: re.Pattern[str]
    vendor: str | None
    brand: str | None


@dataclass(frozen=True)
class CloudDomain:
    domain: str
    vendor: str
    brand: str | None


@dataclass
class Catalog:
    """Everything the matchers need, resolved to display names and compiled patterns."""

    vendors: VendorFile
    names: list[NameKey] = field(default_factory=list)
    confusables: list[tuple[str, str]] = field(default_factory=list)  # (normalised, note)
    model_patterns: list[ModelPattern] = field(default_factory=list)
    fingerprints: list[Fingerprint] = field(default_factory=list)
    ports: dict[tuple[int, str], PortSpec] = field(default_factory=dict)
    cloud_domains: dict[str, CloudDomain] = field(default_factory=dict)
    cpv: dict[str, CpvSpec] = field(default_factory=dict)
    oui_orgs: list[tuple[str, str, str | None]] = field(default_factory=list)
    oui_overrides: OuiOverrideFile | None = None
    vendor_names: dict[str, str] = field(default_factory=dict)  # id -> display
    brand_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (vendor, brand)
    oem: dict[str, OemSpec] = field(default_factory=dict)
    # one alternation of every name phrase (longest first) and the keys behind each phrase,
    # so a text is scanned once instead of once per name
    name_pattern: re.Pattern[str] | None = None
    names_by_phrase: dict[str, list[NameKey]] = field(default_factory=dict)
    names_by_compact: dict[str, list[NameKey]] = field(default_factory=dict)
    fuzzy_targets: list[tuple[str, NameKey]] = field(default_factory=list)  # (compact, key)

    def index_names(self) -> None:
        """Build :attr:`name_pattern` and the phrase indexes from :attr:`names`."""
        self.names_by_phrase, self.names_by_compact = {}, {}
        order = {"name": 0, "brand": 1, "oem": 2, "legal name": 3, "misspelling": 4}
        for key in sorted(self.names, key=lambda k: order.get(k.kind, 9)):
            self.names_by_phrase.setdefault(key.phrase, []).append(key)
            self.names_by_compact.setdefault(key.phrase.replace(" ", ""), []).append(key)
        self.fuzzy_targets = [
            (compact, key)
            for compact, keys in self.names_by_compact.items()
            for key in keys
            if key.flag and key.kind != "legal name" and len(compact) >= FUZZY_MIN_LEN
        ]
        phrases = sorted(self.names_by_phrase, key=len, reverse=True)
        self.name_pattern = re.compile(
            r"(?<![a-z0-9])(?:" + "|".join(re.escape(p) for p in phrases) + r")(?![a-z0-9])"
        )

    def regulatory(self, vendor: str) -> list[str]:
        """Regulatory status lines for a parent vendor's display name, with dates, and KEV CVEs."""
        spec = next((v for v in self.vendors.vendors if v.name == vendor), None)
        if spec is None:
            return []
        regs = {r.id: r for r in self.vendors.regulations}
        lines = [f"{regs[r].title} ({regs[r].date})" for r in spec.regulations]
        cves = [c.id for c in self.vendors.cves if c.vendor == spec.id]
        if cves:
            lines.append("CISA KEV: " + ", ".join(cves))
        return lines


def _data_dir() -> Path:
    return Path(str(resources.files("dualscope.devices") / "data"))


def build_catalog(data_dir: Path | None = None) -> Catalog:
    """Load the three data files from ``data_dir`` (default: the bundled ones)."""
    from dualscope.devices.names import normalise  # local: names imports catalog types

    folder = data_dir or _data_dir()
    vendors = load_validated(folder / "vendors.yaml", VendorFile)
    fps = load_validated(folder / "fingerprints.yaml", FingerprintFile)
    overrides = load_validated(folder / "oui_overrides.yaml", OuiOverrideFile)
    cat = Catalog(vendors=vendors, oui_overrides=overrides)
    cat.cpv = {c.code: c for c in vendors.cpv_codes}
    cat.oem = {o.id: o for o in vendors.oem_brands}
    for v in vendors.vendors:
        cat.vendor_names[v.id] = v.name
        for kind, names in (
            ("legal name", v.legal_names),
            ("name", [v.name, *v.aliases]),
            ("misspelling", v.misspellings),
        ):
            for n in names:
                conf = "medium" if kind == "misspelling" else "high"
                cat.names.append(NameKey(normalise(n), v.name, None, kind, conf))
        for org in v.oui_orgs:
            cat.oui_orgs.append((normalise(org), v.name, None))
        for b in v.brands:
            cat.brand_names[b.id] = (v.name, b.name)
            for n in [b.name, *b.aliases]:
                cat.names.append(
                    NameKey(
                        normalise(n), v.name, b.name, "brand", b.confidence, b.note, b.owned_until
                    )
                )
            for org in b.oui_orgs:
                cat.oui_orgs.append((normalise(org), v.name, b.name))
    for o in vendors.oem_brands:
        for n in [o.name, *o.aliases]:
            cat.names.append(
                NameKey(
                    normalise(n),
                    None,
                    o.name,
                    "oem",
                    o.confidence,
                    o.note,
                    None,
                    True,
                    o.flag_by_name,
                )
            )
    cat.names = [k for k in cat.names if k.phrase]
    cat.index_names()
    cat.confusables = [(normalise(c.name), c.note) for c in vendors.confusables]
    for p in vendors.model_patterns:
        brand = cat.brand_names[p.brand][1] if p.brand else None
        # case-insensitive: inventories are typed by hand ("ds-2cd2143g2-i" is the same camera)
        cat.model_patterns.append(
            ModelPattern(p, re.compile(p.regex, re.IGNORECASE), cat.vendor_names[p.vendor], brand)
        )
    for f in fps.fingerprints:
        vendor = cat.vendor_names.get(f.vendor) if f.vendor else None
        brand = cat.brand_names[f.brand][1] if f.brand else (cat.oem[f.oem].name if f.oem else None)
        cat.fingerprints.append(Fingerprint(f, re.compile(f.pattern, re.MULTILINE), vendor, brand))
    cat.ports = {(p.port, p.proto): p for p in fps.ports}
    for d in vendors.cloud_domains:
        brand = cat.brand_names[d.brand][1] if d.brand else None
        cat.cloud_domains[d.domain] = CloudDomain(d.domain, cat.vendor_names[d.vendor], brand)
    _check_cross_references(cat, fps, overrides)
    return cat


def _check_cross_references(cat: Catalog, fps: FingerprintFile, ov: OuiOverrideFile) -> None:
    known_src = set(cat.vendors.sources)
    for f in fps.fingerprints:
        if f.vendor and f.vendor not in cat.vendor_names:
            raise DataFileError(
                f"fingerprints.yaml: fingerprint {f.id!r}: unknown vendor {f.vendor!r}"
            )
        if f.brand and f.brand not in cat.brand_names:
            raise DataFileError(
                f"fingerprints.yaml: fingerprint {f.id!r}: unknown brand {f.brand!r}"
            )
        if f.oem and f.oem not in cat.oem:
            raise DataFileError(f"fingerprints.yaml: fingerprint {f.id!r}: unknown oem {f.oem!r}")
        if f.source not in known_src:
            raise DataFileError(
                f"fingerprints.yaml: fingerprint {f.id!r}: unknown source {f.source!r}"
            )
    for p in fps.ports:
        if p.vendor not in cat.vendor_names:
            raise DataFileError(f"fingerprints.yaml: port {p.port}: unknown vendor {p.vendor!r}")
    if ov.source not in known_src:
        raise DataFileError(f"oui_overrides.yaml: unknown source {ov.source!r}")
    for o in ov.prefixes:
        if o.vendor not in cat.vendor_names or (o.brand and o.brand not in cat.brand_names):
            raise DataFileError(f"oui_overrides.yaml: prefix {o.prefix!r}: unknown vendor/brand")


@lru_cache(maxsize=1)
def default_catalog() -> Catalog:
    """The bundled catalogue, loaded once per process."""
    return build_catalog()
