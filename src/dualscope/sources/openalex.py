"""OpenAlex works on disk: which files to read, what kind they are, and line-level validation.

Three shapes arrive here:

- **JSON Lines** (``*.jsonl``, ``*.jsonl.gz``, snapshot ``part_*.gz``): one work per line. These
  are read by DuckDB directly (see :mod:`dualscope.store.ingest`); this module only provides the
  slow, line-numbered validation pass used when DuckDB rejects a file, so every bad line is
  reported with its number and the good ones still load.
- **API pages** saved as JSON (``{"meta": ..., "results": [...]}``) and JSON arrays of works:
  small by construction (≤ 200 works a page); parsed here and re-emitted as JSON Lines.
- Anything else is handed to the export readers (Web of Science, Scopus, ...).

Validation rules are the fields dualscope reads (explicit, so schema drift shows up as counted
skips rather than silently wrong results).
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from dualscope.errors import InputError

# A string field longer than this is not a title or an affiliation but a broken record.
MAX_FIELD_CHARS = 20_000
# A line longer than this is refused outright (DuckDB's own object limit is 16 MB).
MAX_RECORD_BYTES = 8 * 1024 * 1024
# JSON documents (API pages, arrays) are parsed in memory; refuse absurd sizes.
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
BOM = b"\xef\xbb\xbf"


@dataclass
class SkipLog:
    """Skipped records of one file: counts by reason and the first few locations."""

    path: Path
    counts: dict[str, int] = field(default_factory=dict)
    examples: list[tuple[int | None, str]] = field(default_factory=list)
    keep_examples: int = 5
    strict: bool = False

    def add(self, line: int | None, reason: str, detail: str | None = None) -> None:
        """Count one skipped record; under ``strict`` raise instead, naming file and line."""
        message = f"{reason} ({detail})" if detail else reason
        if self.strict:
            raise InputError(
                self.path, message, line=line, hint="fix or remove it, or run without --strict"
            )
        self.counts[reason] = self.counts.get(reason, 0) + 1
        if len(self.examples) < self.keep_examples:
            self.examples.append((line, message))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def open_binary(path: Path) -> BinaryIO:
    """Open ``path`` for reading bytes, decompressing gzip by content (not by name)."""
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


# The other entities of an OpenAlex snapshot (data/authors/, data/institutions/, ...), by the
# letter of their ids: their part_*.gz files look like works files but hold no works.
OTHER_ENTITIES = {
    "A": "authors",
    "C": "concepts",
    "F": "funders",
    "I": "institutions",
    "P": "publishers",
    "S": "sources",
    "T": "topics",
}
_ENTITY_ID = re.compile(r"^\s*https?://openalex\.org/([A-Za-z])\d+\s*$")


def other_entity(record: Any) -> str | None:
    """The OpenAlex entity type (``authors``, ...) ``record`` is, when it is not a work."""
    work_id = record.get("id") if isinstance(record, dict) else None
    match = _ENTITY_ID.match(work_id) if isinstance(work_id, str) else None
    return OTHER_ENTITIES.get(match.group(1).upper()) if match else None


def sniff_kind(path: Path) -> str:
    """``jsonl``, ``json_document`` (API page / array) or ``other`` (an export?), by content;
    ``openalex:ENTITY`` for JSON Lines of another OpenAlex entity (``openalex:authors``)."""
    try:
        with open_binary(path) as handle:
            head = handle.read(65536)
    except (OSError, EOFError, zlib.error):
        # A gzip broken in its first block: let the JSON Lines path report it with its line.
        return "jsonl" if path.name.endswith((".gz", *JSONL_SUFFIXES)) else "other"
    text = head.lstrip(BOM).lstrip()
    if not text:
        return "jsonl" if _looks_like_openalex_name(path) else "other"
    if text[:1] == b"[":
        return "json_document"
    if text[:1] != b"{":
        return "other"
    first_line = text.split(b"\n", 1)[0].strip()
    try:
        obj = json.loads(first_line)
    except ValueError:
        # A pretty-printed document starts "{" alone; a broken first line of JSON Lines also
        # lands here: decide by name.
        return (
            "jsonl"
            if _looks_like_openalex_name(path) and len(first_line) > 1
            else ("json_document")
        )
    if isinstance(obj, dict) and "results" in obj and "id" not in obj:
        return "json_document"
    entity = other_entity(obj)
    return f"openalex:{entity}" if entity else "jsonl"


def _looks_like_openalex_name(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(JSONL_SUFFIXES) or (name.startswith("part_") and name.endswith(".gz"))


def check_work(obj: Any) -> str | None:
    """Why ``obj`` (one parsed JSON line) is not a usable work, or ``None`` when it is."""
    if not isinstance(obj, dict):
        return "not a JSON object"
    work_id = obj.get("id")
    if not isinstance(work_id, str) or not work_id.strip():
        return "missing id"
    year = obj.get("publication_year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        return "publication_year is not an integer"
    if year is not None and not 0 < year < 10_000:
        return "publication_year out of range"
    for key in ("doi", "title", "display_name", "updated_date"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            return f"{key} is not a string"
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            return f"{key} too large"
    for key in ("keywords", "topics"):
        value = obj.get(key)
        if value is not None and (
            not isinstance(value, list) or not all(v is None or isinstance(v, dict) for v in value)
        ):
            return f"{key} is not a list of objects"
    authorships = obj.get("authorships")
    if authorships is None:
        return None
    if not isinstance(authorships, list):
        return "authorships is not a list"
    for authorship in authorships:
        if authorship is None:  # a null entry carries nothing; DuckDB reads it as empty
            continue
        reason = _check_authorship(authorship)
        if reason:
            return reason
    return None


def _check_authorship(authorship: Any) -> str | None:
    if not isinstance(authorship, dict):
        return "authorship is not an object"
    author = authorship.get("author")
    if author is not None and not isinstance(author, dict):
        return "authorships[].author is not an object"
    institutions = authorship.get("institutions")
    if institutions is not None:
        if not isinstance(institutions, list) or not all(
            i is None or isinstance(i, dict) for i in institutions
        ):
            return "authorships[].institutions is not a list of objects"
        for inst in filter(None, institutions):
            lineage = inst.get("lineage")
            if lineage is not None and not isinstance(lineage, list):
                return "authorships[].institutions[].lineage is not a list"
    # Values inside these lists are read as text whatever their JSON type (as DuckDB does), so
    # both load paths accept the same records; only the container shape and size are checked.
    for key in ("countries", "raw_affiliation_strings"):
        value = authorship.get(key)
        if value is not None and not isinstance(value, list):
            return f"authorships[].{key} is not a list"
        if (
            key == "raw_affiliation_strings"
            and value
            and any(isinstance(v, str) and len(v) > MAX_FIELD_CHARS for v in value)
        ):
            return f"authorships[].{key} has a value too large"
    return None


def iter_valid_lines(path: Path, skips: SkipLog) -> Iterator[tuple[int, bytes]]:
    """Yield ``(line number, line)`` for every good JSON Lines record of ``path``.

    Bad lines are counted in ``skips`` with their number and reason; a gzip stream cut off in
    the middle ends the file with one skip ("gzip stream cut off") after the last whole line.
    Streaming: one line in memory at a time.
    """
    number = 0
    try:
        with open_binary(path) as handle:
            for number, raw in enumerate(handle, start=1):
                line = raw[3:] if number == 1 and raw.startswith(BOM) else raw
                stripped = line.strip()
                if not stripped:
                    continue
                reason, detail = _line_reason(stripped)
                if reason:
                    skips.add(number, reason, detail)
                    continue
                yield number, stripped
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        skips.add(number + 1, "gzip stream cut off or corrupt", str(exc))
        return


def _line_reason(line: bytes) -> tuple[str | None, str | None]:
    """(reason, detail) why one JSON line is unusable, or (None, None)."""
    if len(line) > MAX_RECORD_BYTES:
        return "record too large", f"{len(line):,} bytes"
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return "not valid UTF-8", str(exc)
    try:
        obj = json.loads(text)
    except ValueError as exc:
        return "invalid JSON", str(exc)
    return check_work(obj), None


def iter_document_works(path: Path, skips: SkipLog) -> Iterator[tuple[int, bytes]]:
    """Yield ``(record number, JSON line)`` for each work of a saved API page or JSON array."""
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise InputError(
            path,
            f"JSON document of {size:,} bytes is too large to parse whole",
            hint="convert it to JSON Lines (one work per line)",
        )
    try:
        with open_binary(path) as handle:
            data = handle.read()
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        skips.add(None, "gzip stream cut off or corrupt", str(exc))
        return
    try:
        doc = json.loads(data.lstrip(BOM).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        skips.add(None, "invalid JSON document", str(exc))
        return
    if isinstance(doc, dict) and isinstance(doc.get("results"), list):
        results = doc["results"]
    elif isinstance(doc, list):
        results = doc
    else:
        skips.add(None, "JSON document has no 'results' list")
        return
    for index, obj in enumerate(results, start=1):
        reason = check_work(obj)
        if reason:
            skips.add(index, reason)
            continue
        yield index, json.dumps(obj, ensure_ascii=False).encode("utf-8")
