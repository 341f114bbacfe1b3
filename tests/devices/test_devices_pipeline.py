"""The whole analysis: correlation across sources, the four output files, safety of cells."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from dualscope.devices.outputs.html import render_html
from dualscope.devices.outputs.tables import CONTRACT_COLUMNS, DEVICE_COLUMNS, safe_cell
from dualscope.devices.pipeline import analyse, run_devices
from dualscope.errors import DualscopeError, InputError
from dualscope.fsutil import OUTPUT_MARKER


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture()
def inputs(data_dir: Path, xlsx_inventory: Path, tmp_path: Path) -> list[Path]:
    folder = tmp_path / "in"
    # acceptance/ holds the issue 7 acceptance inputs, counted by test_acceptance.py
    shutil.copytree(data_dir, folder, ignore=shutil.ignore_patterns("old-manuf.txt", "acceptance"))
    return [folder, xlsx_inventory]


def test_outputs_and_correlation(inputs: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_devices(inputs, out)
    assert sorted(p.name for p in out.iterdir() if p.name != OUTPUT_MARKER) == [
        "contracts.csv", "devices.csv", "devices.html", "summary.json",
    ]  # fmt: skip
    with (out / "devices.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(DEVICE_COLUMNS)
    with (out / "contracts.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(CONTRACT_COLUMNS)
    devices = {r["device_id"]: r for r in _rows(out / "devices.csv")}
    a1 = devices["A-001"]  # inventory row + nmap host (same MAC and IP): one device
    assert a1["sources"] == "inventory;nmap" and a1["ip"] == "10.0.0.11"
    assert "App-webs" in a1["evidence"] and "DoD Section 1260H" in a1["regulatory"]
    assert "10.0.0.11" not in devices
    assert devices["10.0.0.70"]["sources"] == "zeek"
    assert "203.0.113.10:443/tcp" in devices["10.0.0.70"]["cloud_contacts"]
    assert (devices["X-102"]["vendor"], devices["X-102"]["brand"]) == ("Hikvision", "EZVIZ")
    confusables = {
        "A-011", "A-012", "A-013", "A-014", "A-015", "A-018", "A-020", "X-106", "X-107",
        "X-108", "X-109", "X-110", "10.0.0.60", "10.0.0.61", "10.0.0.62",
    }  # fmt: skip
    assert not confusables & devices.keys()
    # 13 inventory CSV + 6 XLSX + 7 nmap (one merged into A-001) + 3 Zeek
    assert len(devices) == len(result.devices) == 28
    contracts = {r["ocid"]: r for r in _rows(out / "contracts.csv")}
    assert set(contracts) == {f"ocds-test-000{i}" for i in (1, 2, 3, 7, 8)}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["devices_found"] == 28 and summary["contracts_found"] == 5
    assert summary["inputs"]["inventory-xlsx"] == 1 and summary["records_skipped"]["total"] == 0
    assert summary["records_read"]["inventory-csv"] == 20


def test_device_correlated_via_dhcp_mac(tmp_path: Path, data_dir: Path) -> None:
    inv = tmp_path / "inv.csv"
    inv.write_text("Asset tag,Vendor,MAC\nZ-9,Generic,00-20-18-AA-BB-70\n", encoding="utf-8")
    result = analyse([inv, data_dir / "zeek-tsv"])
    (device,) = result.devices
    assert device.device_id == "Z-9" and device.sources == ["inventory", "zeek"]
    assert device.vendor == "Hikvision" and device.ips == ["10.0.0.70"]


def test_html_escapes_input_strings(tmp_path: Path) -> None:
    inv = tmp_path / "inv.csv"
    inv.write_text(
        "asset id,manufacturer,description\n"
        '"<script>alert(1)</script>",Dahua,"<img src=x onerror=alert(2)>"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    run_devices([inv], out)
    html = (out / "devices.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "src=" not in html


def test_formula_cells_are_neutralised(tmp_path: Path) -> None:
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert [safe_cell(v) for v in ("+1", "-1", "@x", "\tx", "\rx", "ok")] == [
        "'+1", "'-1", "'@x", "'\tx", "'\rx", "ok",
    ]  # fmt: skip
    inv = tmp_path / "inv.csv"
    inv.write_text("asset id,manufacturer\n=cmd|' /C calc'!A0,Hikvision\n", encoding="utf-8")
    out = tmp_path / "out"
    run_devices([inv], out)
    (row,) = _rows(out / "devices.csv")
    assert row["device_id"].startswith("'=")


def test_render_html_without_findings() -> None:
    html = render_html({"version": "t", "devices": [], "contracts": [], "records_read_total": 0,
                        "summary": {"inputs": {}, "records_read": {},
                                    "records_skipped": {"total": 0, "by_reason": {}}},
                        "regulatory": {}, "cves": []})  # fmt: skip
    assert "No device of a watched vendor was found." in html


def test_failed_run_leaves_previous_output(tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "out"
    run_devices([data_dir / "inventory.csv"], out)
    before = (out / "devices.csv").read_bytes()
    with pytest.raises(DualscopeError):
        run_devices([tmp_path / "missing.csv"], out)
    assert (out / "devices.csv").read_bytes() == before


def test_no_readable_input(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello\n", encoding="utf-8")
    with pytest.raises(DualscopeError, match="no input in a format"):
        analyse([tmp_path])
    with pytest.raises(InputError, match=r"notes\.txt"):
        analyse([tmp_path / "notes.txt"], strict=True)
    with pytest.raises(DualscopeError, match="no input in a format"):
        analyse([tmp_path], strict=True)  # a stray file in a folder is not a bad record
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(DualscopeError, match="holds no files"):
        analyse([empty])


def test_placeholders_never_join_devices(tmp_path: Path) -> None:
    inv = tmp_path / "inv.csv"
    inv.write_text(
        "Asset ID,Manufacturer,IP,MAC\n"
        "-,Hikvision,N/A,\n"
        "-,Dahua,N/A,00:00:00:00:00:00\n"
        "n/a,Dahua,dhcp,\n",
        encoding="utf-8",
    )
    result = analyse([inv])
    assert sorted(d.vendor for d in result.devices) == ["Dahua", "Dahua", "Hikvision"]
    assert all(d.device_id.startswith("inv.csv:") for d in result.devices)


def test_weak_evidence_never_decides_the_parent(tmp_path: Path) -> None:
    inv = tmp_path / "inv.csv"
    inv.write_text("Asset ID,Manufacturer,Model\nO-1,Annke,NVR4108HS\n", encoding="utf-8")
    (device,) = analyse([inv]).devices
    assert (device.vendor, device.brand) == ("unconfirmed (OEM relabeller)", "Annke")
    assert any("generic family" in e for e in device.evidence)
