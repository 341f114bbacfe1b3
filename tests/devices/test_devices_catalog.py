"""The bundled vendor data validates, cross-references resolve, and bad files fail clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dualscope.devices.catalog import DATA_FILES, build_catalog
from dualscope.devices.oui import OuiIndex, packaged_manuf_path
from dualscope.errors import DataFileError

SRC = Path(__file__).resolve().parents[2] / "src" / "dualscope" / "devices" / "data"


def _copy_data(tmp_path: Path) -> Path:
    for name in DATA_FILES:
        shutil.copy(SRC / name, tmp_path / name)
    return tmp_path


def test_vendors_brands_and_regulation(catalog) -> None:
    assert set(catalog.vendor_names.values()) == {"Hikvision", "Dahua"}
    assert catalog.brand_names["ezviz"] == ("Hikvision", "EZVIZ")
    assert catalog.brand_names["imou"] == ("Dahua", "Imou")
    assert catalog.brand_names["lorex"] == ("Dahua", "Lorex")
    hik = " | ".join(catalog.regulatory("Hikvision"))
    assert "2021-06-03" in hik and "2019-10-09" in hik and "2021-03-12" in hik
    assert "CVE-2017-7921" in hik and "CVE-2021-36260" in hik
    dahua = " | ".join(catalog.regulatory("Dahua"))
    assert "2022-10-05" in dahua and "CVE-2021-33044" in dahua and "CVE-2021-33045" in dahua


def test_every_fact_has_a_known_source(catalog) -> None:
    sources = set(catalog.vendors.sources)
    facts = [
        *catalog.vendors.regulations, *catalog.vendors.cves, *catalog.vendors.vendors,
        *catalog.vendors.oem_brands, *catalog.vendors.model_patterns,
        *catalog.vendors.cloud_domains, *catalog.vendors.cpv_codes,
    ]  # fmt: skip
    assert facts
    assert all(f.source in sources for f in facts)
    assert all(fp.spec.source in sources for fp in catalog.fingerprints)
    recog = [fp for fp in catalog.fingerprints if fp.spec.source == "recog"]
    assert recog and all(".xml:" in fp.spec.ref for fp in recog)  # file + pattern cited


def test_oem_brands_are_medium_confidence(catalog) -> None:
    assert {o.name for o in catalog.vendors.oem_brands} >= {"LTS", "Annke", "Amcrest"}
    assert all(o.confidence == "medium" for o in catalog.vendors.oem_brands)


def test_oui_index_covers_watched_blocks_and_overrides(catalog) -> None:
    index = OuiIndex(catalog)
    assert packaged_manuf_path().is_file()
    # DOMAIN.md §4: about 86 Hikvision + 15 EZVIZ + 33 Dahua + 6 Imou blocks (plus Hikrobot)
    assert len(index) >= 130
    assert catalog.oui_overrides is not None
    for entry in catalog.oui_overrides.prefixes:
        digits = entry.prefix.split("/")[0].replace(":", "")
        mac = ":".join((digits + "0" * 12)[i : i + 2] for i in range(0, 12, 2))
        found = index.lookup(mac)
        assert found is not None and found.vendor == catalog.vendor_names[entry.vendor]


def test_bad_regex_names_file_and_entry(tmp_path: Path) -> None:
    folder = _copy_data(tmp_path)
    text = (folder / "vendors.yaml").read_text(encoding="utf-8")
    (folder / "vendors.yaml").write_text(text.replace(r"'\bDS-2CD\d'", r"'\bDS-2CD(\d'"))
    with pytest.raises(DataFileError) as err:
        build_catalog(folder)
    assert "vendors.yaml" in str(err.value) and "hik-ds-2cd" in str(err.value)


def test_unknown_reference_is_reported(tmp_path: Path) -> None:
    folder = _copy_data(tmp_path)
    text = (folder / "fingerprints.yaml").read_text(encoding="utf-8")
    (folder / "fingerprints.yaml").write_text(
        text.replace("vendor: dahua\n    field: server", "vendor: dahwa\n    field: server")
    )
    with pytest.raises(DataFileError, match=r"fingerprints\.yaml.*dahwa"):
        build_catalog(folder)


def test_unreadable_yaml_is_a_data_error(tmp_path: Path) -> None:
    folder = _copy_data(tmp_path)
    (folder / "oui_overrides.yaml").write_text("prefixes: [unclosed")
    with pytest.raises(DataFileError, match=r"oui_overrides\.yaml"):
        build_catalog(folder)
