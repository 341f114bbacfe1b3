"""OCDS: direct purchases, purchases through resellers naming brand or model, confusables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dualscope.devices.detect import detect_format
from dualscope.devices.readers.ocds import Purchase, cpv_code, judge, read_ocds
from dualscope.devices.stats import ReadLog

EXPECTED = {
    "ocds-test-0001": ("Hikvision", ""),  # supplier is the vendor
    "ocds-test-0002": ("Dahua", ""),  # TIM resold; item names brand + model (tender stage)
    "ocds-test-0003": ("Hikvision", ""),  # Fastweb resold; contract item names a DS-7 NVR
    "ocds-test-0007": ("Dahua", ""),  # record package, compiled release
    "ocds-test-0008": ("Hikvision", "EZVIZ"),  # JSON lines; reseller, brand in item
}


def _findings(paths, catalog, log=None):
    purchases: dict[str, Purchase] = {}
    for path in paths:
        read_ocds(path, purchases, log or ReadLog())
    return {f.ocid: f for p in purchases.values() if (f := judge(p, catalog))}


def test_planted_purchases(data_dir: Path, catalog) -> None:
    paths = sorted((data_dir / "ocds").iterdir())
    assert all(detect_format(p) == "ocds" for p in paths)
    log = ReadLog()
    found = _findings(paths, catalog, log)
    assert {k: (f.vendor, f.brand) for k, f in found.items()} == EXPECTED
    assert log.records["ocds"] == 11 and log.skipped_total == 0
    tim = found["ocds-test-0002"]
    assert tim.suppliers == ["TIM S.p.A."] and tim.amount == "125000" and tim.date == "2021-01-15"
    assert tim.cpv == ["35125300"]
    assert any("reseller" in e for e in tim.evidence)
    assert any("35125300" in e and "likely" in e for e in tim.evidence)
    direct = found["ocds-test-0001"]
    assert direct.cpv == ["32323500"] and direct.buyer == "Comune di Esempio"
    assert any("(confirmed)" in e for e in direct.evidence)


def test_confusables_cpv_alone_and_lorex_after_sale(data_dir: Path, catalog) -> None:
    found = _findings(sorted((data_dir / "ocds").iterdir()), catalog)
    # 0004 HiKOKI supplier, 0005 CPV 32323500 only, 0006 Lorex bought 2024, 0009 Hikari, 0010
    assert (
        not {"ocds-test-0004", "ocds-test-0005", "ocds-test-0006", "ocds-test-0009"} & found.keys()
    )


def test_lorex_before_the_sale_is_dahua(catalog) -> None:
    p = Purchase("x", "t", suppliers=["Shop"], items=["Lorex 4K camera kit"])
    p.note_date("award", "2020-06-01")
    finding = judge(p, catalog)
    assert finding is not None and (finding.vendor, finding.brand) == ("Dahua", "Lorex")


@pytest.mark.parametrize(
    ("value", "code"),
    [("32323500-8", "32323500"), ("32323500.0", "32323500"), (32323500, "32323500"),
     ("3232350", "03232350"), ("abc", None), (None, None), ("", None)],
)  # fmt: skip
def test_cpv_ids(value, code) -> None:
    assert cpv_code(value) == code


def test_wrong_types_skip_the_release_only(tmp_path: Path, catalog) -> None:
    package = {
        "releases": [
            {"ocid": "ok-1", "awards": [{"suppliers": [{"name": "Hikvision"}]}]},
            {"ocid": "bad-1", "awards": "not a list"},
            {"id": "no-ocid"},
            "not an object",
            {"ocid": "ok-1", "awards": [{"suppliers": "oops"}]},
        ]
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    log = ReadLog()
    found = _findings([path], catalog, log)
    assert set(found) == {"ok-1"}
    assert found["ok-1"].suppliers == ["Hikvision"]
    assert log.skipped == {
        "wrong type": 2,
        "release without ocid": 1,
        "release is not an object": 1,
    }


def test_cut_off_package_is_one_skip_and_json_lines_keep_good_lines(
    data_dir: Path, tmp_path: Path, catalog
) -> None:
    text = (data_dir / "ocds" / "release-package.json").read_text(encoding="utf-8")
    cut = tmp_path / "cut.json"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    log = ReadLog()
    assert _findings([cut], catalog, log) == {}
    assert log.skipped == {"invalid JSON": 1} and "cut.json, line" in log.warnings[0]
    lines = (data_dir / "ocds" / "releases.jsonl").read_text(encoding="utf-8").splitlines()
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([lines[0], "{broken", lines[1], ""]), encoding="utf-8")
    log = ReadLog()
    assert set(_findings([mixed], catalog, log)) == {"ocds-test-0008"}
    assert log.skipped == {"invalid JSON": 1} and log.records["ocds"] == 2


def test_tenderer_is_evidence_not_a_purchase(catalog) -> None:
    p = Purchase("t", "x", tenderers=["Hikvision Italy S.r.l."], suppliers=["Axis AB"])
    assert judge(p, catalog) is None
    p.items.append("Telecamere Hikvision DS-2CD2143G2-I")
    finding = judge(p, catalog)
    assert finding is not None and finding.vendor == "Hikvision"
    assert any(e.startswith("tenderer 'Hikvision Italy") for e in finding.evidence)


def test_brand_deep_inside_a_long_description(catalog) -> None:
    p = Purchase("long", "x", suppliers=["Integratore S.r.l."])
    p.items.append("Fornitura e posa. " * 200 + "Telecamere Dahua.")
    finding = judge(p, catalog)
    assert finding is not None and finding.vendor == "Dahua"
    assert len(finding.items[0]) == 300


def test_plain_oem_supplier_is_not_a_finding(catalog) -> None:
    p = Purchase("h", "x", suppliers=["Honeywell International"], items=["Video cameras"])
    assert judge(p, catalog) is None
