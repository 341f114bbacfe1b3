"""Inflating gzip inputs ahead with ISA-L (dualscope.store.inflate) changes nothing but speed."""

from __future__ import annotations

import gzip
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dualscope.store import inflate
from dualscope.store.db import open_store
from dualscope.store.inflate import CopyFailed, Inflater, PlainCopy
from dualscope.store.ingest import ingest_paths

pytest.importorskip("isal", reason="ISA-L (python-isal) is a dependency; inflating needs it")

WORKS_COLUMNS = "work_id, doi, title, publication_year, updated_date, authorships, screenable"
SMALL = 4096  # bytes a piece: a few works each, so every test crosses pieces


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


def _read_all(copy: PlainCopy) -> list[bytes]:
    return [piece.read_bytes() for piece in copy.pieces()]


def test_the_pieces_hold_the_inflated_bytes_cut_at_line_ends(tmp_path: Path, factory: Any) -> None:
    source = factory.write_jsonl(tmp_path / "w.jsonl.gz", _works(factory, 60), gz=True)
    with Inflater(enabled=True, folder=str(tmp_path), piece_bytes=SMALL) as inflater:
        inflater.prefetch(source)
        copy = inflater.plain(source)
        assert copy is not None
        pieces = _read_all(copy)
    assert b"".join(pieces) == gzip.decompress(source.read_bytes())
    assert len(pieces) > 3
    assert all(p.endswith(b"\n") for p in pieces)
    assert all(len(p) >= SMALL for p in pieces[:-1])


def test_the_helper_stays_a_few_pieces_ahead_and_nothing_is_left(
    tmp_path: Path, factory: Any
) -> None:
    source = factory.write_jsonl(tmp_path / "w.jsonl.gz", _works(factory, 200), gz=True)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    inflater = Inflater(enabled=True, folder=str(scratch), piece_bytes=SMALL)
    inflater.prefetch(source)
    copy = inflater.plain(source)
    assert copy is not None
    time.sleep(1.0)  # the helper runs until it has AHEAD + 1 pieces nobody has read
    assert copy.process.poll() is None
    assert len(list(copy.folder.glob("*.jsonl"))) == inflate.AHEAD + 1
    pieces = copy.pieces()
    next(pieces)
    inflater.close()
    assert copy.process.poll() is not None
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


def test_a_broken_gzip_stream_fails_the_copy(tmp_path: Path) -> None:
    good = gzip.compress(b"".join(b'{"id": "W%d"}\n' % i for i in range(5000)))
    source = tmp_path / "cut.jsonl.gz"
    source.write_bytes(good[: len(good) // 2])  # cut off mid-stream
    with Inflater(enabled=True, folder=str(tmp_path), piece_bytes=SMALL) as inflater:
        inflater.prefetch(source)
        copy = inflater.plain(source)
        assert copy is not None
        with pytest.raises(CopyFailed):
            _read_all(copy)


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
        scratch = tmp_path / f"scratch-{name}"
        scratch.mkdir()
        with Inflater(enabled=enabled, folder=str(scratch), piece_bytes=SMALL) as inflater:
            report = ingest_paths(con, [parts], keep=keep, inflater=inflater)
            assert inflater._copies == {}  # each released after its file
        con.close()
        assert list(scratch.iterdir()) == []
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


def test_a_copy_failing_midway_is_read_again_from_the_gzip_file(
    tmp_path: Path, factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dualscope.screening.screenable import default_filter

    source = factory.write_jsonl(tmp_path / "w.jsonl.gz", _works(factory, 80), gz=True)
    whole = tmp_path / "whole.duckdb"
    con = open_store(whole)
    ingest_paths(con, [source], keep=default_filter(frozenset({"military"})))
    con.close()

    real = PlainCopy.pieces
    served: list[Path] = []

    def first_then_fail(self: PlainCopy) -> Iterator[Path]:
        for piece in real(self):
            served.append(piece)
            yield piece
            raise CopyFailed("the helper was killed")

    monkeypatch.setattr(PlainCopy, "pieces", first_then_fail)
    broken = tmp_path / "broken.duckdb"
    con = open_store(broken)
    with Inflater(enabled=True, folder=str(tmp_path), piece_bytes=SMALL) as inflater:
        report = ingest_paths(
            con, [source], keep=default_filter(frozenset({"military"})), inflater=inflater
        )
    con.close()
    assert len(served) == 1  # one piece was staged before the copy failed
    assert report.files[0].status == "loaded"
    assert _store_rows(broken) == _store_rows(whole)


def test_a_bad_line_is_still_reported_with_the_original_file_and_line(
    tmp_path: Path, factory: Any
) -> None:
    from dualscope.screening.screenable import default_filter

    lines: list[Any] = _works(factory, 30)
    lines.insert(20, "{not json")
    source = factory.write_jsonl(tmp_path / "w.jsonl.gz", lines, gz=True)
    warnings: list[str] = []
    con = open_store(tmp_path / "s.duckdb")
    with Inflater(enabled=True, folder=str(tmp_path), piece_bytes=SMALL) as inflater:
        report = ingest_paths(
            con,
            [source],
            warn=warnings.append,
            keep=default_filter(frozenset({"military"})),
            inflater=inflater,
        )
    con.close()
    assert report.files[0].skips.total == 1
    assert any(w.startswith(f"{source}, line 21: skipped") for w in warnings), warnings


def test_a_helper_whose_reader_is_gone_removes_its_pieces(tmp_path: Path, factory: Any) -> None:
    source = factory.write_jsonl(tmp_path / "w.jsonl.gz", _works(factory, 200), gz=True)
    folder = tmp_path / "orphan"
    folder.mkdir()
    # a reader that starts the helper and exits at once, as a killed run would (perhaps
    # before the helper has even started)
    starter = (
        "import os, subprocess, sys; subprocess.Popen([sys.executable, '-m', "
        f"'dualscope.store.inflate', {str(source)!r}, {str(folder)!r}, '{SMALL}', "
        "str(os.getpid())])"
    )
    subprocess.run([sys.executable, "-c", starter], check=True)
    deadline = time.monotonic() + 20
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not folder.exists()


def test_the_helper_command(tmp_path: Path, factory: Any) -> None:
    source = factory.write_jsonl(tmp_path / "w.jsonl.gz", _works(factory, 3), gz=True)
    folder = tmp_path / "pieces"
    folder.mkdir()
    subprocess.run(
        [sys.executable, "-m", "dualscope.store.inflate", str(source), str(folder)], check=True
    )
    assert (folder / inflate.DONE).read_text() == "1"
    assert (folder / inflate.piece_name(0)).read_bytes() == gzip.decompress(source.read_bytes())
    broken = tmp_path / "broken.gz"
    broken.write_bytes(b"\x1f\x8bnot really gzip")
    failed = subprocess.run(
        [sys.executable, "-m", "dualscope.store.inflate", str(broken), str(tmp_path / "x")],
        capture_output=True,
    )
    assert failed.returncode == 1
    assert str(broken) in failed.stderr.decode()
    usage = subprocess.run(
        [sys.executable, "-m", "dualscope.store.inflate", str(source)], capture_output=True
    )
    assert usage.returncode == 2
