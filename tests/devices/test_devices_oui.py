"""MAC spellings, longest-prefix lookup (/24, /28, /36), randomised MACs, override list."""

from __future__ import annotations

import pytest

from dualscope.devices.oui import is_locally_administered, normalise_mac


@pytest.mark.parametrize(
    "text",
    [
        "04:03:12:aa:bb:01",
        "04-03-12-AA-BB-01",
        "0403.12aa.bb01",
        "040312aabb01",
        " 4:3:12:aa:bb:1 ",
    ],
)
def test_mac_spellings(text: str) -> None:
    assert normalise_mac(text) == "04:03:12:AA:BB:01"


@pytest.mark.parametrize(
    "text", ["", "04:03:12", "zz:zz:zz:zz:zz:zz", "04:03-12:aa:bb:01", "10.0.0.1"]
)
def test_not_macs(text: str) -> None:
    assert normalise_mac(text) is None


@pytest.mark.parametrize(
    ("mac", "local"),
    [
        ("02:00:00:00:00:01", True),
        ("0A:ED:ED:11:22:33", True),
        ("DE:AD:BE:EF:00:01", True),
        ("08:ED:ED:11:22:33", False),
    ],
)
def test_locally_administered(mac: str, local: bool) -> None:
    assert is_locally_administered(mac) is local


def test_vendor_and_brand_blocks(oui) -> None:
    assert oui.hit("04:03:12:00:00:01")[1].vendor == "Hikvision"
    assert oui.hit("08:ED:ED:00:00:01")[1].vendor == "Dahua"
    ezviz = oui.hit("0C:A6:4C:00:00:01")[1]
    assert (ezviz.vendor, ezviz.brand) == ("Hikvision", "EZVIZ")
    imou = oui.hit("1C:4D:89:00:00:01")[1]
    assert (imou.vendor, imou.brand) == ("Dahua", "Imou")


def test_ma_m_block_is_28_bits(oui) -> None:
    inside = oui.hit("B0:B3:53:6F:FF:FF")[1]
    assert inside is not None and "B0:B3:53:60/28" in inside.evidence
    assert oui.hit("B0:B3:53:70:00:00")[1] is None


def test_confusable_block_is_not_dahua(oui) -> None:
    # 40:2C:76:1/28 belongs to Shanghai Dahua Scale Factory, not Zhejiang Dahua Technology
    assert oui.hit("40:2C:76:10:00:01")[1] is None


def test_randomised_mac_gets_a_note_not_a_hit(oui) -> None:
    mac, hit, note = oui.hit("0a:ed:ed:11:22:33")
    assert mac == "0A:ED:ED:11:22:33" and hit is None and "locally administered" in note


def test_override_finds_blocks_an_old_database_lacks(old_oui) -> None:
    assert old_oui.hit("04:03:12:00:00:01")[1].evidence.endswith("(Wireshark manuf)]")
    _, hit, _ = old_oui.hit("0C:A6:4C:00:00:53")
    assert hit is not None and hit.brand == "EZVIZ" and "override" in hit.evidence


@pytest.mark.parametrize(
    ("text", "mac"),
    [
        ("04:03:12:aa:bb:01 (lobby)", "04:03:12:AA:BB:01"),
        ("MAC=0403.12aa.bb01;", "04:03:12:AA:BB:01"),
        ("ids 04:03:12:aa:bb:01:99", None),
        ("none", None),
    ],
)
def test_mac_inside_text(text: str, mac: str | None) -> None:
    from dualscope.devices.oui import find_mac

    assert find_mac(text) == mac
