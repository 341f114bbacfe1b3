"""Asset inventories: CSV and XLSX, multilingual headers, planted devices and confusables."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.devices.correlate import correlate
from dualscope.devices.detect import detect_format
from dualscope.devices.readers.inventory import (
    map_columns,
    read_inventory_csv,
    read_inventory_xlsx,
)
from dualscope.devices.stats import ReadLog
from dualscope.errors import InputError

CSV_EXPECTED = {
    "A-001": ("Hikvision", ""), "A-002": ("Hikvision", ""), "A-003": ("Dahua", ""),
    "A-004": ("Dahua", ""), "A-005": ("Hikvision", "EZVIZ"), "A-006": ("Dahua", "Imou"),
    "A-007": ("Dahua", "Lorex"), "A-008": ("Hikvision", "HiWatch"), "A-009": ("Hikvision", ""),
    "A-010": ("Dahua", ""), "A-016": ("Hikvision", ""), "A-017": ("Dahua", ""),
    "A-019": ("Dahua", ""),
}  # fmt: skip
XLSX_EXPECTED = {
    "X-100": ("Hikvision", ""), "X-101": ("Dahua", ""), "X-102": ("Hikvision", "EZVIZ"),
    "X-103": ("Dahua", "Imou"), "X-104": ("Hikvision", "HiLook"), "X-105": ("Hikvision", ""),
}  # fmt: skip


def _devices(observations, catalog):
    return {d.device_id: d for d in correlate(observations, catalog)}


def test_csv_inventory_planted_devices(data_dir: Path, catalog, oui) -> None:
    path = data_dir / "inventory.csv"
    assert detect_format(path) == "inventory-csv"
    log = ReadLog()
    devices = _devices(read_inventory_csv(path, catalog, oui, log), catalog)
    assert {k: (d.vendor, d.brand) for k, d in devices.items()} == CSV_EXPECTED
    assert log.records["inventory-csv"] == 20 and log.skipped_total == 0
    assert devices["A-001"].model == "DS-2CD2143G2-I" and devices["A-001"].ips == ["10.0.0.11"]
    assert devices["A-019"].macs == ["08:ED:ED:11:22:33"]
    assert any("Feb 2023" in e for e in devices["A-007"].evidence)


def test_xlsx_inventory_planted_devices(xlsx_inventory: Path, catalog, oui) -> None:
    assert detect_format(xlsx_inventory) == "inventory-xlsx"
    log = ReadLog()
    devices = _devices(read_inventory_xlsx(xlsx_inventory, catalog, oui, log), catalog)
    assert {k: (d.vendor, d.brand) for k, d in devices.items()} == XLSX_EXPECTED
    assert devices["X-105"].model == "iDS-2CD7A46G0-IZHS"
    assert "Kameras" in devices["X-100"].evidence[0]


@pytest.mark.parametrize(
    ("header", "roles"),
    [
        (["Asset Tag", "Vendor", "Model", "Description", "MAC Address", "IP"], 6),
        (
            [
                "N. inventario",
                "Produttore",
                "Modello",
                "Descrizione",
                "Indirizzo MAC",
                "Indirizzo IP",
            ],
            6,
        ),
        (
            ["Inventarnummer", "Hersteller", "Modell", "Beschreibung", "MAC-Adresse", "IP-Adresse"],
            6,
        ),
        (["  MANUFACTURER ", "serial number", "mac"], 3),
    ],
)
def test_headers_in_several_languages(header: list[str], roles: int) -> None:
    assert len(map_columns(header)) == roles


def test_bad_rows_are_skipped_and_counted(tmp_path: Path, catalog, oui) -> None:
    path = tmp_path / "inv.csv"
    big = "x" * 5_000_000
    path.write_text(
        "asset id,manufacturer,model,mac\n"
        "B-1,Hikvision,DS-2CD1,\n"
        "B-2,Dahua,,,unexpected,extra\n"
        f'B-3,Generic,"{big}",\n'
        "B-4,Dahua,IPC-HFW1,\n",
        encoding="utf-8",
    )
    log = ReadLog()
    ids = [o.asset_id for o in read_inventory_csv(path, catalog, oui, log)]
    assert ids == ["B-1", "B-3", "B-4"]
    assert log.skipped == {"more fields than the header": 1}
    assert "inv.csv, line 3" in log.warnings[0]


def test_strict_mode_raises_with_file_and_line(tmp_path: Path, catalog, oui) -> None:
    path = tmp_path / "inv.csv"
    path.write_text("asset id,manufacturer\nB-1,Hikvision\nB-2,Dahua,extra\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"inv\.csv, line 3"):
        list(read_inventory_csv(path, catalog, oui, ReadLog(strict=True)))


def test_bom_and_windows_1252(tmp_path: Path, catalog, oui) -> None:
    path = tmp_path / "inv.csv"
    path.write_bytes(
        "\ufeffInventario;Produttore;Descrizione\n".encode()
        + "C-1;Dahua;Telecamera entrée\n".encode("cp1252")
    )
    obs = list(read_inventory_csv(path, catalog, oui, ReadLog()))
    assert obs[0].asset_id == "C-1" and obs[0].hits[0].vendor == "Dahua"


def test_corrupt_xlsx_is_one_clean_skip(tmp_path: Path, catalog, oui, write_xlsx) -> None:
    good = write_xlsx(tmp_path / "a.xlsx", [["Vendor", "Model"], ["Dahua", "x"]])
    data = good.read_bytes()
    bad = tmp_path / "b.xlsx"
    bad.write_bytes(data[: len(data) // 2])
    log = ReadLog()
    assert list(read_inventory_xlsx(bad, catalog, oui, log)) == []
    assert log.skipped_total == 1


def test_reseller_vendor_column_and_brand_column_both_read(tmp_path: Path, catalog, oui) -> None:
    path = tmp_path / "inv.csv"
    path.write_text(
        "Asset tag,Vendor,Brand,Serial number,Hostname,MAC address,Wi-Fi MAC\n"
        "R-1,TIM S.p.A.,Hikvision,SN1,,,\n"
        "R-2,Rossi Impianti,,SN2,cam-dahua-02,,\n"
        "R-3,Rossi Impianti,,SN3,,not-a-mac,04:03:12:00:00:03\n",
        encoding="utf-8",
    )
    devices = {
        d.device_id: d
        for d in correlate(read_inventory_csv(path, catalog, oui, ReadLog()), catalog)
    }
    assert {k: d.vendor for k, d in devices.items()} == {
        "R-1": "Hikvision",
        "R-2": "Dahua",
        "R-3": "Hikvision",
    }
    assert devices["R-3"].macs == ["04:03:12:00:00:03"]
    assert any("not a MAC address" in e for e in devices["R-3"].evidence)


def test_notes_sheet_is_ignored_even_in_strict_mode(tmp_path: Path, catalog, oui) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Legenda"
    notes.append(["Questo file elenca le telecamere."])
    data = book.create_sheet("Telecamere")
    data.append(["Marca", "Modello", "Indirizzo IP"])
    data.append(["Dahua", "IPC-HDW1230T1", "10.9.0.1"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    log = ReadLog(strict=True)
    obs = list(read_inventory_xlsx(path, catalog, oui, log))
    assert [o.ip for o in obs] == ["10.9.0.1"] and obs[0].hits[0].vendor == "Dahua"
    assert log.unrecognised == [f"{path} [sheet Legenda]"]


def test_prose_with_commas_is_not_an_inventory(tmp_path: Path) -> None:
    notes = tmp_path / "README.txt"
    notes.write_text(
        "Sample scans copied from a public test suite.\n"
        '  full scan: host <address addrtype="mac" vendor="..."/>, service product/version, '
        "http-title, ssl-cert, OS detection.\n",
        encoding="utf-8",
    )
    assert detect_format(notes) is None


def test_xlsx_strict_error_names_the_sheet_row(tmp_path: Path, catalog, oui, write_xlsx) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [["Vendor", "Model"], ["Dahua", "x", "extra"]])
    with pytest.raises(InputError, match=r"s\.xlsx, line 2, record Kameras: more fields"):
        list(read_inventory_xlsx(path, catalog, oui, ReadLog(strict=True)))


def test_utf16_tab_separated_export(tmp_path: Path, catalog, oui) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes("Asset ID\tManufacturer\tModel\nU-1\tHikvision\tDS-2CD1\n".encode("utf-16"))
    assert detect_format(path) == "inventory-csv"
    obs = list(read_inventory_csv(path, catalog, oui, ReadLog()))
    assert obs[0].asset_id == "U-1" and obs[0].hits[0].vendor == "Hikvision"


def test_oem_label_with_a_watched_mac(tmp_path: Path, catalog, oui) -> None:
    path = tmp_path / "inv.csv"
    path.write_text(
        "Asset tag,Manufacturer,Model,MAC\n"
        "H-1,Honeywell,HC30W25R3,08:ED:ED:00:00:01\n"
        "H-2,Honeywell,HC30W25R3,\n",
        encoding="utf-8",
    )
    devices = correlate(read_inventory_csv(path, catalog, oui, ReadLog()), catalog)
    assert [(d.device_id, d.vendor, d.brand) for d in devices] == [("H-1", "Dahua", "Honeywell")]


def test_gzip_cut_in_the_middle_keeps_the_rows_before(tmp_path: Path, catalog, oui) -> None:
    import gzip
    import random

    rng = random.Random(7)
    lines = ["Asset ID,Manufacturer,Notes"] + [
        f"G-{i},Hikvision,{rng.getrandbits(64):x}" for i in range(5000)
    ]
    data = gzip.compress("\n".join(lines).encode())
    path = tmp_path / "inv.csv.gz"
    path.write_bytes(data[: len(data) // 2])
    assert detect_format(path) == "inventory-csv"
    log = ReadLog()
    ids = [o.asset_id for o in read_inventory_csv(path, catalog, oui, log)]
    assert 1000 < len(ids) < 5000 and ids[:2] == ["G-0", "G-1"]
    assert log.skipped["truncated or corrupt gzip"] == 1
    assert log.skipped_total <= 2  # plus, at most, the one row cut in half
