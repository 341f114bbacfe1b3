"""Resolve each distinct affiliation once: raw strings and institutions through the matcher.

The candidate table can hold millions of authorships but far fewer distinct affiliation strings
and institutions. Each is sent to the matcher once and the verdicts go back to DuckDB as small
Arrow tables (``_res_raw``, ``_res_inst``, ``_raw_country``) that the SQL of
:mod:`dualscope.screening.scan` joins to the authorships. Python never holds the corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import duckdb
import pyarrow as pa

from dualscope.matching.types import Match
from dualscope.screening import scan

BATCH = 20_000
_VERDICT_FIELDS = (
    ("entity_id", pa.string()),
    ("entity_name", pa.string()),
    ("category", pa.string()),
    ("rule", pa.string()),
    ("score", pa.float64()),
    ("explanation", pa.string()),
)


class MatcherLike(Protocol):
    """What the screening needs from :class:`dualscope.matching.matcher.Matcher`."""

    def match(
        self, text: str | None, ids: Sequence[str] = (), country: str | None = None
    ) -> list[Match]: ...


@dataclass
class ResolveStats:
    raw_strings: int = 0
    raw_strings_matched: int = 0
    institutions: int = 0
    institutions_matched: int = 0


def _verdict(match: Match) -> tuple[str, str, str, str, float, str]:
    rules = ", ".join(dict.fromkeys(e.rule for e in match.evidence)) or "match"
    return (
        match.entity_id,
        match.entity_name,
        match.category,
        rules,
        float(match.score),
        match.explain(),
    )


def resolve(
    con: duckdb.DuckDBPyConnection,
    matcher: MatcherLike,
    country_of: Callable[[str | None], str | None],
) -> ResolveStats:
    """Match every distinct raw string and institution of ``_screen_cand``; register verdicts."""
    stats = ResolveStats()
    raw_rows: dict[str, list[object]] = {k: [] for k in ("raw", "country_hint")}
    raw_rows.update({name: [] for name, _ in _VERDICT_FIELDS})
    country_rows: dict[str, list[object]] = {"raw": [], "country": []}
    countries_seen: set[str] = set()
    # Temp tables are private to this connection: read them on it, not on a cursor.
    cur = con.execute(scan.DISTINCT_RAW)
    if True:
        while batch := cur.fetchmany(BATCH):
            for raw, hint in batch:
                stats.raw_strings += 1
                matches = matcher.match(raw, (), hint)
                if matches:
                    stats.raw_strings_matched += 1
                for m in matches:
                    raw_rows["raw"].append(raw)
                    raw_rows["country_hint"].append(hint)
                    for (name, _), value in zip(_VERDICT_FIELDS, _verdict(m), strict=True):
                        raw_rows[name].append(value)
                if raw in countries_seen:
                    continue
                countries_seen.add(raw)
                country = country_of(raw)
                if country:
                    country_rows["raw"].append(raw)
                    country_rows["country"].append(country)
    inst_rows: dict[str, list[object]] = {k: [] for k in ("id", "ror", "display_name")}
    inst_rows.update({name: [] for name, _ in _VERDICT_FIELDS})
    seen: set[tuple[str | None, str | None, str | None]] = set()
    cur = con.execute(scan.DISTINCT_INSTITUTIONS)
    if True:
        while batch := cur.fetchmany(BATCH):
            for inst_id, ror, name, country_code, lineage in batch:
                key = (inst_id, ror, name)
                if key in seen:  # same institution with another lineage: first one wins
                    continue
                seen.add(key)
                stats.institutions += 1
                ids = [v for v in (inst_id, ror, *(lineage or ())) if v]
                matches = matcher.match(name, ids, country_code)
                if matches:
                    stats.institutions_matched += 1
                for m in matches:
                    inst_rows["id"].append(inst_id)
                    inst_rows["ror"].append(ror)
                    inst_rows["display_name"].append(name)
                    for (fname, _), value in zip(_VERDICT_FIELDS, _verdict(m), strict=True):
                        inst_rows[fname].append(value)
    _register(con, "_res_raw", raw_rows, [("raw", pa.string()), ("country_hint", pa.string())])
    _register(
        con,
        "_res_inst",
        inst_rows,
        [("id", pa.string()), ("ror", pa.string()), ("display_name", pa.string())],
    )
    _register(con, "_raw_country", country_rows, [("raw", pa.string()), ("country", pa.string())])
    return stats


def _register(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: dict[str, list[object]],
    key_fields: list[tuple[str, pa.DataType]],
) -> None:
    """Create temp table ``name`` from ``columns`` (an Arrow table under the hood)."""
    fields = key_fields + ([] if name == "_raw_country" else list(_VERDICT_FIELDS))
    schema = pa.schema(fields)
    table = pa.table({f.name: pa.array(columns[f.name], type=f.type) for f in schema}, schema)
    view = f"{name}_arrow"
    con.register(view, table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {view}")  # noqa: S608
    finally:
        con.unregister(view)
