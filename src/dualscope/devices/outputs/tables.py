"""``devices.csv`` and ``contracts.csv``: fixed columns, lists ``;``-joined, spreadsheet-safe.

Cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab
or carriage return) get a leading single quote: auditors open these files in Excel.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from dualscope.devices.correlate import Device
from dualscope.devices.readers.ocds import ContractFinding
from dualscope.fsutil import atomic_file

DEVICE_COLUMNS = (
    "device_id", "ip", "mac", "vendor", "brand", "model", "sources", "evidence", "regulatory",
    "cloud_contacts",
)  # fmt: skip
CONTRACT_COLUMNS = (
    "ocid", "buyer", "supplier", "vendor", "brand", "items", "cpv", "amount", "currency", "date",
    "evidence",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """Text for a CSV cell, neutralised if a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def joined(values: Iterable[str]) -> str:
    """A list cell: values joined with ``;`` (a ``;`` inside a value becomes ``,``)."""
    return ";".join(v.replace(";", ",") for v in values if v)


def device_row(d: Device) -> list[str]:
    return [
        d.device_id, joined(d.ips), joined(d.macs), d.vendor, d.brand, d.model,
        joined(d.sources), joined(d.evidence), joined(d.regulatory), joined(d.cloud_contacts),
    ]  # fmt: skip


def contract_row(c: ContractFinding) -> list[str]:
    return [
        c.ocid, c.buyer, joined(c.suppliers), c.vendor, c.brand, joined(c.items), joined(c.cpv),
        c.amount, c.currency, c.date, joined(c.evidence),
    ]  # fmt: skip


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write a UTF-8 CSV atomically."""
    with atomic_file(path) as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
