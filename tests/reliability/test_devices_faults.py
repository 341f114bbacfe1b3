"""The issue 8 "done when", for ``dualscope devices``: damaged inputs find the same devices.

The devices test data (an asset inventory, nmap XML, Zeek TSV logs, OCDS releases) is copied,
then damaged: junk rows in the inventory, malformed Zeek lines, an invalid OCDS line, and a gzip
copy of a Zeek log cut in half. The devices and purchases found must be those of the clean copy
(evidence cites line numbers, which move, so rows are compared without it) and every bad record
must be counted in summary.json.
"""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from dualscope.cli import app

DATA = Path(__file__).resolve().parents[1] / "devices" / "data"
INPUTS = ("inventory.csv", "scan.xml", "zeek-tsv", "ocds")


def _copy(target: Path) -> Path:
    target.mkdir()
    for name in INPUTS:
        source = DATA / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy(source, target / name)
    return target


def _devices(folder: Path, out: Path) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["devices", str(folder), "--out", str(out)])
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "Traceback" not in result.output
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _rows(path: Path) -> list[tuple[str, ...]]:
    """The rows of an output CSV without its evidence column (evidence cites line numbers)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return sorted(
            tuple(v for k, v in row.items() if k != "evidence") for row in csv.DictReader(handle)
        )


def _insert_lines(path: Path, after: int, lines: list[bytes]) -> None:
    raw = path.read_bytes().split(b"\n")
    path.write_bytes(b"\n".join([*raw[:after], *lines, *raw[after:]]))


def test_damaged_inputs_find_the_same_devices_and_purchases(tmp_path: Path) -> None:
    clean = _copy(tmp_path / "clean")
    dirty = _copy(tmp_path / "dirty")
    # Inventory rows that name no product: read, and found to be no device.
    _insert_lines(dirty / "inventory.csv", 3, [b"A-999;only;three", b"\x00\x01\x02;;;;;"])
    # Zeek: two lines with the wrong number of fields, after the header.
    dns = dirty / "zeek-tsv" / "synthetic-dns.log"
    header = sum(1 for line in dns.read_bytes().split(b"\n") if line.startswith(b"#"))
    _insert_lines(dns, header, [b"not\ta\tzeek\tline", b"1767225603.0\tbroken"])
    # OCDS JSON Lines: one invalid line after the first release.
    _insert_lines(dirty / "ocds" / "releases.jsonl", 1, [b'{"broken json'])
    # A gzip copy of a Zeek log, cut in half.
    whole = gzip.compress((clean / "zeek-tsv" / "synthetic-conn.log").read_bytes(), mtime=0)
    (dirty / "zeek-tsv" / "conn-copy.log.gz").write_bytes(whole[: len(whole) // 2])

    good = _devices(clean, tmp_path / "out-clean")
    bad = _devices(dirty, tmp_path / "out-dirty")
    for name in ("devices.csv", "contracts.csv"):
        assert _rows(tmp_path / "out-dirty" / name) == _rows(tmp_path / "out-clean" / name), name
    assert bad["devices_found"] == good["devices_found"]
    assert bad["contracts_found"] == good["contracts_found"]
    skipped = bad["records_skipped"]
    assert skipped["by_reason"].get("wrong number of fields") == 2
    assert skipped["by_reason"].get("invalid JSON") == 1
    assert skipped["by_reason"].get("truncated or corrupt gzip") == 1
    assert skipped["total"] == sum(skipped["by_reason"].values()) == 4
    assert good["records_skipped"]["total"] == 0


def test_an_invalid_first_ocds_line_keeps_the_good_releases(tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(DATA / "ocds" / "releases.jsonl", clean / "releases.jsonl")
    dirty = tmp_path / "dirty"
    dirty.mkdir()
    (dirty / "releases.jsonl").write_bytes(
        b'{"broken json\n' + (clean / "releases.jsonl").read_bytes()
    )
    good = _devices(clean, tmp_path / "out-clean")
    bad = _devices(dirty, tmp_path / "out-dirty")
    assert bad["records_read"] == good["records_read"]
    assert bad["contracts_found"] == good["contracts_found"]
    assert bad["records_skipped"]["total"] == 1
