"""Every command, given user mistakes, ends in one ``error:`` line and a non-zero exit.

Each case runs the real entry point (``python -m dualscope``) in a subprocess: a missing file, a
folder with no matching files, an empty file, a binary file, a wrong ``--format``, a bad
``--countries``/``--categories``/``--since`` value, a bad ``--db`` path, an output path that
cannot be written, ``fetch`` without ``OPENALEX_API_KEY``, an unknown command or option. The
expected text is what the line must name (the value or file at fault). The cases run
concurrently in one fixture so the sweep stays a few seconds long.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample" / "works.jsonl.gz"


@dataclass(frozen=True)
class Case:
    """One mistake: the arguments, and the words the error line must contain."""

    id: str
    args: tuple[str, ...]
    expect: str
    bug: str | None = None  # known bug (see /tmp/team/bugs.md): the case is a strict xfail


CASES = [
    # ingest
    Case("ingest-missing-file", ("ingest", "missing.jsonl", "--db", "x1.duckdb"),
         "missing.jsonl: no such file"),
    Case("ingest-empty-folder", ("ingest", "emptydir", "--db", "x2.duckdb"),
         "emptydir: folder holds no input files"),
    Case("ingest-folder-no-matching-files", ("ingest", "otherdir", "--db", "x3.duckdb"),
         "otherdir: folder holds no input files"),
    Case("ingest-empty-file-strict", ("ingest", "empty.jsonl", "--db", "x4.duckdb", "--strict"),
         "empty.jsonl"),
    Case("ingest-binary-file", ("ingest", "binary.dat", "--db", "x5.duckdb"),
         "binary.dat: not a recognised input"),
    Case("ingest-db-is-a-folder", ("ingest", "works.jsonl.gz", "--db", "emptydir"), "emptydir"),
    Case("ingest-db-under-a-file", ("ingest", "works.jsonl.gz", "--db", "file.txt/x.duckdb"),
         "file.txt"),
    Case("ingest-wrong-format",
         ("ingest", "works.jsonl.gz", "--db", "x6.duckdb", "--format", "docx"),
         "unknown --format 'docx'"),
    Case("screen-format-does-not-fit",
         ("screen", "works.jsonl.gz", "--db", "x7.duckdb", "--out", "o7", "--format", "wos"),
         "no web of science record"),
    Case("ingest-db-not-duckdb", ("ingest", "works.jsonl.gz", "--db", "binary.dat"),
         "binary.dat: cannot open the store"),
    # screen
    Case("screen-bad-countries", ("screen", "--db", "s.duckdb", "--out", "o", "--countries", "XX"),
         "unknown country 'XX'"),
    Case("screen-bad-categories",
         ("screen", "--db", "s.duckdb", "--out", "o", "--categories", "militray"),
         "unknown category 'militray'"),
    Case("screen-year-not-a-number",
         ("screen", "--db", "s.duckdb", "--out", "o", "--since", "abc"), "--since"),
    Case("screen-since-after-until",
         ("screen", "--db", "s.duckdb", "--out", "o", "--since", "2030", "--until", "2000"),
         "--since 2030 is after --until 2000"),
    Case("screen-missing-out", ("screen", "--db", "s.duckdb"), "--out"),
    Case("screen-empty-store", ("screen", "--db", "new.duckdb", "--out", "o"),
         "new.duckdb: the store holds no works"),
    Case("screen-only-an-empty-file",
         ("screen", "empty.jsonl", "--db", "new2.duckdb", "--out", "o"), "holds no works"),
    Case("screen-out-under-a-file", ("screen", "--db", "s.duckdb", "--out", "file.txt/o"),
         "file.txt"),
    Case("screen-db-is-a-folder", ("screen", "--db", "emptydir", "--out", "o"), "emptydir"),
    # fetch
    Case("fetch-without-api-key", ("fetch", "--db", "f.duckdb"), "OPENALEX_API_KEY"),
    Case("fetch-bad-country", ("fetch", "--db", "f.duckdb", "--country", "XX"),
         "unknown country 'XX'"),
    Case("fetch-year-not-a-number", ("fetch", "--db", "f.duckdb", "--since", "abc"), "--since"),
    # match / check
    Case("match-missing-file", ("match", "missing.txt", "--out", "m.csv"), "missing.txt"),
    Case("match-binary-file", ("match", "binary.dat", "--out", "m.csv"), "binary.dat: not UTF-8"),
    Case("match-folder", ("match", "emptydir", "--out", "m.csv"), "emptydir"),
    Case("match-unknown-column", ("match", "file.txt", "--out", "m.csv", "--column", "nope"),
         "no column 'nope'"),
    Case("match-out-under-a-file", ("match", "file.txt", "--out", "file.txt/m.csv"), "file.txt"),
    # classify
    Case("classify-missing-file", ("classify", "missing.csv", "--out", "c.csv"), "missing.csv"),
    Case("classify-empty-file", ("classify", "empty.txt", "--out", "c.csv"), "empty.txt"),
    Case("classify-binary-file", ("classify", "binary.dat", "--out", "c.csv"), "binary.dat"),
    # report / export / serve
    Case("report-no-store", ("report", "--db", "missing.duckdb", "--out", "r"),
         "missing.duckdb: no such store"),
    Case("report-db-not-duckdb", ("report", "--db", "binary.dat", "--out", "r"),
         "binary.dat: cannot open the store"),
    Case("report-out-under-a-file", ("report", "--db", "s.duckdb", "--out", "file.txt/r"),
         "file.txt"),
    Case("export-wrong-format", ("export", "--db", "s.duckdb", "--format", "docx", "--out", "e"),
         "docx"),
    Case("export-no-store", ("export", "--db", "missing.duckdb", "--format", "csv", "--out", "e"),
         "missing.duckdb: no such store"),
    Case("export-out-under-a-file",
         ("export", "--db", "s.duckdb", "--format", "xlsx", "--out", "file.txt/e.xlsx"),
         "file.txt"),
    Case("serve-no-store", ("serve", "--db", "missing.duckdb", "--port", "0"),
         "missing.duckdb: no such store"),
    Case("serve-public-without-token", ("serve", "--db", "s.duckdb", "--host", "0.0.0.0"),
         "refusing to bind 0.0.0.0 without a token"),
    Case("serve-port-out-of-range", ("serve", "--db", "s.duckdb", "--port", "99999"), "--port"),
    # devices
    Case("devices-missing-file", ("devices", "missing.csv", "--out", "d"),
         "missing.csv: no such file"),
    Case("devices-empty-folder", ("devices", "emptydir", "--out", "d"), "emptydir"),
    Case("devices-empty-file", ("devices", "empty.txt", "--out", "d"), "no input in a format"),
    Case("devices-binary-file", ("devices", "binary.dat", "--out", "d"), "no input in a format"),
    # watchlist
    Case("watchlist-show-unknown", ("watchlist", "show", "no-such-entity"), "'no-such-entity'"),
    Case("import-aspi-missing-file", ("watchlist", "import-aspi", "missing.json"), "missing.json"),
    Case("import-aspi-binary-file", ("watchlist", "import-aspi", "binary.dat"), "binary.dat"),
    Case("import-aspi-empty-file", ("watchlist", "import-aspi", "empty.txt"), "empty.txt"),
    Case("import-1286-binary-file", ("watchlist", "import-1286", "binary.dat"), "binary.dat"),
    Case("import-1286-empty-file", ("watchlist", "import-1286", "empty.txt"), "empty.txt"),
    Case("import-ror-binary-file", ("watchlist", "import-ror", "binary.dat"), "binary.dat"),
    Case("import-ror-folder", ("watchlist", "import-ror", "emptydir"), "emptydir"),
    # the shell itself
    Case("unknown-command", ("nosuchcommand",), "nosuchcommand"),
    Case("unknown-option", ("screen", "--nosuchoption"), "--nosuchoption"),
]  # fmt: skip


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("OPENALEX_API_KEY", "DUALSCOPE_DB")}
    # A wide console: Rich wraps at 80 columns when stderr is not a terminal.
    env.update(COLUMNS="1000", NO_COLOR="1", DUALSCOPE_HOME=str(home))
    return env


def _run(args: tuple[str, ...], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real entry point, ``python -m dualscope ARGS``, in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "dualscope", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=_env(cwd / "home"),
        timeout=120,
    )


# Starting Python and importing dualscope costs ~0.6 s of CPU; fifty cases would take a minute
# on a busy 2-core machine. This driver (one subprocess) imports the CLI once and forks a child
# per case: each child runs the entry point ``dualscope.cli:run`` with its own argv, stdout and
# stderr files, and dies the way the interpreter would (an escaping exception prints a traceback
# and exits 1). ``test_the_driver_agrees_with_python_m_dualscope`` checks the two agree.
_DRIVER = """
import json, os, sys, traceback
from dualscope.cli import run
results = {}
for case_id, args in json.load(sys.stdin):
    out, err = f"{case_id}.out", f"{case_id}.err"
    pid = os.fork()
    if pid == 0:
        fd1 = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        fd2 = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(fd1, 1)
        os.dup2(fd2, 2)
        sys.argv = ["dualscope", *args]
        code = 0
        try:
            run()  # leaves with os._exit once the command is done
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    results[case_id] = os.waitstatus_to_exitcode(status)
json.dump(results, sys.__stdout__)
"""


def _run_all(cases: list[Case], cwd: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    logs = cwd / "logs"
    logs.mkdir(exist_ok=True)
    # Children write their logs into logs/ but resolve the cases' paths against cwd.
    driver = _DRIVER.replace('f"{case_id}.out"', f'"{logs}/" + case_id + ".out"').replace(
        'f"{case_id}.err"', f'"{logs}/" + case_id + ".err"'
    )
    proc = subprocess.run(
        [sys.executable, "-c", driver],
        cwd=cwd,
        input=json.dumps([[c.id, list(c.args)] for c in cases]),
        capture_output=True,
        text=True,
        env=_env(cwd / "home"),
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    codes = json.loads(proc.stdout)
    return {
        c.id: subprocess.CompletedProcess(
            c.args,
            codes[c.id],
            (logs / f"{c.id}.out").read_text(encoding="utf-8", errors="replace"),
            (logs / f"{c.id}.err").read_text(encoding="utf-8", errors="replace"),
        )
        for c in cases
    }


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of bad inputs and one screened store."""
    ws = tmp_path_factory.mktemp("mistakes")
    (ws / "empty.txt").write_bytes(b"")
    (ws / "empty.jsonl").write_bytes(b"")
    # Deterministic "binary": a gzip member of non-text bytes with its header stripped.
    (ws / "binary.dat").write_bytes(gzip.compress(bytes(range(256)) * 8, mtime=0)[10:])
    (ws / "file.txt").write_text("x\n", encoding="utf-8")
    (ws / "emptydir").mkdir()
    (ws / "otherdir").mkdir()
    (ws / "otherdir" / "README.md").write_text("notes, not data\n", encoding="utf-8")
    shutil.copy(SAMPLE, ws / "works.jsonl.gz")
    setup = _run(("screen", "works.jsonl.gz", "--db", "s.duckdb", "--out", "screened"), ws)
    assert setup.returncode == 0, setup.stderr
    return ws


