"""Typed model of the bundled vendor data (``data/*.yaml``), validated by pydantic on load.

Pydantic is used only here, at the edge: the loaded catalogue is turned into plain, frozen
objects (:mod:`dualscope.devices.catalog`) that the readers use on their hot paths.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)

Confidence = Literal["high", "medium", "low"]


def _compiles(value: str, info: ValidationInfo) -> str:
    """A field holding a regular expression must compile (names the field when not)."""
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"{info.field_name} does not compile: {exc}") from exc
    return value


# A regular expression as written in the catalogue, checked on load.
Regex = Annotated[str, AfterValidator(_compiles)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Strict):
    title: str
    url: str | None = None


class RegulationSpec(_Strict):
    id: str
    title: str
    date: str = Field(pattern=r"^\d{4}(?:[-/]\d{2,4})*(?:-\d{2})?$")
    note: str | None = None
    source: str


class CveSpec(_Strict):
    id: str = Field(pattern=r"^CVE-\d{4}-\d{4,}$")
    vendor: str
    summary: str
    affects: str
    source: str


class BrandSpec(_Strict):
    id: str
    name: str
    aliases: list[str] = []
    oui_orgs: list[str] = []
    relation: str
    confidence: Confidence
    owned_from: str | None = None
    owned_until: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}(?:-\d{2})?$")
    note: str | None = None
    source: str


class VendorSpec(_Strict):
    id: str
    name: str
    legal_names: list[str]
    aliases: list[str] = []
    misspellings: list[str] = []
    oui_orgs: list[str]
    regulations: list[str]
    source: str
    brands: list[BrandSpec] = []


class OemSpec(_Strict):
    id: str
    name: str
    aliases: list[str] = []
    flag_by_name: bool
    confidence: Confidence
    note: str
    source: str


class ConfusableSpec(_Strict):
    name: str
    note: str


class ModelPatternSpec(_Strict):
    id: str
    vendor: str
    brand: str | None = None
    regex: Regex
    kind: str
    confidence: Confidence
    generic: bool
    note: str | None = None
    source: str


class CloudDomainSpec(_Strict):
    domain: str = Field(pattern=r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+$")
    vendor: str
    brand: str | None = None
    source: str


class CpvSpec(_Strict):
    code: str = Field(pattern=r"^\d{8}$")
    label: str
    status: Literal["confirmed", "likely"]
    source: str


class VendorFile(_Strict):
    """``vendors.yaml``: references between sections are checked here."""

    sources: dict[str, SourceSpec]
    regulations: list[RegulationSpec]
    cves: list[CveSpec]
    vendors: list[VendorSpec]
    oem_brands: list[OemSpec]
    confusables: list[ConfusableSpec]
    model_patterns: list[ModelPatternSpec]
    cloud_domains: list[CloudDomainSpec]
    cpv_codes: list[CpvSpec]

    @model_validator(mode="after")
    def _references_exist(self) -> VendorFile:
        vendors = {v.id for v in self.vendors}
        brands = {b.id for v in self.vendors for b in v.brands}
        regs = {r.id for r in self.regulations}
        problems: list[str] = []

        def need(kind: str, value: str | None, known: set[str], where: str) -> None:
            if value is not None and value not in known:
                problems.append(f"{where}: unknown {kind} {value!r}")

        for r in self.regulations:
            need("source", r.source, set(self.sources), f"regulation {r.id}")
        for c in self.cves:
            need("vendor", c.vendor, vendors, f"cve {c.id}")
            need("source", c.source, set(self.sources), f"cve {c.id}")
        for v in self.vendors:
            need("source", v.source, set(self.sources), f"vendor {v.id}")
            for reg in v.regulations:
                need("regulation", reg, regs, f"vendor {v.id}")
            for b in v.brands:
                need("source", b.source, set(self.sources), f"brand {b.id}")
        for o in self.oem_brands:
            need("source", o.source, set(self.sources), f"oem brand {o.id}")
        for p in self.model_patterns:
            need("vendor", p.vendor, vendors, f"model pattern {p.id}")
            need("brand", p.brand, brands, f"model pattern {p.id}")
            need("source", p.source, set(self.sources), f"model pattern {p.id}")
        for d in self.cloud_domains:
            need("vendor", d.vendor, vendors, f"cloud domain {d.domain}")
            need("brand", d.brand, brands, f"cloud domain {d.domain}")
        ids = [v.id for v in self.vendors] + list(brands) + [o.id for o in self.oem_brands]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            problems.append(f"duplicate ids: {', '.join(dupes)}")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class FingerprintSpec(_Strict):
    id: str
    vendor: str | None = None
    brand: str | None = None
    oem: str | None = None
    field: Literal["server", "auth", "x509", "telnet", "path", "text"]
    pattern: Regex
    confidence: Confidence
    source: str
    ref: str

    @model_validator(mode="after")
    def _names_a_maker(self) -> FingerprintSpec:
        if (self.vendor is None) == (self.oem is None):
            raise ValueError("give exactly one of vendor or oem")
        return self


class PortSpec(_Strict):
    port: int = Field(ge=1, le=65535)
    proto: Literal["tcp", "udp"]
    vendor: str
    role: str
    alone: bool
    source: str


class FingerprintFile(_Strict):
    fingerprints: list[FingerprintSpec]
    ports: list[PortSpec]


class OuiOverride(_Strict):
    prefix: str = Field(pattern=r"^[0-9A-F]{2}(?::[0-9A-F]{2}){2,4}(?:/(?:24|28|36))?$")
    org: str
    vendor: str
    brand: str | None = None


class OuiOverrideFile(_Strict):
    source: str
    prefixes: list[OuiOverride]
