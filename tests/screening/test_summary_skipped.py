"""summary.json says where the skipped records are, not only how many."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dualscope.cli import app

WORK = {
    "id": "https://openalex.org/W9000000001",
    "title": "A plain work",
    "publication_year": 2020,
    "updated_date": "2024-01-01",
    "authorships": [],
}


def test_summary_locates_the_first_skipped_records(tmp_path: Path) -> None:
    corpus = tmp_path / "works.jsonl"
    lines = [json.dumps(WORK), "{not json", json.dumps({**WORK, "id": None})]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["screen", str(corpus), "--db", str(tmp_path / "s.duckdb"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    skipped = json.loads((out / "summary.json").read_text(encoding="utf-8"))["records_skipped"]
    assert skipped["total"] == 2
    assert sum(skipped["by_reason"].values()) == 2
    assert [(Path(f["file"]).name, f["line"]) for f in skipped["first"]] == [
        ("works.jsonl", 2),
        ("works.jsonl", 3),
    ]
    assert all(f["reason"] for f in skipped["first"])
