"""Match a file of affiliation strings: one output row per input line, in input order.

Input is either plain text (one affiliation per line) or a CSV file with a named column. Each
distinct string is resolved once (the matcher memoises too, but a dict here keeps the batch
independent of the cache size). The output CSV is written atomically with the columns
``input,entity_id,entity_name,category,score,evidence``; several entities are joined with ``;``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dualscope.csvout import write_csv
from dualscope.errors import InputError
from dualscope.matching.matcher import Matcher
from dualscope.matching.types import Match

OUTPUT_COLUMNS = ("input", "entity_id", "entity_name", "category", "score", "evidence")
SEPARATOR = ";"


@dataclass(slots=True)
class BatchSummary:
    """What a batch run did, for the closing line of ``dualscope match``."""

    rows: int = 0
    distinct: int = 0
    matched_rows: int = 0
    by_entity: dict[str, int] = field(default_factory=dict)


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from exc


def read_inputs(path: Path, column: str | None = None) -> list[str]:
    """The affiliation strings of ``path``: every line, or the ``column`` of a CSV file."""
    text = _read_text(path)
    if column is None:
        return text.splitlines()
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = reader.fieldnames or []
    if column not in fields:
        raise InputError(
            path,
            f"no column {column!r}",
            hint=f"columns are: {', '.join(fields) or '(none: empty file)'}",
        )
    try:
        return [row.get(column) or "" for row in reader]
    except csv.Error as exc:
        raise InputError(path, f"bad CSV: {exc}", line=reader.line_num) from exc


def output_row(text: str, matches: list[Match]) -> tuple[str, str, str, str, str, str]:
    """One output row: the input and the matched entities' fields joined with ``;``."""
    return (
        text,
        SEPARATOR.join(m.entity_id for m in matches),
        SEPARATOR.join(m.entity_name for m in matches),
        SEPARATOR.join(m.category for m in matches),
        SEPARATOR.join(f"{m.score:.2f}" for m in matches),
        SEPARATOR.join(m.evidence[0].explanation.replace(SEPARATOR, ",") for m in matches),
    )


def match_lines(
    lines: list[str],
    matcher: Matcher,
    summary: BatchSummary,
    progress: Callable[[int], None] | None = None,
) -> Iterator[tuple[str, str, str, str, str, str]]:
    """Output rows for ``lines`` in order, resolving each distinct string once."""
    resolved: dict[str, list[Match]] = {}
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        matches = resolved.get(text)
        if matches is None:
            matches = resolved[text] = matcher.match(text) if text else []
        summary.rows += 1
        if matches:
            summary.matched_rows += 1
            for m in matches:
                summary.by_entity[m.entity_id] = summary.by_entity.get(m.entity_id, 0) + 1
        if progress is not None and number % 1000 == 0:
            progress(1000)
        yield output_row(line.rstrip("\r\n"), matches)
    summary.distinct = len(resolved)
    if progress is not None:
        progress(len(lines) % 1000)


def match_file(
    path: Path,
    out: Path,
    matcher: Matcher,
    *,
    column: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Match every line (or ``column`` value) of ``path`` and write ``out`` atomically."""
    lines = read_inputs(path, column)
    summary = BatchSummary()
    write_csv(out, OUTPUT_COLUMNS, match_lines(lines, matcher, summary, progress))
    return summary
