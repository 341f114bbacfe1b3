"""Screening speed against DuckDB's bare JSON scan, and peak memory.

    python bench/bench_screen.py               # 100,000 works: time and ratio
    python bench/bench_screen.py --million     # also peak memory for 1,000,000 works (slow)
    python bench/bench_screen.py --stages      # also where the time goes, stage by stage
    python bench/bench_screen.py --floor       # also read + store with no screening at all
    python bench/bench_screen.py --abstracts   # works with abstracts of a real paper's size

Generates SYNTHETIC OpenAlex-snapshot-shaped works (one gzipped JSON Lines file, a few KB per
work: 4-9 authorships with institutions, country codes and raw affiliation strings; about 3% are
co-publications with watchlist institutions), cached under build/bench/. Then, each in a fresh
subprocess (wall time, so start-up and loading the watchlist count against dualscope):

- bare: DuckDB ``read_json`` projecting work id, year, updated_date and the authorships'
  institution ids, ROR ids, country codes and raw strings, materialised in memory;
- screen: ``dualscope screen FILE --db NEW --out DIR`` (ingest + scan + match + outputs).

Prints both times and the ratio (target <= 2), the best and the median of ``--repeat`` runs of
each (alternately; the best is the run least disturbed by other work on a shared machine), and
peak RSS of the screen subprocess.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "build" / "bench"

BARE_SCAN = """
import sys, duckdb
con = duckdb.connect()
columns = {
    "id": "VARCHAR", "publication_year": "INTEGER", "updated_date": "VARCHAR",
    "authorships": "STRUCT(institutions STRUCT(id VARCHAR, ror VARCHAR, country_code VARCHAR)[],"
                   " countries VARCHAR[], raw_affiliation_strings VARCHAR[])[]",
}
con.execute('''
CREATE TABLE proj AS
SELECT id, publication_year, updated_date,
       flatten(list_transform(authorships,
           lambda a: list_transform(a.institutions, lambda i: i.id))) AS inst_ids,
       flatten(list_transform(authorships,
           lambda a: list_transform(a.institutions, lambda i: i.ror))) AS rors,
       flatten(list_transform(authorships,
           lambda a: list_transform(a.institutions, lambda i: i.country_code))) AS ccs,
       flatten(list_transform(authorships, lambda a: a.raw_affiliation_strings)) AS raw
FROM read_json($path, format = 'newline_delimited', columns = $columns)
''', {"path": sys.argv[1], "columns": columns})
print(con.execute("SELECT count(*) FROM proj").fetchone()[0])
"""

# The floor of any screening through the store: stream the file with every column a screening
# keeps (dualscope's own read) and insert each work's slim row into a new store file, with no
# filter, matcher, screening or outputs (--floor).
FLOOR = """
import sys, duckdb
from dualscope.store.ingest import READ_COLUMNS, STAGE_SELECT
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE works (work_id VARCHAR PRIMARY KEY, doi VARCHAR, title VARCHAR,"
            " publication_year INTEGER, updated_date VARCHAR)")
con.execute("BEGIN")
reader = con.cursor().sql(STAGE_SELECT, params={"path": sys.argv[1], "columns": READ_COLUMNS})
for batch in reader.to_arrow_reader(20000):
    con.register("b", batch)
    con.execute("INSERT INTO works SELECT work_id, doi_key, coalesce(title, display_name),"
                " TRY_CAST(publication_year AS INTEGER), updated_date FROM b")
    con.unregister("b")
