"""The shapes OCDS data comes in, reduced to a stream of full releases.

Release packages, record packages (``compiledRelease`` or embedded releases), single releases
or records, lists of them, and JSON lines of any of these. A broken document or a record with
nothing usable is one counted skip.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dualscope.devices.detect import read_text
from dualscope.devices.stats import ReadLog


def iter_releases(doc: Any, path: Path, where: str, log: ReadLog) -> Iterator[dict[str, Any]]:
    """Full releases inside any OCDS document shape."""
    if isinstance(doc, list):
        for i, part in enumerate(doc):
            yield from iter_releases(part, path, f"{where}[{i}]", log)
        return
    if not isinstance(doc, dict):
        log.skip(path, "not an OCDS object", record=where, detail=type(doc).__name__)
        return
    if "records" in doc:
        records = doc["records"]
        if not isinstance(records, list):
            log.skip(path, "wrong type", record=where, detail="records should be a list")
            return
        for i, record in enumerate(records):
            yield from _record_releases(record, path, f"{where}records[{i}]", log)
    elif "releases" in doc and "ocid" not in doc:
        releases = doc["releases"]
        if not isinstance(releases, list):
            log.skip(path, "wrong type", record=where, detail="releases should be a list")
            return
        for i, release in enumerate(releases):
            if not isinstance(release, dict):
                log.skip(path, "release is not an object", record=f"{where}releases[{i}]")
                continue
            yield release
    elif "ocid" in doc and ("compiledRelease" in doc or "releases" in doc):
        yield from _record_releases(doc, path, where or "record", log)
    elif "ocid" in doc:
        yield doc
    else:
        log.skip(path, "not an OCDS release, record or package", record=where or None)


def _record_releases(record: Any, path: Path, where: str, log: ReadLog) -> Iterator[dict[str, Any]]:
    if not isinstance(record, dict):
        log.skip(path, "record is not an object", record=where)
        return
    compiled = record.get("compiledRelease")
    if isinstance(compiled, dict):
        yield compiled
        return
    embedded = [r for r in record.get("releases") or [] if isinstance(r, dict) and "ocid" in r]
    if not embedded:
        log.skip(path, "record without compiledRelease or embedded releases", record=where)
    yield from embedded


def documents(path: Path, log: ReadLog) -> Iterator[tuple[str, Any]]:
    """One JSON document, or one per line (JSON lines); a broken document is one skip."""
    text = read_text(path, log, "ocds")
    try:
        doc = json.loads(text)
    except ValueError as exc:
        whole_error = exc
    else:
        yield "", doc
        return
    lines = [(n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    if not lines:
        log.skip(path, "empty OCDS file")
        return
    if not _json_lines(path, lines):  # a single document, broken (e.g. cut off)
        line = getattr(whole_error, "lineno", None)
        log.skip(path, "invalid JSON", line=line, detail=str(whole_error)[:120])
        return
    for lineno, line_text in lines:
        try:
            yield f"line {lineno} ", json.loads(line_text)
        except ValueError as exc:
            log.skip(path, "invalid JSON", line=lineno, detail=str(exc)[:120])


def _json_lines(path: Path, lines: list[tuple[int, str]]) -> bool:
    """JSON lines when so named, or when one of the first lines is a whole JSON object.

    (Checking only the first line lost every good release after a broken first line.)
    """
    if path.name.lower().removesuffix(".gz").endswith((".jsonl", ".ndjson")):
        return True
    for _number, text in lines[:5]:
        try:
            if isinstance(json.loads(text), dict | list):
                return True
        except ValueError:
            continue
    return False
