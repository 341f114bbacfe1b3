"""Issue 7 acceptance: unseen scan, inventory, traffic and OCDS inputs through `dualscope devices`.

`data/acceptance/` was written for this test and never used to build the rules: an nmap XML
(banner-only hosts: `Hikvision-Webs`, an RTSP `Dahua Rtsp Server` seen only in nmap's raw
`servicefp`, a Digest realm carrying a model number; MAC-only hosts from blocks netaddr 1.3.0
lacks (4C:1F:86 Hikvision, 30:DD:AA Dahua, AC:3D:FA Imou, 94:EC:13 EZVIZ); a certificate-only
host), a German inventory (brands, misspellings, models only, a MAC shared with a scan host),
Zeek dns/conn logs with devices seen only in traffic, and an OCDS release package (direct,
through telecom resellers naming brand or model, a sub-brand supplier). Decoys: HiKOKI, Hikari,
Honeywell, "Dahuang", Axis/Bosch, a locally administered MAC that shares a Hikvision OUI's
bytes, look-alike domains, a Hikvision bid that lost, a Lorex purchase after Lorex's sale.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dualscope.cli import app
from dualscope.devices.oui import OuiIndex

DATA = Path(__file__).parent / "data" / "acceptance"

# device_id -> (vendor, brand); brand is empty when the device carries the parent's own name
PLANTED_DEVICES = {
    "192.168.40.10": ("Hikvision", ""),  # Server: Hikvision-Webs only
    "192.168.40.11": ("Dahua", ""),  # RTSP banner only, inside nmap's servicefp
    "192.168.40.12": ("Hikvision", ""),  # Digest realm = model number, App-webs/
    "192.168.40.14": ("Dahua", ""),  # MAC only, block netaddr lacks
    "192.168.40.15": ("Dahua", "Imou"),  # MAC only, Huacheng (Imou) block
    "192.168.40.16": ("Hikvision", ""),  # default certificate only
    "192.168.40.18": ("Hikvision", "EZVIZ"),  # MAC only, EZVIZ block
    "192.168.40.50": ("Hikvision", "EZVIZ"),  # traffic only: ezvizlife.com
    "192.168.40.51": ("Dahua", ""),  # traffic only: easy4ipcloud.com
    "192.168.40.52": ("Dahua", "Imou"),  # traffic only: imoulife.com
    "192.168.40.53": ("Hikvision", ""),  # traffic only: hik-connect.com
    "INV-100": ("Hikvision", "EZVIZ"),
    "INV-101": ("Hikvision", "HiLook"),
    "INV-102": ("Dahua", "Imou"),
    "INV-103": ("Dahua", "Lorex"),  # bought 2021, before Lorex's sale
    "INV-104": ("Hikvision", ""),  # "Hikvisoin"
    "INV-105": ("Hikvision", ""),  # "Hik-Vision"
    "INV-106": ("Hikvision", ""),  # model only: DS-2CD2386G2-IU
    "INV-107": ("Dahua", ""),  # model only: IPC-HDBW2431E-S-S2
    "INV-108": ("Dahua", ""),  # model only: DHI-NVR4208-8P-4KS2
    "INV-115": ("Hikvision", "HiWatch"),
    "INV-116": ("Hikvision", ""),  # MAC 4C:1F:86 (netaddr lacks it), joined with scan host .13
}
PLANTED_CONTRACTS = {  # ocid -> (supplier, vendor, brand)
    "ocds-acc-001": ("HIKVISION ITALY S.R.L.", "Hikvision", ""),
    "ocds-acc-002": ("Telecom Italia S.p.A.", "Dahua", ""),  # "telecamere Dahua IPC-HFW2431S"
    "ocds-acc-004": ("Deutsche Telekom AG", "Hikvision", ""),  # "DS-7608NI-K2"
    "ocds-acc-006": ("Vodafone Italia S.p.A.", "Dahua", "Lorex"),  # 2021
    "ocds-acc-010": ("EZVIZ Europe B.V.", "Hikvision", "EZVIZ"),
}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("acceptance") / "out"
    inputs = [
        "scan.xml",
        "inventory.csv",
        "synthetic-dns.log",
        "synthetic-conn.log",
        "ocds-release-package.json",
    ]
    result = CliRunner().invoke(
        app, ["devices", *(str(DATA / name) for name in inputs), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return out


def test_every_planted_device_is_found_with_vendor_and_brand_and_nothing_else(
    outputs: Path,
) -> None:
    devices = {row["device_id"]: row for row in _rows(outputs / "devices.csv")}
    found = {key: (row["vendor"], row["brand"]) for key, row in devices.items()}
    assert found == PLANTED_DEVICES
    # the inventory row and the scan host with the same MAC are one device
    assert devices["INV-116"]["ip"] == "192.168.40.13"
    assert set(devices["INV-116"]["sources"].split(";")) == {"inventory", "nmap"}
    assert "250000 bytes sent" in devices["192.168.40.50"]["cloud_contacts"]
    assert "198.51.100.21:8800/tcp" in devices["192.168.40.51"]["cloud_contacts"]
    assert devices["192.168.40.12"]["model"] == "DS-2CD2T47G2-L"


def test_every_planted_purchase_is_found_and_no_confusable_supplier(outputs: Path) -> None:
    contracts = {row["ocid"]: row for row in _rows(outputs / "contracts.csv")}
    found = {k: (r["supplier"], r["vendor"], r["brand"]) for k, r in contracts.items()}
    # not flagged: Hikari Lighting, Axis (CPV 32323500 alone), a Hikvision bid that lost to
    # Bosch, HiKOKI, "Dahuang Trading", a Lorex kit bought in 2024 (after Lorex's sale)
    assert found == PLANTED_CONTRACTS
    assert "reseller" in contracts["ocds-acc-002"]["evidence"]
    assert contracts["ocds-acc-002"]["cpv"].split(";")[0] == "32323500"


@pytest.mark.parametrize(
    ("prefix", "vendor", "brand"),
    [("4C:1F:86", "Hikvision", None), ("30:DD:AA", "Dahua", None),
     ("AC:3D:FA", "Dahua", "Imou"), ("94:EC:13", "Hikvision", "EZVIZ")],
)  # fmt: skip
def test_planted_new_blocks_survive_a_stale_oui_database(
    old_oui: OuiIndex, prefix: str, vendor: str, brand: str | None
) -> None:
    # the planted MACs with an "old" manuf file: only the override list can find them
    entry = old_oui.lookup(prefix + ":00:00:01")
    assert entry is not None
    assert (entry.vendor, entry.brand, entry.origin) == (vendor, brand, "override")
