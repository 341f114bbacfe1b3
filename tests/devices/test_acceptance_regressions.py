"""Defects found by the issue 7 acceptance round, each with the case that exposed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.devices.catalog import Catalog
from dualscope.devices.names import match_models
from dualscope.devices.pipeline import run_devices


@pytest.mark.parametrize(
    ("text", "vendor", "model"),
    [("ds-2cd2143g2-i", "Hikvision", "ds-2cd2143g2-i"),
     ("telecamera ipc-hfw2431s-s-s2", "Dahua", "ipc-hfw2431s-s-s2"),
     ("Dhi-Nvr4208-8P", "Dahua", "Dhi-Nvr4208-8P")],
)  # fmt: skip
def test_model_numbers_typed_in_lower_or_mixed_case_are_found(
    catalog: Catalog, text: str, vendor: str, model: str
) -> None:
    # was: the model families were case-sensitive, so a hand-typed "ds-2cd..." was missed
    strong = [h for h in match_models(text, catalog) if not h.weak]
    assert [(h.vendor, h.model) for h in strong][:1] == [(vendor, model)]


def test_lower_case_model_flags_an_inventory_row(tmp_path: Path) -> None:
    inv = tmp_path / "inventario.csv"
    inv.write_text(
        "Numero inventario;Produttore;Modello;Descrizione\n"
        "P-11;;ds-2cd2143g2-i;telecamera ingresso\nP-12;Bosch;flexidome ip;telecamera\n",
        encoding="utf-8",
    )
    result = run_devices([inv], tmp_path / "out")
    assert [(d.device_id, d.vendor) for d in result.devices] == [("P-11", "Hikvision")]


def test_an_ipv6_cloud_destination_is_written_with_brackets(tmp_path: Path) -> None:
    # was: "2001:db8::9:443/tcp", where the port cannot be told from the address
    dns = tmp_path / "dns.log"
    dns.write_text(
        '{"ts":1.0,"uid":"C1","id.orig_h":"fd00::7","id.orig_p":4001,"id.resp_h":"fd00::1",'
        '"id.resp_p":53,"proto":"udp","query":"devapi.imoulife.com","qtype_name":"AAAA",'
        '"rcode_name":"NOERROR","answers":["2001:db8::9"],"TTLs":[60.0]}\n',
        encoding="utf-8",
    )
    conn = tmp_path / "conn.log"
    conn.write_text(
        '{"ts":2.0,"uid":"K1","id.orig_h":"fd00::7","id.orig_p":5000,"id.resp_h":"2001:db8::9",'
        '"id.resp_p":443,"proto":"tcp","orig_bytes":999,"resp_bytes":10,"conn_state":"SF"}\n',
        encoding="utf-8",
    )
    result = run_devices([dns, conn], tmp_path / "out")
    [device] = result.devices
    assert (device.device_id, device.vendor, device.brand) == ("fd00::7", "Dahua", "Imou")
    assert "[2001:db8::9]:443/tcp (devapi.imoulife.com): 1 connection(s), 999 bytes sent" in (
        device.cloud_contacts
    )
