"""Issue 6 acceptance: an unseen, abbreviated Web of Science export is screened exactly.

`data/acceptance_wos.txt` (82 records) was written for this test and never used to build the
readers or the matcher: abbreviated addresses only (`Natl Univ Def Technol`, `Acad Mil Sci`,
`Acad Mil Med Sci`, `Natl Def Univ, Beijing`, `PLA Informat Engn Univ`, `Naval Univ Engn`,
`PLA Univ Sci & Technol`, `China Acad Engn Phys`, the Seven Sons), UK nations
(England/Scotland/Wales/North Ireland), seven other European countries, non-European partners
(USA, Australia, Singapore, Canada, Japan, Taiwan, Hong Kong), older records without
`[Author]` groups, multi-line `C1`, dual affiliations, and near misses (`Beijing Univ Technol`,
`Northwest Univ`, `Nanjing Univ`, `Zhengzhou Univ, Sch Informat Engn`, `Harbin Med Univ`,
National Defense Universities in Washington and Helsinki). `data/acceptance_wos_expected.csv`
holds the result each record must get by construction (default screening: categories
military + seven_sons, focus countries Europe): flagged or not, the entities, the partner
countries.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from typer.testing import CliRunner

from dualscope.cli import app

DATA = Path(__file__).parent / "data"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_unseen_abbreviated_wos_export_is_screened_exactly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        ["screen", str(DATA / "acceptance_wos.txt"), "--db", str(tmp_path / "s.duckdb"),
         "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    expected = {row["work_id"]: row for row in _rows(DATA / "acceptance_wos_expected.csv")}
    assert len(expected) == 82
    want = {k for k, row in expected.items() if row["flagged"] == "1"}
    got = {row["work_id"]: row for row in _rows(out / "works.csv")}

    true_positives = want & set(got)
    precision = len(true_positives) / len(got)
    recall = len(true_positives) / len(want)
    assert (precision, recall) == (1.0, 1.0), (
        f"missed {sorted(want - set(got))}, wrongly flagged {sorted(set(got) - want)}"
    )
    for work_id in want:
        row, truth = got[work_id], expected[work_id]
        assert set(row["entities"].split(";")) == set(truth["entities"].split(";")), work_id
        assert row["partner_countries"] == truth["partner_countries"], (work_id, truth["case"])

    # exact per-country counts: a work counts once per partner country
    per_country = Counter(c for k in want for c in expected[k]["partner_countries"].split(";"))
    countries = {row["country"]: int(row["works"]) for row in _rows(out / "countries.csv")}
    assert countries == dict(per_country)
    assert countries == {
        "GB": 20, "DE": 4, "NL": 4, "NO": 4, "CH": 3, "CZ": 3, "IT": 3, "FI": 2, "SE": 2,
    }  # fmt: skip
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["works_read"] == 82
    assert summary["records_skipped"]["total"] == 0
    assert summary["flagged"] == 39
