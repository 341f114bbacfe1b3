"""``dualscope devices``: read every input by its detected format, correlate, write the outputs.

The analysis is offline: nothing here opens a network connection.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dualscope import __version__
from dualscope.devices.catalog import Catalog, default_catalog
from dualscope.devices.correlate import Device, correlate
from dualscope.devices.detect import detect_format, expand_inputs
from dualscope.devices.evidence import Observation
from dualscope.devices.oui import OuiIndex
from dualscope.devices.outputs.html import write_html
from dualscope.devices.outputs.tables import (
    CONTRACT_COLUMNS,
    DEVICE_COLUMNS,
    contract_row,
    device_row,
    write_csv,
)
from dualscope.devices.readers.inventory import read_inventory_csv, read_inventory_xlsx
from dualscope.devices.readers.nmap import read_nmap
from dualscope.devices.readers.ocds import ContractFinding, Purchase, judge, read_ocds
from dualscope.devices.readers.zeek import read_zeek
from dualscope.devices.stats import ReadLog
from dualscope.errors import DualscopeError, InputError
from dualscope.fsutil import atomic_dir

_FORMATS = "give inventory CSV/XLSX, nmap XML, Zeek TSV/JSON logs or OCDS JSON files"


@dataclass
class DevicesResult:
    devices: list[Device]
    contracts: list[ContractFinding]
    log: ReadLog
    summary: dict[str, object] = field(default_factory=dict)


def analyse(
    inputs: Iterable[Path],
    *,
    strict: bool = False,
    warn: Callable[[str], None] | None = None,
    catalog: Catalog | None = None,
    oui: OuiIndex | None = None,
) -> DevicesResult:
    """Read ``inputs`` (files or folders), find watched devices and purchases."""
    catalog = catalog or default_catalog()
    oui = oui or OuiIndex(catalog)
    log = ReadLog(strict=strict, warn=warn)
    inputs = list(inputs)
    explicit = {p.resolve() for p in inputs if not p.is_dir()}
    files = expand_inputs(inputs)
    observations: list[Observation] = []
    zeek: list[tuple[Path, str]] = []
    purchases: dict[str, Purchase] = {}
    for path in files:
        try:
            fmt = detect_format(path)
        except OSError as exc:  # permission denied, vanished file, I/O error
            log.skip(path, "unreadable file", detail=str(exc))
            continue
        if fmt is None:
            log.unrecognised.append(str(path))
            if strict and path.resolve() in explicit:  # stray files inside folders only warn
                raise InputError(path, "not a format `dualscope devices` reads", hint=_FORMATS)
            if warn:
                warn(f"ignored {path}: not an inventory, nmap XML, Zeek log or OCDS file")
            continue
        log.inputs[fmt] += 1
        if fmt.startswith("zeek"):
            zeek.append((path, fmt))
            continue
        try:
            _read(path, fmt, catalog, oui, log, observations, purchases)
        except OSError as exc:
            log.skip(path, "unreadable file", detail=str(exc))
    if not log.inputs:
        raise DualscopeError(
            "no input in a format `dualscope devices` reads",
            hint=_FORMATS,
        )
    if zeek:
        try:
            observations += read_zeek(zeek, catalog, oui, log)
        except OSError as exc:
            log.skip(exc.filename or zeek[0][0], "unreadable file", detail=str(exc))
    devices = correlate(observations, catalog)
    contracts = sorted(
        (c for p in purchases.values() if (c := judge(p, catalog)) is not None),
        key=lambda c: c.ocid,
    )
    result = DevicesResult(devices, contracts, log)
    result.summary = _summary(result, len(files))
    return result


def _read(
    path: Path,
    fmt: str,
    catalog: Catalog,
    oui: OuiIndex,
    log: ReadLog,
    observations: list[Observation],
    purchases: dict[str, Purchase],
) -> None:
    """Run the reader for ``fmt`` on ``path``, adding to ``observations`` or ``purchases``."""
    if fmt == "inventory-csv":
        observations += read_inventory_csv(path, catalog, oui, log)
    elif fmt == "inventory-xlsx":
        observations += read_inventory_xlsx(path, catalog, oui, log)
    elif fmt == "nmap-xml":
        observations += read_nmap(path, catalog, oui, log)
    elif fmt == "ocds":
        read_ocds(path, purchases, log)


def _summary(result: DevicesResult, files: int) -> dict[str, object]:
    summary: dict[str, object] = {"tool": f"dualscope {__version__}", "files_given": files}
    summary.update(result.log.summary())
    summary["records_read_total"] = sum(result.log.records.values())
    summary["devices_found"] = len(result.devices)
    summary["devices_by_vendor"] = dict(Counter(d.vendor for d in result.devices))
    summary["contracts_found"] = len(result.contracts)
    summary["contracts_by_vendor"] = dict(Counter(c.vendor for c in result.contracts))
    return summary


def write_outputs(result: DevicesResult, out: Path, catalog: Catalog | None = None) -> None:
    """Write devices.csv, contracts.csv, devices.html and summary.json into ``out`` atomically."""
    catalog = catalog or default_catalog()
    with atomic_dir(out) as tmp:
        write_csv(tmp / "devices.csv", DEVICE_COLUMNS, (device_row(d) for d in result.devices))
        write_csv(
            tmp / "contracts.csv", CONTRACT_COLUMNS, (contract_row(c) for c in result.contracts)
        )
        context = {
            "version": __version__,
            "devices": result.devices,
            "contracts": result.contracts,
            "summary": result.summary,
            "records_read_total": result.summary.get("records_read_total", 0),
            "regulatory": {v.name: catalog.regulatory(v.name) for v in catalog.vendors.vendors},
            "cves": catalog.vendors.cves,
        }
        write_html(tmp / "devices.html", context)
        (tmp / "summary.json").write_text(
            json.dumps(result.summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def run_devices(
    inputs: Iterable[Path],
    out: Path,
    *,
    strict: bool = False,
    warn: Callable[[str], None] | None = None,
) -> DevicesResult:
    """The whole command: analyse the inputs and write the output folder."""
    result = analyse(inputs, strict=strict, warn=warn)
    write_outputs(result, out)
    return result
