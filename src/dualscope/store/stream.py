"""Staging a JSON Lines file through the ingest filter as DuckDB reads it.

Without a filter, ingest stages a file with one ``CREATE TABLE ... AS SELECT ... FROM
read_json(...)`` (:data:`dualscope.store.ingest.STAGE_FROM_JSON`). With a filter that keeps
only the works a screening could flag (:mod:`dualscope.screening.screenable`), materialising
every work's authorships, abstract and topics, then reading the authorships back out for the
filter, only to drop most of them, is wasted work. So the same ``SELECT`` streams to Arrow in
batches, and for each batch:

- the filter picks the works to keep in full (:meth:`KeepFilter.batch_rows`);
- so do the **DOI siblings** of those works, in this batch or earlier in the file, and of the
  works kept in full in the store (records of one paper from two sources are screened
  together; the same rule as ``screening.screenable.WITH_DOI_SIBLINGS``);
- every work's slim columns, and the details of the works kept, are appended to
  ``_ingest_stage`` in file order (``_ingest_keep`` names the rows kept).

What the one-statement staging does in one go, this does in the same transaction, with the
same problem checks (a raw affiliation string over the field limit is caught here, as the
authorships of slim works are never staged). Two cases it leaves to the one-statement staging:

- a store holding more than :data:`TWINS_LIMIT` DOIs of works stored in full (the sibling
  look-up lives in memory);
- a sibling that comes *before* the work that makes it one, in an earlier batch of the same
  file: it is staged slim, and ``ingest._reread_slim_siblings`` reads the file again (the
  kept work is then in the store), as it does for a sibling in a file ingested earlier.

The filter may still be loading (the matcher loads in a thread while DuckDB reads): up to
:data:`MAX_PENDING` batches wait for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from dualscope.store.ingest import (
    DETAIL_COLUMNS,
    FIELD_LIMIT,
    READ_COLUMNS,
    STAGE_FROM_JSON,
    STAGE_SELECT,
)

if TYPE_CHECKING:
    from dualscope.store.ingest import KeepFilter

STAGED = "staged"  # _ingest_stage and _ingest_keep are ready
PROBLEM = "problem"  # a record the line-numbered path must look at
UNSUITABLE = "unsuitable"  # stage with one statement instead

BATCH_ROWS = 20_000
MAX_PENDING = 4  # batches read ahead while the filter loads
# Measured on the 100,000-work bench, staging with the filter, seven runs each: 10 MB (the
# default) 1.41 s best, 1.57 s median; 40 MB 1.30 s and 1.37 s; 80 MB or 300 MB no better
# (a fuller buffer delays the first batch).
STREAM_BUFFER = "40MB"
TWINS_LIMIT = 500_000

# At most $limit + 1 rows: one more than TWINS_LIMIT says the store has too many.
_STORE_TWINS = """
SELECT doi, CASE WHEN count(DISTINCT work_id) = 1 THEN min(work_id) END
FROM works WHERE screenable IS NOT FALSE AND doi IS NOT NULL
GROUP BY doi
LIMIT $limit + 1
"""
# One streamed batch as staged rows: the columns (and JSON types) of STAGE_FROM_JSON, details
# only for the works kept, and _kept to find their rowids (rowids inside a transaction are
# not positions).
_AS_STAGED = """
SELECT work_id, doi_key, id, doi, title, display_name, updated_date,
       CAST(publication_year AS JSON) AS publication_year,
       CAST(abstract_inverted_index AS JSON) AS abstract_inverted_index,
       keywords, topics, authorships, _text_types, _kept
FROM {view}
"""


class _Twins:
    """DOI → the work id of the works stored in full with it (``None``: several)."""

    def __init__(self, known: dict[str, str | None]) -> None:
        self.known = known

    @classmethod
    def of_store(cls, con: duckdb.DuckDBPyConnection) -> _Twins | None:
        """The store's works stored in full; ``None`` when there are too many to hold."""
        rows = con.execute(_STORE_TWINS, {"limit": TWINS_LIMIT}).fetchall()
        if len(rows) > TWINS_LIMIT:
            return None
        return cls({str(d): w for d, w in rows})

    def siblings(self, dois: pa.Array, ids: pa.Array) -> list[int]:
        """Positions whose DOI a work with another id, stored in full, shares (the DOIs are
        looked up in bulk; Python sees only the rows holding a known one)."""
        if not self.known:
            return []
        known = pa.array(list(self.known), type=pa.string())
        candidates = pc.indices_nonzero(pc.fill_null(pc.is_in(dois, value_set=known), False))
        found = []
        for position, doi, work_id in zip(
            candidates.to_pylist(),
            pc.take(dois, candidates).to_pylist(),
            pc.take(ids, candidates).to_pylist(),
            strict=True,
        ):
            twin = self.known[doi]
            if twin is None or twin != work_id:
                found.append(position)
        return found

    def add(self, doi: str | None, work_id: str | None) -> None:
        if doi is None:
            return
        if doi in self.known and self.known[doi] != work_id:
            self.known[doi] = None
        else:
            self.known[doi] = work_id


