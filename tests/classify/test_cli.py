"""`dualscope areas` and `dualscope classify` through typer's CliRunner."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dualscope.classify.taxonomy import EU_AREA_IDS, SUB_AREA_IDS
from dualscope.cli import app

runner = CliRunner()


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {r["id"]: r for r in csv.DictReader(handle)}


def test_areas_json_lists_every_area() -> None:
    result = runner.invoke(app, ["areas", "--json"])
    assert result.exit_code == 0, result.output
    areas = json.loads(result.stdout)
    assert [a["id"] for a in areas][:10] == list(EU_AREA_IDS)
    by_id = {a["id"]: a for a in areas}
    assert set(SUB_AREA_IDS) <= set(by_id)
    assert by_id["radar"]["parent"] == "sensing"
    assert by_id["radar"]["phrases"] > 10 and by_id["radar"]["topics"] > 0


def test_areas_table() -> None:
    result = runner.invoke(app, ["areas"])
    assert result.exit_code == 0
    assert "uav-navigation" in result.stdout and "robotics-autonomy" in result.stdout


def test_classify_csv(tmp_path: Path) -> None:
    source = tmp_path / "works.csv"
    source.write_text(
        "id,title,abstract,keywords\n"
        'w1,Deep face recognition with margin losses,"We verify identities.",biometrics;faces\n'
        "w2,Soil carbon under no-till farming,Meta-analysis of 300 studies.,\n"
        'w3,"A note","GNSS spoofing detection with two antennas. GNSS receivers.",\n',
        encoding="utf-8",
    )
    out = tmp_path / "out" / "areas.csv"
    result = runner.invoke(app, ["classify", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert list(rows) == ["w1", "w2", "w3"]
    assert rows["w1"]["areas"].split(";") == ["face-recognition", "ai"]
    assert '[face-recognition] title: "face recognition"' in rows["w1"]["evidence"]
    assert "[ai] via sub-area face-recognition" in rows["w1"]["evidence"]
    assert rows["w2"]["areas"] == "" and rows["w2"]["evidence"] == ""
    assert set(rows["w3"]["areas"].split(";")) == {"gnss-navigation", "connectivity-navigation"}
    assert "classified 3 work(s), 2 with at least one area" in result.stdout


def _work(work_id: str, title: str, **extra: object) -> str:
    return json.dumps({"id": work_id, "title": title, **extra})


def test_classify_openalex_jsonl_gz(tmp_path: Path) -> None:
    lines = [
        _work(
            "https://openalex.org/W1",
            "A benchmark for walking-style identification",
            abstract_inverted_index={"Silhouettes": [0], "of": [1], "walkers.": [2]},
            keywords=[{"id": "k", "display_name": "Gait recognition"}],
            primary_topic={
                "id": "https://openalex.org/T12740",
                "display_name": "Gait Recognition and Analysis",
            },
            topics=[
                {
                    "id": "https://openalex.org/T12740",
                    "display_name": "Gait Recognition and Analysis",
                }
            ],
        ),
        _work(
            "https://openalex.org/W2",
            "Soil fungi",
            abstract_inverted_index={"Fungi": [0], "grow.": [1]},
        ),
    ]
    source = tmp_path / "works.jsonl.gz"
    with gzip.open(source, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    out = tmp_path / "areas.csv"
    result = runner.invoke(app, ["classify", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert rows["https://openalex.org/W1"]["areas"].split(";")[0] == "gait-reid"
    evidence = rows["https://openalex.org/W1"]["evidence"]
    assert '[gait-reid] keywords: "Gait recognition"' in evidence
    assert "topic T12740 Gait Recognition and Analysis (core)" in evidence
    assert rows["https://openalex.org/W2"]["areas"] == ""


def test_bad_records_are_skipped_counted_and_warned(tmp_path: Path) -> None:
    source = tmp_path / "works.jsonl"
    source.write_text(
        _work("W1", "Radar waveform design")
        + "\n{not json\n"
        + json.dumps(["a list"])
        + "\n"
        + json.dumps({"title": "no id"})
        + "\n"
        + _work("W5", "Scramjet combustion")
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "areas.csv"
    result = runner.invoke(app, ["classify", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert list(_rows(out)) == ["W1", "W5"]
    assert "line 2: not valid JSON" in result.stderr
    assert "line 3: not a JSON object" in result.stderr
    assert "line 4: no id" in result.stderr
    assert "skipped 3 record(s)" in result.stderr


def test_strict_stops_at_the_first_bad_record_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "works.csv"
    source.write_text("id,title,abstract\nw1,Radar,x\n,No id,y\n", encoding="utf-8")
    out = tmp_path / "areas.csv"
    result = runner.invoke(app, ["classify", str(source), "--out", str(out), "--strict"])
    assert result.exit_code != 0
    assert "line 3: no id" in str(result.exception)
    assert not out.exists()
    assert not list(tmp_path.glob(".areas.csv.*"))


def test_csv_without_required_columns_is_a_user_error(tmp_path: Path) -> None:
    source = tmp_path / "works.csv"
    source.write_text("id,name\n1,x\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", str(source), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code != 0
    assert "missing columns ['title', 'abstract']" in str(result.exception)


def test_unknown_format_is_a_user_error(tmp_path: Path) -> None:
    source = tmp_path / "works.xlsx"
    source.write_bytes(b"PK")
    result = runner.invoke(app, ["classify", str(source), "--out", str(tmp_path / "o.csv")])
    assert "unknown input format" in str(result.exception)


def test_classify_real_openalex_records(shared_raw: Path, tmp_path: Path) -> None:
    """Real (2022-schema) OpenAlex works: read without loss, every label with evidence."""
    source = shared_raw / "openalex-works-sample" / "tu9_cn_coauthored_subset.jsonl"
    if not source.is_file():
        pytest.skip(f"{source} is absent")
    out = tmp_path / "areas.csv"
    result = runner.invoke(app, ["classify", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert len(rows) == 4
    for row in rows.values():
        assert bool(row["areas"]) == bool(row["evidence"])
    assert rows["https://openalex.org/W3048672457"]["areas"] == "robotics-autonomy"