con.execute("COMMIT")
con.close()
"""

CN_WATCH = [
    "College of Computer, National University of Defense Technology, Changsha 410073, China",
    "Natl Univ Def Technol, Coll Elect Sci, Changsha 410073, Peoples R China",
    "School of Astronautics, Harbin Institute of Technology, Harbin 150001, China",
    "Northwestern Polytech Univ, Sch Aeronaut, Xian 710072, Peoples R China",
    "School of Automation, Beijing Institute of Technology, Beijing 100081, China",
]
CN_CITIES = ["Beijing", "Shanghai", "Wuhan", "Chengdu", "Hangzhou", "Nanjing", "Xi'an", "Jinan"]
EU = [
    ("IT", "Italy", ["Bologna", "Milan", "Turin", "Pisa", "Padua", "Naples"]),
    ("DE", "Germany", ["Munich", "Berlin", "Aachen", "Dresden", "Hamburg", "Stuttgart"]),
    ("GB", "UK", ["London", "Manchester", "Oxford", "Cambridge", "Glasgow", "Leeds"]),
    ("FR", "France", ["Paris", "Lyon", "Grenoble", "Toulouse"]),
    ("NL", "The Netherlands", ["Delft", "Eindhoven", "Utrecht", "Leiden"]),
    ("SE", "Sweden", ["Stockholm", "Lund", "Uppsala"]),
    ("ES", "Spain", ["Madrid", "Barcelona", "Valencia"]),
    ("US", "USA", ["Boston", "Austin", "Seattle"]),
]
DEPTS = [
    "School of Computer Science", "Department of Physics", "College of Electronic Science",
    "State Key Laboratory of Advanced Optics", "Institute of Automation",
    "Department of Mechanical Engineering", "School of Materials Science and Engineering",
    "Department of Electrical Engineering", "Key Laboratory of Photonics", "Faculty of Medicine",
]  # fmt: skip


def make_corpus(path: Path, n: int, seed: int = 7, abstracts: bool = False) -> None:
    """Write ``n`` synthetic works (ids W8xxxxxxxxxx, obviously not real) to ``path``."""
    rng = random.Random(seed)
    tmp = path.with_suffix(".tmp")
    abstract = {w: [i] for i, w in enumerate(("synthetic abstract text " * 30).split())}
    # --abstracts: abstracts of a real paper's size (120-220 words, 7 KB a work in all), drawn
    # from their own random stream so the works are otherwise the same
    words = [f"w{i}{'x' * (i % 7)}" for i in range(5000)]
    abstract_rng = random.Random(seed + 1)
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=6) as out:
        for k in range(n):
            authorships = []
            for position in range(rng.randint(4, 9)):
                name: str | None
                if rng.random() < 0.45:
                    city = rng.choice(CN_CITIES)
                    inst = rng.randrange(400)
                    raw = (
                        f"{rng.choice(DEPTS)}, Synthetic University {inst} of {city}, {city}, China"
                    )
                    cc, name = "CN", f"Synthetic University {inst} of {city}"
                else:
                    cc, country, cities = rng.choice(EU)
                    city = rng.choice(cities)
                    inst = rng.randrange(1500)
                    name = f"Synthetic Institute {inst} {city}"
                    raw = f"{rng.choice(DEPTS)}, {name}, {city}, {country}"
                if k % 33 == 0 and position == 0:
                    raw, cc, name = rng.choice(CN_WATCH), "CN", None
                has_inst = name is not None and rng.random() < 0.6
                inst_id = f"https://openalex.org/I8{zlib.crc32((name or '').encode()):010d}"
                authorships.append(
                    {
                        "author_position": "middle",
                        "author": {
                            "id": f"https://openalex.org/A8{rng.randrange(10**9):010d}",
                            "display_name": f"Author {rng.randrange(10**6)}",
                            "orcid": None,
                        },
                        "institutions": [
                            {
                                "id": inst_id,
                                "ror": None,
                                "display_name": name,
                                "country_code": cc,
                                "type": "education",
                                "lineage": [inst_id],
                            }
                        ]
                        if has_inst
                        else [],
                        "countries": [cc] if has_inst or rng.random() < 0.5 else [],
                        "raw_affiliation_strings": [raw],
                    }
                )
            work = {
                "id": f"https://openalex.org/W8{k:010d}",
                "doi": f"https://doi.org/10.99998/bench.{k}",
                "title": f"Synthetic benchmark work {k} on sensing and control",
                "publication_year": 2010 + k % 15,
                "updated_date": "2024-05-01T00:00:00",
                "synthetic": True,
                "authorships": authorships,
                "abstract_inverted_index": _abstract(abstract_rng, words)
                if abstracts
                else abstract,
                "keywords": [{"id": "k", "display_name": "control", "score": 0.5}],
                "topics": [],
                "referenced_works": [
                    f"https://openalex.org/W8{rng.randrange(10**9)}" for _ in range(30)
                ],
            }
            out.write(json.dumps(work) + "\n")
    tmp.replace(path)


def _abstract(rng: random.Random, words: list[str]) -> dict[str, list[int]]:
    inverted: dict[str, list[int]] = {}
    for position in range(rng.randint(120, 220)):
        inverted.setdefault(rng.choice(words), []).append(position)
    return inverted


WITH_ABSTRACTS = False  # --abstracts


def corpus(n: int) -> Path:
    path = CACHE / (f"works_{n}_abstracts.jsonl.gz" if WITH_ABSTRACTS else f"works_{n}.jsonl.gz")
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        make_corpus(path, n, abstracts=WITH_ABSTRACTS)
        print(f"generated {path} in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return path


def timed(cmd: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of ``cmd`` as a child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return elapsed, max(after.ru_maxrss, before.ru_maxrss) // 1024, cpu


def screen_cmd(path: Path, work: Path) -> list[str]:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    return [
        sys.executable, "-m", "dualscope", "screen", str(path),
        "--db", str(work / "bench.duckdb"), "--out", str(work / "out"),
    ]  # fmt: skip


def run(n: int, repeat: int = 1) -> dict[str, float]:
    """Bare scan and screen, each ``repeat`` times alternately; the best and median of each
    (the machine is shared: the best run is the one least disturbed by other work)."""
    path = corpus(n)
    size = path.stat().st_size / 1e6
    bares, screens, bare_cpu, screen_cpu = [], [], [], []
    for _ in range(repeat):
        wall, _, cpu = timed([sys.executable, "-c", BARE_SCAN, str(path)])
        bares.append(wall)
        bare_cpu.append(cpu)
        wall, _, cpu = timed(screen_cmd(path, CACHE / f"run_{n}"))
        screens.append(wall)
        screen_cpu.append(cpu)
    bare, screen = min(bares), min(screens)
    median_bare, median_screen = statistics.median(bares), statistics.median(screens)
    print(
        f"{n:,} works ({size:.0f} MB gz): bare read_json {bare:.2f} s, screen {screen:.2f} s, "
        f"ratio {screen / bare:.2f} (target <= 2)"
        + (
            f"; best of {repeat}; medians {median_bare:.2f} s and {median_screen:.2f} s, "
            f"ratio {median_screen / median_bare:.2f}"
            if repeat > 1
            else ""
        )
    )
    # CPU time varies less than wall time when other work shares the machine
    print(
        f"  CPU (user + system), median: bare {statistics.median(bare_cpu):.2f} s, "
        f"screen {statistics.median(screen_cpu):.2f} s, "
        f"ratio {statistics.median(screen_cpu) / statistics.median(bare_cpu):.2f}"
    )
    return {"works": n, "bare_s": bare, "screen_s": screen, "ratio": screen / bare}


def floor(n: int, repeat: int) -> None:
    """The bare scan against the floor (FLOOR: read and store, no screening), alternately."""
    path = corpus(n)
    bares, floors = [], []
    for _ in range(repeat):
        bares.append(timed([sys.executable, "-c", BARE_SCAN, str(path)])[0])
        store = CACHE / f"floor_{n}.duckdb"
        store.unlink(missing_ok=True)
        floors.append(timed([sys.executable, "-c", FLOOR, str(path), str(store)])[0])
        store.unlink(missing_ok=True)
    print(
        f"{n:,} works: read and store only (no screening) {min(floors):.2f} s against the bare "
        f"scan's {min(bares):.2f} s, ratio {min(floors) / min(bares):.2f}; medians ratio "
        f"{statistics.median(floors) / statistics.median(bares):.2f}"
    )


def peak_memory(n: int) -> float:
    """Peak RSS of `screen` on ``n`` works, measured in a fresh child (ru_maxrss)."""
    path = corpus(n)
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", probe, *screen_cmd(path, CACHE / f"run_{n}")],
        check=True,
        capture_output=True,
        text=True,
    )
    peak_mb = int(out.stdout.strip().splitlines()[-1]) / 1024
    print(
        f"{n:,} works: screen peak memory {peak_mb:.0f} MB (target < 1536 MB), "
        f"{time.monotonic() - started:.0f} s"
    )
    return peak_mb


STAGES = """
import sys, time, shutil
from pathlib import Path
from dualscope.screening import outputs, pipeline, resolve, run
from dualscope.screening.options import ScreenOptions
from dualscope.store import stream
T = {}
def timed(mod, name, label):
    f = getattr(mod, name)
    def g(*a, **k):
        t = time.perf_counter()
        r = f(*a, **k)
        T[label] = T.get(label, 0) + time.perf_counter() - t
        return r
    setattr(mod, name, g)