def stream_stage(con: duckdb.DuckDBPyConnection, read_path: Any, keep: KeepFilter) -> str:
    """Stage ``read_path`` into ``_ingest_stage`` and ``_ingest_keep`` through ``keep``, in the
    caller's transaction. Returns :data:`STAGED`, :data:`PROBLEM` (a raw affiliation string
    over the field limit) or :data:`UNSUITABLE` (nothing staged)."""
    twins = _Twins.of_store(con)
    if twins is None:
        return UNSUITABLE
    reading = con.cursor()  # the main connection stays free for the appends
    # While the filter works on one batch, DuckDB goes on reading only until this much waits
    # for Python (default 10 MB, a few thousand rows); 40 MB lets the two overlap more.
    reading.execute(f"SET streaming_buffer_size = '{STREAM_BUFFER}'")
    try:
        reader = reading.sql(
            STAGE_SELECT, params={"path": str(read_path), "columns": READ_COLUMNS}
        ).to_arrow_reader(BATCH_ROWS)
        stager = _Stager(con, keep, twins)
        # DuckDB hands over a few thousand rows at a time: gather BATCH_ROWS (the filter's
        # per-call work is per distinct word), and more while the filter is still loading.
        pending: list[pa.RecordBatch] = []
        rows = 0
        for batch in reader:
            pending.append(batch)
            rows += batch.num_rows
            if rows < BATCH_ROWS or (rows < MAX_PENDING * BATCH_ROWS and not keep.ready()):
                continue
            if not stager.add(pa.Table.from_batches(pending)):
                return PROBLEM
            pending, rows = [], 0
        if pending and not stager.add(pa.Table.from_batches(pending)):
            return PROBLEM
        stager.finish(read_path)
    finally:
        reading.close()
    return STAGED


class _Stager:
    """Appends streamed batches to ``_ingest_stage``, in file order."""

    def __init__(self, con: duckdb.DuckDBPyConnection, keep: KeepFilter, twins: _Twins) -> None:
        self.con = con
        self.keep = keep
        self.twins = twins
        self.state: Any = None
        self.created = False

    def add(self, batch: pa.Table) -> bool:
        """Stage one batch (the record batches DuckDB handed over, as chunks: never joined, as
        that would copy every column); ``False`` when it holds a raw string over the field
        limit."""
        authorships = batch.column("authorships")
        raw = pc.list_flatten(
            pc.struct_field(pc.list_flatten(authorships), "raw_affiliation_strings")
        )
        longest = pc.max(pc.utf8_length(raw)).as_py() if len(raw) else 0
        if longest is not None and longest > FIELD_LIMIT:
            return False
        rows, self.state = self.keep.batch_rows(authorships, self.state)
        # New arrays only (a copy of the slim columns here, a take of the details below):
        # DuckDB keeps what it scans alive until the transaction ends, and one column of
        # DuckDB's record batch would keep the whole batch, every work's authorships included
        # (1,000,000 works: 3.2 GB).
        slim = {
            name: batch.column(name).combine_chunks()
            for name in batch.schema.names
            if name not in DETAIL_COLUMNS
        }
        dois, ids = slim["doi_key"].cast(pa.string()), slim["work_id"]
        # Rows of this batch and later ones are siblings of the works the filter kept (not of
        # their siblings), as in the one-statement staging's WITH_DOI_SIBLINGS.
        hits = pa.array(rows, type=pa.int64())
        for doi, work_id in zip(
            pc.take(dois, hits).to_pylist(), pc.take(ids, hits).to_pylist(), strict=True
        ):
            self.twins.add(doi, work_id)
        kept = sorted(set(rows).union(self.twins.siblings(dois, ids)))
        # details where kept, null elsewhere (a null index takes a null)
        chosen = set(kept)
        picks = pa.array(
            [i if i in chosen else None for i in range(batch.num_rows)], type=pa.int64()
        )
        columns = {
            name: slim[name] if name in slim else batch.column(name).take(picks)
            for name in batch.schema.names
        }
        columns["_kept"] = pc.is_valid(picks)
        self._append(pa.table(columns))
        return True

    def _append(self, table: pa.Table) -> None:
        view = "_ingest_stream_arrow"
        self.con.register(view, table)
        try:
            rows = _AS_STAGED.format(view=view)
            if self.created:
                self.con.execute(f"INSERT INTO _ingest_stage {rows}")
            else:
                self.con.execute(f"CREATE OR REPLACE TEMP TABLE _ingest_stage AS {rows}")
                self.created = True
        finally:
            self.con.unregister(view)

    def finish(self, read_path: Any) -> None:
        """``_ingest_keep``: the rowids of the rows kept in full."""
        if not self.created:  # an empty file: the empty stage, as read
            self.con.execute(STAGE_FROM_JSON, {"path": str(read_path), "columns": READ_COLUMNS})
            self.con.execute("CREATE OR REPLACE TEMP TABLE _ingest_keep (row BIGINT)")
            return
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE _ingest_keep AS "
            "SELECT rowid AS row FROM _ingest_stage WHERE _kept"
        )
