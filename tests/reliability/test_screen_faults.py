"""Issue 8 "done when", end to end through the real command line and the real matcher.

1. ``dualscope screen`` on the synthetic sample with malformed lines inserted (invalid JSON,
   ``authorships`` not a list, a year as text, a missing id, a 5 MB title, a BOM, cp1252 bytes,
   binary junk, a JSON array) plus a gzip copy cut off in the middle: no traceback, every output
   table byte-equal to the clean run's, and each bad record counted by reason in summary.json.
2. ``dualscope ingest`` of a Web of Science export plus an OpenAlex file, SIGKILLed at several
   moments and rerun: the store equals an uninterrupted run's. (tests/store covers the same for
   OpenAlex files alone; this is the cross-source version, through the CLI.)
"""

from __future__ import annotations

import csv
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

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample" / "works.jsonl.gz"
ENV = {**os.environ, "COLUMNS": "1000", "NO_COLOR": "1"}
OUTPUTS = ("works.csv", "countries.csv", "entities.csv", "institutions.csv", "areas.csv")


def dualscope(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run the real CLI (``python -m dualscope``) in a subprocess."""
    proc = subprocess.run(
        [sys.executable, "-m", "dualscope", *args], capture_output=True, text=True, env=ENV
    )
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def _sample_lines() -> list[str]:
    return gzip.decompress(SAMPLE.read_bytes()).decode("utf-8").splitlines()


def _flagged_ids(out: Path) -> set[str]:
    with open(out / "works.csv", encoding="utf-8", newline="") as handle:
        return {row["work_id"] for row in csv.DictReader(handle)}


def _variant(work: dict[str, Any], n: int, **changes: Any) -> dict[str, Any]:
    """A copy of ``work`` under a new synthetic id and no DOI (so it cannot merge)."""
    copy = dict(work)
    copy["id"] = f"https://openalex.org/W8{n:09d}"
    copy["doi"] = None
    copy.update(changes)
    return copy


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("clean")
    dualscope("screen", str(SAMPLE), "--db", str(folder / "s.duckdb"), "--out", str(folder / "out"))
    return folder / "out"


def test_malformed_lines_and_a_cut_gzip_screen_exactly_like_the_clean_file(
    tmp_path: Path, clean_run: Path
) -> None:
    lines = _sample_lines()
    works = [json.loads(line) for line in lines]
    flagged = _flagged_ids(clean_run)
    # Bad copies of a FLAGGED work under new ids: were one loaded instead of skipped, works.csv
    # would gain a row and the comparison below would fail.
    base = next(w for w in works if w["id"].rsplit("/", 1)[1] in flagged)
    bad: dict[str, bytes] = {
        "invalid JSON": b'{"id": "https://openalex.org/W8000000001", "title": ',
        "authorships is not a list": json.dumps(_variant(base, 2, authorships="x")).encode(),
        "publication_year is not an integer": json.dumps(
            _variant(base, 3, publication_year="2020")
        ).encode(),
        "missing id": json.dumps({k: v for k, v in base.items() if k != "id"}).encode(),
        "title too large": json.dumps(_variant(base, 5, title="T" * 5_000_000)).encode(),
        "binary junk": b"\x00\x01\x02\xff\xfe garbage",
        "not a JSON object": b"[1, 2, 3]",
    }
    # cp1252 bytes in a line (a hand-edited file): a copy of a non-flagged work, so the outputs
    # are the same whether the reader decodes it or skips it; it must be accounted for either way.
    quiet = next(w for w in works if w["id"].rsplit("/", 1)[1] not in flagged)
    cp1252 = json.dumps(
        _variant(quiet, 9, title="Caf\u00e9 na\u00efve r\u00e9sum\u00e9"), ensure_ascii=False
    )
    out = [b"\xef\xbb\xbf" + lines[0].encode("utf-8")]  # byte-order mark on the first line
    junk = [*bad.values(), cp1252.encode("cp1252")]
    for i, line in enumerate(lines[1:]):
        out.append(line.encode("utf-8"))
        if i % 9 == 0 and junk:
            out.append(junk.pop(0))
    assert not junk
    dirty = tmp_path / "dirty.jsonl"
    dirty.write_bytes(b"\n".join(out) + b"\n")
    whole = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[: len(whole) // 2])

    db = tmp_path / "d.duckdb"
    proc = dualscope("screen", str(dirty), str(cut), "--db", str(db), "--out", str(tmp_path / "o"))
    assert "warning" in proc.stderr and "dirty.jsonl, line " in proc.stderr

    for name in OUTPUTS:
        assert (tmp_path / "o" / name).read_bytes() == (clean_run / name).read_bytes(), name
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    clean = json.loads((clean_run / "summary.json").read_text())
    assert summary["flagged"] == clean["flagged"]
    assert summary["countries"] == clean["countries"]
    skipped = summary["records_skipped"]
    by_reason = skipped["by_reason"]
    for reason in ("authorships is not a list", "publication_year is not an integer",
                   "missing id", "title too large", "not a JSON object"):  # fmt: skip
        assert by_reason.get(reason) == 1, (reason, by_reason)
    assert by_reason.get("invalid JSON", 0) + by_reason.get("not valid UTF-8", 0) >= 2
    assert by_reason.get("gzip stream cut off or corrupt") == 1

    con = duckdb.connect(str(db), read_only=True)
    try:
        decoded = con.execute("SELECT title FROM works WHERE work_id = 'W8000000009'").fetchall()
        files = con.execute(
            "SELECT path, records_read, records_loaded, records_skipped FROM ingested_files"
        ).fetchall()
    finally:
        con.close()
    # The cp1252 line: either decoded correctly or counted; never silently lost or mangled.
    if decoded:
        assert decoded == [("Caf\u00e9 na\u00efve r\u00e9sum\u00e9",)]
        expected_skips = len(bad) + 1
    else:
        expected_skips = len(bad) + 2
    assert skipped["total"] == expected_skips, by_reason
    assert sum(by_reason.values()) == skipped["total"]
    # Every record read is loaded, skipped, or a second copy of a work in the same file (the
    # sample re-issues two works with a newer updated_date): the per-file counts add up.
    repeats = len(lines) - len({w["id"] for w in works})
    for path, read, loaded, skips in files:
        within = repeats if path.endswith("dirty.jsonl") else 0  # the cut copy: first lines only
        assert loaded > 0, path
        assert read == loaded + skips + within, (path, read, loaded, skips)


def test_strict_stops_at_the_first_bad_record_with_one_line(tmp_path: Path) -> None:
    lines = _sample_lines()
    dirty = tmp_path / "dirty.jsonl"
    dirty.write_text("\n".join([lines[0], lines[1], "{oops", *lines[2:]]) + "\n")
    db = tmp_path / "s.duckdb"
    proc = dualscope(
        "screen", str(dirty), "--db", str(db), "--out", str(tmp_path / "o"), "--strict",
        check=False,
    )  # fmt: skip
    assert proc.returncode != 0
    assert proc.stderr.strip().splitlines()[-1].count("dirty.jsonl, line 3") == 1
    assert not (tmp_path / "o").exists(), "a refused run must not leave an output folder"


# --- kill ingest partway (cross-source) -----------------------------------------------------

_WOS_RECORD = """PT J
AU Wang, L
   Smith, J
AF Wang, Lei
   Smith, John
TI Synthetic export record {i} on radar
SO SYNTHETIC JOURNAL OF TESTS
C1 [Wang, Lei] Natl Univ Def Technol, Changsha 410073, Peoples R China.
   [Smith, John] Univ Oxford, Dept Engn Sci, Oxford OX1 3PJ, England.
PY 2021
DI 10.9999/SYNTH.R.{i}
UT WOS:{i:015d}
ER

"""


def _write_wos(path: Path, n: int) -> Path:
    text = "FN Clarivate Analytics Web of Science\nVR 1.0\n"
    text += "".join(_WOS_RECORD.format(i=i) for i in range(n)) + "EF\n"
    path.write_text(text, encoding="utf-8")
    return path


def _write_openalex(path: Path, n: int, updated: str) -> Path:
    lines = []
    for i in range(n):
        lines.append(
            json.dumps(
                {
                    "id": f"https://openalex.org/W8{i:09d}",
                    "doi": f"https://doi.org/10.9999/synth.o.{i}",
                    "title": f"Synthetic OpenAlex work {i} ({updated})",
                    "publication_year": 2020,
                    "updated_date": updated,
                    "authorships": [
                        {
                            "author": {"id": None, "display_name": f"Author {i}"},
                            "institutions": [],
                            "countries": [],
                            "raw_affiliation_strings": ["Univ Bologna, Bologna, Italy"],
                        }
                    ],
                }
            )
        )
        if i == 7:
            lines.append("{broken line")
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))
    return path


def _snapshot(db: Path) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        works = con.execute(
            "SELECT work_id, doi, title, publication_year, updated_date, source, "
            "md5(CAST(authorships AS VARCHAR)) FROM works ORDER BY work_id"
        ).fetchall()
        files = con.execute(
            "SELECT path, sha256, records_read, records_loaded, records_skipped, "
            "records_replaced, records_stale FROM ingested_files ORDER BY path"
        ).fetchall()
    finally:
        con.close()
    return works + files


def _kill_during(cmd: list[str], file_name: str, delay: float) -> bool:
    """Start ``cmd``; SIGKILL it ``delay`` s after it reports starting ``file_name``."""
    proc = subprocess.Popen(
        cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("ingesting") and line.rstrip().endswith(file_name):
            break
    time.sleep(delay)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.stderr.close()
    return proc.wait() == -signal.SIGKILL


def _partial_state(db: Path) -> tuple[set[str], int, int]:
    """(file names recorded, works from the export, works from the second OpenAlex file)."""
    if not db.exists():
        return set(), 0, 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        if not con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ingested_files'"
        ).fetchone()[0]:
            return set(), 0, 0
        names = {Path(p).name for (p,) in con.execute("SELECT path FROM ingested_files").fetchall()}
        wos = con.execute("SELECT count(*) FROM works WHERE source = 'wos'").fetchone()[0]
        newer = con.execute(
            "SELECT count(*) FROM works WHERE updated_date = '2024-06-01'"
        ).fetchone()[0]
    finally:
        con.close()
    return names, wos, newer


# (file being ingested when killed, seconds after it started)
KILL_POINTS = [("savedrecs.txt", 0.1), ("part_0.jsonl.gz", 0.1), ("part_1.jsonl.gz", 0.05),
               ("part_1.jsonl.gz", 0.3)]  # fmt: skip


def test_sigkill_during_ingest_of_an_export_and_openalex_files_then_rerun(
    tmp_path: Path,
) -> None:
    wos, _part0, part1 = files = [
        _write_wos(tmp_path / "savedrecs.txt", 3000),
        _write_openalex(tmp_path / "part_0.jsonl.gz", 20000, "2024-01-01"),
        _write_openalex(tmp_path / "part_1.jsonl.gz", 20000, "2024-06-01"),  # replaces part_0
    ]
    args = ["ingest", *map(str, files)]
    clean = tmp_path / "clean.duckdb"
    dualscope(*args, "--db", str(clean))
    expected = _snapshot(clean)
    assert len(expected) == 3000 + 20000 + 3

    killed = 0
    for n, (name, delay) in enumerate(KILL_POINTS):
        db = tmp_path / f"killed_{n}.duckdb"
        killed += _kill_during(
            [sys.executable, "-m", "dualscope", *args, "--db", str(db)], name, delay
        )
        # Atomic per file: a file's works are in the store exactly when the file is recorded.
        names, from_wos, from_part1 = _partial_state(db)
        assert (from_wos == 3000) == (wos.name in names) and from_wos in (0, 3000), names
        assert (from_part1 == 20000) == (part1.name in names) and from_part1 in (0, 20000)
        dualscope(*args, "--db", str(db))
        assert _snapshot(db) == expected, f"killed {delay}s into {name}"
    assert killed >= 2, "the runs ended before the kill: make the files larger"


# --- kill screen while it writes its output folder ----------------------------------------------

OUTPUT_FILES = {"works.csv", "countries.csv", "entities.csv", "summary.json", "report.html"}


def _complete(folder: Path) -> bool:
    names = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    if not names >= OUTPUT_FILES:
        return False
    json.loads((folder / "summary.json").read_text(encoding="utf-8"))  # whole, parseable
    return True


def test_sigkill_during_screen_leaves_the_previous_or_the_new_output_folder(
    tmp_path: Path,
) -> None:
    db, out = tmp_path / "s.duckdb", tmp_path / "out"
    dualscope("ingest", str(SAMPLE), "--db", str(db))
    dualscope("screen", "--db", str(db), "--out", str(out), "--countries", "GB")
    old = (out / "works.csv").read_bytes()
    started = time.monotonic()
    dualscope("screen", "--db", str(db), "--out", str(tmp_path / "new"))
    duration = time.monotonic() - started
    new = (tmp_path / "new" / "works.csv").read_bytes()
    assert old != new
    options = {old: ["--countries", "GB"], new: []}
    for fraction in (0.6, 0.85, 0.95):
        # Each killed run would turn the current output into the other one.
        current = (out / "works.csv").read_bytes() if _complete(out) else new
        target = new if current == old else old
        cmd = [sys.executable, "-m", "dualscope", "screen", "--db", str(db), "--out", str(out),
               *options[target]]  # fmt: skip
        proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if _complete(out):
            assert (out / "works.csv").read_bytes() in (old, new), fraction
        else:  # killed between the two renames (microseconds): the old folder is kept aside
            assert not out.exists() and _complete(tmp_path / ".out.old"), fraction
    # A rerun always ends with a whole, current output, whatever the kills left behind.
    dualscope("screen", "--db", str(db), "--out", str(out), "--countries", "GB")
    assert (out / "works.csv").read_bytes() == old


# --- bad records in every export format ---------------------------------------------------------

EXPORTS = REPO / "tests" / "sources" / "data"
WOS_BAD = """
PT J
AU Broken, A
TI Broken record without an accession number or DOI, NUDT and Oxford
C1 [Broken, A] Natl Univ Def Technol, Changsha 410073, Peoples R China.
   [Other, B] Univ Oxford, Oxford OX1 3PJ, England.
PY abc
ER

PT J
\x00\x01\x02 junk
ER
"""
CSV_BAD = [b'"broken","row with two cells"', b'"nul\x00byte","x"']
CSV_CUT = b'"an unterminated quote at the end,2020\n'


def _dirty_export(name: str, target: Path) -> None:
    raw = (EXPORTS / name).read_bytes()
    if name.endswith(".txt"):  # WoS plain text: bad records after the first one
        text = raw.decode("utf-8")
        at = text.index("\nER\n") + 4
        target.write_text(text[:at] + WOS_BAD + text[at:], encoding="utf-8")
        return
    lines = raw.rstrip(b"\n").split(b"\n")
    target.write_bytes(b"\n".join([*lines[:3], *CSV_BAD, *lines[3:]]) + b"\n" + CSV_CUT)


def _screen_in_process(tmp_path: Path, name: str, source: Path) -> tuple[bytes, dict[str, Any]]:
    from typer.testing import CliRunner

    from dualscope.cli import app

    out = tmp_path / name
    result = CliRunner().invoke(
        app, ["screen", str(source), "--db", str(tmp_path / f"{name}.duckdb"), "--out", str(out)]
    )
    assert result.exit_code == 0 and result.exception is None, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return (out / "works.csv").read_bytes(), summary


@pytest.mark.parametrize(
    "name", ["wos_plain.txt", "scopus_new.csv", "scopus_old.csv", "dimensions.csv", "openalex.csv"]
)
def test_bad_records_in_an_export_change_nothing_but_the_skip_counts(
    tmp_path: Path, name: str
) -> None:
    clean_works, clean = _screen_in_process(tmp_path, "clean", EXPORTS / name)
    dirty_file = tmp_path / f"dirty_{name}"
    _dirty_export(name, dirty_file)
    dirty_works, dirty = _screen_in_process(tmp_path, "dirty", dirty_file)
    assert dirty_works == clean_works
    assert dirty["flagged"] == clean["flagged"] and dirty["countries"] == clean["countries"]
    added = dirty["records_skipped"]["total"] - clean["records_skipped"]["total"]
    assert added == (2 if name.endswith(".txt") else 3), dirty["records_skipped"]
