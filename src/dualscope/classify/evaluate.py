"""Measure the classifier on a labelled set: per-area and micro precision/recall.

The labelled set is a CSV with columns ``id, title, abstract, keywords, expected`` where
``keywords`` and ``expected`` are ``;``-separated and ``expected`` lists the sensitive sub-areas
of the paper (empty for papers that belong to none). Only sub-areas are scored: the EU areas
follow from them.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dualscope.classify.classifier import Classifier
from dualscope.classify.taxonomy import SUB_AREA_IDS
from dualscope.errors import InputError

LABELLED_COLUMNS = ("id", "title", "abstract", "keywords", "expected")


@dataclass(frozen=True, slots=True)
class LabelledPaper:
    id: str
    title: str
    abstract: str
    keywords: tuple[str, ...]
    expected: frozenset[str]


@dataclass(slots=True)
class AreaScore:
    """Counts for one sub-area."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass(slots=True)
class Evaluation:
    """Per-area counts, micro averages, the errors and throughput."""

    areas: dict[str, AreaScore] = field(default_factory=dict)
    errors: list[tuple[str, str, str]] = field(default_factory=list)  # (paper id, kind, area)
    works: int = 0
    seconds: float = 0.0

    @property
    def micro(self) -> AreaScore:
        total = AreaScore()
        for score in self.areas.values():
            total.tp += score.tp
            total.fp += score.fp
            total.fn += score.fn
        return total

    @property
    def works_per_second(self) -> float:
        return self.works / self.seconds if self.seconds else 0.0

    def table(self) -> str:
        """A plain-text table: area, support, TP, FP, FN, precision, recall."""
        lines = [
            f"{'area':24} {'support':>7} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>6}"
        ]
        for area_id in sorted(self.areas):
            s = self.areas[area_id]
            lines.append(
                f"{area_id:24} {s.tp + s.fn:7d} {s.tp:4d} {s.fp:4d} {s.fn:4d} "
                f"{s.precision:6.3f} {s.recall:6.3f}"
            )
        m = self.micro
        lines.append(
            f"{'micro':24} {m.tp + m.fn:7d} {m.tp:4d} {m.fp:4d} {m.fn:4d} "
            f"{m.precision:6.3f} {m.recall:6.3f}"
        )
        return "\n".join(lines)


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split(";") if p.strip())


def load_labelled(path: Path) -> list[LabelledPaper]:
    """Read a labelled CSV; an unknown area id or a missing column is an :class:`InputError`."""
    papers: list[LabelledPaper] = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in LABELLED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(path, f"missing columns {missing}", line=1)
        for line, row in enumerate(reader, start=2):
            expected = frozenset(_split(row["expected"]))
            unknown = sorted(expected - set(SUB_AREA_IDS))
            if unknown:
                raise InputError(path, f"unknown sub-area ids {unknown}", line=line)
            papers.append(
                LabelledPaper(
                    id=row["id"],
                    title=row["title"] or "",
                    abstract=row["abstract"] or "",
                    keywords=_split(row["keywords"]),
                    expected=expected,
                )
            )
    return papers


def evaluate(classifier: Classifier, papers: Sequence[LabelledPaper]) -> Evaluation:
    """Classify every paper and count hits and misses per sub-area."""
    result = Evaluation(areas={a: AreaScore() for a in SUB_AREA_IDS})
    start = time.perf_counter()
    predictions = [
        {h.area_id for h in classifier.classify(p.title, p.abstract, p.keywords)} for p in papers
    ]
    result.seconds = time.perf_counter() - start
    result.works = len(papers)
    for paper, predicted in zip(papers, predictions, strict=True):
        predicted_subs = predicted & set(SUB_AREA_IDS)
        for area_id in SUB_AREA_IDS:
            score = result.areas[area_id]
            if area_id in predicted_subs and area_id in paper.expected:
                score.tp += 1
            elif area_id in predicted_subs:
                score.fp += 1
                result.errors.append((paper.id, "false positive", area_id))
            elif area_id in paper.expected:
                score.fn += 1
                result.errors.append((paper.id, "missed", area_id))
    return result
