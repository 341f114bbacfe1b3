"""Read works to classify: a CSV (``id,title,abstract[,keywords]``) or OpenAlex JSON Lines.

Fields are read explicitly by name. A record that cannot be used (bad JSON, no id, no text, a
broken CSV row) is skipped, counted by reason and reported with its line number; with
``strict`` the first one raises :class:`InputError` instead.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from dualscope.classify.text import abstract_from_inverted_index
from dualscope.errors import InputError

CSV_REQUIRED = ("id", "title", "abstract")
MAX_WARNINGS = 5
csv.field_size_limit(16 * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class WorkText:
    """The text of one work, as the classifier needs it."""

    id: str
    title: str
    abstract: str
    keywords: tuple[str, ...] = ()
    topics: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True)
class ReadReport:
    """What was read and what was skipped (by reason), with the first warnings."""

    read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def skip(self, path: Path, line: int, reason: str, *, strict: bool) -> None:
        if strict:
            raise InputError(path, reason, line=line, hint="drop --strict to skip bad records")
        self.skipped[reason] += 1
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(f"{path}, line {line}: {reason} (skipped)")


def input_format(path: Path) -> str:
    """``csv`` or ``jsonl`` from the file name; anything else is an :class:`InputError`."""
    name = path.name.lower()
    if name.endswith((".csv", ".csv.gz")):
        return "csv"
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz")):
        return "jsonl"
    raise InputError(
        path, "unknown input format", hint="use a .csv (id,title,abstract) or .jsonl/.jsonl.gz file"
    )


def _open(path: Path) -> IO[str]:
    if not path.is_file():
        raise InputError(path, "file not found")
    if path.name.lower().endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def read_works(path: Path, report: ReadReport, *, strict: bool = False) -> Iterator[WorkText]:
    """Yield the usable works of ``path``; skipped records go into ``report``."""
    reader = _read_csv if input_format(path) == "csv" else _read_jsonl
    try:
        yield from reader(path, report, strict)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(path, f"compressed file is truncated or corrupt ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text ({exc.reason})") from exc


def _read_csv(path: Path, report: ReadReport, strict: bool) -> Iterator[WorkText]:
    with _open(path) as handle:
        rows = csv.DictReader(handle)
        header = rows.fieldnames or []
        missing = [c for c in CSV_REQUIRED if c not in header]
        if missing:
            raise InputError(
                path, f"missing columns {missing}", line=1, hint="expected id,title,abstract"
            )
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                report.skip(path, rows.line_num, f"unreadable CSV row ({exc})", strict=strict)
                continue
            line = rows.line_num
            if None in row or any(v is None for v in row.values()):
                report.skip(path, line, "wrong number of columns", strict=strict)
                continue
            work = _csv_work(row)
            reason = _problem(work)
            if reason:
                report.skip(path, line, reason, strict=strict)
                continue
            report.read += 1
            yield work


def _csv_work(row: dict[str, str]) -> WorkText:
    keywords = tuple(k.strip() for k in (row.get("keywords") or "").split(";") if k.strip())
    return WorkText(
        id=(row.get("id") or "").strip(),
        title=(row.get("title") or "").strip(),
        abstract=(row.get("abstract") or "").strip(),
        keywords=keywords,
    )


def _problem(work: WorkText) -> str | None:
    if not work.id:
        return "no id"
    if not (work.title or work.abstract or work.keywords or work.topics):
        return "no title, abstract, keywords or topics"
    return None


def _read_jsonl(path: Path, report: ReadReport, strict: bool) -> Iterator[WorkText]:
    with _open(path) as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                report.skip(path, line_no, f"not valid JSON ({exc.msg})", strict=strict)
                continue
            if not isinstance(record, dict):
                report.skip(path, line_no, "not a JSON object", strict=strict)
                continue
            work = openalex_work(record)
            reason = _problem(work)
            if reason:
                report.skip(path, line_no, reason, strict=strict)
                continue
            report.read += 1
            yield work


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def openalex_work(record: dict[str, Any]) -> WorkText:
    """The classification fields of one OpenAlex work record (robust to missing parts)."""
    title = _text(record.get("title")) or _text(record.get("display_name"))
    abstract = _text(record.get("abstract")) or abstract_from_inverted_index(
        record.get("abstract_inverted_index")
    )
    keywords: list[str] = []
    raw_keywords = record.get("keywords")
    for item in raw_keywords if isinstance(raw_keywords, list) else []:
        name = _text(item.get("display_name")) if isinstance(item, dict) else _text(item)
        if name:
            keywords.append(name)
    topics: dict[str, str] = {}
    listed = record.get("topics")
    candidates: list[Any] = [record.get("primary_topic")]
    if isinstance(listed, list):
        candidates.extend(listed)
    for item in candidates:
        if isinstance(item, dict) and _text(item.get("id")):
            topics.setdefault(_text(item.get("id")), _text(item.get("display_name")))
    return WorkText(
        id=_text(record.get("id")),
        title=title,
        abstract=abstract,
        keywords=tuple(keywords),
        topics=tuple(topics.items()),
    )
