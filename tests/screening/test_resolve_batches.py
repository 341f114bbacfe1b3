"""resolve._batches cuts DuckDB's Arrow stream into the batches fetchmany would give: the
institutions' pre-filter chooses its anchors from the first batch, so batch sizes matter."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from dualscope.screening.resolve import _batches


@pytest.mark.parametrize("size", [1, 3, 7, 10, 50])
def test_batches_have_the_size_of_fetchmany_and_keep_the_rows_in_order(size: int) -> None:
    parts = [pa.record_batch({"x": pa.array(range(start, stop), pa.int64())}) for start, stop in
             [(0, 4), (4, 5), (5, 5), (5, 12), (12, 20)]]  # fmt: skip
    reader = pa.RecordBatchReader.from_batches(parts[0].schema, parts)
    tables = list(_batches(reader, size))
    assert [t.num_rows for t in tables[:-1]] == [size] * (len(tables) - 1)
    assert 0 < tables[-1].num_rows <= size
    assert [v for t in tables for v in t.column("x").to_pylist()] == list(range(20))


def test_batches_of_a_duckdb_reader_match_fetchmany() -> None:
    con = duckdb.connect()
    sql = "SELECT i, 'n' || i AS name FROM range(10000) t(i) ORDER BY i"
    result = con.execute(sql)
    expected = []
    while batch := result.fetchmany(2500):
        expected.append(batch)
    got = [
        list(zip(*(c.to_pylist() for c in t.columns), strict=True))
        for t in _batches(con.sql(sql).to_arrow_reader(2500), 2500)
    ]
    assert got == expected


def test_an_empty_reader_gives_no_batch() -> None:
    schema = pa.schema([("x", pa.int64())])
    assert list(_batches(pa.RecordBatchReader.from_batches(schema, []), 5)) == []
