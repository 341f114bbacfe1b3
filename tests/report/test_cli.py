"""`dualscope report`, `export` and `serve` from the command line."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from dualscope.cli import app
from dualscope.errors import ConfigError
from dualscope.web.security import is_loopback, require_token_for

runner = CliRunner()


def test_report_command_writes_report(report_store, tmp_path) -> None:
    result = runner.invoke(
        app, ["report", "--db", str(report_store[0]), "--out", str(tmp_path / "r")]
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert '<section id="methodology">' in html


def test_report_pseudonymise_flag(report_store, tmp_path) -> None:
    store = tmp_path / "s.duckdb"
    shutil.copy(report_store[0], store)
    result = runner.invoke(
        app, ["report", "--db", str(store), "--out", str(tmp_path / "r"), "--pseudonymise"]
    )
    assert result.exit_code == 0, result.output
    html = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert all(name not in html for name in report_store[1].author_names)


@pytest.mark.parametrize(
    ("fmt", "target"), [("csv", "csv"), ("xlsx", "r.xlsx"), ("parquet", "pq"), ("ftm", "e.jsonl")]
)
def test_export_formats(report_store, tmp_path, fmt, target) -> None:
    out = tmp_path / target
    result = runner.invoke(
        app, ["export", "--db", str(report_store[0]), "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.exists() and "wrote" in result.output


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real entry point; stderr is whitespace-normalised (rich wraps long lines)."""
    proc = subprocess.run(
        [sys.executable, "-c", "from dualscope.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    proc.stderr = " ".join(proc.stderr.split())
    return proc


def test_missing_store_is_one_line_error(tmp_path) -> None:
    proc = _cli(
        "export",
        "--db",
        str(tmp_path / "none.duckdb"),
        "--format",
        "csv",
        "--out",
        str(tmp_path / "o"),
    )
    assert proc.returncode == 2
    assert "no such store" in proc.stderr and "Traceback" not in proc.stderr


def test_store_without_result_is_one_line_error(tmp_path) -> None:
    import duckdb

    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    proc = _cli("report", "--db", str(empty), "--out", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "no screening result" in proc.stderr and "Traceback" not in proc.stderr


def test_parquet_pseudonymise_refused(report_store, tmp_path) -> None:
    proc = _cli(
        "export",
        "--db",
        str(report_store[0]),
        "--format",
        "parquet",
        "--out",
        str(tmp_path / "p"),
        "--pseudonymise",
    )
    assert proc.returncode == 2 and "not available for parquet" in proc.stderr


def test_serve_refuses_public_bind_without_token(report_store) -> None:
    result = runner.invoke(
        app,
        ["serve", "--db", str(report_store[0]), "--host", "0.0.0.0"],
        env={"DUALSCOPE_TOKEN": None},
    )
    assert isinstance(result.exception, ConfigError)
    assert "without a token" in str(result.exception)


@pytest.mark.parametrize(
    ("host", "token", "ok"),
    [
        ("127.0.0.1", None, True),
        ("localhost", None, True),
        ("::1", None, True),
        ("0.0.0.0", None, False),
        ("192.168.1.5", None, False),
        ("0.0.0.0", "short", False),
        ("0.0.0.0", "a-long-enough-random-token", True),
    ],
)
def test_require_token_for(host, token, ok) -> None:
    if ok:
        require_token_for(host, token)
    else:
        with pytest.raises(ConfigError):
            require_token_for(host, token)


def test_is_loopback() -> None:
    assert is_loopback("127.0.0.2") and is_loopback("[::1]")
    assert not is_loopback("example.org") and not is_loopback("10.0.0.1")
