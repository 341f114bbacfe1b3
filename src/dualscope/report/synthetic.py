"""A small synthetic screened store: for report/web tests, the web benchmark and demos.

It writes the ``screen_*`` tables (the schema contract of :mod:`dualscope.store.schema`) with
invented works: institutions and people are fictitious except the watchlist entity names, which
are real public list entries. Optionally it adds hostile strings (script tags, spreadsheet
formulas, HTML attribute breakers, right-to-left text) so tests can prove they are shown as text.
Nothing here is a research finding.
"""

from __future__ import annotations

import json
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dualscope.store.schema import ALL_TABLES

HOSTILE_TITLE = '<script>alert(1)</script> =HYPERLINK("http://x") "><img src=x onerror=alert(1)>'
HOSTILE_AUTHOR = '=HYPERLINK("http://x","Zed")'
HOSTILE_INSTITUTION = '"><img src=x onerror=alert(1)> Université ‮Ωmega‬ جامعة'

# Real watchlist entities (public ASPI tracker entries) with invented evidence.
ENTITIES = (
    ("nudt", "National University of Defense Technology", "military", "Natl Univ Def Technol"),
    ("hit", "Harbin Institute of Technology", "seven_sons", "Harbin Inst Technol"),
    ("beihang", "Beihang University", "seven_sons", "Beihang Univ"),
    ("caep", "China Academy of Engineering Physics", "defence_industry", "China Acad Engn Phys"),
)
# Fictitious focus-country institutions (no real organisation is meant).
PARTNERS = (
    ("I-GB-1", "University of Northwick", "GB"),
    ("I-GB-2", "Eastmoor Institute of Technology", "GB"),
    ("I-DE-1", "Technische Hochschule Altstadt", "DE"),
    ("I-NL-1", "Polder University", "NL"),
    ("I-SE-1", "Nordvik University", "SE"),
    ("I-IT-1", "Politecnico di Valbruna", "IT"),
)
AREAS = ("ai", "ai.computer_vision", "robotics", "aerospace", "radar", "semiconductors")
SURNAMES = ("Smith", "Müller", "de Vries", "Andersson", "Rossi", "Wang", "Li", "Zhang", "Chen")
GIVEN = ("Alex", "Sam", "Jo", "Kim", "Robin", "Wei", "Lei", "Yan", "Hui")


@dataclass(frozen=True)
class SyntheticInfo:
    """What was written, for tests to compare against."""

    works: int
    author_names: tuple[str, ...]
    hostile_work_id: str | None