started = time.perf_counter()
components = run.default_components()
T["load matcher, classifier, watchlist"] = time.perf_counter() - started
for mod, name, label in [
    (run, "ingest_paths", "ingest (read_json, checks, merge into works, commit)"),
    (stream, "stream_stage", "  read_json streamed through the filter"),
    (pipeline, "run_screening", "screening (scan, resolve, decide, classify)"),
    (pipeline, "resolve", "  resolve strings + institutions"),
    (resolve.Prefilter, "mark", "    pre-filter (tokens, anchors, semi-join)"),
    (resolve, "_resolve_institutions", "    institutions"),
    (pipeline, "resolve_countries", "  countries of raw strings (works with hits)"),
    (pipeline, "classify_all", "  classify flagged works"),
    (pipeline, "store_result", "store screen_* tables"),
    (outputs, "write_outputs", "write CSV, summary.json, report.html"),
    (outputs, "write_report", "  report.html"),
]:
    T[label] = 0.0
    timed(mod, name, label)
work = Path(sys.argv[2]); shutil.rmtree(work, ignore_errors=True); work.mkdir(parents=True)
run.screen(work / "s.duckdb", work / "out", ScreenOptions(), files=[Path(sys.argv[1])],
           components=components)
T["total (in process, after imports)"] = time.perf_counter() - started
for label, seconds in T.items():
    print(f"  {label:55s} {seconds:6.2f} s")
