"""Propose OpenAlex topics for each technology area; keep the reviewed mapping as our data.

Reads the OpenAlex topics table (CC0; ``../shared/data/raw/openalex-topics/openalex_topics.csv``,
columns ``topic_id, new_topic_label, subfield_name, keywords, ...``) and, for every area of
``src/dualscope/classify/data/taxonomy.yaml``, matches the area's phrases against each topic's
display name and keywords:

- a strong phrase in the display name → candidate ``core``;
- a strong phrase in the keywords → candidate ``partial``;
- an exclusion phrase in the display name → candidate ``trap``.

Rows already in ``topic_map.yaml`` with ``reviewed: true`` are kept exactly as they are (they are
human decisions); new candidates are appended with ``reviewed: false`` and are *not* used by the
classifier until someone reads them, sets the role and ``reviewed: true``, and lists the id under
the area's ``topics`` in ``taxonomy.yaml``. Only topic ids and display names from the CC0 table
are written.

Usage::

    .venv/bin/python scripts/build_topic_map.py [--topics PATH] [--out PATH] [--dry-run]
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import yaml

from dualscope.classify.phrases import PhraseList
from dualscope.classify.taxonomy import (
    TAXONOMY_FILE,
    TOPIC_MAP_FILE,
    AreaSpec,
    load_taxonomy_file,
    load_topic_map,
)
from dualscope.fsutil import atomic_file
from dualscope.settings import get_settings

SOURCE = (
    "OpenAlex topics table (CC0), 4,516 topics: topic ids and display names only; carrier "
    "github.com/lukasalthoff/scinet data/openalex_topics.csv @76e0549e (see "
    "../shared/data/raw/openalex-topics/SOURCE.txt). Roles are our own review."
)
# Topics that are evidence of nothing (SOURCE.txt: v1 fallback topic for unreadable works).
NEVER_PROPOSE = {"T14423"}


def _matches(phrases: PhraseList, text: str) -> bool:
    return bool(phrases.find(text, text.lower()))


def propose(area: AreaSpec, rows: list[dict[str, str]]) -> list[dict[str, object]]:
    """Candidate rows for one area (unreviewed), strongest role first."""
    strong = PhraseList.of(area.phrases)
    traps = PhraseList.of(area.exclusions)
    out: list[dict[str, object]] = []
    for row in rows:
        topic_id = f"T{row['topic_id']}"
        if topic_id in NEVER_PROPOSE:
            continue
        name, keywords = row["new_topic_label"], row["keywords"]
        if _matches(strong, name):
            role = "core"
        elif _matches(traps, name):
            role = "trap"
        elif _matches(strong, keywords):
            role = "partial"
        else:
            continue
        out.append({"id": topic_id, "name": name, "area": area.id, "role": role, "reviewed": False})
    return out


def build(topics_csv: Path, map_path: Path, *, all_areas: bool = False) -> dict[str, object]:
    """The new topic map: reviewed rows kept, new candidates appended.

    Candidates are proposed for the sensitive sub-areas only, unless ``all_areas`` (the broad EU
    areas match hundreds of topics; their few mapped topics were chosen by hand).
    """
    taxonomy = load_taxonomy_file(TAXONOMY_FILE)
    with topics_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    existing = load_topic_map(map_path).topics if map_path.exists() else []
    kept = [t.model_dump(exclude_none=True, mode="json") for t in existing if t.reviewed]
    known = {(t["id"], t["area"]) for t in kept}
    candidates = [
        c
        for area in taxonomy.areas
        if all_areas or area.parent is not None
        for c in propose(area, rows)
        if (c["id"], c["area"]) not in known
    ]
    return {"source": SOURCE, "topics": kept + candidates}


def main(argv: list[str] | None = None) -> int:
    default_csv = get_settings().shared_dir / "data/raw/openalex-topics/openalex_topics.csv"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--topics", type=Path, default=default_csv, help="OpenAlex topics CSV")
    parser.add_argument("--out", type=Path, default=TOPIC_MAP_FILE, help="topic map to update")
    parser.add_argument("--dry-run", action="store_true", help="print candidates, write nothing")
    parser.add_argument(
        "--all-areas", action="store_true", help="also propose topics for the ten EU areas"
    )
    args = parser.parse_args(argv)
    if not args.topics.is_file():
        print(f"error: {args.topics}: not found (set DUALSCOPE_SHARED)", file=sys.stderr)
        return 2
    result = build(args.topics, args.out, all_areas=args.all_areas)
    topics = result["topics"]
    assert isinstance(topics, list)
    new = [t for t in topics if not t["reviewed"]]
    for row in new:
        print(f"candidate {row['area']:22} {row['role']:7} {row['id']} {row['name']}")
    print(f"{len(topics) - len(new)} reviewed rows kept, {len(new)} candidates to review")
    if not args.dry_run:
        header = "# OpenAlex topic → area mapping (scripts/build_topic_map.py; roles reviewed).\n"
        with atomic_file(args.out) as handle:
            handle.write(header)
            yaml.safe_dump(result, handle, sort_keys=False, allow_unicode=True, width=100)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
