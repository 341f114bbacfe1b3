"""Readers not fuzzed by their owners' tests: random bytes and mutated valid records give a
record or a clean, explained refusal (:class:`DualscopeError`), never another exception.

Already fuzzed elsewhere (not repeated here): the export readers (tests/sources/test_exports.py),
the devices readers (tests/devices/test_devices_fuzz.py), the classifier and abstract rebuilder
(tests/classify/test_fuzz.py), the web API (tests/web/test_api_fuzz.py).

Here: the OpenAlex JSON Lines validator and the API-page/array reader, the whole ingest of a
mutated file into a real DuckDB store (counts must add up), the classify input reader, the
``match`` input reader, and the watchlist importers (ASPI MISP JSON, DoD 1286 CSV, ROR dump).

Examples per test: ``DUALSCOPE_FUZZ_EXAMPLES`` (default 50; ``make fuzz`` runs 5,000).
"""

from __future__ import annotations

import copy
import gzip
import json
import os
import random
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dualscope.classify.inputs import ReadReport, read_works
from dualscope.errors import DualscopeError
from dualscope.matching.batch import read_inputs
from dualscope.matching.known import import_ror
from dualscope.sources.openalex import SkipLog, check_work, iter_document_works, iter_valid_lines
from dualscope.store.db import open_store
from dualscope.store.ingest import ingest_file
from dualscope.watchlist.aspi import read_misp_galaxy
from dualscope.watchlist.dod1286 import read_1286_csv

