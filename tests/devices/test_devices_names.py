"""Vendor names, misspellings, brands, model numbers; confusables never match."""

from __future__ import annotations

import pytest

from dualscope.devices.names import match_models, match_names, normalise


@pytest.mark.parametrize(
    ("text", "vendor", "brand"),
    [
        ("Hik Vision", "Hikvision", None),
        ("HIKVISON", "Hikvision", None),
        ("Hikvison", "Hikvision", None),
        ("Hikvisoin", "Hikvision", None),  # guarded fuzzy near miss
        ("Hangzhou Hikvision Digital Technology Co., Ltd.", "Hikvision", None),
        ("Dahua Technologies", "Dahua", None),
        ("DAHUA TECHNOLOGY CO", "Dahua", None),
        ("Zhejiang Dahua Technology Co., Ltd.", "Dahua", None),
        ("EZVIZ", "Hikvision", "EZVIZ"),
        ("HiWatch", "Hikvision", "HiWatch"),
        ("Imou", "Dahua", "Imou"),
        ("Lorex", "Dahua", "Lorex"),
    ],
)
def test_vendor_field_names(catalog, text: str, vendor: str, brand: str | None) -> None:
    hits = match_names(text, catalog, vendor_field=True)
    assert hits, text
    assert hits[0].vendor == vendor and hits[0].brand == brand


@pytest.mark.parametrize(
    "text",
    ["HiKOKI", "Hikari", "Hitachi", "Honeywell", "Panasonic", "Hikma", "Dahuang Foods",
     "Shanghai Dahua Scale Factory", "Rolex", "Axis Communications", ""],
)  # fmt: skip
def test_confusables_are_not_vendors(catalog, text: str) -> None:
    # plain Honeywell/Panasonic come back as weak hits: a brand label, never a finding
    assert [h for h in match_names(text, catalog, vendor_field=True) if not h.weak] == []


def test_fuzzy_is_never_used_on_free_text(catalog) -> None:
    assert match_names("Telecamera Hikvisoin ingresso", catalog) == []
    assert match_names("Telecamera Hikvision ingresso", catalog)[0].vendor == "Hikvision"


def test_oem_names_count_only_in_the_manufacturer_field(catalog) -> None:
    (annke,) = match_names("Annke", catalog, vendor_field=True)
    assert annke.vendor is None and annke.brand == "Annke" and not annke.weak
    assert match_names("Telecamera Annke cortile", catalog) == []
    (lts,) = match_names("LTS", catalog, vendor_field=True)  # generic acronym: label only
    assert lts.weak


def test_lorex_hit_carries_the_sale_date(catalog) -> None:
    (hit,) = match_names("Lorex", catalog, vendor_field=True)
    assert hit.owned_until == "2023-02"


@pytest.mark.parametrize(
    ("text", "vendor", "model", "weak"),
    [
        ("DS-2CD2143G2-I", "Hikvision", "DS-2CD2143G2-I", False),
        ("NVR DS-7608NI-K2/8P", "Hikvision", "DS-7608NI-K2/8P", False),
        ("DS-9632NI-I8", "Hikvision", "DS-9632NI-I8", False),
        ("PTZ DS-2DE4425IW-DE", "Hikvision", "DS-2DE4425IW-DE", False),
        ("iDS-2CD7A46G0-IZHS", "Hikvision", "iDS-2CD7A46G0-IZHS", False),
        ("HWI-B121H", "Hikvision", "HWI-B121H", False),
        ("IPC-HFW2431S-S-S2", "Dahua", "IPC-HFW2431S-S-S2", False),
        ("IPC-HDBW2431E-S", "Dahua", "IPC-HDBW2431E-S", False),
        ("DHI-NVR4104HS", "Dahua", "DHI-NVR4104HS", False),
        ("DH-IPC-HFW1230S", "Dahua", "DH-IPC-HFW1230S", False),
        ("SD49225XA-HNR", "Dahua", "SD49225XA-HNR", True),
        ("DS-2CE16D0T-IRF", "Hikvision", "DS-2CE16D0T-IRF", False),
        ("HAC-HFW1200T", "Dahua", "HAC-HFW1200T", False),
        ("CS-C6N", "Hikvision", "CS-C6N", True),
    ],
)
def test_model_numbers(catalog, text: str, vendor: str, model: str, weak: bool) -> None:
    hits = [h for h in match_models(text, catalog) if h.model == model]
    assert hits and hits[0].vendor == vendor and hits[0].weak is weak


@pytest.mark.parametrize("text", ["DH18DPA", "CP-X2530", "P3245-LV", "DS-1000 toolbox", "HK-200"])
def test_unrelated_models(catalog, text: str) -> None:
    assert [h for h in match_models(text, catalog) if not h.weak] == []


def test_normalise() -> None:
    assert normalise("  ZHEJIANG  Dahua-Technology Co., Ltd. ") == "zhejiang dahua"
    assert normalise("Hïkvísion") == "hikvision"
