"""Ingest: newest updated_date wins, idempotent re-ingest, bad lines counted by line, atomicity."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dualscope.errors import InputError
from dualscope.store import ingest as ingest_mod
from dualscope.store.db import open_store
from dualscope.store.ingest import discover, ingest_file, ingest_paths


def _works(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return con.execute(
        "SELECT work_id, title, publication_year, updated_date FROM works ORDER BY work_id"
    ).fetchall()


def test_newest_updated_date_wins_within_and_across_files(tmp_path, tmp_db, factory):
    w = factory.work
    a = factory.write_jsonl(
        tmp_path / "a.jsonl",
        [w(1, "2023-01-01", title="old"), w(1, "2024-01-01", title="new"), w(2, "2023-05-05")],
    )
    b = factory.write_jsonl(
        tmp_path / "b.jsonl.gz",
        [w(1, "2022-01-01", title="older still"), w(2, "2024-02-02", title="two new")],
        gz=True,
    )
    con = open_store(tmp_db)
    report = ingest_paths(con, [a, b])
    assert _works(con) == [
        ("W9000000001", "new", 2020, "2024-01-01"),
        ("W9000000002", "two new", 2020, "2024-02-02"),
    ]
    first, second = report.files
    assert (first.records_read, first.loaded, first.duplicates_in_file) == (3, 2, 1)
    assert (second.records_read, second.replaced, second.stale) == (2, 1, 1)
    assert report.as_dict()["duplicates_replaced"] == 2


def test_order_of_files_does_not_change_the_result(tmp_path, factory):
    w = factory.work
    a = factory.write_jsonl(tmp_path / "a.jsonl", [w(1, "2024-01-01", title="new")])
    b = factory.write_jsonl(tmp_path / "b.jsonl", [w(1, "2023-01-01", title="old")])
    one = open_store(tmp_path / "one.duckdb")
    two = open_store(tmp_path / "two.duckdb")
    ingest_paths(one, [a, b])
    ingest_paths(two, [b, a])
    assert _works(one) == _works(two) == [("W9000000001", "new", 2020, "2024-01-01")]


def test_reingesting_the_same_file_changes_nothing(tmp_path, tmp_db, factory):
    path = factory.write_jsonl(tmp_path / "a.jsonl", [factory.work(i) for i in range(5)])
    con = open_store(tmp_db)
    ingest_paths(con, [path])
    before = (_works(con), con.execute("SELECT * FROM ingested_files").fetchall())
    again = ingest_paths(con, [path])
    assert again.files[0].status == "unchanged"
    assert (_works(con), con.execute("SELECT * FROM ingested_files").fetchall()) == before


def test_malformed_lines_are_skipped_counted_and_reported_by_line(tmp_path, tmp_db, factory):
    w = factory.work
    bad_authorships = w(4)
    bad_authorships["authorships"] = {"not": "a list"}
    lines = [
        w(1),
        '{"id": "https://openalex.org/W9000000002", "title": ',  # cut-off JSON
        {"title": "no id"},
        bad_authorships,
        w(5, year="2020"),  # a year given as text
        w(6, title="x" * 5_000_000),  # an enormous title
        w(7),
    ]
    path = factory.write_jsonl(tmp_path / "bad.jsonl", lines)
    warnings: list[str] = []
    con = open_store(tmp_db)
    result = ingest_file(con, path, warn=warnings.append)
    assert [r[0] for r in _works(con)] == ["W9000000001", "W9000000007"]
    assert result.skips is not None
    assert result.skips.counts == {
        "invalid JSON": 1,
        "missing id": 1,
        "authorships is not a list": 1,
        "publication_year is not an integer": 1,
        "title too large": 1,
    }
    assert [line for line, _ in result.skips.examples] == [2, 3, 4, 5, 6]
    assert warnings[0].startswith(f"{path}, line 2: skipped: invalid JSON")
    assert warnings[4] == f"{path}, line 6: skipped: title too large"
    row = con.execute(
        "SELECT records_read, records_loaded, records_skipped, skipped_reasons FROM ingested_files"
    ).fetchone()
    assert row[:3] == (7, 2, 5)
    assert json.loads(row[3])["missing id"] == 1


def test_strict_stops_at_the_first_bad_line_and_loads_nothing(tmp_path, tmp_db, factory):
    path = factory.write_jsonl(tmp_path / "bad.jsonl", [factory.work(1), "{oops", factory.work(3)])
    con = open_store(tmp_db)
    with pytest.raises(InputError, match=r"bad\.jsonl, line 2: invalid JSON"):
        ingest_file(con, path, strict=True)
    assert _works(con) == []
    assert con.execute("SELECT count(*) FROM ingested_files").fetchone() == (0,)


def test_truncated_gzip_keeps_the_whole_lines_and_counts_the_cut(tmp_path, tmp_db, factory):
    lines = [json.dumps(factory.work(i, title="t" * 200)) for i in range(2000)]
    data = gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0)
    path = tmp_path / "part_000.gz"
    path.write_bytes(data[: len(data) // 2])
    con = open_store(tmp_db)
    result = ingest_file(con, path)
    loaded = con.execute("SELECT count(*) FROM works").fetchone()[0]
    assert 0 < loaded < 2000
    assert result.loaded == loaded
    assert result.skips is not None
    assert result.skips.counts == {"gzip stream cut off or corrupt": 1}
    # Exactly the lines that were complete before the cut, none invented.
    complete = gzip.decompress(data)[: 10**9].split(b"\n")
    assert con.execute("SELECT max(work_id) FROM works").fetchone()[0] <= "W9000001999"
    assert len(complete) > loaded


def test_empty_file_is_reported_and_strict_refuses_it(tmp_path, tmp_db):
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    con = open_store(tmp_db)
    warnings: list[str] = []
    result = ingest_file(con, path, warn=warnings.append)
    assert result.status == "empty"
    assert warnings == [f"{path}: no records in this file"]
    other = tmp_path / "empty2.jsonl"
    other.write_text("\n\n")
    with pytest.raises(InputError, match="no records"):
        ingest_file(con, other, strict=True)


def test_byte_order_mark_is_accepted(tmp_path, tmp_db, factory):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(factory.work(1)).encode() + b"\n")
    con = open_store(tmp_db)
    result = ingest_file(con, path)
    assert result.loaded == 1 and result.skipped == 0


def test_api_pages_and_json_arrays_are_ingested(tmp_path, tmp_db, factory):
    page = {
        "meta": {"count": 3, "per_page": 100, "next_cursor": None},
        "results": [factory.work(1), factory.work(2), {"no": "id"}],
    }
    (tmp_path / "page.json").write_text(json.dumps(page, indent=2))
    (tmp_path / "array.json").write_text(json.dumps([factory.work(3)], indent=1))
    con = open_store(tmp_db)
    report = ingest_paths(con, [tmp_path])
    assert [r[0] for r in _works(con)] == ["W9000000001", "W9000000002", "W9000000003"]
    kinds = {f.path.name: (f.kind, f.skipped) for f in report.files}
    assert kinds == {"array.json": ("api_page", 0), "page.json": ("api_page", 1)}
    sources = con.execute("SELECT DISTINCT source FROM works").fetchall()
    assert sources == [("openalex_api",)]


def test_old_schema_singular_raw_affiliation_string_is_kept(tmp_path, tmp_db, factory):
    old = factory.work(1)
    authorship = old["authorships"][0]
    del authorship["raw_affiliation_strings"]
    authorship["raw_affiliation_string"] = "Natl Univ Def Technol, Changsha"
    path = factory.write_jsonl(tmp_path / "old.jsonl", [old])
    con = open_store(tmp_db)
    ingest_file(con, path)
    raws = con.execute("SELECT authorships[1].raw_affiliation_strings FROM works").fetchone()
    assert raws == (["Natl Univ Def Technol, Changsha"],)


def test_folders_are_expanded_and_an_empty_folder_is_an_error(tmp_path, factory):
    (tmp_path / "data" / "updated_date=2024-01-01").mkdir(parents=True)
    factory.write_jsonl(
        tmp_path / "data" / "updated_date=2024-01-01" / "part_000.gz", [factory.work(1)], gz=True
    )
    (tmp_path / "data" / "notes.md").write_text("not data")
    assert [p.name for p in discover([tmp_path / "data"])] == ["part_000.gz"]
    stray = tmp_path / "data" / "README.txt"
    stray.write_text("Downloaded from the snapshot on 2024-01-01.\n")
    warnings: list[str] = []
    con = open_store(tmp_path / "s.duckdb")
    report = ingest_paths(con, [tmp_path / "data"], warn=warnings.append)
    assert [(f.path.name, f.status) for f in report.files] == [
        ("README.txt", "unrecognised"),
        ("part_000.gz", "loaded"),
    ]
    assert warnings == [f"{stray}: not a recognised input; skipped"]
    with pytest.raises(InputError, match="not a recognised input"):
        ingest_paths(con, [stray])  # named explicitly: an error
    (tmp_path / "nothing").mkdir()
    with pytest.raises(InputError, match="folder holds no input files"):
        discover([tmp_path / "nothing"])
    with pytest.raises(InputError, match="no such file"):
        discover([tmp_path / "missing.jsonl"])


def test_other_entities_of_a_whole_snapshot_are_not_read_as_works(tmp_path, factory):
    """Pointing at the whole snapshot instead of data/works: the authors' and institutions'
    part files look like works files; they are reported and skipped, never counted as works."""
    data = tmp_path / "openalex-snapshot" / "data"
    parts = {}
    for entity, record in (
        ("works", factory.work(1)),
        ("authors", {"id": "https://openalex.org/A5023888391", "display_name": "Jane Roe"}),
        ("institutions", {"id": "https://openalex.org/I4210", "display_name": "NUDT"}),
    ):
        folder = data / entity / "updated_date=2024-01-01"
        folder.mkdir(parents=True)
        parts[entity] = factory.write_jsonl(folder / "part_000.gz", [record], gz=True)
    warnings: list[str] = []
    con = open_store(tmp_path / "s.duckdb")
    report = ingest_paths(con, [data], warn=warnings.append)
    assert sorted((f.path.parent.parent.name, f.status) for f in report.files) == [
        ("authors", "unrecognised"),
        ("institutions", "unrecognised"),
        ("works", "loaded"),
    ]
    assert sorted(warnings) == [
        f"{parts['authors']}: OpenAlex authors, not works; skipped",
        f"{parts['institutions']}: OpenAlex institutions, not works; skipped",
    ]
    assert con.execute("SELECT count(*) FROM works").fetchone() == (1,)
    with pytest.raises(InputError, match=r"OpenAlex authors records, not works.*data/works"):
        ingest_paths(con, [parts["authors"]])  # named explicitly: an error


def test_a_failure_mid_file_leaves_the_store_unchanged(tmp_path, tmp_db, factory, monkeypatch):
    good = factory.write_jsonl(tmp_path / "a.jsonl", [factory.work(1)])
    con = open_store(tmp_db)
    ingest_file(con, good)
    before = (_works(con), con.execute("SELECT path FROM ingested_files").fetchall())
    path = factory.write_jsonl(
        tmp_path / "b.jsonl", [factory.work(2), "{bad", factory.work(1, "2030-01-01")]
    )

    def exploding(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk vanished")

    monkeypatch.setattr(ingest_mod, "_merge", exploding)
    with pytest.raises(InputError, match=r"b\.jsonl: cannot be read \(disk vanished\)"):
        ingest_file(con, path)
    assert (_works(con), con.execute("SELECT path FROM ingested_files").fetchall()) == before


_INGEST_SCRIPT = """
import sys
from pathlib import Path
from dualscope.store.db import open_store
from dualscope.store.ingest import ingest_paths
con = open_store(Path(sys.argv[1]))
ingest_paths(con, [Path(p) for p in sys.argv[2:]])
con.close()
"""


def _snapshot(db: Path) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        works = con.execute(
            "SELECT work_id, title, updated_date, md5(CAST(authorships AS VARCHAR)) "
            "FROM works ORDER BY work_id"
        ).fetchall()
        files = con.execute(
            "SELECT path, records_loaded FROM ingested_files ORDER BY path"
        ).fetchall()
    finally:
        con.close()
    return works + files


def test_sigkill_at_any_moment_then_rerun_equals_a_clean_run(tmp_path, factory):
    w = factory.work
    files = []
    for f in range(4):
        ids = range(f * 5000, f * 5000 + 15000)  # overlapping: later files replace works
        lines = [w(i, f"2024-0{f + 1}-01", title=f"v{f}") for i in ids]
        if f == 1:
            lines.insert(100, "{broken")
        files.append(factory.write_jsonl(tmp_path / f"part_{f}.jsonl.gz", lines, gz=True))
    args = [str(p) for p in files]
    clean = tmp_path / "clean.duckdb"
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", _INGEST_SCRIPT, str(clean), *args], check=True)
    duration = time.monotonic() - started
    expected = _snapshot(clean)
    killed = 0
    fraction = 0.7
    for attempt in range(8):  # kill at several moments; sooner when a run beat the kill
        if killed >= 3:
            break
        delay = duration * fraction
        db = tmp_path / f"killed_{attempt}.duckdb"
        proc = subprocess.Popen([sys.executable, "-c", _INGEST_SCRIPT, str(db), *args])
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        if proc.wait() == -signal.SIGKILL:
            killed += 1
            fraction = max(fraction - 0.15, 0.2)
        else:
            fraction /= 2
        subprocess.run([sys.executable, "-c", _INGEST_SCRIPT, str(db), *args], check=True)
        assert _snapshot(db) == expected, f"killed after {delay:.2f}s"
    assert killed >= 2, "every run ended before its kill"


def test_exports_land_in_the_same_works_table(shared_raw, tmp_db):
    fixtures = shared_raw / "bibliometrix-fixtures"
    con = open_store(tmp_db)
    report = ingest_paths(con, [fixtures / "wos_sample.txt", fixtures / "scopus_sample.csv"])
    assert [f.kind for f in report.files] == ["wos", "scopus"]
    rows = con.execute(
        "SELECT source, count(*), count(doi), count(publication_year) FROM works "
        "GROUP BY source ORDER BY source"
    ).fetchall()
    assert [r[0] for r in rows] == ["scopus", "wos"]
    assert all(r[1] > 0 and r[2] == r[1] for r in rows)
    raw = con.execute(
        "SELECT len(flatten(list_transform(authorships, lambda a: a.raw_affiliation_strings))) "
        "FROM works WHERE source = 'wos' LIMIT 1"
    ).fetchone()
    assert raw[0] > 0
