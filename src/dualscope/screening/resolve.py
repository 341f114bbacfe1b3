"""Resolve each distinct affiliation once: raw strings and institutions through the matcher.

The candidate table can hold millions of authorships but far fewer distinct affiliation strings
and institutions. Each is sent to the matcher once and the verdicts go back to DuckDB as small
Arrow tables (``_res_raw``, ``_res_inst``, ``_raw_country``) that the SQL of
:mod:`dualscope.screening.scan` joins to the authorships. Python never holds the corpus: the
distinct strings are streamed in batches, and only verdicts (matches, countries) are kept.

Matching is CPU-bound pure Python, so large batches are spread over worker processes forked
after the matcher is built (they share its indexes copy-on-write); small runs stay in-process.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from dualscope.geo.organisation import organisation_of
from dualscope.geo.vocab import norm_key, vocab
from dualscope.matching.index import WatchlistIndex, written_id_forms
from dualscope.matching.prefilter import Prefilter, east_asian
from dualscope.matching.types import Match
from dualscope.screening import scan
from dualscope.store.arrow import query_arrow, temp_table

BATCH = 50_000
PARALLEL_MIN = 20_000  # below this many strings in a batch, forking costs more than it saves
# The matcher's verdict on one affiliation, as stored (also the tail of screen_matches).
VERDICT_FIELDS = (
    ("entity_id", pa.string()),
    ("entity_name", pa.string()),
    ("category", pa.string()),
    ("rule", pa.string()),
    ("score", pa.float64()),
    ("explanation", pa.string()),
)
Verdict = tuple[str, str, str, str, float, str]


class MatcherLike(Protocol):
    """What the screening needs from :class:`dualscope.matching.matcher.Matcher`."""

    def match(
        self, text: str | None, ids: Sequence[str] = (), country: str | None = None
    ) -> list[Match]: ...


CountryOf = Callable[[str | None], str | None]


@dataclass
class ResolveStats:
    raw_strings: int = 0
    raw_strings_to_matcher: int = 0  # after the pre-filter
    raw_strings_matched: int = 0
    institutions: int = 0
    institutions_matched: int = 0
    workers: int = 1


def _verdict(match: Match) -> Verdict:
    rules = ", ".join(dict.fromkeys(e.rule for e in match.evidence)) or "match"
    return (
        match.entity_id,
        match.entity_name,
        match.category,
        rules,
        float(match.score),
        match.explain(),
    )


# Set in the parent just before forking; the workers read them (fork start method only).
_WORKER: dict[str, Any] = {}


def foreign_tail(raw: str) -> str | None:
    """The country a single affiliation string ends with, when it is not China, else ``None``.

    "Univ Manchester, Manchester, England" → ``GB``. Such a string describes an institution
    abroad, so it is not sent to the matcher (every watchlist entity is in China): a cheap dict
    lookup saves most of the matching time on a co-publication corpus. Strings holding several
    affiliations (``;``), Chinese script, or no recognisable country at the end always go to
    the matcher, so "..., Changsha 410073" and "Oxford, UK; NUDT, Changsha, China" still do.
    """
    if ";" in raw or (raw and max(raw) >= "\u2e80"):  # max: the highest code point, in C
        return None
    return _tail_country(raw.rsplit(",", 1)[-1])


@functools.lru_cache(maxsize=1 << 16)
def _tail_country(tail: str) -> str | None:
    """The country other than China the last part of an affiliation string names, if any."""
    key = " ".join(t for t in norm_key(tail).split() if not any(c.isdigit() for c in t))
    code = vocab().aliases.get(key) if key else None
    return code if code and code != "CN" else None


def foreign_tails(strings: pa.Array) -> pa.Array:
    """:func:`foreign_tail` for each of ``strings`` in bulk: whether it names a country other
    than China (never null; a null string names none).

    Arrow splits off each string's tail after the last comma and encodes the tails; Python
    reads each distinct tail once (remembered across calls), not each string.
    """
    strings = pc.fill_null(strings.cast(pa.string()), "")
    parts = pc.split_pattern(strings, pattern=",", max_splits=1, reverse=True)
    tails = pc.dictionary_encode(pc.take(parts.values, pc.subtract(parts.offsets.slice(1), 1)))
    named = pa.array(
        [_tail_country(t) is not None for t in tails.dictionary.to_pylist()], type=pa.bool_()
    )
    foreign = pc.take(named, tails.indices)
    # what makes foreign_tail look no further: several affiliations, or East Asian script
    # (only the strings with a foreign tail are searched)
    where = pc.indices_nonzero(foreign)
    candidates = pc.take(strings, where)
    stop = pc.or_(pc.match_substring_regex(candidates, ";"), east_asian(candidates))
    return pc.replace_with_mask(foreign, foreign, pc.invert(stop))


def _resolve_chunk(
    chunk: list[tuple[str, str | None, bool]],
) -> list[tuple[int, list[Verdict], str | None]]:
    """(index in chunk, verdicts, None) for each string that matched.

    The third item is kept for the worker protocol; countries are found later, only for the
    strings of works with a watchlist hit (:func:`resolve_countries`).
    """
    matcher: MatcherLike = _WORKER["matcher"]
    out: list[tuple[int, list[Verdict], str | None]] = []
    for index, (raw, hint, _) in enumerate(chunk):
        if foreign_tail(raw):
            continue
        verdicts = [_verdict(m) for m in matcher.match(raw, (), hint)]
        if verdicts:
            out.append((index, verdicts, None))
    return out


class _Resolver:
    """Runs :func:`_resolve_chunk` in-process or on a pool of forked workers."""

    def __init__(self, matcher: MatcherLike, workers: int) -> None:
        _WORKER.update(matcher=matcher)
        self.workers = workers
        self._pool: Any = None

    def run(
        self, batch: list[tuple[str, str | None, bool]]
    ) -> Iterable[tuple[int, list[Verdict], str | None]]:
        if self.workers <= 1 or len(batch) < PARALLEL_MIN:
            return _resolve_chunk(batch)
        if self._pool is None:
            self._pool = multiprocessing.get_context("fork").Pool(self.workers)
        size = -(-len(batch) // (self.workers * 4))
        chunks = [batch[i : i + size] for i in range(0, len(batch), size)]
        results: list[tuple[int, list[Verdict], str | None]] = []
        for offset, part in zip(
            range(0, len(batch), size), self._pool.map(_resolve_chunk, chunks), strict=True
        ):
            results.extend((offset + i, v, c) for i, v, c in part)
        return results

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
        _WORKER.clear()


def default_workers() -> int:
    """Worker processes for matching: the CPUs this process may use, at most 8."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def resolve(
    con: duckdb.DuckDBPyConnection,
    matcher: MatcherLike,
    country_of: CountryOf | None = None,
    *,
    focus: frozenset[str] | None = None,
    workers: int | None = None,
    categories: Collection[str] | None = None,
) -> ResolveStats:
    """Match every distinct raw string and institution of ``_screen_cand``; register verdicts.

    With the bundled matcher, a vectorised pre-filter (:mod:`dualscope.matching.prefilter`,
    anchors of the entities of ``categories``, all when ``None``) first sets aside the strings
    that cannot name such an entity, so only the rest reach Python. Registers ``_res_raw`` and
    ``_res_inst``; the partners' countries come after the hits, from
    :func:`resolve_countries` (``country_of`` and ``focus`` are accepted here for callers of
    the older one-step form, which then gets ``_raw_country`` for every candidate string).
    """
    stats = ResolveStats(workers=workers if workers is not None else default_workers())
    raw_rows: dict[str, list[object]] = {k: [] for k in ("raw", "country_hint")}
    raw_rows.update({name: [] for name, _ in VERDICT_FIELDS})
    con.execute(f"CREATE OR REPLACE TEMP TABLE _raw_distinct AS {scan.DISTINCT_RAW}")
    row = con.execute("SELECT count(*) FROM _raw_distinct").fetchone()
    stats.raw_strings = int(row[0]) if row else 0
    prefilter = Prefilter.for_matcher(matcher, categories)
    if prefilter is not None:
        stats.raw_strings_to_matcher = prefilter.mark(con, "_raw_distinct", "_raw_may_match")
        query = scan.RAW_MAY_MATCH
    else:
        stats.raw_strings_to_matcher = stats.raw_strings
        query = "SELECT raw, country_hint, needs_country FROM _raw_distinct"
    resolver = _Resolver(matcher, stats.workers)
    try:
        # Temp tables are private to this connection: read them on it, not on a cursor.
        result = con.execute(query)
        while batch := result.fetchmany(BATCH):
            rows: list[tuple[str, str | None, bool]] = [(r[0], r[1], bool(r[2])) for r in batch]
            for index, verdicts, _ in resolver.run(rows):
                raw, hint, _ = rows[index]
                stats.raw_strings_matched += 1
                for verdict in verdicts:
                    raw_rows["raw"].append(raw)
                    raw_rows["country_hint"].append(hint)
                    for (name, _), value in zip(VERDICT_FIELDS, verdict, strict=True):
                        raw_rows[name].append(value)
    finally:
        resolver.close()
        con.execute("DROP TABLE IF EXISTS _raw_may_match")
    inst_rows = _resolve_institutions(con, matcher, stats, prefilter)
    _register(con, "_res_raw", raw_rows, [("raw", pa.string()), ("country_hint", pa.string())])
    _register(
        con,
        "_res_inst",
        inst_rows,
        [("id", pa.string()), ("ror", pa.string()), ("display_name", pa.string())],
    )
    if country_of is not None:
        resolve_countries(con, country_of, focus=focus, only_hits=False)
    return stats


