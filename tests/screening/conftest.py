"""Fixtures for screening tests: a fake matcher/classifier with the real signatures, a corpus.

The fake matcher keeps the screening tests independent of the watchlist's content (the real
matcher is exercised end-to-end on the synthetic sample in test_screen_sample.py).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from dualscope.matching.types import Evidence, Match
from dualscope.screening.options import ScreenOptions
from dualscope.screening.run import screen

OA = "https://openalex.org/"


class FakeMatcher:
    """NUDT by id I9000000001 or by 'Def Technol'/'Defense Technology'; HIT; Tsinghua (civilian)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str | None, tuple[str, ...]]] = []

    def match(
        self, text: str | None, ids: Sequence[str] = (), country: str | None = None
    ) -> list[Match]:
        self.calls.append((text, tuple(ids)))
        found = []
        if any(i.endswith("I9000000001") for i in ids):
            found.append(
                _m(
                    "nudt",
                    "National University of Defense Technology",
                    "military",
                    "identifier",
                    "I9000000001",
                )
            )
        elif text and ("Def Technol" in text or "Defense Technology" in text):
            found.append(
                _m("nudt", "National University of Defense Technology", "military", "name", text)
            )
        if text and "Harbin Inst" in text:
            found.append(_m("hit", "Harbin Institute of Technology", "seven_sons", "abbrev", text))
        if text and "Tsinghua" in text:
            found.append(_m("tsinghua", "Tsinghua University", "civilian", "name", text))
        return found


def _m(entity_id: str, name: str, category: str, rule: str, text: str) -> Match:
    return Match(
        entity_id, name, category, 1.0, (Evidence(rule, f"matched {text!r} by {rule}", text, name),)
    )


class FakeHit:
    def __init__(self, area: str) -> None:
        self.area_id = area
        self.score = 0.9
        self.evidence = (f"title mentions {area}",)


class FakeClassifier:
    def classify(self, title, abstract=None, keywords=(), topics=()):  # type: ignore[no-untyped-def]
        text = f"{title} {abstract}".lower()
        return [FakeHit(a) for a in ("radar", "drones") if a in text]


def inst(n: int, name: str, country: str) -> dict[str, Any]:
    return {
        "id": f"{OA}I{n}",
        "ror": None,
        "display_name": name,
        "country_code": country,
        "type": "education",
        "lineage": [f"{OA}I{n}"],
    }


def author(
    name: str,
    raw: list[str],
    institutions: list[dict[str, Any]] | None = None,
    countries: list[str] | None = None,
    author_id: str | None = None,
) -> dict[str, Any]:
    institutions = institutions or []
    if countries is None:
        countries = sorted({i["country_code"] for i in institutions})
    return {
        "author": {"id": author_id, "display_name": name, "orcid": None},
        "institutions": institutions,
        "countries": countries,
        "raw_affiliation_strings": raw,
    }


NUDT_I = inst(9000000001, "National University of Defense Technology", "CN")
BOLOGNA = inst(9000000101, "University of Bologna", "IT")
TUM = inst(9000000102, "Technical University of Munich", "DE")
OXFORD = inst(9000000103, "University of Oxford", "GB")
HKU = inst(9000000104, "University of Hong Kong", "HK")
MIT = inst(9000000105, "Massachusetts Institute of Technology", "US")


