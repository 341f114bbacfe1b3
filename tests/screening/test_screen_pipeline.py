"""End-to-end screening on a small synthetic corpus with known answers (fake matcher)."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dualscope.errors import DualscopeError
from dualscope.geo.countries import EUROPE
from dualscope.screening.options import ScreenOptions, parse_categories
from dualscope.screening.run import screen

WORKS_HEADER = (
    "work_id,doi,title,year,entities,categories,partner_countries,partner_institutions,areas,"
    "evidence"
)


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _run(tmp_path: Path, files: list[Path], components: Any, name: str = "out", **opts: Any):
    return screen(
        tmp_path / f"{name}.duckdb",
        tmp_path / name,
        ScreenOptions(**opts),
        files=files,
        components=components,
    )


def test_flags_exactly_the_expected_works_and_counts_each_country(
    tmp_path, corpus_file, components
):
    run = _run(tmp_path, [corpus_file], components)
    out = tmp_path / "out"
    works = {r["work_id"]: r for r in _csv(out / "works.csv")}
    assert sorted(works) == [
        "W9000000001", "W9000000002", "W9000000003", "W9000000004", "W9000000009",
        "W9000000010",
    ]  # fmt: skip
    assert (out / "works.csv").read_text(encoding="utf-8").splitlines()[0] == WORKS_HEADER
    assert works["W9000000002"]["partner_countries"] == "DE;GB"
    assert works["W9000000003"]["entities"] == "Harbin Institute of Technology"
    assert works["W9000000003"]["categories"] == "seven_sons"
    assert works["W9000000001"]["entities"] == "National University of Defense Technology"
    assert works["W9000000001"]["areas"] == "radar"
    countries = {r["country"]: r for r in _csv(out / "countries.csv")}
    assert {c: (r["works"], r["researchers"], r["institutions"]) for c, r in countries.items()} == {
        "IT": ("3", "2", "2"),
        "DE": ("2", "2", "2"),
        "GB": ("2", "2", "1"),
    }
    summary = json.loads((out / "summary.json").read_text())
    assert summary["flagged"] == 6
    assert summary["works_read"] == 10
    assert summary["countries"] == {"IT": 3, "DE": 2, "GB": 2}
    assert summary["duplicates"]["merged_by_doi"] == 1
    assert summary["watchlist_version"] == "test-watchlist 1"
    assert summary["options"]["categories"] == ["military", "seven_sons"]
    assert summary["records_skipped"] == {"total": 0, "by_reason": {}, "first": []}
    assert run.summary == summary
    assert (out / "report.html").stat().st_size > 0


def test_partner_country_basis_and_evidence_name_author_affiliation_and_rule(
    tmp_path, corpus_file, components
):
    _run(tmp_path, [corpus_file], components)
    con = duckdb.connect(str(tmp_path / "out.duckdb"), read_only=True)
    bases = dict(
        con.execute(
            "SELECT work_id, list(DISTINCT basis ORDER BY basis) FROM screen_partners GROUP BY 1"
        ).fetchall()
    )
    assert bases["W9000000003"] == ["authorships.countries"]
    assert bases["W9000000004"] == ["raw_string"]
    assert bases["W9000000001"] == ["institution"]
    evidence = con.execute(
        "SELECT evidence FROM screen_works WHERE work_id = 'W9000000001'"
    ).fetchone()[0]
    # Merged by DOI: the identifier evidence of W..01 and the name evidence of W..08.
    assert "author 1 Li Wei: 'National University of Defense Technology [" in evidence
    assert "by identifier" in evidence
    assert "'Natl Univ Def Technol' -> National University of Defense Technology" in evidence
    assert "partner University of Bologna (IT, from institution)" in evidence
    matches = con.execute("SELECT DISTINCT work_id FROM screen_matches ORDER BY 1").fetchall()
    assert ("W9000000008",) not in matches  # merged rows carry the group's id


def test_near_misses_and_non_european_partners_are_not_flagged(tmp_path, corpus_file, components):
    _run(tmp_path, [corpus_file], components)
    flagged = {r["work_id"] for r in _csv(tmp_path / "out" / "works.csv")}
    assert "W9000000005" not in flagged  # NUDT with Hong Kong and US partners only
    assert "W9000000006" not in flagged  # civilian tracker university, default categories
    assert "W9000000007" not in flagged  # European-only


def test_categories_all_adds_civilian_tracker_universities(tmp_path, corpus_file, components):
    _run(tmp_path, [corpus_file], components, categories=parse_categories("all"))
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["flagged"] == 7
    assert summary["countries"]["IT"] == 4
    assert summary["entities"]["Tsinghua University"] == 1


def test_since_until_and_focus_countries_restrict(tmp_path, corpus_file, components):
    _run(tmp_path, [corpus_file], components, since=2011)
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["flagged"] == 5 and summary["works_read"] == 9
    _run(tmp_path, [], components, name="out", countries=frozenset({"HK"}))
    hk = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert hk["countries"] == {"HK": 1}


def test_csv_cells_that_look_like_formulas_are_neutralised(tmp_path, corpus_file, components):
    _run(tmp_path, [corpus_file], components)
    rows = {r["work_id"]: r for r in _csv(tmp_path / "out" / "works.csv")}
    assert rows["W9000000009"]["title"] == '\'=HYPERLINK("http://evil")'


def test_bad_lines_and_a_truncated_gzip_copy_screen_like_the_clean_file(
    tmp_path, corpus_file, components
):
    clean = _run(tmp_path, [corpus_file], components, name="clean")
    lines = corpus_file.read_text(encoding="utf-8").splitlines()
    dirty = tmp_path / "dirty.jsonl"
    mixed = []
    for i, line in enumerate(lines):
        mixed.append(line)
        mixed.append("{not json" if i % 2 else '{"authorships": "x", "id": 5}')
    dirty.write_text("\n".join(mixed) + "\n", encoding="utf-8")
    cut = tmp_path / "cut.jsonl.gz"
    data = gzip.compress(("\n".join(lines[:3]) + "\n").encode(), mtime=0)
    cut.write_bytes(data[:-12])  # the gzip trailer and last bytes are missing
    run = _run(tmp_path, [dirty, cut], components, name="dirty")
    assert run.summary["records_skipped"]["total"] == len(lines) + 1
    assert run.summary["records_skipped"]["by_reason"]["gzip stream cut off or corrupt"] == 1
    for name in ("works.csv", "countries.csv", "entities.csv", "institutions.csv", "areas.csv"):
        assert (tmp_path / "dirty" / name).read_text() == (tmp_path / "clean" / name).read_text()
    assert clean.summary["flagged"] == run.summary["flagged"]


def test_rerun_replaces_the_previous_result_and_output_folder(tmp_path, corpus_file, components):
    _run(tmp_path, [corpus_file], components)
    (tmp_path / "out" / "stale.txt").write_text("from an older run")
    _run(tmp_path, [corpus_file], components)
    assert not (tmp_path / "out" / "stale.txt").exists()
    con = duckdb.connect(str(tmp_path / "out.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM screen_works").fetchone() == (6,)


def test_each_distinct_affiliation_is_resolved_once(tmp_path, corpus_file, components):
    matcher = components[0]
    _run(tmp_path, [corpus_file], components)
    texts = [c[0] for c in matcher.calls if not c[1]]
    assert len(texts) == len(set(texts))
    assert "Univ Bologna" in texts


def test_an_empty_store_and_bad_options_are_clear_errors(tmp_path, components):
    with pytest.raises(DualscopeError, match="holds no works"):
        _run(tmp_path, [], components)
    with pytest.raises(DualscopeError, match="unknown category 'militar'"):
        parse_categories("militar")
    with pytest.raises(DualscopeError, match="after --until"):
        ScreenOptions(since=2020, until=2010, countries=EUROPE)


def test_an_institution_without_country_code_falls_back_to_the_raw_string(tmp_path, components):
    def authorship(name: str, raw: str, institutions: list[dict[str, Any]]) -> dict[str, Any]:
        author = {"id": None, "display_name": name, "orcid": None}
        return {"author": author, "institutions": institutions, "countries": [],
                "raw_affiliation_strings": [raw]}  # fmt: skip

    padova = {"id": "https://openalex.org/I9000000301", "display_name": "Universita di Padova",
              "country_code": None}  # fmt: skip
    record = {
        "id": "https://openalex.org/W9000000020",
        "publication_year": 2021,
        "authorships": [
            authorship("Zhou Li", "Natl Univ Def Technol, Changsha, Peoples R China", []),
            authorship("Sara Bruni", "Universita di Padova, Padova, Italy", [padova]),
        ],
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n")
    run = _run(tmp_path, [path], components)
    assert run.summary["countries"] == {"IT": 1}