EXAMPLES = int(os.environ.get("DUALSCOPE_FUZZ_EXAMPLES", "50"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# A DuckDB store per example costs ~50 ms: a fifth of the examples (at least 10).
FUZZ_DB = settings(FUZZ, max_examples=max(10, EXAMPLES // 5))

OA = "https://openalex.org/"


def valid_work(n: int) -> dict[str, Any]:
    """A complete synthetic OpenAlex work (ids obviously synthetic)."""
    return {
        "id": f"{OA}W9{n:09d}",
        "doi": f"https://doi.org/10.99999/fz.{n}",
        "title": f"Synthetic work {n} on radar",
        "display_name": f"Synthetic work {n} on radar",
        "publication_year": 2020,
        "updated_date": "2024-01-01T00:00:00",
        "abstract_inverted_index": {"A": [0], "synthetic": [1], "abstract": [2]},
        "keywords": [{"display_name": "radar"}],
        "topics": [{"id": f"{OA}T1", "display_name": "Radar", "score": 0.9}],
        "authorships": [
            {
                "author_position": "first",
                "author": {"id": f"{OA}A9{n:09d}", "display_name": "Li Wei", "orcid": None},
                "institutions": [
                    {
                        "id": f"{OA}I9000000001",
                        "ror": None,
                        "display_name": "National University of Defense Technology",
                        "country_code": "CN",
                        "type": "education",
                        "lineage": [f"{OA}I9000000001"],
                    }
                ],
                "countries": ["CN"],
                "raw_affiliation_strings": ["Natl Univ Def Technol, Changsha, Peoples R China"],
            },
            {
                "author_position": "last",
                "author": {"id": None, "display_name": "Mario Rossi", "orcid": None},
                "institutions": [],
                "countries": ["IT"],
                "raw_affiliation_strings": ["Univ Bologna, Bologna, Italy"],
            },
        ],
    }


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8,
)  # fmt: skip


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key/index path inside a JSON value."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def mutate_work(work: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """Replace, delete or retype a few fields anywhere in ``work`` (structure-aware)."""
    work = copy.deepcopy(work)
    for _ in range(data.draw(st.integers(1, 4))):
        paths = list(_paths(work))
        if not paths:
            break
        path = data.draw(st.sampled_from(paths))
        parent = work
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "stringify", "huge"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "stringify":
            parent[path[-1]] = json.dumps(parent[path[-1]])
        elif action == "huge":
            parent[path[-1]] = "x" * data.draw(st.sampled_from([20_001, 100_000]))
        else:
            parent[path[-1]] = data.draw(JSON_VALUES)
    return work


def mutate_bytes(original: bytes, seed: int, edits: int) -> bytes:
    """Delete, insert, flip and duplicate byte runs (a damaged or hand-edited file)."""
    rng = random.Random(seed)
    data = bytearray(original)
    pieces = [b'"', b",", b"{", b"}", b"[", b"]", b":", b"\n", b"\r", b"\x00", b"\xff", b"\\"]
    for _ in range(edits):
        if not data:
            break
        at = rng.randrange(len(data))
        action = rng.randrange(4)
        if action == 0:
            del data[at : at + rng.randrange(1, 40)]
        elif action == 1:
            data[at:at] = rng.choice(pieces) * rng.randrange(1, 3)
        elif action == 2:
            data[at] = rng.randrange(256)
        else:
            data[rng.randrange(len(data)) : 0] = bytes(data[at : at + rng.randrange(1, 200)])
    return bytes(data)


@contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="dualscope-fuzz-") as folder:
        yield Path(folder)


def _lines_of(data: bytes) -> int:
    """Non-blank lines, as the reader iterates them."""
    lines = data.split(b"\n")
    if lines and lines[0].startswith(b"\xef\xbb\xbf"):
        lines[0] = lines[0][3:]
    return sum(1 for line in lines if line.strip())


# --- OpenAlex JSON Lines -----------------------------------------------------------------------


def _check_jsonl(path: Path, data: bytes, gz: bool) -> None:
    skips = SkipLog(path)
    good = list(iter_valid_lines(path, skips))
    for number, line in good:
        assert number >= 1
        assert check_work(json.loads(line)) is None
    assert all(count > 0 for count in skips.counts.values())
    if not gz:  # every non-blank line is either a record or a counted skip
        assert len(good) + skips.total == _lines_of(data)


@FUZZ
@given(data=st.binary(max_size=4096), gz=st.booleans(), cut=st.integers(0, 64))
def test_fuzz_jsonl_reader_on_random_bytes(data: bytes, gz: bool, cut: int) -> None:
    with scratch() as folder:
        path = folder / ("part_0.gz" if gz else "works.jsonl")
        raw = gzip.compress(data, mtime=0) if gz else data
        path.write_bytes(raw[: len(raw) - cut] if gz and cut else raw)
        _check_jsonl(path, data, gz and cut > 0)


@FUZZ
@given(data=st.data(), seed=st.integers(0, 2**32), edits=st.integers(0, 10))
def test_fuzz_jsonl_reader_on_mutated_records(data: st.DataObject, seed: int, edits: int) -> None:
    works = [mutate_work(valid_work(n), data) if n % 2 else valid_work(n) for n in range(4)]
    text = b"".join(json.dumps(w).encode() + b"\n" for w in works)
    raw = mutate_bytes(text, seed, edits)
    with scratch() as folder:
        path = folder / "works.jsonl"
        path.write_bytes(raw)
        _check_jsonl(path, raw, gz=False)


@FUZZ
@given(data=st.data(), seed=st.integers(0, 2**32), edits=st.integers(0, 6), page=st.booleans())
def test_fuzz_api_pages_and_arrays(data: st.DataObject, seed: int, edits: int, page: bool) -> None:
    works = [mutate_work(valid_work(n), data) if n % 2 else valid_work(n) for n in range(3)]
    doc: Any = {"meta": {"count": 3, "next_cursor": None}, "results": works} if page else works
    raw = mutate_bytes(json.dumps(doc).encode(), seed, edits)
    with scratch() as folder:
        path = folder / "page_1.json"
        path.write_bytes(raw)
        skips = SkipLog(path)
        try:
            for _index, line in iter_document_works(path, skips):
                assert check_work(json.loads(line)) is None
        except DualscopeError:
            pass


# --- the whole ingest, into a real store ---------------------------------------------------------


@FUZZ_DB
@given(data=st.data(), seed=st.integers(0, 2**32), edits=st.integers(0, 8), gz=st.booleans())
def test_fuzz_ingest_of_a_damaged_file_loads_the_good_records_and_counts_the_rest(
    data: st.DataObject, seed: int, edits: int, gz: bool
) -> None:
    works = [mutate_work(valid_work(n), data) if n % 3 == 1 else valid_work(n) for n in range(6)]
    text = b"".join(json.dumps(w).encode() + b"\n" for w in works)
    raw = mutate_bytes(text, seed, edits)
    with scratch() as folder:
        path = folder / ("works.jsonl.gz" if gz else "works.jsonl")
        path.write_bytes(gzip.compress(raw, mtime=0) if gz else raw)
        con = open_store(folder / "s.duckdb")
        try:
            try:
                result = ingest_file(con, path)
            except DualscopeError:
                assert con.execute("SELECT count(*) FROM works").fetchone() == (0,)
                return
            stored = con.execute("SELECT count(*) FROM works").fetchone()
        finally:
            con.close()
    assert stored == (result.loaded,)
    accounted = result.loaded + result.skipped + result.duplicates_in_file
    assert result.records_read == accounted or result.status == "empty", result


# --- other user-supplied files -------------------------------------------------------------------

CLASSIFY_CSV = (
    b"id,title,abstract,keywords\n"
    b"W1,Radar imaging,A synthetic abstract,radar;imaging\n"
    b'W2,"Drones, swarms","Quoted, with commas",\n'
)
MATCH_CSV = b'affiliation,country\nNatl Univ Def Technol,CN\n"Univ Bologna, Italy",IT\n'


@FUZZ
@given(
    data=st.one_of(st.binary(max_size=2048), st.just(CLASSIFY_CSV)),
    seed=st.integers(0, 2**32),
    edits=st.integers(0, 8),
    name=st.sampled_from(["works.csv", "works.jsonl", "works.jsonl.gz", "works.csv.gz"]),
)
def test_fuzz_classify_input_reader(data: bytes, seed: int, edits: int, name: str) -> None:
    if name.startswith("works.jsonl"):
        data = json.dumps(valid_work(1)).encode() + b"\n" + data
    raw = mutate_bytes(data, seed, edits)
    with scratch() as folder:
        path = folder / name
        path.write_bytes(gzip.compress(raw, mtime=0) if name.endswith(".gz") else raw)
        report = ReadReport()
        try:
            for work in read_works(path, report):
                assert isinstance(work.id, str)
        except DualscopeError:
            pass


@FUZZ
@given(
    data=st.one_of(st.binary(max_size=2048), st.just(MATCH_CSV)),
    seed=st.integers(0, 2**32),
    edits=st.integers(0, 8),
    column=st.sampled_from([None, "affiliation", "nope"]),
)
def test_fuzz_match_input_reader(data: bytes, seed: int, edits: int, column: str | None) -> None:
    with scratch() as folder:
        path = folder / "affiliations.csv"
        path.write_bytes(mutate_bytes(data, seed, edits))
        with suppress(DualscopeError):
            assert all(isinstance(s, str) for s in read_inputs(path, column))


MISP = json.dumps(
    {
        "name": "China Defence Universities Tracker",
        "values": [
            {
                "value": "Synthetic Defence Academy",
                "description": "A synthetic entry.",
                "meta": {"synonyms": ["SDA", "合成国防学院"], "country": "CN",
                         "refs": ["https://example.org"]},
                "uuid": "00000000-0000-4000-8000-000000000001",
            }
        ],
    }
).encode()  # fmt: skip
CSV_1286 = b"name,aliases,report-date\nSynthetic Institute,SI;Synth Inst,2024\n"
ROR = (
    json.dumps({"id": "https://ror.org/000000000", "names": [{"value": "Synthetic University",
                "types": ["ror_display"]}], "locations": [{"geonames_details":
                {"country_code": "GB"}}]}).encode() + b"\n"
)  # fmt: skip


@FUZZ
@given(data=st.one_of(st.binary(max_size=2048), st.just(MISP)), seed=st.integers(0, 2**32),
       edits=st.integers(0, 8))  # fmt: skip
def test_fuzz_aspi_importer(data: bytes, seed: int, edits: int) -> None:
    with scratch() as folder:
        path = folder / "china-defence-universities.json"
        path.write_bytes(mutate_bytes(data, seed, edits))
        with suppress(DualscopeError):
            read_misp_galaxy(path)


@FUZZ
@example(data=b"\xd7\xff name,aliases", seed=0, edits=0)
@example(data=b"name,aliases,report-date\nA,B,2024,extra,cells\n", seed=0, edits=0)
@given(data=st.one_of(st.binary(max_size=2048), st.just(CSV_1286)), seed=st.integers(0, 2**32),
       edits=st.integers(0, 8))  # fmt: skip
def test_fuzz_dod1286_importer(data: bytes, seed: int, edits: int) -> None:
    with scratch() as folder:
        path = folder / "1286.csv"
        path.write_bytes(mutate_bytes(data, seed, edits))
        with suppress(DualscopeError):
            read_1286_csv(path)


@FUZZ
@example(data=b"\xd7\xff{}", seed=0, edits=0)
@given(data=st.one_of(st.binary(max_size=2048), st.just(ROR)), seed=st.integers(0, 2**32),
       edits=st.integers(0, 8))  # fmt: skip
def test_fuzz_ror_importer(data: bytes, seed: int, edits: int) -> None:
    with scratch() as folder:
        path = folder / "ror.jsonl"
        path.write_bytes(mutate_bytes(data, seed, edits))
        with suppress(DualscopeError):
            import_ror(path, folder / "known.csv")