def resolve_countries(
    con: duckdb.DuckDBPyConnection,
    country_of: CountryOf,
    *,
    focus: frozenset[str] | None = None,
    only_hits: bool = True,
) -> int:
    """Register ``_raw_country``: the focus country each raw string names, for the partner
    rules (an author without an institution country), and the organisation it names (the
    partner institution's name: departments of one university are one institution).
    With ``only_hits`` (after ``scan.HITS``), only the strings of works whose DOI group has a
    watchlist hit are read: no other work can be flagged, so their partners' countries would
    never be used; with ``focus`` too, only the strings the partner rules can use for it.
    Returns the number of strings read.
    """
    rows: dict[str, list[object]] = {"raw": [], "country": [], "org": []}
    if not only_hits:
        result = con.execute(scan.RAW_NEEDING_COUNTRY)
    elif focus is None:
        result = con.execute(scan.RAW_NEEDING_COUNTRY_IN_HIT_GROUPS)
    else:
        result = con.execute(scan.RAW_FOR_PARTNERS_IN_HIT_GROUPS, {"focus": sorted(focus)})
    read = 0
    while batch := result.fetchmany(BATCH):
        for (raw,) in batch:
            read += 1
            country = country_of(raw)
            if country and (focus is None or country in focus):
                rows["raw"].append(raw)
                rows["country"].append(country)
                rows["org"].append(organisation_of(raw))
    _register(
        con,
        "_raw_country",
        rows,
        [("raw", pa.string()), ("country", pa.string()), ("org", pa.string())],
    )
    return read


