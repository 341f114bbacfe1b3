"""Inflating gzip inputs ahead with ISA-L (dualscope.store.inflate) changes nothing but speed."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dualscope.store import inflate
from dualscope.store.db import open_store
from dualscope.store.inflate import Inflater
from dualscope.store.ingest import ingest_paths

pytest.importorskip("isal", reason="ISA-L (python-isal) is a dependency; inflating needs it")

WORKS_COLUMNS = "work_id, doi, title, publication_year, updated_date, authorships, screenable"


def _works(factory: Any, n: int, start: int = 0) -> list[dict[str, Any]]:
    rows = []
    for i in range(start, start + n):
        raw = (
            "National University of Defense Technology, Changsha, China"
            if i % 7 == 0
            else "Univ Bologna, Bologna, Italy"
        )
        rows.append(factory.work(i, f"2024-01-{1 + i % 28:02d}", raw=raw))
    return rows


def _store_rows(db: Path) -> list[tuple[Any, ...]]:
    con = open_store(db)
    try:
        return con.execute(f"SELECT {WORKS_COLUMNS} FROM works ORDER BY work_id").fetchall()
    finally:
        con.close()


def test_the_plain_copy_holds_the_inflated_bytes(tmp_path: Path, factory: Any) -> None:
    source = factory.write_jsonl(tmp_path / "w.jsonl.gz", _works(factory, 50), gz=True)
    with Inflater(enabled=True, folder=str(tmp_path)) as inflater:
        inflater.prefetch(source)
        plain = inflater.plain(source)
        assert plain is not None
        assert Path(plain).read_bytes() == gzip.decompress(source.read_bytes())


def test_no_copy_is_left_behind_while_or_after_reading(tmp_path: Path, factory: Any) -> None:
    source = factory.write_jsonl(tmp_path / "w.jsonl.gz", _works(factory, 20), gz=True)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    inflater = Inflater(enabled=True, folder=str(scratch))
    inflater.prefetch(source)
    assert inflater.plain(source) is not None
    if os.path.isdir("/proc/self/fd"):  # Linux: removed from the folder as soon as it started
        assert list(scratch.iterdir()) == []
    inflater.close()
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("name", ["plain.jsonl", "named.jsonl.gz"])
def test_files_that_are_not_gzip_are_read_as_they_are(
    tmp_path: Path, factory: Any, name: str
) -> None:
    source = factory.write_jsonl(tmp_path / name, _works(factory, 3))  # not compressed
    with Inflater(enabled=True, folder=str(tmp_path)) as inflater:
        inflater.prefetch(source)
        assert inflater.plain(source) is None


def test_switched_off_by_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(inflate.ENV_SWITCH, "0")
    assert Inflater().enabled is False
    monkeypatch.setenv(inflate.ENV_SWITCH, "1")
    assert Inflater().enabled is True


def test_too_little_room_reads_the_gzip_file(
    tmp_path: Path, factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = factory.write_jsonl(tmp_path / "w.jsonl.gz", _works(factory, 5), gz=True)

    class Usage:
        free = 10  # bytes

    monkeypatch.setattr(inflate.shutil, "disk_usage", lambda _where: Usage)
    with Inflater(enabled=True, folder=str(tmp_path)) as inflater:
        inflater.prefetch(source)
        assert inflater.plain(source) is None


def test_the_size_guess_covers_the_gzip_trailer(tmp_path: Path) -> None:
    text = b"x" * 1_000_000  # compresses about a thousandfold
    source = tmp_path / "w.gz"
    source.write_bytes(gzip.compress(text))
    assert inflate.expected_size(source) == len(text)
    assert inflate.expected_size(source) >= inflate.EXPANSION_ESTIMATE * source.stat().st_size


def test_a_broken_gzip_stream_falls_back_to_duckdb(tmp_path: Path, factory: Any) -> None:
    good = gzip.compress(b"".join(b'{"id": "W%d"}\n' % i for i in range(1000)))
    source = tmp_path / "cut.jsonl.gz"
    source.write_bytes(good[: len(good) // 2])  # cut off mid-stream
    with Inflater(enabled=True, folder=str(tmp_path)) as inflater:
        inflater.prefetch(source)
        assert inflater.plain(source) is None


def test_releasing_stops_a_helper_still_running(tmp_path: Path, factory: Any) -> None:
    source = factory.write_jsonl(tmp_path / "w.jsonl.gz", _works(factory, 5), gz=True)
    inflater = Inflater(enabled=True, folder=str(tmp_path))
    inflater.prefetch(source)
    copy = inflater._copies[source.resolve()]
    inflater.release(source)
    assert copy.process.poll() is not None
    assert copy.handle.closed
    inflater.release(source)  # twice is harmless
    assert inflater.plain(source) is None


@pytest.mark.parametrize("filtered", [False, True], ids=["keep-all", "screenable-filter"])
def test_ingest_through_the_copies_stores_the_same_works(
    tmp_path: Path, factory: Any, filtered: bool
) -> None:
    from dualscope.screening.screenable import default_filter

    parts = tmp_path / "works"
    parts.mkdir()
    for i in range(3):  # a folder of parts: each inflated while the one before it is read
        factory.write_jsonl(parts / f"part_{i:03d}.gz", _works(factory, 40, start=30 * i), gz=True)
    results = {}
    for name, enabled in (("without", False), ("with", True)):
        db = tmp_path / f"{name}.duckdb"
        con = open_store(db)
        keep = default_filter(frozenset({"military", "seven_sons"})) if filtered else None
        with Inflater(enabled=enabled, folder=str(tmp_path)) as inflater:
            report = ingest_paths(con, [parts], keep=keep, inflater=inflater)
            assert inflater._copies == {}  # each released after its file
        con.close()
        results[name] = (
            [(f.status, f.records_read, f.loaded, f.duplicates_in_file) for f in report.files],
            _store_rows(db),
        )
    assert results["with"] == results["without"]
    statuses, rows = results["with"]
    assert [s[0] for s in statuses] == ["loaded"] * 3
    assert len(rows) == 100  # 120 records, 20 ids in two parts: the newest copy of each
    if filtered:
        assert {r[-1] for r in rows} == {True, False}


def test_a_bad_line_is_still_reported_with_the_original_file_and_line(
    tmp_path: Path, factory: Any
) -> None:
    lines: list[Any] = _works(factory, 4)
    lines.insert(2, "{not json")
    source = factory.write_jsonl(tmp_path / "w.jsonl.gz", lines, gz=True)
    warnings: list[str] = []
    con = open_store(tmp_path / "s.duckdb")
    with Inflater(enabled=True, folder=str(tmp_path)) as inflater:
        report = ingest_paths(con, [source], warn=warnings.append, inflater=inflater)
    con.close()
    assert report.files[0].skips.total == 1
    assert any(w.startswith(f"{source}, line 3: skipped") for w in warnings), warnings


def test_the_helper_command(tmp_path: Path, factory: Any) -> None:
    source = factory.write_jsonl(tmp_path / "w.jsonl.gz", _works(factory, 3), gz=True)
    done = subprocess.run(
        [sys.executable, "-m", "dualscope.store.inflate", str(source)],
        capture_output=True,
        check=True,
    )
    assert done.stdout == gzip.decompress(source.read_bytes())
    broken = tmp_path / "broken.gz"
    broken.write_bytes(b"\x1f\x8bnot really gzip")
    failed = subprocess.run(
        [sys.executable, "-m", "dualscope.store.inflate", str(broken)], capture_output=True
    )
    assert failed.returncode == 1
    assert str(broken) in failed.stderr.decode()
    usage = subprocess.run([sys.executable, "-m", "dualscope.store.inflate"], capture_output=True)
    assert usage.returncode == 2
