"""A partner known only by its raw string counts as its organisation, not its department."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from typer.testing import CliRunner

from dualscope.cli import app


def _work(n: int, partner: str) -> dict[str, object]:
    return {
        "id": f"https://openalex.org/W900000010{n}",
        "title": f"Work {n}",
        "publication_year": 2021,
        "updated_date": "2024-01-01",
        "authorships": [
            {
                "author_position": "first",
                "author": {"id": None, "display_name": "Wei Zhang", "orcid": None},
                "institutions": [],
                "countries": [],
                "raw_affiliation_strings": [
                    "Coll Comp, Natl Univ Def Technol, Changsha 410073, Peoples R China"
                ],
            },
            {
                "author_position": "last",
                "author": {"id": None, "display_name": f"Ann Smith{n}", "orcid": None},
                "institutions": [],
                "countries": [],
                "raw_affiliation_strings": [partner],
            },
        ],
    }


def test_two_departments_of_one_university_are_one_institution(tmp_path: Path) -> None:
    corpus = tmp_path / "works.jsonl"
    works = [
        _work(1, "Dept Phys, Univ Oxford, Oxford OX1 3PU, England"),
        _work(2, "Dept Engn Sci, Univ Oxford, Parks Rd, Oxford, England"),
    ]
    corpus.write_text("\n".join(json.dumps(w) for w in works) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["screen", str(corpus), "--db", str(tmp_path / "s.duckdb"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with open(out / "countries.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [{"country": "GB", "works": "2", "researchers": "2", "institutions": "1"}]
    with open(out / "works.csv", encoding="utf-8") as handle:
        partners = {row["partner_institutions"] for row in csv.DictReader(handle)}
    assert partners == {"Univ Oxford"}
