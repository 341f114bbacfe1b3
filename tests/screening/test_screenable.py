"""Ingest keeps in full only the works a screening could flag; the rest is stored slim.

What this file pins down (dualscope.screening.screenable and its use in store.ingest):

- which works are kept in full: a link to the watchlist by raw string, OpenAlex id, ROR id,
  lineage id, Chinese name or acronym; DOI siblings of such works (same file or the store);
- slim rows keep id, DOI, title, year and updated_date, and lose the rest;
- newest updated_date wins across slim and full rows, and the same version read again with a
  wider filter upgrades rows while a narrower one never downgrades them;
- ``covers`` and the re-reading of files filtered with another watchlist or fewer categories;
- the key property: screening a store filled with the default filter writes byte-identical
  tables to screening a store filled with ``keep_all`` (sample and acceptance corpora);
- summary.json and the CLI options.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from dualscope.cli import app
from dualscope.matching.matcher import Matcher
from dualscope.screening.options import ScreenOptions, parse_categories
from dualscope.screening.outputs import TABLES
from dualscope.screening.pipeline import run_screening
from dualscope.screening.resolve import foreign_tail
from dualscope.screening.run import default_components, screen
from dualscope.screening.screenable import ScreenableFilter, default_filter
from dualscope.screening.summary import build_summary
from dualscope.store import stream
from dualscope.store.db import open_store
from dualscope.store.ingest import (
    KEPT_ALL,
    READ_COLUMNS,
    STAGE_FROM_JSON,
    LazyKeep,
    ingest_file,
    ingest_paths,
)

from . import test_acceptance_unseen as unseen
from .conftest import FakeClassifier, FakeMatcher
from .conftest import corpus as pipeline_corpus

OA = "https://openalex.org/"
REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "sample" / "works.jsonl.gz"
WOS = REPO / "tests" / "sources" / "data" / "acceptance_wos.txt"
# Rich wraps stderr at 80 columns when it is not a terminal; a wide one keeps warnings whole.
WIDE = {**os.environ, "COLUMNS": "1000", "NO_COLOR": "1"}

# NUDT's identifiers in the bundled watchlist (checked against the index below).
NUDT_OPENALEX = "I170215575"
NUDT_ROR = "05d2yfz11"
NUDT_RAW = "Natl Univ Def Technol, Changsha, Peoples R China"
EUROPE_RAW = "Department of Physics, University of Bologna, Bologna, Italy"
MILAN_RAW = "Department of Physics, University of Milan, Milan, Italy"


# ---------------------------------------------------------------------------------------------
# OpenAlex-shaped records
# ---------------------------------------------------------------------------------------------


def inst(
    iid: str,
    name: str,
    cc: str | None,
    *,
    ror: str | None = None,
    lineage: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "id": f"{OA}{iid}",
        "ror": f"https://ror.org/{ror}" if ror else None,
        "display_name": name,
        "country_code": cc,
        "type": "education",
        "lineage": [f"{OA}{i}" for i in (lineage or [iid])],
    }


BOLOGNA = inst("I9100000001", "University of Bologna", "IT")


def author(name: str, raw: list[str], insts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "author_position": "middle",
        "author": {"id": f"{OA}A9{abs(hash(name)) % 10**9:09d}", "display_name": name},
        "institutions": insts or [],
        "countries": sorted({i["country_code"] for i in insts or [] if i["country_code"]}),
        "raw_affiliation_strings": raw,
    }


def partner() -> dict[str, Any]:
    return author("Mario Rossi", [EUROPE_RAW], [BOLOGNA])


def oa_work(
    n: int,
    authorships: list[dict[str, Any]],
    *,
    updated: str = "2024-01-01T00:00:00",
    doi: str | None = "",
    title: str | None = None,
) -> dict[str, Any]:
    """A work with an abstract, keywords and topics, so slim rows visibly lose them."""
    return {
        "id": f"{OA}W95{n:08d}",
        "doi": f"https://doi.org/10.99999/scr.{n}" if doi == "" else doi,
        "title": title or f"Screenable work {n}",
        "publication_year": 2021,
        "updated_date": updated,
        "abstract_inverted_index": {"radar": [0], "imaging": [1]},
        "keywords": [{"id": "https://openalex.org/keywords/radar", "display_name": "Radar"}],
        "topics": [{"id": "https://openalex.org/T10001", "display_name": "Radar", "score": 0.9}],
        "authorships": authorships,
    }


def wid(n: int) -> str:
    return f"W95{n:08d}"


def write(path: Path, records: list[dict[str, Any]]) -> Path:
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    else:
        path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.default()


@pytest.fixture(scope="module")
def keep(matcher: Matcher) -> ScreenableFilter:
    """The filter of `dualscope ingest` by default: the whole watchlist."""
    chosen = ScreenableFilter.for_matcher(matcher, None)
    assert chosen is not None
    return chosen


@pytest.fixture(scope="module")
def keep_default(matcher: Matcher) -> ScreenableFilter:
    """The filter of `dualscope screen` with its default categories."""
    chosen = ScreenableFilter.for_matcher(matcher, parse_categories("military,seven_sons"))
    assert chosen is not None
    return chosen


@pytest.fixture(scope="module")
def keep_military(matcher: Matcher) -> ScreenableFilter:
    chosen = ScreenableFilter.for_matcher(matcher, {"military"})
    assert chosen is not None
    return chosen


@pytest.fixture()
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_store(tmp_path / "store.duckdb")
    yield connection
    connection.close()


def rows(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    cursor = con.execute(
        "SELECT work_id, doi, title, publication_year, updated_date, screenable, authorships, "
        "abstract_inverted_index, topics, keywords FROM works"
    )
    names = [d[0] for d in cursor.description]
    return {r[0]: dict(zip(names, r, strict=True)) for r in cursor.fetchall()}


def is_full(row: dict[str, Any]) -> bool:
    return row["screenable"] is True and bool(row["authorships"]) and bool(row["topics"])


def is_slim(row: dict[str, Any]) -> bool:
    return (
        row["screenable"] is False
        and row["authorships"] is None
        and row["abstract_inverted_index"] is None
        and row["topics"] is None
        and row["keywords"] is None
    )


def civilian_ror() -> str:
    """The ROR id of a civilian tracker university of the bundled watchlist."""
    index = Matcher.default().index
    return next(
        i
        for i, targets in index.ids.items()
        if targets[0][1] == "ror" and index.entities[targets[0][0]].category == "civilian"
    )


def test_the_watchlist_ids_used_here_are_nudts(matcher: Matcher) -> None:
    assert [t[0] for t in matcher.index.ids[NUDT_OPENALEX]] == ["nudt"]
    assert [t[0] for t in matcher.index.ids[NUDT_ROR]] == ["nudt"]
    assert matcher.index.entities["nudt"].category == "military"


# ---------------------------------------------------------------------------------------------
# 1. Which works are kept in full
# ---------------------------------------------------------------------------------------------

# An institution OpenAlex places outside China, with a name no alias holds: only its ids can
# link it to the watchlist (names of non-Chinese institutions are not read by the filter).
OPAQUE = "Laboratory Seven"


def signal_works() -> dict[str, dict[str, Any]]:
    """One work per kind of link to the watchlist, and two works with none."""
    return {
        "raw": oa_work(1, [author("Chen Jie", [NUDT_RAW]), partner()]),
        "openalex_id": oa_work(
            2, [author("Li Wei", ["Lab 7"], [inst(NUDT_OPENALEX, OPAQUE, "GB")]), partner()]
        ),
        "ror": oa_work(
            3, [author("Li Na", ["Lab 7"], [inst("I9200000003", OPAQUE, "GB", ror=NUDT_ROR)])]
        ),
        "lineage": oa_work(
            4,
            [
                author(
                    "Wu Bo",
                    ["Lab 7"],
                    [inst("I9200000004", OPAQUE, "GB", lineage=["I9200000004", NUDT_OPENALEX])],
                ),
                partner(),
            ],
        ),
        "chinese": oa_work(5, [author("Zhou Min", ["国防科技大学, 长沙"]), partner()]),
        "acronym": oa_work(6, [author("Yang Hui", ["NUDT, Changsha 410073"]), partner()]),
        "singular_raw": oa_work(
            10,
            [
                {
                    "author": {"id": f"{OA}A9000000010", "display_name": "Gao Bo"},
                    "institutions": [],
                    "countries": [],
                    "raw_affiliation_string": NUDT_RAW,
                },
                partner(),
            ],
        ),
        # two affiliations in one string: it ends with Italy, and still goes to the matcher
        "several_affiliations": oa_work(
            12, [author("Ma Lin", [f"{MILAN_RAW}; {NUDT_RAW}"]), partner()]
        ),
        # the same opaque institution without a watchlist id: nothing links it
        "control": oa_work(
            11,
            [
                author(
                    "Wu Bo",
                    ["Lab 7"],
                    [inst("I9200000011", OPAQUE, "GB", lineage=["I9200000011", "I9200000012"])],
                ),
                partner(),
            ],
        ),
        "europe": oa_work(
            7,
            [
                partner(),
                author("Hans Meier", ["TU Munich, Munich, Germany"], [inst("I91", "TUM", "DE")]),
            ],
        ),
        # passes the pre-filter ("Milan" is one letter from an alias word) but ends with
        # Italy: screening never sends it to the matcher
        "foreign_tail": oa_work(13, [author("Anna Bianchi", [MILAN_RAW]), partner()]),
        "near_miss": oa_work(
            8,
            [
                author(
                    "Fu Gang",
                    ["Beijing University of Technology, Beijing 100124, China"],
                    [inst("I9200000008", "Beijing University of Technology", "CN")],
                ),
                partner(),
            ],
        ),
    }


POSITIVE = (
    "raw",
    "openalex_id",
    "ror",
    "lineage",
    "chinese",
    "acronym",
    "singular_raw",
    "several_affiliations",
)
NEGATIVE = ("control", "europe", "foreign_tail", "near_miss")


def test_the_foreign_string_passes_the_prefilter_but_is_foreign(
    keep_default: ScreenableFilter,
) -> None:
    # what makes the foreign_tail case worth having: the pre-filter alone would keep it
    assert keep_default.prefilter.may_match(MILAN_RAW)
    assert foreign_tail(MILAN_RAW) == "IT"
    assert foreign_tail(f"{MILAN_RAW}; {NUDT_RAW}") is None


def test_each_kind_of_watchlist_link_keeps_a_work_in_full(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep_default: ScreenableFilter
) -> None:
    works = signal_works()
    path = write(tmp_path / "works.jsonl", list(works.values()))
    report = ingest_paths(con, [path], keep=keep_default)
    assert report.files[0].status == "loaded"
    assert report.files[0].loaded == len(works)
    stored = rows(con)
    assert len(stored) == len(works)
    for kind in POSITIVE:
        row = stored[works[kind]["id"].removeprefix(OA)]
        assert is_full(row), kind
        assert row["abstract_inverted_index"] is not None and row["keywords"] == ["Radar"], kind
    for kind in NEGATIVE:
        record = works[kind]
        row = stored[record["id"].removeprefix(OA)]
        assert is_slim(row), kind
        assert row["doi"] == record["doi"].removeprefix("https://doi.org/")
        assert row["title"] == record["title"]
        assert row["publication_year"] == 2021
        assert str(row["updated_date"]).startswith("2024-01-01")
    kept = con.execute("SELECT kept FROM ingested_files").fetchall()
    assert kept == [(keep_default.digest,)]


def test_the_whole_watchlist_filter_keeps_every_linked_work_too(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    works = signal_works()
    ingest_paths(con, [write(tmp_path / "works.jsonl", list(works.values()))], keep=keep)
    stored = rows(con)
    assert all(is_full(stored[works[k]["id"].removeprefix(OA)]) for k in POSITIVE)
    assert is_slim(stored[works["control"]["id"].removeprefix(OA)])


def test_mark_and_rows_to_keep_on_the_ingest_stage(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep_default: ScreenableFilter
) -> None:
    """The Arrow pass on its own: row numbers ascending, only the works with a link."""
    works = list(signal_works().values())
    path = write(tmp_path / "w.jsonl", works)
    con.execute(STAGE_FROM_JSON, {"path": str(path), "columns": READ_COLUMNS})
    table = con.sql("SELECT id, authorships FROM _ingest_stage").to_arrow_table()
    authorships = table.column("authorships").combine_chunks()
    assert keep_default.rows_to_keep(authorships) == list(range(len(POSITIVE)))
    assert keep_default.rows_to_keep(authorships.slice(0, 0)) == []
    assert keep_default.mark(con, "_ingest_stage", "_marked") == len(POSITIVE)
    marked = {
        r[0]
        for r in con.execute(
            "SELECT s.id FROM _ingest_stage s SEMI JOIN _marked m ON m.row = s.rowid"
        ).fetchall()
    }
    assert marked == {w["id"] for w in works[: len(POSITIVE)]}


def test_a_batch_in_chunks_keeps_the_rows_it_keeps_in_one_piece(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep_default: ScreenableFilter
) -> None:
    """A stream hands a batch over as DuckDB's record batches, never joined: the rows kept are
    numbered across the chunks (empty chunks and sliced ones included)."""
    import pyarrow as pa

    works = list(signal_works().values())
    works = works[::-1] + works  # linked works at both ends and in the middle
    path = write(tmp_path / "w.jsonl", works)
    con.execute(STAGE_FROM_JSON, {"path": str(path), "columns": READ_COLUMNS})
    whole = con.sql("SELECT authorships FROM _ingest_stage ORDER BY rowid").to_arrow_table()
    whole = whole.column("authorships").combine_chunks()
    expected = keep_default.rows_to_keep(whole)
    assert expected and len(expected) < len(works)
    cuts = [0, 1, 1, 4, len(works) - 2, len(works)]  # an empty chunk, a one-row chunk, ...
    chunks = [whole.slice(a, b - a) for a, b in itertools.pairwise(cuts)]
    chunked = pa.chunked_array(chunks, type=whole.type)
    rows, _ = keep_default.batch_rows(chunked, None)
    assert rows == expected
    assert keep_default.batch_rows(pa.chunked_array([], type=whole.type), None)[0] == []


def test_a_keep_all_ingest_stores_every_work_in_full(
    tmp_path: Path, con: duckdb.DuckDBPyConnection
) -> None:
    path = write(tmp_path / "works.jsonl", list(signal_works().values()))
    ingest_paths(con, [path], keep=None)
    assert all(is_full(r) for r in rows(con).values())
    assert con.execute("SELECT kept FROM ingested_files").fetchall() == [(KEPT_ALL,)]


def test_the_id_link_follows_the_categories(
    tmp_path: Path, keep: ScreenableFilter, keep_military: ScreenableFilter
) -> None:
    """A civilian tracker university known only by its ROR id is kept for 'all', not for
    military only."""
    civilian = civilian_ror()
    record = oa_work(9, [author("Qi Lu", ["Lab 7"], [inst("I92", OPAQUE, "GB", ror=civilian)])])
    path = write(tmp_path / "w.jsonl", [record])
    for chosen, full in ((keep_military, False), (keep, True)):
        con = open_store(tmp_path / f"{full}.duckdb")
        try:
            ingest_paths(con, [path], keep=chosen)
            assert rows(con)[wid(9)]["screenable"] is full
        finally:
            con.close()


def test_a_matcher_double_keeps_everything() -> None:
    assert ScreenableFilter.for_matcher(FakeMatcher(), None) is None


# ---------------------------------------------------------------------------------------------
# 2. DOI siblings
# ---------------------------------------------------------------------------------------------


def test_a_doi_sibling_in_the_same_file_is_kept_in_full(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    hit = oa_work(1, [author("Chen Jie", [NUDT_RAW])], doi="https://doi.org/10.99999/Shared.1")
    # the same paper from another source: the DOI spelled otherwise, only the partner
    sibling = oa_work(2, [partner()], doi="doi: 10.99999/shared.1")
    alone = oa_work(3, [partner()])
    report = ingest_paths(con, [write(tmp_path / "w.jsonl", [sibling, hit, alone])], keep=keep)
    assert report.reread == []  # one batch: the sibling is found in the one reading
    stored = rows(con)
    assert is_full(stored[wid(1)]) and is_full(stored[wid(2)])
    assert stored[wid(2)]["doi"] == "10.99999/shared.1"
    assert is_slim(stored[wid(3)])


def test_a_doi_sibling_after_its_linked_work_is_kept_in_one_reading(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    # Streamed in batches of one work: the sibling comes after the work that makes it one, so
    # the file is read once; one before it is read again (the previous test).
    hit = oa_work(1, [author("Chen Jie", [NUDT_RAW])], doi="https://doi.org/10.99999/Shared.4")
    sibling = oa_work(2, [partner()], doi="doi: 10.99999/shared.4")
    same_work_elsewhere = oa_work(1, [partner()], doi="https://doi.org/10.99999/shared.4",
                                  updated="2023-01-01T00:00:00")  # fmt: skip
    path = write(tmp_path / "w.jsonl", [hit, same_work_elsewhere, sibling, oa_work(3, [partner()])])
    import dualscope.store.stream as stream_module

    original = stream_module.BATCH_ROWS
    stream_module.BATCH_ROWS = 1
    try:
        report = ingest_paths(con, [path], keep=keep)
    finally:
        stream_module.BATCH_ROWS = original
    assert report.reread == []
    stored = rows(con)
    assert is_full(stored[wid(1)]) and is_full(stored[wid(2)])
    assert is_slim(stored[wid(3)])


def test_a_doi_sibling_in_a_batch_before_its_linked_work_is_read_again(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(stream, "BATCH_ROWS", 1)
    hit = oa_work(1, [author("Chen Jie", [NUDT_RAW])], doi="https://doi.org/10.99999/shared.5")
    sibling = oa_work(2, [partner()], doi="https://doi.org/10.99999/shared.5")
    path = write(tmp_path / "w.jsonl", [sibling, hit])
    report = ingest_paths(con, [path], keep=keep)
    assert [r.path for r in report.reread] == [path]
    assert report.as_dict()["records_read"] == 2  # counted once
    stored = rows(con)
    assert is_full(stored[wid(1)]) and is_full(stored[wid(2)])


def _same_file_cases() -> dict[str, list[dict[str, Any]]]:
    doi = "https://doi.org/10.99999/shared.9"
    old, new = "2023-01-01T00:00:00", "2025-01-01T00:00:00"
    hit = oa_work(1, [author("Chen Jie", [NUDT_RAW])], doi=doi, updated=old)
    other_hit = oa_work(4, [author("Wu Bo", [NUDT_RAW])], doi=doi)
    sibling = oa_work(2, [partner()], doi=doi)
    later = oa_work(5, [partner()], doi=doi)
    newer_unlinked = oa_work(1, [partner()], doi=doi, updated=new)  # work 1, re-issued
    older_copy = oa_work(4, [partner()], doi=doi, updated=old)  # work 4, an older version
    alone = oa_work(3, [partner()])
    return {
        "sibling_first": [sibling, hit, alone],
        "hit_first": [hit, sibling, alone],
        "around": [sibling, hit, later],
        "reissued_unlinked": [hit, sibling, newer_unlinked],
        "two_hits_and_an_older_copy": [hit, other_hit, older_copy, sibling],
    }


@pytest.mark.parametrize("case", sorted(_same_file_cases()))
def test_streamed_and_one_statement_staging_store_the_same_rows(
    tmp_path: Path, keep: ScreenableFilter, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    """DOI siblings inside one file, whatever their order and batch: the streamed staging
    (batches of one work, or the whole file in one batch) stores the same rows, full or slim,
    as the one-statement staging and its WITH_DOI_SIBLINGS query."""
    records = _same_file_cases()[case]
    stored = {}
    for name, batch_rows, twins_limit in (
        ("one batch", stream.BATCH_ROWS, stream.TWINS_LIMIT),
        ("batches of one", 1, stream.TWINS_LIMIT),
        ("one statement", stream.BATCH_ROWS, -1),
    ):
        monkeypatch.setattr(stream, "BATCH_ROWS", batch_rows)
        monkeypatch.setattr(stream, "TWINS_LIMIT", twins_limit)
        folder = tmp_path / name.replace(" ", "_")
        folder.mkdir()
        con = open_store(folder / "s.duckdb")
        try:
            ingest_paths(con, [write(folder / "w.jsonl", records)], keep=keep)
            stored[name] = sorted(
                (work_id, is_full(row), str(row["updated_date"]))
                for work_id, row in rows(con).items()
            )
        finally:
            con.close()
    assert stored["batches of one"] == stored["one statement"]
    assert stored["one batch"] == stored["one statement"]
    assert any(full for _, full, _ in stored["one statement"])


def test_the_streamed_stage_holds_no_buffer_of_duckdbs_record_batches(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter, monkeypatch
) -> None:
    """What a batch stages must be new arrays: DuckDB keeps what it scans alive until the
    ingest's transaction ends, and a column of one of its record batches keeps the whole batch
    (every work's authorships) alive with it; 1,000,000 works once peaked at 3.2 GB so."""
    import pyarrow as pa

    def addresses(table: pa.Table) -> set[int]:
        found = set()
        for column in table.columns:
            for chunk in column.chunks:
                stack = [chunk]
                while stack:
                    array = stack.pop()
                    found.update(b.address for b in array.buffers() if b is not None and b.size)
                    if isinstance(array.type, pa.StructType):
                        stack.extend(array.field(i) for i in range(array.type.num_fields))
        return found

    given: list[pa.Table] = []
    staged: list[pa.Table] = []
    add, append = stream._Stager.add, stream._Stager._append
    monkeypatch.setattr(stream._Stager, "add", lambda self, b: given.append(b) or add(self, b))
    monkeypatch.setattr(
        stream._Stager, "_append", lambda self, t: staged.append(t) or append(self, t)
    )
    works = list(signal_works().values())
    ingest_paths(con, [write(tmp_path / "w.jsonl", works)], keep=keep)
    assert given and len(given) == len(staged)
    for batch, table in zip(given, staged, strict=True):
        assert not addresses(batch) & addresses(table)


def test_a_doi_sibling_of_a_work_already_in_the_store_is_kept_in_full(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    doi = "https://doi.org/10.99999/shared.2"
    hit = oa_work(1, [author("Chen Jie", [NUDT_RAW])], doi=doi)
    sibling = oa_work(2, [partner()], doi=doi.upper())
    ingest_paths(con, [write(tmp_path / "a.jsonl", [hit])], keep=keep)
    ingest_paths(con, [write(tmp_path / "b.jsonl", [sibling, oa_work(3, [partner()])])], keep=keep)
    stored = rows(con)
    assert is_full(stored[wid(2)])
    assert is_slim(stored[wid(3)])


def test_a_slim_work_in_the_store_does_not_make_its_doi_siblings_full(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    doi = "https://doi.org/10.99999/shared.3"
    ingest_paths(con, [write(tmp_path / "a.jsonl", [oa_work(1, [partner()], doi=doi)])], keep=keep)
    ingest_paths(con, [write(tmp_path / "b.jsonl", [oa_work(2, [partner()], doi=doi)])], keep=keep)
    stored = rows(con)
    assert is_slim(stored[wid(1)]) and is_slim(stored[wid(2)])


# ---------------------------------------------------------------------------------------------
# 3. Newest updated_date wins across slim and full rows; a wider filter upgrades
# ---------------------------------------------------------------------------------------------

OLD, NEW = "2023-01-01T00:00:00", "2025-01-01T00:00:00"
# The versions below have no DOI, so only updated_date decides: with a DOI, the older full
# version of the same work counts as a DOI sibling of the newer one, which is then kept in full
# too (see test_a_newer_version_sharing_its_doi_with_its_full_older_self_holds_the_newest).


def test_a_newer_slim_version_replaces_an_older_full_one(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    old = oa_work(1, [author("Chen Jie", [NUDT_RAW]), partner()], updated=OLD, doi=None)
    new = oa_work(1, [partner()], updated=NEW, title="Corrected title", doi=None)
    ingest_paths(con, [write(tmp_path / "old.jsonl", [old])], keep=keep)
    assert is_full(rows(con)[wid(1)])
    result = ingest_paths(con, [write(tmp_path / "new.jsonl", [new])], keep=keep).files[0]
    assert result.replaced == 1
    row = rows(con)[wid(1)]
    assert is_slim(row) and row["title"] == "Corrected title"
    assert str(row["updated_date"]).startswith("2025")


def test_a_newer_full_version_replaces_an_older_slim_one(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    old = oa_work(1, [partner()], updated=OLD)
    new = oa_work(1, [author("Chen Jie", [NUDT_RAW]), partner()], updated=NEW)
    ingest_paths(con, [write(tmp_path / "old.jsonl", [old])], keep=keep)
    assert is_slim(rows(con)[wid(1)])
    ingest_paths(con, [write(tmp_path / "new.jsonl", [new])], keep=keep)
    assert is_full(rows(con)[wid(1)])


def test_a_newer_version_sharing_its_doi_with_its_full_older_self_holds_the_newest(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    old = oa_work(1, [author("Chen Jie", [NUDT_RAW]), partner()], updated=OLD)
    new = oa_work(1, [partner()], updated=NEW, title="Corrected title")
    ingest_paths(con, [write(tmp_path / "old.jsonl", [old])], keep=keep)
    ingest_paths(con, [write(tmp_path / "new.jsonl", [new])], keep=keep)
    row = rows(con)[wid(1)]
    assert row["title"] == "Corrected title" and str(row["updated_date"]).startswith("2025")
    names = [a["author"]["display_name"] for a in row["authorships"] or []]
    assert "Chen Jie" not in names  # never the older version's authors


def test_an_older_version_read_later_changes_nothing_slim_or_full(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    full_old = oa_work(1, [author("Chen Jie", [NUDT_RAW]), partner()], updated=OLD)
    slim_new = oa_work(1, [partner()], updated=NEW)
    full_new = oa_work(2, [author("Chen Jie", [NUDT_RAW]), partner()], updated=NEW)
    slim_old = oa_work(2, [partner()], updated=OLD)
    ingest_paths(con, [write(tmp_path / "new.jsonl", [slim_new, full_new])], keep=keep)
    result = ingest_paths(con, [write(tmp_path / "old.jsonl", [full_old, slim_old])], keep=keep)
    assert result.files[0].stale == 2
    stored = rows(con)
    assert is_slim(stored[wid(1)]) and is_full(stored[wid(2)])


def test_newest_wins_inside_one_file_across_slim_and_full(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    records = [
        oa_work(1, [partner()], updated=NEW, doi=None, title="Newest"),
        oa_work(1, [author("Chen Jie", [NUDT_RAW]), partner()], updated=OLD, doi=None),
        oa_work(2, [partner()], updated=OLD, doi=None),
        oa_work(2, [author("Chen Jie", [NUDT_RAW]), partner()], updated=NEW, doi=None),
    ]
    result = ingest_paths(con, [write(tmp_path / "w.jsonl", records)], keep=keep).files[0]
    assert result.duplicates_in_file == 2
    stored = rows(con)
    assert is_full(stored[wid(2)])
    assert [a["author"]["display_name"] for a in stored[wid(2)]["authorships"]] == [
        "Chen Jie",
        "Mario Rossi",
    ]
    # the newest version of W1 has no link; whether or not its row is slim, it holds the
    # newest version only (an older linked copy in the same file now keeps it in full)
    assert stored[wid(1)]["title"] == "Newest"
    names = [a["author"]["display_name"] for a in stored[wid(1)]["authorships"] or []]
    assert "Chen Jie" not in names


def test_the_same_file_again_is_unchanged(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    path = write(tmp_path / "w.jsonl", list(signal_works().values()))
    ingest_paths(con, [path], keep=keep)
    before = rows(con)
    again = ingest_paths(con, [path], keep=keep)
    assert [f.status for f in again.files] == ["unchanged"]
    assert rows(con) == before


def test_a_wider_filter_upgrades_the_same_version_and_a_narrower_never_downgrades(
    tmp_path: Path,
    con: duckdb.DuckDBPyConnection,
    keep: ScreenableFilter,
    keep_military: ScreenableFilter,
) -> None:
    civilian = civilian_ror()
    records = [
        oa_work(1, [author("Qi Lu", ["Lab 7"], [inst("I92", OPAQUE, "GB", ror=civilian)])]),
        oa_work(2, [author("Chen Jie", [NUDT_RAW])]),
        oa_work(3, [partner()]),
    ]
    path = write(tmp_path / "w.jsonl", records)
    ingest_paths(con, [path], keep=keep_military)
    stored = rows(con)
    assert is_slim(stored[wid(1)]) and is_full(stored[wid(2)]) and is_slim(stored[wid(3)])

    # all categories: the file is read again and the civilian-linked work gets its details
    wider = ingest_paths(con, [path], keep=keep)
    assert [f.status for f in wider.files] == ["reread"]
    stored = rows(con)
    assert is_full(stored[wid(1)]) and is_full(stored[wid(2)]) and is_slim(stored[wid(3)])
    assert con.execute("SELECT kept FROM ingested_files").fetchall() == [(keep.digest,)]

    # military only again: covered by the wider read, nothing is re-read or downgraded
    narrower = ingest_paths(con, [path], keep=keep_military)
    assert [f.status for f in narrower.files] == ["unchanged"]
    assert is_full(rows(con)[wid(1)])

    # the same version under another name, read with the narrower filter: still not downgraded
    copy = shutil.copy(path, tmp_path / "copy.jsonl")
    with open(copy, "a", encoding="utf-8") as handle:
        handle.write("\n")  # another sha256, the same records
    ingest_paths(con, [Path(copy)], keep=keep_military)
    stored = rows(con)
    assert is_full(stored[wid(1)]) and is_full(stored[wid(2)]) and is_slim(stored[wid(3)])

    # keep-all stores the remaining slim row in full
    ingest_paths(con, [Path(copy)], keep=None)
    assert all(is_full(r) for r in rows(con).values())


# ---------------------------------------------------------------------------------------------
# 4. covers() and re-reading
# ---------------------------------------------------------------------------------------------


def test_covers(keep: ScreenableFilter, keep_military: ScreenableFilter, matcher: Matcher) -> None:
    assert keep.covers(None) and keep.covers(KEPT_ALL)
    assert keep_military.covers(KEPT_ALL)
    # the same watchlist: a superset of the categories covers, a subset does not
    assert keep.covers(keep.digest) and keep_military.covers(keep_military.digest)
    assert keep_military.covers(keep.digest)
    assert not keep.covers(keep_military.digest)
    default = ScreenableFilter.for_matcher(matcher, parse_categories("military,seven_sons"))
    assert default is not None
    assert default.covers(keep.digest) and not default.covers(keep_military.digest)
    # the digest names the watchlist fingerprint and the categories
    assert keep.digest.startswith(keep.watchlist + ":")
    assert keep_military.digest == f"{keep.watchlist}:military"
    assert keep.watchlist == keep_military.watchlist
    # another watchlist fingerprint, or a digest without categories
    other = "watchlist-0000000000000000"
    assert not keep_military.covers(f"{other}:{','.join(sorted(keep.categories))}")
    assert not keep_military.covers(keep.watchlist)
    assert not keep_military.covers(f"{keep.watchlist}:")
    # the filter of the bundled watchlist is the same whichever way it is built
    bundled = default_filter(None)
    assert bundled is not None and bundled.digest == keep.digest


def test_ingest_rereads_a_file_only_when_its_filter_does_not_cover(
    tmp_path: Path,
    con: duckdb.DuckDBPyConnection,
    keep: ScreenableFilter,
    keep_military: ScreenableFilter,
) -> None:
    path = write(tmp_path / "w.jsonl", list(signal_works().values()))
    ingest_file(con, path, keep=keep_military)
    assert ingest_file(con, path, keep=keep_military).status == "unchanged"
    # another watchlist fingerprint recorded for the file: read again with this one
    con.execute("UPDATE ingested_files SET kept = 'watchlist-0000000000000000:military'")
    counts = con.execute("SELECT records_read, records_replaced FROM ingested_files").fetchall()
    assert ingest_file(con, path, keep=keep_military).status == "reread"
    assert con.execute("SELECT kept FROM ingested_files").fetchall() == [(keep_military.digest,)]
    # a re-read file keeps the counts of its first reading (its works are no duplicates)
    assert (
        con.execute("SELECT records_read, records_replaced FROM ingested_files").fetchall()
        == counts
    )
    # wider categories: read again; then covered
    assert ingest_file(con, path, keep=keep).status == "reread"
    assert ingest_file(con, path, keep=keep).status == "unchanged"
    # a file stored in full (or before the filter existed) needs no re-reading
    con.execute(f"UPDATE ingested_files SET kept = '{KEPT_ALL}'")
    assert ingest_file(con, path, keep=keep).status == "unchanged"
    con.execute("UPDATE ingested_files SET kept = NULL")
    assert ingest_file(con, path, keep=keep).status == "unchanged"
    # keep-all reading a file recorded with a filter: read again, in full
    con.execute("UPDATE ingested_files SET kept = $k", {"k": keep.digest})
    assert ingest_file(con, path, keep=None).status == "reread"
    assert con.execute("SELECT kept FROM ingested_files").fetchall() == [(KEPT_ALL,)]
    assert all(is_full(r) for r in rows(con).values())
    assert con.execute("SELECT count(*) FROM ingested_files").fetchone() == (1,)


# ---------------------------------------------------------------------------------------------
# 5. The key property: the filter never changes a screening's tables
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def components() -> Any:
    return default_components()


@pytest.fixture(scope="module")
def corpora(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Path]]:
    """Every corpus the acceptance tests screen, as input files."""
    tmp = tmp_path_factory.mktemp("corpora")
    records, _ = unseen.build_cases()
    pipeline = write(tmp / "pipeline.jsonl", pipeline_corpus())
    return {
        "sample": [SAMPLE],
        "acceptance_unseen": [unseen.write_snapshot(tmp, records)],
        "acceptance_wos": [WOS],
        "pipeline_corpus": [pipeline],
    }


def screen_tables(
    tmp: Path, files: list[Path], categories: str, components: Any, *, keep_all: bool
) -> tuple[dict[str, bytes], dict[str, Any]]:
    name = f"{categories}-{'all' if keep_all else 'slim'}"
    out = tmp / name
    run = screen(
        tmp / f"{name}.duckdb",
        out,
        ScreenOptions(categories=parse_categories(categories)),
        files=files,
        components=components,
        keep_all=keep_all,
    )
    return {t: (out / t).read_bytes() for t, _ in TABLES}, run.summary


@pytest.mark.parametrize("categories", ["military,seven_sons", "all"])
@pytest.mark.parametrize(
    "name", ["sample", "acceptance_unseen", "acceptance_wos", "pipeline_corpus"]
)
def test_the_filter_never_changes_a_screenings_tables(
    tmp_path: Path, corpora: dict[str, list[Path]], components: Any, name: str, categories: str
) -> None:
    files = corpora[name]
    full, full_summary = screen_tables(tmp_path, files, categories, components, keep_all=True)
    slim, slim_summary = screen_tables(tmp_path, files, categories, components, keep_all=False)
    assert full_summary["flagged"] > 0
    assert [t for t in full if full[t] != slim[t]] == []
    assert slim_summary["flagged"] == full_summary["flagged"]
    assert slim_summary["works_read"] == full_summary["works_read"]
    assert full_summary["works_without_watchlist_signal"] == 0
    # the filter did store works slim, or the comparison proves nothing. With every category
    # the whole acceptance corpora pass the pre-filter (e.g. "Beijing University", an alias of
    # Peking University, makes "University" an anchor), so only the default is required to.
    if categories != "all" or name in ("sample", "pipeline_corpus"):
        assert slim_summary["works_without_watchlist_signal"] > 0


def test_small_arrow_batches_keep_the_same_works(
    tmp_path: Path, corpora: dict[str, list[Path]], components: Any, monkeypatch: Any
) -> None:
    """The filter streams the staged works in batches (anchors chosen on the first): batches of
    seven works give the same tables as one batch."""
    import dualscope.screening.screenable as screenable

    files = corpora["sample"]
    whole, _ = screen_tables(tmp_path / "whole", files, "military,seven_sons", components,
                             keep_all=False)  # fmt: skip
    monkeypatch.setattr(screenable, "BATCH_ROWS", 7)
    monkeypatch.setattr(stream, "BATCH_ROWS", 7)
    small, summary = screen_tables(tmp_path / "small", files, "military,seven_sons", components,
                                   keep_all=False)  # fmt: skip
    assert summary["flagged"] > 0
    assert [t for t in whole if whole[t] != small[t]] == []


def test_a_file_staged_in_one_statement_keeps_the_same_works(
    tmp_path: Path, corpora: dict[str, list[Path]], components: Any, monkeypatch: Any
) -> None:
    """Above TWINS_LIMIT DOIs in the store, files are staged by one statement and marked
    afterwards (``ScreenableFilter.mark``) instead of streamed: the same tables."""
    for name in ("sample", "acceptance_unseen"):
        files = corpora[name]
        streamed, _ = screen_tables(tmp_path / name / "streamed", files, "military,seven_sons",
                                    components, keep_all=False)  # fmt: skip
        with monkeypatch.context() as patch:
            patch.setattr(stream, "TWINS_LIMIT", -1)
            staged, summary = screen_tables(tmp_path / name / "staged", files,
                                            "military,seven_sons", components,
                                            keep_all=False)  # fmt: skip
        assert summary["flagged"] > 0
        assert [t for t in streamed if streamed[t] != staged[t]] == []


def test_batches_read_while_the_filter_loads_wait_for_it(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep_default: ScreenableFilter,
    monkeypatch: Any,
) -> None:  # fmt: skip
    """The matcher loads in a thread while DuckDB reads: batches wait for the filter, at most
    MAX_PENDING of them (then the stream waits for the filter instead), and the filter still
    decides every work."""
    monkeypatch.setattr(stream, "BATCH_ROWS", 1)
    monkeypatch.setattr(stream, "MAX_PENDING", 2)
    asked = []

    def ready() -> bool:  # never ready: only the bound lets batches through
        asked.append(True)
        return False

    lazy = LazyKeep(lambda: keep_default, ready=ready)
    works = signal_works()
    report = ingest_paths(con, [write(tmp_path / "w.jsonl", list(works.values()))], keep=lazy)
    assert report.files[0].loaded == len(works) and asked
    stored = rows(con)
    # (anchors chosen on the first two works let more through than usual: no slim check)
    assert [k for k in POSITIVE if not is_full(stored[works[k]["id"].removeprefix(OA)])] == []


# ---------------------------------------------------------------------------------------------
# 6. summary.json and the CLI
# ---------------------------------------------------------------------------------------------


def test_summary_counts_slim_works_and_names_files_filtered_for_fewer_categories(
    tmp_path: Path, components: Any, keep_military: ScreenableFilter
) -> None:
    works = signal_works()
    path = write(tmp_path / "w.jsonl", list(works.values()))
    db = tmp_path / "s.duckdb"
    con = open_store(db)
    try:
        ingest_paths(con, [path], keep=keep_military)
        row = con.execute("SELECT count(*) FROM works WHERE NOT screenable").fetchone()
    finally:
        con.close()
    slim = row[0] if row else 0
    assert slim >= len(NEGATIVE)
    warnings: list[str] = []
    run = screen(
        db,
        tmp_path / "out",
        ScreenOptions(categories=parse_categories("all")),
        components=components,
        warn=warnings.append,
    )
    written = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert written["works_without_watchlist_signal"] == slim
    assert written["data_sources"]["filtered_with_another_watchlist"] == [str(path)]
    assert run.summary["data_sources"]["filtered_with_another_watchlist"] == [str(path)]
    assert len(warnings) == 1 and str(path) in warnings[0] and "another watchlist" in warnings[0]

    # military only: the file's filter covers the screening, nothing to say
    warnings.clear()
    run = screen(db, tmp_path / "out2", ScreenOptions(categories={"military"}),
                 components=components, warn=warnings.append)  # fmt: skip
    assert run.summary["data_sources"]["filtered_with_another_watchlist"] == []
    assert warnings == []


def test_a_screen_with_a_matcher_double_keeps_everything(tmp_path: Path) -> None:
    path = write(tmp_path / "w.jsonl", list(signal_works().values()))
    run = screen(tmp_path / "s.duckdb", tmp_path / "out", ScreenOptions(), files=[path],
                 components=(FakeMatcher(), FakeClassifier(), "fake"))  # fmt: skip
    assert run.summary["works_without_watchlist_signal"] == 0
    assert run.summary["data_sources"]["filtered_with_another_watchlist"] == []


def test_cli_screen_warns_about_a_file_filtered_for_fewer_categories(tmp_path: Path) -> None:
    path = write(tmp_path / "w.jsonl", list(signal_works().values()))
    db = tmp_path / "s.duckdb"
    runner = CliRunner(env=WIDE)
    result = runner.invoke(app, ["ingest", str(path), "--db", str(db), "--categories", "military"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        app, ["screen", "--db", str(db), "--out", str(tmp_path / "out"), "--categories", "all"]
    )
    assert result.exit_code == 0, result.output
    assert "ingested with another watchlist" in result.output
    assert str(path) in result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["data_sources"]["filtered_with_another_watchlist"] == [str(path)]
    # the default categories (military, seven_sons) are not covered by military only either
    result = runner.invoke(app, ["screen", "--db", str(db), "--out", str(tmp_path / "out2")])
    assert result.exit_code == 0, result.output
    assert "ingested with another watchlist" in result.output


def test_cli_ingest_keep_all_and_default(tmp_path: Path) -> None:
    path = write(tmp_path / "w.jsonl", list(signal_works().values()))
    runner = CliRunner(env=WIDE)
    total = len(signal_works())
    for flag in ([], ["--keep-all"]):
        db = tmp_path / f"s{len(flag)}.duckdb"
        result = runner.invoke(app, ["ingest", str(path), "--db", str(db), *flag])
        assert result.exit_code == 0, result.output
        assert f"store {db}: {total} works, " in result.output
        con = duckdb.connect(str(db), read_only=True)
        try:
            counts = con.execute(
                "SELECT count(*) FILTER (WHERE NOT screenable), count(*) FILTER (WHERE screenable"
                " AND authorships IS NOT NULL) FROM works"
            ).fetchone()
            kept = con.execute("SELECT kept FROM ingested_files").fetchone()
        finally:
            con.close()
        assert counts is not None and kept is not None
        assert f"{counts[1]} with details, {counts[0]} stored slim" in result.output
        if flag:  # every work in full, the file recorded as read in full
            assert counts == (0, total) and kept == (KEPT_ALL,)
        else:  # the default: the whole watchlist (--categories all)
            assert counts[0] >= 2 and sum(counts) == total
            assert kept[0].endswith(":" + ",".join(sorted(parse_categories("all"))))


def test_cli_ingest_bad_categories_is_one_line_and_exit_2(tmp_path: Path) -> None:
    path = write(tmp_path / "w.jsonl", list(signal_works().values()))
    db = tmp_path / "s.duckdb"
    proc = subprocess.run(
        [sys.executable, "-c", "from dualscope.cli import main; main()", "ingest", str(path),
         "--db", str(db), "--categories", "bogus"],
        capture_output=True, text=True, env=WIDE, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "unknown category 'bogus'" in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
    assert not db.exists()  # the options fail before the store is opened


# --- order of files and versions (found in review; each failed before its fix) -----------


def nudt_author() -> dict[str, Any]:
    return author("Chen Jie", [NUDT_RAW], [])


def test_a_partner_record_read_before_its_nudt_doi_sibling_is_read_again_and_flagged(
    tmp_path: Path,
) -> None:
    """One paper, two records sharing a DOI (two sources): the partner-only record comes first
    (stored slim), the NUDT-only record in a later file. Ingest reads the first file again, so
    the paper is flagged exactly as with keep_all."""
    doi = "https://doi.org/10.99999/order.1"
    first = write(tmp_path / "a_partner.jsonl", [oa_work(1, [partner()], doi=doi)])
    second = write(tmp_path / "b_nudt.jsonl", [oa_work(2, [nudt_author()], doi=doi)])
    components = default_components()
    outs = {}
    for keep_all in (True, False):
        out = tmp_path / f"out-{keep_all}"
        run = screen(
            tmp_path / f"{keep_all}.duckdb", out, ScreenOptions(),
            files=[first, second], components=components, keep_all=keep_all,
        )  # fmt: skip
        outs[keep_all] = ((out / "works.csv").read_bytes(), run.summary["flagged"])
        if not keep_all:
            assert run.ingest is not None
            assert [f.path.name for f in run.ingest.reread] == ["a_partner.jsonl"]
            assert run.ingest.as_dict()["records_read"] == 2  # the re-read is not counted twice
    assert outs[True][1] == 1
    assert outs[False] == outs[True]


def test_a_sibling_whose_file_is_gone_is_reported(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    doi = "https://doi.org/10.99999/order.2"
    first = write(tmp_path / "a_partner.jsonl", [oa_work(1, [partner()], doi=doi)])
    ingest_paths(con, [first], keep=keep)
    first.unlink()
    warnings: list[str] = []
    second = write(tmp_path / "b_nudt.jsonl", [oa_work(2, [nudt_author()], doi=doi)])
    report = ingest_paths(con, [second], keep=keep, warn=warnings.append)
    assert report.unrecoverable_siblings == 1
    assert any("a_partner.jsonl" in w and "gone or changed" in w for w in warnings)
    summary = build_summary(
        con,
        run_screening(con, ScreenOptions(), *default_components()[:2], lambda _: None),
        watchlist_version=None,
    )
    assert summary["works_without_details_in_a_screened_doi_group"] == 1


def test_a_sibling_ingested_by_a_relative_path_is_found_from_another_folder(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter, monkeypatch: Any
) -> None:
    doi = "https://doi.org/10.99999/order.3"
    data = tmp_path / "data"
    data.mkdir()
    write(data / "a_partner.jsonl", [oa_work(1, [partner()], doi=doi)])
    monkeypatch.chdir(data)
    ingest_paths(con, [Path("a_partner.jsonl")], keep=keep)  # recorded as given: relative
    monkeypatch.chdir(tmp_path)
    second = write(tmp_path / "b_nudt.jsonl", [oa_work(2, [nudt_author()], doi=doi)])
    report = ingest_paths(con, [second], keep=keep)
    assert [f.path.name for f in report.reread] == ["a_partner.jsonl"]
    assert report.unrecoverable_siblings == 0
    assert is_full(rows(con)[wid(1)])


def test_a_newer_unlinked_version_with_the_same_doi_is_stored_slim(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    """Older full then newer slim: slim. The older row of the *same work* is no DOI sibling."""
    doi = "https://doi.org/10.99999/self.1"
    old = [oa_work(1, [nudt_author(), partner()], doi=doi, updated="2023-01-01")]
    new = [oa_work(1, [partner()], doi=doi, updated="2025-01-01")]
    ingest_paths(con, [write(tmp_path / "old.jsonl", old)], keep=keep)
    ingest_paths(con, [write(tmp_path / "new.jsonl", new)], keep=keep)
    assert is_slim(rows(con)[wid(1)])


def test_in_one_file_the_newest_unlinked_copy_is_stored_slim(
    tmp_path: Path, con: duckdb.DuckDBPyConnection, keep: ScreenableFilter
) -> None:
    """The older linked copy of the same work (or its DOI) does not mark the newest one."""
    records = [
        oa_work(1, [partner()], updated="2025-01-01"),
        oa_work(1, [nudt_author(), partner()], updated="2023-01-01"),
    ]
    ingest_paths(con, [write(tmp_path / "w.jsonl", records)], keep=keep)
    assert is_slim(rows(con)[wid(1)])
