"""Real third-party samples (no watched devices in them): everything parses, nothing is flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

from dualscope.devices.pipeline import analyse

pytestmark = pytest.mark.shared


def test_real_nmap_zeek_ocds_samples_give_no_false_positives(shared_raw: Path) -> None:
    folders = [shared_raw / n for n in ("nmap-xml-samples", "zeek-logs-sample", "ocds-sample")]
    result = analyse(folders)
    summary = result.summary
    assert result.devices == [] and result.contracts == []
    inputs = summary["inputs"]
    assert inputs["nmap-xml"] == len(list((shared_raw / "nmap-xml-samples").glob("*.xml")))
    assert inputs["zeek-tsv"] >= 5 and inputs["zeek-json"] >= 5
    # every OCDS data file (not the JSON Schema, not SOURCE.txt) is read
    assert inputs["ocds"] == len(list((shared_raw / "ocds-sample").glob("*.json"))) - 1
    assert summary["records_skipped"]["total"] == 0
    records = summary["records_read"]
    assert records["nmap-xml"] > 500 and records["zeek-conn"] > 300 and records["ocds"] >= 10
    unrecognised = {Path(p).name for p in summary["inputs_unrecognised"]}
    assert unrecognised == {"SOURCE.txt", "ocdskit__release-schema-1.1.2.json"}
