"""`dualscope devices` through the Typer app, as a user runs it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dualscope.cli import app
from dualscope.errors import InputError


def test_devices_command(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = CliRunner().invoke(
        app,
        ["devices", str(data_dir / "inventory.csv"), str(data_dir / "scan.xml"),
         str(data_dir / "ocds"), "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "devices (all)" in result.output and "purchases" in result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["devices_found"] == 19 and summary["contracts_found"] == 5


def test_devices_help_has_an_example() -> None:
    result = CliRunner().invoke(app, ["devices", "--help"])
    assert result.exit_code == 0
    assert "Example: dualscope devices" in result.output and "--strict" in result.output


def test_strict_stops_at_first_bad_record(tmp_path: Path) -> None:
    inv = tmp_path / "inv.csv"
    inv.write_text("asset id,manufacturer\nB-1,Hikvision\nB-2,Dahua,extra\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["devices", str(inv), "--out", str(out), "--strict"])
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError)
    assert "inv.csv, line 3" in str(result.exception)
    assert not out.exists()
    ok = CliRunner().invoke(app, ["devices", str(inv), "--out", str(out)])
    assert ok.exit_code == 0 and "records skipped" in ok.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    skipped = summary["records_skipped"]
    assert skipped["total"] == 1 and skipped["by_reason"] == {"more fields than the header": 1}
    assert skipped["first"] == [
        f"{inv}, line 3: more fields than the header: 3 fields, header has 2"
    ]
