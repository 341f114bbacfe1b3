"""A supplier that only bears a brand's name counts when the purchase is about cameras."""

from __future__ import annotations

from dualscope.devices.catalog import Catalog
from dualscope.devices.readers.ocds import Purchase, judge


def _purchase(supplier: str, items: list[str], cpv: list[str] | None = None) -> Purchase:
    return Purchase(ocid="ocds-x-1", where="t.json", suppliers=[supplier], items=items,
                    cpv=cpv or [])  # fmt: skip


def test_a_watch_shop_named_like_a_brand_is_not_a_camera_purchase(catalog: Catalog) -> None:
    assert judge(_purchase("Hi-Watch Orologi S.r.l.", ["orologi da parete"]), catalog) is None


def test_a_brand_supplier_selling_cameras_is_flagged(catalog: Catalog) -> None:
    found = judge(_purchase("EZVIZ Europe", ["telecamere wi-fi per uffici"]), catalog)
    assert found is not None and (found.vendor, found.brand) == ("Hikvision", "EZVIZ")


def test_a_surveillance_cpv_code_is_camera_context(catalog: Catalog) -> None:
    found = judge(_purchase("HiWatch Distribution", ["fornitura"], ["32323500"]), catalog)
    assert found is not None and found.vendor == "Hikvision"


def test_the_vendor_itself_needs_no_context(catalog: Catalog) -> None:
    found = judge(
        _purchase("Hangzhou Hikvision Digital Technology Co., Ltd.", ["lotto 1"]), catalog
    )
    assert found is not None and found.vendor == "Hikvision"
