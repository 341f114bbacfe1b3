"""Fixtures for the devices tests. Which to use when:

- ``catalog`` / ``oui``: the bundled vendor data and the full OUI index (loaded once);
- ``data_dir``: our synthetic inputs in ``tests/devices/data`` (inventory, scan, Zeek, OCDS);
- ``write_xlsx``: writes rows to an XLSX file (openpyxl);
- ``xlsx_inventory``: an XLSX inventory written with openpyxl into the test's temp folder
  (German headers, a title row, planted devices and confusables);
- ``old_oui``: an OUI index built from a small "old" manuf file that lacks newer blocks, so only
  the override list can find them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.devices.catalog import Catalog, default_catalog
from dualscope.devices.oui import OuiIndex

DATA = Path(__file__).parent / "data"

XLSX_ROWS = [
    ["Geräteliste Videoüberwachung (synthetisch)"],
    [],
    ["Inventarnummer", "Hersteller", "Modell", "Beschreibung", "MAC-Adresse", "IP-Adresse"],
    ["X-100", "Hangzhou Hikvision Digital Technology Co., Ltd.", "DS-2CD2T47G2-L", "Kamera Tor",
     "04:03:12:00:01:00", "10.1.0.100"],
    ["X-101", "DAHUA TECHNOLOGY CO", "IPC-HDBW2431E-S", "Kamera Flur", "", "10.1.0.101"],
    ["X-102", "Ezviz", "", "WLAN-Kamera Empfang", "", "10.1.0.102"],
    ["X-103", "IMOU", "", "Kamera Lager", "", "10.1.0.103"],
    ["X-104", "HiLook", "", "Kamera Hof", "", "10.1.0.104"],
    ["X-105", "", "iDS-2CD7A46G0-IZHS", "ANPR-Kamera Einfahrt", "", "10.1.0.105"],
    ["X-106", "HiKOKI", "DV18DBL2", "Schlagbohrmaschine", "", ""],
    ["X-107", "Hikari", "", "Leuchte", "", ""],
    ["X-108", "Hitachi", "", "Beamer", "", "10.1.0.108"],
    ["X-109", "", "", "Netzwerkgerät", "aabb.ccdd.eeff", "10.1.0.109"],
    ["X-110", "Dahuang Foods", "", "Kantine", "", ""],
    [12345, None, 3.5, None, None, None],
]  # fmt: skip


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return default_catalog()


@pytest.fixture(scope="session")
def oui(catalog: Catalog) -> OuiIndex:
    return OuiIndex(catalog)


@pytest.fixture(scope="session")
def old_oui(catalog: Catalog) -> OuiIndex:
    return OuiIndex(catalog, manuf_path=DATA / "old-manuf.txt")


@pytest.fixture()
def data_dir() -> Path:
    return DATA


def _write_xlsx(path: Path, rows: list[list[object]], title: str = "Kameras") -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


@pytest.fixture()
def write_xlsx():
    """A function writing rows to an XLSX file: ``write_xlsx(path, rows, title=...)``."""
    return _write_xlsx


@pytest.fixture()
def xlsx_inventory(tmp_path: Path) -> Path:
    return _write_xlsx(tmp_path / "geraete.xlsx", XLSX_ROWS)