def build_store(
    path: Path, *, works: int = 40, hostile: bool = True, seed: int = 7
) -> SyntheticInfo:
    """Create (or replace the screen tables of) the store at ``path`` with ``works`` works."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    con = duckdb.connect(str(path))
    try:
        for ddl in ALL_TABLES:
            con.execute(ddl)
        con.execute("BEGIN")
        for table in ("screen_works", "screen_matches", "screen_partners", "screen_areas"):
            con.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        con.execute("DELETE FROM screen_meta")
        names: set[str] = set()
        hostile_id = None
        batch = _Batch()
        for i in range(works):
            work_id = f"W{1000 + i}"
            is_hostile = hostile and i == 0
            hostile_id = work_id if is_hostile else hostile_id
            names |= _write_work(batch, rng, work_id, i, is_hostile)
        batch.flush(con)
        summary = {  # the shape `dualscope screen` writes (screening/summary.py)
            "dualscope_version": "synthetic",
            "generated_at": "2026-01-02T03:04:05Z",
            "watchlist_version": "synthetic-test",
            "options": {
                "categories": ["defence_industry", "military", "seven_sons"],
                "countries": "europe",
                "focus_countries": ["DE", "GB", "IT", "NL", "SE"],
                "since": 2015,
                "until": 2024,
            },
            "works_read": works * 25,
            "records_skipped": {"total": 3, "by_reason": {"invalid JSON": 3}},
            "flagged": works,
            "data_sources": {
                "works_by_source": {"openalex": works * 25},
                "files": [
                    {
                        "path": "synthetic/works.jsonl.gz",
                        "kind": "openalex",
                        "records_read": works * 25,
                        "ingested_at": "2026-01-02 03:00:00",
                    }
                ],
                "api_queries": [],
            },
        }
        con.execute(
            "INSERT INTO screen_meta VALUES ('summary', ?)",
            [json.dumps(summary, ensure_ascii=False)],
        )
        con.execute("COMMIT")
    finally:
        con.close()
    return SyntheticInfo(works, tuple(sorted(names)), hostile_id)


class _Batch:
    """Rows collected per INSERT statement, written with one ``executemany`` each."""

    def __init__(self) -> None:
        self.rows: dict[str, list[list[object]]] = {}

    def execute(self, sql: str, params: list[object]) -> None:
        self.rows.setdefault(sql, []).append(params)

    def flush(self, con: duckdb.DuckDBPyConnection) -> None:
        for sql, rows in self.rows.items():
            con.executemany(sql, rows)


def _write_work(con: _Batch, rng: random.Random, work_id: str, i: int, hostile: bool) -> set[str]:
    entity = ENTITIES[0] if i % 3 else rng.choice(ENTITIES)
    partners = rng.sample(PARTNERS, k=1 + (i % 2))
    areas = rng.sample(AREAS, k=1 + i % 3)
    year = 2015 + i % 10
    title = HOSTILE_TITLE if hostile else f"Study {i} of {areas[0]} methods"
    doi = "10.1234/not a doi" if hostile else f"10.5555/syn.{i}"
    cn_author = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES[5:])}"
    authors = {cn_author}
    affiliation = f"{entity[3]}, Changsha, Peoples R China"
    con.execute(
        "INSERT INTO screen_matches (work_id, author_index, author_name, author_id, affiliation, "
        "entity_id, entity_name, category, rule, score, explanation) "
        "VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            work_id,
            cn_author,
            f"A-cn-{zlib.crc32(cn_author.encode()) % 10_000}",
            affiliation,
            entity[0],
            entity[1],
            entity[2],
            "wos_abbreviation",
            0.97,
            f"matched '{entity[3]}' to {entity[1]} by WoS abbreviation",
        ],
    )
    p_names = []
    # ORCID's own documented example identifier (a fictitious researcher), on every 5th work.
    orcid = "0000-0002-1825-0097" if i % 5 == 0 else None
    for k, (inst_id, inst_name, cc) in enumerate(partners, start=1):
        name = (
            HOSTILE_AUTHOR
            if hostile and k == 1
            else f"{rng.choice(GIVEN)} {rng.choice(SURNAMES[:5])}"
        )
        inst = HOSTILE_INSTITUTION if hostile and k == 1 else inst_name
        authors.add(name)
        p_names.append(inst)
        con.execute(
            "INSERT INTO screen_partners (work_id, author_index, author_name, author_id, "
            "institution_id, institution_name, country_code, basis, orcid) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 'institution', ?)",
            [
                work_id,
                k,
                name,
                f"A-eu-{zlib.crc32(name.encode()) % 10_000}",
                inst_id,
                inst,
                cc,
                orcid if k == 1 else None,
            ],
        )
    for area in areas:
        con.execute(
            "INSERT INTO screen_areas (work_id, area_id, score, evidence) VALUES (?, ?, ?, ?)",
            [work_id, area, 0.8, f"keyword '{area}' in title"],
        )
    evidence = f"{cn_author} ({affiliation}) → {entity[1]} [wos_abbreviation]"
    con.execute(
        "INSERT INTO screen_works (work_id, doi, title, year, entity_ids, entities, categories, "
        "partner_countries, partner_institutions, areas, evidence) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            work_id,
            doi,
            title,
            year,
            [entity[0]],
            [entity[1]],
            [entity[2]],
            sorted({cc for _, _, cc in partners}),
            p_names,
            areas,
            evidence,
        ],
    )
    return authors
