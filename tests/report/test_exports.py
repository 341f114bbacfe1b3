"""Exports read back: CSV (neutralised), XLSX (strings, never formulas), Parquet (typed), FtM."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter

import duckdb
import pytest
from followthemoney import model
from openpyxl import load_workbook

from dualscope.fsutil import OUTPUT_MARKER
from dualscope.report.exports import export_csv, export_parquet, export_xlsx
from dualscope.report.ftm import export_ftm
from dualscope.report.synthetic import HOSTILE_AUTHOR, HOSTILE_TITLE
from dualscope.report.tables import TABLES
from dualscope.report.watchlist_facts import watchlist_facts

NAMES = [t.name for t in TABLES]


@pytest.fixture()
def con(report_store):
    c = duckdb.connect(str(report_store[0]), read_only=True)
    yield c
    c.close()


def _store_count(con, sql: str) -> int:
    return con.execute(sql).fetchone()[0]


def test_csv_folder_neutralises_formulas(con, tmp_path) -> None:
    out = tmp_path / "csv"
    counts = export_csv(con, out)
    assert sorted(p.stem for p in out.iterdir() if p.name != OUTPUT_MARKER) == sorted(NAMES)
    with (out / "works.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == counts["works"] == _store_count(con, "SELECT count(*) FROM screen_works")
    titles = {r["title"] for r in rows}
    # the hostile title starts with '<', so it stays verbatim; the formula author is neutralised
    assert HOSTILE_TITLE in titles
    with (out / "researchers.csv").open(encoding="utf-8", newline="") as handle:
        names = {r["name"] for r in csv.DictReader(handle)}
    assert "'" + HOSTILE_AUTHOR in names and HOSTILE_AUTHOR not in names
    for path in out.iterdir():
        for row in csv.reader(path.open(encoding="utf-8", newline="")):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")), (path.name, cell)


def test_csv_formula_title_is_neutralised(report_store, tmp_path) -> None:
    store = tmp_path / "s.duckdb"
    shutil.copy(report_store[0], store)
    w = duckdb.connect(str(store))
    w.execute("UPDATE screen_works SET title = '=HYPERLINK(\"http://x\")' WHERE work_id = 'W1001'")
    counts = export_csv(w, tmp_path / "csv")
    w.close()
    assert counts["works"] > 0
    text = (tmp_path / "csv" / "works.csv").read_text(encoding="utf-8")
    assert '\'=HYPERLINK(""http://x"")' in text


def test_xlsx_one_sheet_per_table_strings_not_formulas(con, tmp_path) -> None:
    out = tmp_path / "result.xlsx"
    counts = export_xlsx(con, out)
    wb = load_workbook(out, read_only=False)
    assert wb.sheetnames == NAMES
    for name in NAMES:
        assert wb[name].max_row == counts[name] + 1, name
    cells = [c for row in wb["researchers"].iter_rows() for c in row]
    hostile = [c for c in cells if c.value == HOSTILE_AUTHOR]
    assert hostile and all(c.data_type == "s" for c in hostile)
    assert not [c for ws in wb for row in ws.iter_rows() for c in row if c.data_type == "f"]
    titles = [c.value for c in wb["works"]["C"]]
    assert HOSTILE_TITLE in titles


def test_xlsx_strips_illegal_characters(report_store, tmp_path) -> None:
    store = tmp_path / "s.duckdb"
    shutil.copy(report_store[0], store)
    w = duckdb.connect(str(store))
    w.execute("UPDATE screen_works SET title = 'bad' || chr(1) || 'char' WHERE work_id = 'W1001'")
    export_xlsx(w, tmp_path / "r.xlsx")
    w.close()
    titles = [c.value for c in load_workbook(tmp_path / "r.xlsx")["works"]["C"]]
    assert "bad\ufffdchar" in titles


def test_parquet_typed_lists(con, tmp_path) -> None:
    out = tmp_path / "pq"
    counts = export_parquet(con, out)
    assert sorted(p.stem for p in out.iterdir() if p.name != OUTPUT_MARKER) == sorted(NAMES)
    check = duckdb.connect()
    works = out / "works.parquet"
    desc = {
        r[0]: r[1]
        for r in check.execute(f"DESCRIBE SELECT * FROM read_parquet('{works}')").fetchall()
    }
    assert desc["partner_countries"] == "VARCHAR[]" and desc["year"] == "INTEGER"
    n = check.execute(f"SELECT count(*) FROM read_parquet('{works}')").fetchone()[0]
    assert n == counts["works"]
    title = check.execute(
        f"SELECT title FROM read_parquet('{works}') WHERE work_id = 'W1000'"
    ).fetchone()[0]
    assert title == HOSTILE_TITLE  # typed data, no spreadsheet neutralisation


def test_ftm_entities_valid_and_linked(con, tmp_path) -> None:
    out = tmp_path / "entities.ftm.jsonl"
    n = export_ftm(con, out, facts=watchlist_facts())
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == n > 0
    proxies = [model.get_proxy(json.loads(line), cleaned=False) for line in lines]
    ids = {p.id for p in proxies}
    assert len(ids) == len(proxies)  # no duplicate ids
    schemata = Counter(p.schema.name for p in proxies)
    assert {"Organization", "Person", "Article", "Documentation", "Employment"} <= set(schemata)
    assert schemata["Article"] == _store_count(con, "SELECT count(*) FROM screen_works")
    for p in proxies:
        for prop, values in p.properties.items():
            if p.schema.get(prop).type.name == "entity":
                assert set(values) <= ids, (p.schema.name, prop)  # links resolve
    nudt = [
        p
        for p in proxies
        if p.schema.name == "Organization"
        and "National University of Defense Technology" in p.get("name")
    ]
    assert nudt and "cn" in nudt[0].get("country")
    assert any("Entity List" in note for note in nudt[0].get("notes"))  # list memberships
    titles = [t for p in proxies if p.schema.name == "Article" for t in p.get("title")]
    assert HOSTILE_TITLE in titles


def test_pseudonymised_exports_hold_no_names(report_store, tmp_path) -> None:
    store = tmp_path / "s.duckdb"
    shutil.copy(report_store[0], store)
    w = duckdb.connect(str(store))
    export_csv(w, tmp_path / "csv", pseudonymise=True)
    export_xlsx(w, tmp_path / "r.xlsx", pseudonymise=True)
    export_ftm(w, tmp_path / "e.jsonl", pseudonymise=True, facts=watchlist_facts())
    w.close()
    blobs = [p.read_text(encoding="utf-8") for p in (tmp_path / "csv").iterdir()]
    blobs.append((tmp_path / "e.jsonl").read_text(encoding="utf-8"))
    wb = load_workbook(tmp_path / "r.xlsx")
    blobs.append(" ".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row))
    for blob in blobs:
        for name in report_store[1].author_names:
            assert name not in blob, name
        assert "0000-0002-1825-0097" not in blob


def test_failed_export_leaves_previous_output(con, tmp_path, monkeypatch) -> None:
    out = tmp_path / "csv"
    export_csv(con, out)
    before = sorted((p.name, p.read_bytes()) for p in out.iterdir())

    import dualscope.report.exports as exports

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "write_csv", boom)
    with pytest.raises(RuntimeError):
        export_csv(con, out)
    assert sorted((p.name, p.read_bytes()) for p in out.iterdir()) == before
    assert [p.name for p in tmp_path.iterdir()] == ["csv"]


def test_export_never_replaces_a_folder_of_other_files(con, tmp_path) -> None:
    from dualscope.errors import DualscopeError

    documents = tmp_path / "Documents"
    documents.mkdir()
    (documents / "thesis.docx").write_text("precious", encoding="utf-8")
    for export in (export_csv, export_parquet):
        with pytest.raises(DualscopeError, match="holds other files"):
            export(con, documents)
    assert (documents / "thesis.docx").read_text(encoding="utf-8") == "precious"
    export_csv(con, tmp_path / "csv")
    export_csv(con, tmp_path / "csv")  # a previous export may be replaced


def test_export_target_kind_checked(con, tmp_path) -> None:
    from dualscope.errors import DualscopeError

    a_file = tmp_path / "result.xlsx"
    a_file.write_bytes(b"x")
    with pytest.raises(DualscopeError, match="is a file"):
        export_csv(con, a_file)
    assert a_file.read_bytes() == b"x"
    with pytest.raises(DualscopeError, match="is a folder"):
        export_xlsx(con, tmp_path)
    with pytest.raises(DualscopeError, match="is a folder"):
        export_ftm(con, tmp_path)
