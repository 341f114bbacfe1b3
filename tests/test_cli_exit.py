"""The console script leaves with ``os._exit`` once a command is done (``dualscope.cli.run``):
what the command printed still arrives in full, and its exit code is kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "examples" / "sample" / "works.jsonl.gz"


def _dualscope(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dualscope", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_screening_prints_and_writes_everything_then_exits_0(tmp_path):
    done = _dualscope("screen", str(SAMPLE), "--db", "s.duckdb", "--out", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "flagged" in done.stdout and done.stdout.rstrip().endswith("*.csv)")
    assert (tmp_path / "out" / "report.html").read_text().rstrip().endswith("</html>")
    # the store was closed properly: it opens again and holds the run
    import duckdb

    con = duckdb.connect(str(tmp_path / "s.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM works").fetchone()[0] > 0
    finally:
        con.close()
    assert not list(tmp_path.glob("s.duckdb.wal"))


def test_exit_codes_survive_the_fast_exit(tmp_path):
    version = _dualscope("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("dualscope ")
    missing = _dualscope("screen", "nope.jsonl", "--out", "out", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.jsonl" in missing.stderr


def test_a_large_output_into_a_pipe_arrives_whole(tmp_path):
    # stdout is a pipe (block-buffered): what is still in the buffer must be flushed
    listing = _dualscope("watchlist", "list", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert len(listing.stdout.splitlines()) > 100
    assert listing.stdout.endswith("\n")
