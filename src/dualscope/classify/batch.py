"""Classify a whole file of works and write ``id,areas,evidence`` (``dualscope classify``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dualscope.classify.classifier import AreaHit, Classifier
from dualscope.classify.inputs import ReadReport, WorkText, read_works
from dualscope.csvout import write_csv

OUTPUT_COLUMNS = ("id", "areas", "evidence")


@dataclass(slots=True)
class BatchResult:
    """Counts of one run: works classified, works with a label, works per area, skips."""

    works: int = 0
    labelled: int = 0
    per_area: Counter[str] = field(default_factory=Counter)
    report: ReadReport = field(default_factory=ReadReport)


def format_areas(hits: list[AreaHit]) -> str:
    """``face-recognition;ai``: the hit area ids, best first, ``;``-joined."""
    return ";".join(h.area_id for h in hits)


def format_evidence(hits: list[AreaHit]) -> str:
    """Every piece of evidence prefixed with its area: ``[radar] title: "SAR"; ...``."""
    return "; ".join(f"[{h.area_id}] {e}" for h in hits for e in h.evidence)


def classify_file(
    path: Path, out: Path, *, classifier: Classifier | None = None, strict: bool = False
) -> BatchResult:
    """Classify every usable work of ``path`` and write ``out`` atomically.

    Works without any area are written too (empty ``areas``), so the output joins back to the
    input one row per work. Skipped records are counted in ``result.report``.
    """
    model = classifier or Classifier.default()
    result = BatchResult()

    def rows() -> Iterator[tuple[str, str, str]]:
        for work in read_works(path, result.report, strict=strict):
            hits = _classify(model, work)
            result.works += 1
            if hits:
                result.labelled += 1
                result.per_area.update(h.area_id for h in hits)
            yield work.id, format_areas(hits), format_evidence(hits)

    write_csv(out, OUTPUT_COLUMNS, rows())
    return result


def _classify(model: Classifier, work: WorkText) -> list[AreaHit]:
    return model.classify(work.title, work.abstract, work.keywords, work.topics)
