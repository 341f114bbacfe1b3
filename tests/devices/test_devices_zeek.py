"""Zeek dns/conn/dhcp logs in TSV and JSON: devices seen only in traffic."""

from __future__ import annotations

import gzip
from pathlib import Path

from dualscope.devices.correlate import correlate
from dualscope.devices.detect import detect_format
from dualscope.devices.fingerprints import cloud_domain
from dualscope.devices.readers.zeek import read_zeek
from dualscope.devices.stats import ReadLog


def _zeek(folder: Path, catalog, oui, log: ReadLog | None = None):
    files = [(p, detect_format(p)) for p in sorted(folder.iterdir())]
    assert all(fmt and fmt.startswith("zeek") for _, fmt in files)
    obs = read_zeek(files, catalog, oui, log or ReadLog())  # type: ignore[arg-type]
    return {d.device_id: d for d in correlate(obs, catalog)}


def test_tsv_dns_and_conn(data_dir: Path, catalog, oui) -> None:
    log = ReadLog()
    devices = _zeek(data_dir / "zeek-tsv", catalog, oui, log)
    assert set(devices) == {"10.0.0.70"}  # 10.0.0.80 asked nothik-connect.com: not a match
    cam = devices["10.0.0.70"]
    assert cam.vendor == "Hikvision" and cam.macs == ["00:20:18:AA:BB:70"]
    contacts = " ".join(cam.cloud_contacts)
    assert "litedev.hik-connect.com → 203.0.113.10" in contacts
    assert (
        "203.0.113.10:443/tcp (litedev.hik-connect.com): 2 connection(s), 125000 bytes sent"
        in contacts
    )
    assert log.records["zeek-dns"] == 3 and log.records["zeek-conn"] == 3


def test_json_dns_conn_and_vendor_port(data_dir: Path, catalog, oui) -> None:
    devices = _zeek(data_dir / "zeek-json", catalog, oui)
    assert set(devices) == {"10.0.0.71", "10.0.0.72"}  # .73 only on 8000/tcp: evidence only
    assert devices["10.0.0.71"].vendor == "Dahua"
    assert "4242 bytes sent" in " ".join(devices["10.0.0.71"].cloud_contacts)
    assert devices["10.0.0.72"].vendor == "Dahua"
    assert any("37777/tcp" in e for e in devices["10.0.0.72"].evidence)


def test_cloud_domain_label_boundaries(catalog) -> None:
    assert cloud_domain("litedev.hik-connect.com", catalog).vendor == "Hikvision"
    assert cloud_domain("HIK-CONNECT.COM.", catalog) is not None
    assert cloud_domain("nothik-connect.com", catalog) is None
    assert cloud_domain("hik-connect.com.evil.example", catalog) is None
    assert cloud_domain("com", catalog) is None


def test_bad_lines_and_truncated_gzip(data_dir: Path, tmp_path: Path, catalog, oui) -> None:
    text = (data_dir / "zeek-tsv" / "synthetic-dns.log").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    header = [ln for ln in lines if ln.startswith("#") and not ln.startswith("#close")]
    rows = [ln for ln in lines if not ln.startswith("#")]
    mangled = "".join([*header, rows[0], "only\ttwo\n", rows[1]])
    data = gzip.compress(mangled.encode())
    path = tmp_path / "dns.log.gz"
    path.write_bytes(data[: len(data) - 8])  # cut the gzip trailer (CRC, size) off
    log = ReadLog()
    devices = _zeek(tmp_path, catalog, oui, log)
    assert "10.0.0.70" in devices
    assert log.skipped["wrong number of fields"] == 1
    assert log.skipped["truncated or corrupt gzip"] == 1


def test_json_wrong_types_are_skipped(tmp_path: Path, catalog, oui) -> None:
    path = tmp_path / "conn.log"
    path.write_text(
        '{"ts":1,"uid":"a","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.2","id.resp_p":"x",'
        '"proto":"tcp","orig_bytes":1,"conn_state":"SF"}\n'
        "not json\n[1,2]\n"
        '{"ts":2,"uid":"b","id.orig_h":"10.0.0.1","id.resp_h":"10.0.0.9","id.resp_p":37777,'
        '"proto":"tcp","orig_bytes":{"n":1},"conn_state":"SF"}\n',
        encoding="utf-8",
    )
    log = ReadLog()
    assert _zeek(tmp_path, catalog, oui, log) == {}
    assert log.skipped == {"bad field value": 2, "invalid JSON": 1, "not a JSON object": 1}


def test_dhcp_host_name_and_conn_mac_fields(tmp_path: Path, catalog, oui) -> None:
    (tmp_path / "dhcp.log").write_text(
        '{"ts":1,"uids":["a"],"client_addr":"10.2.0.5","assigned_addr":"10.2.0.5",'
        '"mac":"00:20:18:00:00:05","host_name":"DS-2CD2143G2-I","msg_types":["ACK"]}\n',
        encoding="utf-8",
    )
    (tmp_path / "conn.log").write_text(
        '{"ts":2,"uid":"b","id.orig_h":"10.2.0.6","id.orig_p":1,"id.resp_h":"93.184.216.34",'
        '"id.resp_p":443,"proto":"tcp","orig_bytes":10,"conn_state":"SF",'
        '"orig_l2_addr":"08:ed:ed:00:00:06","resp_l2_addr":"04:03:12:00:00:01"}\n',
        encoding="utf-8",
    )
    devices = _zeek(tmp_path, catalog, oui)
    # 93.184.216.34 is public: the MAC seen for it is the router's, so it is not attributed
    assert set(devices) == {"10.2.0.5", "10.2.0.6"}
    assert (
        devices["10.2.0.5"].vendor == "Hikvision" and devices["10.2.0.5"].model == "DS-2CD2143G2-I"
    )
    assert devices["10.2.0.6"].vendor == "Dahua" and devices["10.2.0.6"].macs == [
        "08:ED:ED:00:00:06"
    ]


def test_software_log_server_banner(tmp_path: Path, catalog, oui) -> None:
    (tmp_path / "software.log").write_text(
        "#separator \\x09\n#path\tsoftware\n"
        "#fields\tts\thost\thost_p\tsoftware_type\tname\tversion.major\tunparsed_version\n"
        "1.0\t10.3.0.7\t80\tHTTP::SERVER\tApp-webs/\t-\tApp-webs/\n"
        "1.0\t10.3.0.8\t80\tHTTP::SERVER\tnginx\t1\tnginx/1.24.0\n",
        encoding="utf-8",
    )
    devices = _zeek(tmp_path, catalog, oui)
    assert set(devices) == {"10.3.0.7"} and devices["10.3.0.7"].vendor == "Hikvision"
