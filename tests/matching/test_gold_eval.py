"""Real strings: ROR's labelled affiliation gold sets, restricted to Chinese institutions.

Rows of the Springer Nature, Crossref and Logs sets in ``raw/ror-affiliation-gold/`` whose ROR id
is a Chinese record (``raw/ror-subset/ror_records_CN_index.csv``): a row whose id belongs to a
tracker institution (``watchlist_ids.csv``, verified or probable) must match that institution; a
row with any other Chinese id must match no watchlist entity. Skipped without ``../shared``.
The matcher is tuned on general principles, never on these strings.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dualscope.matching.known import import_ror, load_known
from dualscope.matching.matcher import Matcher
from dualscope.matching.normalize import fold
from dualscope.settings import Settings
from dualscope.watchlist.loader import load_watchlist
from dualscope.watchlist.model import Watchlist

pytestmark = pytest.mark.shared

GOLD_FILES = (
    "Springer__20231031_springer_nature.csv",
    "Crossref_publisher_assertions__20230628_Crossref_publisher_asserted_affiliation_string_ROR_IDs.csv",
    "Logs__20230903_affiliation_matching_logs.csv",
)
MIN_PRECISION = 0.97
MIN_RECALL = 0.93


def _bare(ror: str) -> str:
    return ror.strip().rstrip("/").rsplit("/", 1)[-1].lower()


def _gold_rows(raw: Path) -> list[tuple[str, str]]:
    with (raw / "ror-subset" / "ror_records_CN_index.csv").open(encoding="utf-8") as handle:
        chinese = {_bare(row["ror_id"]) for row in csv.DictReader(handle)}
    rows: list[tuple[str, str]] = []
    for name in GOLD_FILES:
        with (raw / "ror-affiliation-gold" / name).open(encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                ror = _bare(row.get("ror_id") or "")
                if ror in chinese:
                    rows.append((row["affiliation"], ror))
    return rows


def _tracker_ids(data: Path, watchlist: Watchlist) -> dict[str, str]:
    """ROR id → watchlist entity id for tracker institutions (verified or probable)."""
    by_ror = {v.lower(): e.id for e in watchlist.entities for v in e.ids("ror")}
    by_name = {fold(e.name_en): e.id for e in watchlist.entities}
    result: dict[str, str] = {}
    with (data / "watchlist_ids.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if not row["ror_id"] or row["confidence"] not in ("verified", "probable"):
                continue
            ror = _bare(row["ror_id"])
            entity = by_ror.get(ror) or by_name.get(fold(row["name_en"]))
            assert entity, f"tracker institution {row['name_en']!r} is not on the watchlist"
            result[ror] = entity
    return result


def _evaluate(
    matcher: Matcher, rows: list[tuple[str, str]], tracker: dict[str, str]
) -> tuple[float, float, list[str]]:
    true_pos = false_pos = false_neg = 0
    errors: list[str] = []
    for text, ror in rows:
        found = {m.entity_id for m in matcher.match(text)}
        expected = tracker.get(ror)
        if expected is not None:
            if expected in found:
                true_pos += 1
            else:
                false_neg += 1
                errors.append(f"missed {expected}: {text!r}")
        if found - {expected}:
            false_pos += 1
            errors.append(f"false hit {sorted(found - {expected})}: {text!r}")
    return true_pos / (true_pos + false_pos), true_pos / (true_pos + false_neg), errors


@pytest.fixture(scope="module")
def gold(shared_raw: Path, shared_data: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    watchlist = load_watchlist(Settings(home=tmp_path_factory.mktemp("home")))
    return watchlist, _gold_rows(shared_raw), _tracker_ids(shared_data, watchlist)


def test_gold_set_has_the_expected_size(gold) -> None:  # type: ignore[no-untyped-def]
    _, rows, tracker = gold
    assert len(rows) >= 2200
    assert sum(1 for _, ror in rows if ror in tracker) >= 800


def test_precision_and_recall_on_real_chinese_affiliations(gold) -> None:  # type: ignore[no-untyped-def]
    watchlist, rows, tracker = gold
    precision, recall, errors = _evaluate(Matcher(watchlist), rows, tracker)
    print(f"\nROR gold, Chinese rows ({len(rows)}): precision {precision:.4f}, recall {recall:.4f}")
    print("\n".join(errors[:80]))
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL


def test_imported_ror_records_keep_the_targets(gold, shared_raw: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    watchlist, rows, tracker = gold
    exclude = {v.lower() for e in watchlist.entities for v in e.ids("ror")}
    out = tmp_path / "known.csv"
    import_ror(shared_raw / "ror-subset" / "ror_records_CN_latest.jsonl", out, exclude_ids=exclude)
    matcher = Matcher(watchlist, load_known(out))
    precision, recall, _ = _evaluate(matcher, rows, tracker)
    print(f"\nwith the ROR CN records imported: precision {precision:.4f}, recall {recall:.4f}")
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL
