"""nmap XML: cameras seen only by banner, certificate, RTSP server, MAC or an override prefix."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.devices.correlate import correlate
from dualscope.devices.detect import detect_format
from dualscope.devices.readers.nmap import read_nmap
from dualscope.devices.stats import ReadLog
from dualscope.errors import InputError

EXPECTED = {
    "10.0.0.11": ("Hikvision", ""),  # MAC + App-webs + realm with a model number
    "10.0.0.50": ("Hikvision", ""),  # only the HTTP Server header
    "10.0.0.51": ("Hikvision", ""),  # only the default certificate
    "10.0.0.52": ("Dahua", ""),  # only the MAC
    "10.0.0.53": ("Hikvision", "EZVIZ"),  # MAC block newer than old databases
    "10.0.0.54": ("Dahua", ""),  # only the RTSP Server header
    "10.0.0.55": ("Hikvision", ""),  # only nmap's raw service fingerprint (unnamed service)
}


def _devices(path: Path, catalog, oui, log: ReadLog | None = None):
    obs = list(read_nmap(path, catalog, oui, log or ReadLog()))
    return {d.device_id: d for d in correlate(obs, catalog)}


def test_planted_cameras(data_dir: Path, catalog, oui) -> None:
    path = data_dir / "scan.xml"
    assert detect_format(path) == "nmap-xml"
    log = ReadLog()
    devices = _devices(path, catalog, oui, log)
    assert {k: (d.vendor, d.brand) for k, d in devices.items()} == EXPECTED
    assert log.records["nmap-xml"] == 11 and log.skipped_total == 0
    assert any("hik-app-webs" in e for e in devices["10.0.0.50"].evidence)
    assert any("hik-cert" in e and "recog" in e for e in devices["10.0.0.51"].evidence)
    assert any("dahua-rtsp" in e for e in devices["10.0.0.54"].evidence)
    assert any("servicefp" in e and "DNVRS-Webs" in e for e in devices["10.0.0.55"].evidence)
    assert devices["10.0.0.11"].model == "DS-2CD2143G2-I"


def test_override_only_prefix_with_an_old_database(data_dir: Path, catalog, old_oui) -> None:
    devices = _devices(data_dir / "scan.xml", catalog, old_oui)
    assert (devices["10.0.0.53"].vendor, devices["10.0.0.53"].brand) == ("Hikvision", "EZVIZ")
    assert any("override" in e for e in devices["10.0.0.53"].evidence)


def test_confusables_and_common_ports_not_flagged(data_dir: Path, catalog, oui) -> None:
    devices = _devices(data_dir / "scan.xml", catalog, oui)
    # .60 Shanghai Dahua Scale block, .61 randomised MAC + port 8000, .62 HiKOKI banner
    assert not {"10.0.0.60", "10.0.0.61", "10.0.0.62", "10.0.0.99"} & devices.keys()


def test_truncated_scan_keeps_earlier_hosts(data_dir: Path, tmp_path: Path, catalog, oui) -> None:
    text = (data_dir / "scan.xml").read_text(encoding="utf-8")
    cut = tmp_path / "cut.xml"
    cut.write_text(text[: text.index('<address addr="10.0.0.54"')], encoding="utf-8")
    log = ReadLog()
    devices = _devices(cut, catalog, oui, log)
    assert {"10.0.0.50", "10.0.0.51", "10.0.0.52", "10.0.0.53"} <= devices.keys()
    assert log.skipped == {"malformed XML": 1}
    with pytest.raises(InputError, match=r"cut\.xml, line \d+: malformed XML"):
        _devices(cut, catalog, oui, ReadLog(strict=True))


def test_entity_expansion_is_refused(tmp_path: Path, catalog, oui) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE nmaprun [<!ENTITY a "aaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;">]><nmaprun><host><hostnames>'
        '<hostname name="&b;"/></hostnames></host></nmaprun>',
        encoding="utf-8",
    )
    log = ReadLog()
    assert list(read_nmap(bomb, catalog, oui, log)) == []
    assert log.skipped == {"forbidden XML construct": 1}


def test_gzipped_scan_and_cut_off_gzip(data_dir: Path, tmp_path: Path, catalog, oui) -> None:
    import gzip

    data = gzip.compress((data_dir / "scan.xml").read_bytes())
    whole = tmp_path / "scan.xml.gz"
    whole.write_bytes(data)
    assert detect_format(whole) == "nmap-xml"
    assert {k: (d.vendor, d.brand) for k, d in _devices(whole, catalog, oui).items()} == EXPECTED
    cut = tmp_path / "cut.xml.gz"
    cut.write_bytes(data[: len(data) * 2 // 3])
    log = ReadLog()
    devices = _devices(cut, catalog, oui, log)
    assert "10.0.0.50" in devices and log.skipped_total == 1