def work(n: int, authorships: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    record = {
        "id": f"{OA}W{9000000000 + n}",
        "doi": f"https://doi.org/10.99999/t.{n}",
        "title": f"Work {n}",
        "publication_year": 2020,
        "updated_date": "2024-01-01",
        "authorships": authorships,
    }
    record.update(extra)
    return record


def corpus() -> list[dict[str, Any]]:
    """Small corpus with known answers (see EXPECTED)."""
    nudt_raw = "College of Computer, National University of Defense Technology, Changsha 410073"
    return [
        # 1 NUDT by id + Bologna (IT): flagged
        work(
            1,
            [
                author("Li Wei", ["NUDT, Changsha"], [NUDT_I], author_id="A1"),
                author("Mario Rossi", ["Univ Bologna"], [BOLOGNA], author_id="A2"),
            ],
            title="Radar imaging",
        ),
        # 2 raw-only NUDT + TUM (DE) + Oxford (GB): flagged, counts in DE and GB
        work(
            2,
            [
                author("Wang Fang", [nudt_raw]),
                author("Hans Meier", ["TU Munich"], [TUM], author_id="A3"),
                author("Jane Roe", ["Oxford"], [OXFORD], author_id="A4"),
            ],
        ),
        # 3 HIT abbreviation + partner known only from authorships.countries (IT)
        work(
            3,
            [
                author("Zhao Lei", ["Harbin Inst Technol, Harbin 150001, Peoples R China"]),
                author("Anna Verdi", ["Dipartimento di Fisica, Pisa"], [], ["IT"]),
            ],
        ),
        # 4 NUDT + partner known only from the raw string (Germany): flagged, basis raw_string
        work(
            4,
            [
                author("Chen Jie", ["Natl Univ Def Technol, Changsha, Peoples R China"]),
                author(
                    "Karl Berg",
                    ["Institut fur Physik, Universitat Hamburg, Hamburg, Germany"],
                    [],
                    [],
                ),
            ],
            title="Drones in formation",
        ),
        # 5 NUDT + Hong Kong and MIT partners only: not flagged for Europe
        work(
            5,
            [
                author("Sun Hao", [nudt_raw]),
                author("Ho Ka", ["HKU"], [HKU]),
                author("Bob Smith", ["MIT"], [MIT]),
            ],
        ),
        # 6 civilian Tsinghua + Bologna: flagged only with --categories all
        work(
            6,
            [
                author(
                    "Xu Ming",
                    ["Tsinghua University, Beijing"],
                    [inst(9000000201, "Tsinghua University", "CN")],
                ),
                author("Paolo Neri", ["Univ Bologna"], [BOLOGNA], author_id="A5"),
            ],
        ),
        # 7 European-only: not a candidate hit
        work(
            7, [author("Eva Lund", ["TU Munich"], [TUM]), author("Jon Doe", ["Oxford"], [OXFORD])]
        ),
        # 8 same DOI as 1 under another id (e.g. a second record): merged into W9000000001
        work(
            8,
            [
                author("Li Wei", ["Natl Univ Def Technol"], []),
                author("Mario Rossi", ["Univ Bologna"], [BOLOGNA], author_id="A2"),
            ],
            doi="https://doi.org/10.99999/t.1",
        ),
        # 9 dual affiliation: one author at NUDT and Oxford: flagged (GB)
        work(
            9,
            [author("Liu Yang", ["Oxford", nudt_raw], [OXFORD])],
            publication_year=2012,
            title='=HYPERLINK("http://evil")',
        ),
        # 10 flagged but published 2010 (outside --since 2011)
        work(
            10,
            [
                author("Gao Bo", [nudt_raw]),
                author("Mario Rossi", ["Univ Bologna"], [BOLOGNA], author_id="A2"),
            ],
            publication_year=2010,
        ),
    ]


@pytest.fixture()
def components() -> tuple[FakeMatcher, FakeClassifier, str]:
    return FakeMatcher(), FakeClassifier(), "test-watchlist 1"


@pytest.fixture()
def corpus_file(tmp_path: Path) -> Path:
    path = tmp_path / "works.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in corpus()), encoding="utf-8")
    return path


NUDT_AUTHOR = author("Li Wei", ["NUDT, Changsha"], [NUDT_I], author_id="A1")


def screen_tables(
    folder: Path, works: list[dict[str, Any]], components: Any
) -> dict[str, list[dict[str, str]]]:
    """Screen ``works`` with the default options in ``folder`` (its ``out/`` holds the files);
    the works, countries, researchers and institutions tables as rows."""
    folder.mkdir(exist_ok=True)
    path = folder / "works.jsonl"
    path.write_text("".join(json.dumps(w) + "\n" for w in works), encoding="utf-8")
    out = folder / "out"
    screen(folder / "s.duckdb", out, ScreenOptions(), files=[path], components=components)
    tables = {}
    for name in ("works", "countries", "researchers", "institutions"):
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            tables[name] = list(csv.DictReader(handle))
    return tables