def _resolve_institutions(
    con: duckdb.DuckDBPyConnection,
    matcher: MatcherLike,
    stats: ResolveStats,
    prefilter: Prefilter | None = None,
) -> dict[str, list[object]]:
    """Each distinct institution by its ids (lineage included) and, failing those, its name.

    With ``prefilter`` (that of the selected categories), a name it sets aside is not read:
    it cannot name a selected entity, and verdicts for other categories are never used."""
    inst_rows: dict[str, list[object]] = {k: [] for k in ("id", "ror", "display_name")}
    inst_rows.update({name: [] for name, _ in VERDICT_FIELDS})
    seen: set[tuple[str | None, str | None, str | None]] = set()
    index = getattr(matcher, "index", None)
    # every written form of a watchlist id, lower-cased (None: a matcher without an index)
    id_forms = written_id_forms(index.ids) if isinstance(index, WatchlistIndex) else None
    anchors = None
    # Read a column at a time through Arrow (about half the cost of row-by-row fetchmany).
    reader = query_arrow(con, scan.DISTINCT_INSTITUTIONS).to_arrow_reader(BATCH)
    for batch in _batches(reader, BATCH):
        inst_ids, rors, names, countries, lineages = (c.to_pylist() for c in batch.columns)
        # names of institutions OpenAlex places in China or nowhere (the others are checked by
        # their ids only), through the pre-filter in one go
        texts = [
            name if cc in (None, "", "CN") else None
            for name, cc in zip(names, countries, strict=True)
        ]
        may_match: list[bool] | None = None
        if prefilter is not None and id_forms is not None:
            mask, anchors = prefilter.passes(pa.array(texts, type=pa.string()), anchors)
            may_match = mask.to_pylist()
        for row_index, (inst_id, ror, name, country_code, lineage) in enumerate(
            zip(inst_ids, rors, names, countries, lineages, strict=True)
        ):
            key = (inst_id, ror, name)
            if key in seen:  # same institution with another lineage: first one wins
                continue
            seen.add(key)
            stats.institutions += 1
            ids = [v for v in (inst_id, ror, *(lineage or ())) if v]
            # An institution OpenAlex places outside China is checked by its ids only.
            text = texts[row_index]
            # No id on the watchlist (the matcher would look each up, normalised, and find
            # nothing) and no name that could match: no verdict to find.
            if (
                (text is None or (may_match is not None and not may_match[row_index]))
                and id_forms is not None
                and not any(v.strip().lower() in id_forms for v in ids)
            ):
                continue
            matches = matcher.match(text, ids, country_code)
            if matches:
                stats.institutions_matched += 1
            for m in matches:
                inst_rows["id"].append(inst_id)
                inst_rows["ror"].append(ror)
                inst_rows["display_name"].append(name)
                for (field_name, _), value in zip(VERDICT_FIELDS, _verdict(m), strict=True):
                    inst_rows[field_name].append(value)
    return inst_rows


def _batches(reader: pa.RecordBatchReader, size: int) -> Iterator[pa.Table]:
    """The rows of ``reader`` in tables of ``size`` rows (the last one shorter), as
    ``fetchmany(size)`` gives them: DuckDB's Arrow batches are smaller, and the pre-filter
    chooses its anchors from the words of the first batch."""
    pending: list[pa.RecordBatch] = []
    count = 0
    for batch in reader:
        pending.append(batch)
        count += batch.num_rows
        while count >= size:
            table = pa.Table.from_batches(pending, reader.schema)
            yield table.slice(0, size)
            pending, count = table.slice(size).to_batches(), count - size
    if count:
        yield pa.Table.from_batches(pending, reader.schema)


def _register(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: dict[str, list[object]],
    key_fields: list[tuple[str, pa.DataType]],
) -> None:
    """Create temp table ``name`` from ``columns`` (an Arrow table under the hood)."""
    fields = key_fields + ([] if name == "_raw_country" else list(VERDICT_FIELDS))
    schema = pa.schema(fields)
    table = pa.table({f.name: pa.array(columns[f.name], type=f.type) for f in schema}, schema)
    temp_table(con, name, table)