@pytest.fixture(scope="module")
def results(workspace: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    # The cases write only to names no other case reads (o, r, e, d, m.csv, x1..x5.duckdb, ...).
    return _run_all(CASES, workspace)


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.bug)] if c.bug else []
        )
        for c in CASES
    ],
)
def test_a_user_mistake_ends_in_one_error_line(
    case: Case, results: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    proc = results[case.id]
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, proc.stderr[-2000:]
    assert proc.returncode == 2, "user mistakes exit with code 2 (CONTRIBUTING.md)"
    errors = [line for line in proc.stderr.splitlines() if line.lower().startswith("error")]
    assert len(errors) == 1, proc.stderr
    assert case.expect.lower() in errors[0].lower(), errors[0]


@pytest.mark.parametrize(
    "case_id", ["screen-bad-categories", "ingest-binary-file", "unknown-option"]
)
def test_the_driver_agrees_with_python_m_dualscope(
    case_id: str, workspace: Path, results: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    case = next(c for c in CASES if c.id == case_id)
    real = _run(case.args, workspace)
    forked = results[case_id]
    assert real.returncode == forked.returncode
    # The help hint names the program as it was started ("python -m dualscope" or "dualscope").
    last = real.stderr.splitlines()[-1].replace("python -m dualscope", "dualscope")
    assert last == forked.stderr.splitlines()[-1]
    assert ("Traceback" in real.stderr) == ("Traceback" in forked.stderr)


def test_the_console_script_is_the_same_entry_point(workspace: Path) -> None:
    script = Path(sys.executable).with_name("dualscope")
    if not script.exists():
        pytest.skip(f"no console script next to {sys.executable}")
    proc = subprocess.run(
        [str(script), "screen", "--db", "s.duckdb", "--out", "o", "--countries", "XX"],
        cwd=workspace, capture_output=True, text=True, env=_env(workspace / "home"),
    )  # fmt: skip
    assert proc.returncode == 2
    assert (
        proc.stderr.strip() == "error: unknown country 'XX' (use ISO 3166-1 codes like "
        "IT,DE,GB or 'europe')"
    )


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_a_read_only_output_folder_is_one_error_line(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    shutil.copy(SAMPLE, tmp_path / "works.jsonl.gz")
    locked.chmod(0o555)
    try:
        proc = _run(("screen", "works.jsonl.gz", "--db", "s.duckdb", "--out", "locked/out"),
                    tmp_path)  # fmt: skip
    finally:
        locked.chmod(0o755)
    assert "Traceback" not in proc.stderr
    assert proc.returncode != 0
    assert [line for line in proc.stderr.splitlines() if line.startswith("error")]