"""


def stages(n: int) -> None:
    """Where the time goes: each stage of one in-process run, timed by wrapping its function."""
    path = corpus(n)
    print(f"{n:,} works, stage by stage:")
    subprocess.run(
        [sys.executable, "-c", STAGES, str(path), str(CACHE / f"stages_{n}")], check=True
    )


def byte_compile() -> None:
    """Byte-compile dualscope as an install does before timing it: pip compiles what it
    installs, but an editable install runs from src/, and where PYTHONDONTWRITEBYTECODE is set
    (as on this team's machines) every start would compile ~130 modules again."""
    import compileall

    import dualscope

    compileall.compile_dir(Path(dualscope.__file__).parent, quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="also 1,000,000 works (memory)")
    parser.add_argument("--stages", action="store_true", help="also the time of each stage")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (best and median)")
    parser.add_argument(
        "--floor", action="store_true", help="also the read-and-store floor, with no screening"
    )
    parser.add_argument(
        "--abstracts",
        action="store_true",
        help="works with abstracts of a real paper's size (7 KB a work instead of 4)",
    )
    args = parser.parse_args()
    global WITH_ABSTRACTS
    WITH_ABSTRACTS = args.abstracts
    byte_compile()
    run(args.works, args.repeat)
    if args.stages:
        stages(args.works)
    if args.floor:
        floor(args.works, args.repeat)
    peak_memory(args.works)
    if args.million:
        peak_memory(1_000_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
