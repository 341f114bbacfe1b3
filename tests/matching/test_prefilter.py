"""The screening pre-filter never loses a match: prefilter + matcher == matcher alone.

Every string of the labelled sets (tests/matching/data/*.csv), of the synthetic sample and,
with ``../shared``, of ROR's affiliation gold sets goes through the matcher alone and through
the pre-filter first (the SQL path screening uses, with anchors chosen for that corpus, and
the one-string path with other anchor choices); the matches of the selected categories must be
identical. Watchlist entities are the bundled ones.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from dualscope.matching.matcher import Matcher
from dualscope.matching.prefilter import Prefilter

from .labelled import DATA, read_rows

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sample" / "works.jsonl.gz"
CATEGORY_SETS = (None, frozenset({"military", "seven_sons"}))
GOLD_FILES = (
    "Springer__20231031_springer_nature.csv",
    "Crossref_publisher_assertions__20230628_Crossref_publisher_asserted_affiliation_string_ROR_IDs.csv",
    "Logs__20230903_affiliation_matching_logs.csv",
)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.default()


def _labelled() -> list[str]:
    return [row["input"] for path in sorted(DATA.glob("*.csv")) for row in read_rows(path.name)]


def _sample() -> list[str]:
    strings = []
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as handle:
        for line in handle:
            for authorship in json.loads(line).get("authorships") or []:
                strings += authorship.get("raw_affiliation_strings") or []
                strings += [
                    i.get("display_name") or "" for i in authorship.get("institutions") or []
                ]
    return strings


def _matched(matcher: Matcher, text: str, categories: frozenset[str] | None) -> list[str]:
    found = []
    for hint in (None, "CN"):
        found += [
            f"{hint}:{m.entity_id}"
            for m in matcher.match(text, (), hint)
            if categories is None or m.category in categories
        ]
    return sorted(found)


def _kept_by_sql(prefilter: Prefilter, strings: list[str]) -> set[str]:
    con = duckdb.connect()
    try:
        con.register("_in", pa.table({"raw": pa.array(sorted(set(strings)), type=pa.string())}))
        con.execute("CREATE TEMP TABLE _strings AS SELECT raw FROM _in")
        prefilter.mark(con, "_strings", "_kept")
        return {r[0] for r in con.execute("SELECT raw FROM _kept").fetchall()}
    finally:
        con.close()


def _check(matcher: Matcher, strings: list[str], categories: frozenset[str] | None) -> int:
    """Assert the superset property on ``strings``; return how many the pre-filter set aside."""
    prefilter = Prefilter.for_matcher(matcher, categories)
    assert prefilter is not None
    kept = _kept_by_sql(prefilter, strings)
    # other anchor choices (random corpus frequencies) on the one-string path
    keys = sorted({k for key, _ in prefilter.entries for k in key})
    choices = [
        prefilter.anchors(Counter({k: random.Random(seed).randrange(1, 1000) for k in keys}))
        for seed in range(3)
    ]
    lost = []
    for text in sorted(set(strings)):
        expected = _matched(matcher, text, categories)
        if not expected:
            continue
        if text not in kept:
            lost.append(f"SQL path lost {expected}: {text!r}")
        for anchors in choices:
            if not prefilter.may_match(text, anchors):
                lost.append(f"one-string path lost {expected}: {text!r}")
    assert not lost, "\n".join(lost[:20])
    return len(set(strings)) - len(kept)


@pytest.mark.parametrize("categories", CATEGORY_SETS, ids=["all", "default"])
def test_labelled_and_sample_strings_lose_no_match(matcher, categories):
    strings = _labelled() + _sample()
    assert len(strings) > 500
    _check(matcher, strings, categories)


def test_the_filter_sets_aside_strings_that_name_no_watchlist_entity(matcher):
    # It must also be worth having: in a corpus, the common words of plain European and
    # civilian strings are not anchors, so those strings never reach Python.
    cities = ["Bologna", "Hamburg", "Delft", "Lyon", "Oxford", "Leuven", "Graz", "Lund"]
    plain = [
        f"Department of {field}, University of {city}, {city}, Europe"
        for city in cities
        for field in ("Physics", "Mechanical Engineering", "Computer Science", "Chemistry")
    ] + ["School of Computer Science, Fudan University, Shanghai 200433, China"]
    watch = [
        "College of Computer, National University of Defense Technology, Changsha 410073, China",
        "Natl Univ Def Technol, Changsha, Peoples R China",
        "国防科技大学计算机学院, 长沙",
        "NUDT, Changsha, China",
        "Coll Comp, Natinal Universty of Defense Technology, Changsha",
    ]
    prefilter = Prefilter.for_matcher(matcher, frozenset({"military", "seven_sons"}))
    assert prefilter is not None
    kept = _kept_by_sql(prefilter, plain + watch)
    assert kept.isdisjoint(plain)
    assert set(watch) <= kept
    _check(matcher, plain + watch, None)


@pytest.mark.shared
def test_ror_gold_strings_lose_no_match(matcher, shared_raw):
    strings: list[str] = []
    for name in GOLD_FILES:
        with (shared_raw / "ror-affiliation-gold" / name).open(encoding="utf-8-sig") as handle:
            strings += [
                row["affiliation"] for row in csv.DictReader(handle) if row.get("affiliation")
            ]
    assert len(strings) > 1000
    set_aside = _check(matcher, strings, None)
    assert set_aside > 0


def test_a_non_matcher_gets_no_prefilter():
    assert Prefilter.for_matcher(object(), None) is None


def test_the_batch_path_decides_each_string_as_the_one_string_path(matcher):
    # passes() is aligned with its input (repeats, nulls, a sliced array, odd whitespace,
    # accented and Chinese strings), and a second batch reusing the anchors (and the words
    # they already decided) agrees too.
    strings: list[str | None] = [
        *_sample()[:200],
        "Natl\u00a0Univ Def Technol, Changsha",  # a no-break space inside a "word"
        "  School of Physics,\tUniversità di Bologna  ",
        "国防科技大学",
        "Ｎａｔｌ Univ",
        "",
        "Dept Phys\x1cNUDT",
        None,
    ]
    prefilter = Prefilter.for_matcher(matcher, None)
    assert prefilter is not None
    padded = pa.array(["pad", *strings, *strings, "pad"], type=pa.string())
    batch = padded.slice(1, 2 * len(strings))
    mask, anchors = prefilter.passes(batch)
    assert mask.null_count == 0 and len(mask) == len(batch)
    expected = [s is not None and prefilter.may_match(s, anchors) for s in strings]
    assert mask.to_pylist() == expected + expected
    again, same = prefilter.passes(pa.array(list(reversed(strings)), type=pa.string()), anchors)
    assert same is anchors
    assert again.to_pylist() == list(reversed(expected))
    assert any(expected) and not all(expected)
