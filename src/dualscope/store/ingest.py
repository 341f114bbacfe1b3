"""Load works into the store: one transaction per file, newest ``updated_date`` wins.

Design (see docs/screening.md):

1. **Fast path.** DuckDB's ``read_json`` parses the whole file (gzip by content, streaming) into a
   staging table with an explicit schema of the fields we use. Cheap SQL checks catch what the
   reader lets through (missing ids, a year given as text, enormous fields). With a filter
   that stores only some works in full, the read streams through the filter instead
   (:mod:`dualscope.store.stream`), and only the slim columns and the kept works' details
   are staged.
2. **Slow path**, only for a file the fast path rejects: a streaming Python pass validates every
   line, counts and reports the bad ones by line number, writes the good ones to a temporary
   JSON Lines file, and the fast path loads that instead. The result is the same as if the bad
   lines had never been in the file.
3. **Merge** the staged rows into ``works`` (``INSERT ... ON CONFLICT DO UPDATE`` only where the
   incoming ``updated_date`` is at least as new), and record the file with its SHA-256 in
   ``ingested_files``: all in the one transaction, so a kill at any moment leaves the store as it
   was before that file and a rerun skips files already loaded.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import duckdb

from dualscope.errors import DualscopeError, InputError
from dualscope.sources.openalex import (
    SkipLog,
    check_work,
    iter_document_works,
    iter_valid_lines,
    sniff_kind,
)
from dualscope.store.schema import AUTHORSHIP_TYPE

Warn = Callable[[str], None]

# What we read from each JSON line. publication_year stays JSON so a year given as text is caught
# and reported instead of silently cast; raw_affiliation_string (singular) is the pre-2023 schema.
_READ_AUTHORSHIP = AUTHORSHIP_TYPE.replace(
    "raw_affiliation_strings VARCHAR[]",
    "raw_affiliation_strings VARCHAR[],\n    raw_affiliation_string VARCHAR",
)
READ_COLUMNS: dict[str, str] = {
    "id": "JSON",
    "doi": "JSON",
    "title": "JSON",
    "display_name": "JSON",
    "publication_year": "JSON",
    "updated_date": "JSON",
    "abstract_inverted_index": "JSON",
    "keywords": "STRUCT(display_name VARCHAR)[]",
    "topics": "STRUCT(id VARCHAR, display_name VARCHAR, score DOUBLE)[]",
    "authorships": f"{_READ_AUTHORSHIP}[]",
}
FIELD_LIMIT = 20_000  # same limit as sources.openalex.MAX_FIELD_CHARS

# Top-level text fields are read as JSON so a number or an object given for a title or an id
# is caught (json_type) instead of being silently turned into text.
# hive_partitioning = false: a snapshot path ".../updated_date=2024-01-01/part_000.gz" must not
# replace each record's own `updated_date` (a full timestamp) with the folder's date, or the
# newest copy of a re-issued work could lose to an older one (tests/store/test_ingest_hive.py).
# The stored forms of the work id and DOI (``works.work_id``, ``works.doi``) are computed here,
# once, while DuckDB reads the file in parallel; every later step compares those.
WORK_ID_KEY = "regexp_replace(trim({col}), '^https?://openalex\\.org/', '')"
DOI_KEY = (
    "nullif(lower(regexp_replace(trim({col}), "
    "'^(https?://(dx\\.)?doi\\.org/|doi:\\s*)', '', 'i')), '')"
)
STAGE_SELECT = f"""
SELECT
    {WORK_ID_KEY.format(col="id ->> '$'")} AS work_id,
    {DOI_KEY.format(col="doi ->> '$'")} AS doi_key,
    id ->> '$' AS id, doi ->> '$' AS doi, title ->> '$' AS title,
    display_name ->> '$' AS display_name, updated_date ->> '$' AS updated_date,
    publication_year, abstract_inverted_index, keywords, topics, authorships,
    [json_type(id), json_type(doi), json_type(title), json_type(display_name),
     json_type(updated_date)] AS _text_types
FROM read_json(
    $path, format = 'newline_delimited', columns = $columns,
    maximum_object_size = 16777216, compression = 'auto_detect',
    hive_partitioning = false
)
"""  # noqa: S608 (only module constants are interpolated)
STAGE_FROM_JSON = f"CREATE OR REPLACE TEMP TABLE _ingest_stage AS {STAGE_SELECT}"
# The staged columns only works stored in full keep (see STAGED_SELECT).
DETAIL_COLUMNS = ("abstract_inverted_index", "keywords", "topics", "authorships")

# Problems the JSON reader lets through; any hit sends the file down the line-numbered path.
STAGE_PROBLEMS = f"""
SELECT
    count(*) FILTER (
        WHERE id IS NULL OR trim(id) = ''
           OR list_bool_or(list_transform(_text_types, lambda t: t NOT IN ('VARCHAR', 'NULL')))
    ) AS bad_text,
    count(*) FILTER (
        WHERE publication_year IS NOT NULL
          AND (json_type(publication_year) NOT IN ('BIGINT', 'UBIGINT', 'NULL')
               OR TRY_CAST(publication_year AS BIGINT) NOT BETWEEN 1 AND 9999)
    ) AS bad_year,
    count(*) FILTER (
        WHERE length(title) > {FIELD_LIMIT} OR length(display_name) > {FIELD_LIMIT}
           OR length(doi) > {FIELD_LIMIT} OR length(updated_date) > {FIELD_LIMIT}
           OR list_max(list_transform(authorships,
                lambda a: list_max(list_transform(a.raw_affiliation_strings, lambda s: length(s)))))
              > {FIELD_LIMIT}
    ) AS too_large,
    count(*) AS n
FROM _ingest_stage
"""  # noqa: S608 (only module constants are interpolated)

# Staged rows in the `works` shape. {keep} is a boolean SQL expression over the stage: TRUE
# stores every work in full; with a screenable filter, the others are stored slim (no
# abstract, keywords, topics or authorships; see dualscope.screening.screenable).
STAGED_SELECT = """
SELECT
    work_id,
    doi_key AS doi,
    coalesce(title, display_name) AS title,
    CAST(publication_year AS INTEGER) AS publication_year,
    updated_date,
    CASE WHEN _keep THEN abstract_inverted_index END AS abstract_inverted_index,
    CASE WHEN _keep THEN list_filter(list_transform(keywords, lambda k: k.display_name),
                                     lambda k: k IS NOT NULL) END AS keywords,
    CASE WHEN _keep THEN topics END AS topics,
    CASE WHEN _keep THEN list_transform(authorships, lambda a: struct_pack(
        author_position := a.author_position,
        author := a.author,
        institutions := a.institutions,
        countries := a.countries,
        raw_affiliation_strings := CASE
            WHEN len(coalesce(a.raw_affiliation_strings, [])) > 0 THEN a.raw_affiliation_strings
            WHEN a.raw_affiliation_string IS NOT NULL AND trim(a.raw_affiliation_string) <> ''
                THEN [a.raw_affiliation_string]
            ELSE [] END
    )) END AS authorships,
    $source AS source,
    $source_file AS source_file,
    _keep AS screenable
FROM (SELECT *, rowid AS _row, {keep} AS _keep FROM _ingest_stage)
"""
WORKS_COLUMNS = (
    "work_id, doi, title, publication_year, updated_date, abstract_inverted_index, keywords, "
    "topics, authorships, source, source_file, screenable"
)
KEEP_ALL = "true"
KEEP_MARKED = "rowid IN (SELECT row FROM _ingest_keep)"
# When the file repeats an id: one row per id, the newest updated_date; on a tie the later line
# of the file, as in the OpenAlex snapshot.
DEDUPLICATE = """
QUALIFY row_number() OVER (
    PARTITION BY work_id
    ORDER BY updated_date DESC NULLS LAST, _row DESC
) = 1
"""

STAGE_COUNTS = """
SELECT count(*), count(DISTINCT work_id) FROM _ingest_stage
"""

# Staged works that replace an older copy in the store, and those older than the stored copy.
COUNT_EXISTING = """
WITH s AS (
    SELECT work_id, max(updated_date) AS updated_date FROM _ingest_stage GROUP BY 1
)
SELECT
    count(*) FILTER (WHERE coalesce(s.updated_date, '') >= coalesce(w.updated_date, '')),
    count(*) FILTER (WHERE coalesce(s.updated_date, '') < coalesce(w.updated_date, ''))
FROM s JOIN works w USING (work_id)
"""

UPSERT = """
ON CONFLICT (work_id) DO UPDATE SET
    doi = excluded.doi, title = excluded.title, publication_year = excluded.publication_year,
    updated_date = excluded.updated_date,
    abstract_inverted_index = excluded.abstract_inverted_index, keywords = excluded.keywords,
    topics = excluded.topics, authorships = excluded.authorships, source = excluded.source,
    source_file = excluded.source_file, screenable = excluded.screenable
WHERE coalesce(excluded.updated_date, '') > coalesce(works.updated_date, '')
   OR (coalesce(excluded.updated_date, '') = coalesce(works.updated_date, '')
       -- the same version again: never lose details a wider filter kept
       AND (excluded.screenable IS NOT FALSE OR works.screenable = false))
"""


def merge_sql(*, deduplicate: bool, upsert: bool, keep: str = KEEP_ALL) -> str:
    """INSERT of the staged rows; the window and the conflict clause only when needed (speed).

    ``keep``: :data:`KEEP_ALL`, or :data:`KEEP_MARKED` (the rows of ``_ingest_keep`` in full).
    """
    select = STAGED_SELECT.format(keep=keep) + (DEDUPLICATE if deduplicate else "")
    insert = f"INSERT INTO works ({WORKS_COLUMNS}) SELECT * FROM ({select})"  # noqa: S608
    return insert + (UPSERT if upsert else "")


# A file read again with the same content (another watchlist filter, or for DOI siblings)
# keeps what its first reading found: the counts describe the file, and its works are not
# duplicates of themselves.
_FIRST_READING = (
    "records_read",
    "records_loaded",
    "records_skipped",
    "records_replaced",
    "records_stale",
    "skipped_reasons",
    "skipped_first",
)
RECORD_FILE = (
    """
INSERT INTO ingested_files
    (path, sha256, records_read, records_loaded, records_skipped, ingested_at,
     records_replaced, records_stale, skipped_reasons, kind, skipped_first, kept)
VALUES ($path, $sha256, $read, $loaded, $skipped, now(), $replaced, $stale, $reasons, $kind,
        $first, $kept)
ON CONFLICT (path) DO UPDATE SET
    ingested_at = excluded.ingested_at, kind = excluded.kind, kept = excluded.kept,
"""
    + "".join(
        f"    {c} = CASE WHEN ingested_files.sha256 = excluded.sha256 "
        f"THEN ingested_files.{c} ELSE excluded.{c} END,\n"
        for c in _FIRST_READING
    )
    + "    sha256 = excluded.sha256\n"
)

OPENALEX_PATTERNS = ("*.jsonl", "*.jsonl.gz", "*.ndjson", "*.ndjson.gz", "*.json", "part_*.gz")
EXPORT_SUFFIXES = (".txt", ".csv", ".tsv", ".tab", ".ciw", ".xlsx")
# Errors caused by the data (a bad line, a broken gzip); anything else is a bug and propagates.
_DATA_ERRORS = (
    duckdb.InvalidInputException,
    duckdb.ConversionException,
    duckdb.IOException,
    UnicodeDecodeError,  # DuckDB cut its error snippet inside a multi-byte character
)
_LINE_IN_ERROR = re.compile(r"\bline (\d+)")


class KeepFilter(Protocol):
    """Decides which staged works are stored in full (see dualscope.screening.screenable)."""

    @property
    def digest(self) -> str:
        """Recorded in ``ingested_files.kept``."""
        ...

    def covers(self, kept: str | None) -> bool:
        """Whether a file stored with filter ``kept`` needs no re-reading for this filter."""
        ...

    def mark(self, con: duckdb.DuckDBPyConnection, stage: str, target: str) -> int:
        """Create temp table ``target(row)`` of the ``stage`` rowids to keep in full."""
        ...

    def ready(self) -> bool:
        """Whether :meth:`batch_rows` can answer now without waiting (a matcher loading)."""
        ...

    def batch_rows(self, authorships: Any, state: Any) -> tuple[list[int], Any]:
        """Positions (ascending) of the works of one streamed batch (``authorships``: one
        Arrow list per work) to keep in full, and the state for the next batch (``None``
        before the first)."""
        ...


KEPT_ALL = "all"


class LazyKeep:
    """A :class:`KeepFilter` made on first use by ``factory`` (which may wait for a matcher
    still loading); when the factory gives ``None``, every work is kept in full."""

    def __init__(
        self,
        factory: Callable[[], KeepFilter | None],
        ready: Callable[[], bool] | None = None,
    ) -> None:
        self._factory = factory
        self._ready = ready  # whether the factory would answer without waiting
        self._filter: KeepFilter | None = None
        self._made = False

    def resolve(self) -> KeepFilter | None:
        if not self._made:
            self._filter = self._factory()
            self._made = True
        return self._filter

    @property
    def digest(self) -> str:
        real = self.resolve()
        return real.digest if real is not None else KEPT_ALL

    def covers(self, kept: str | None) -> bool:
        return _covers(kept, self.resolve())

    def mark(self, con: duckdb.DuckDBPyConnection, stage: str, target: str) -> int:
        real = self.resolve()
        if real is not None:
            return real.mark(con, stage, target)
        sql = f"CREATE OR REPLACE TEMP TABLE {target} AS SELECT rowid AS row FROM {stage}"  # noqa: S608
        con.execute(sql)
        row = con.execute(f"SELECT count(*) FROM {target}").fetchone()  # noqa: S608
        return int(row[0]) if row else 0

    def ready(self) -> bool:
        return self._made or self._ready is None or self._ready()

    def batch_rows(self, authorships: Any, state: Any) -> tuple[list[int], Any]:
        real = self.resolve()
        if real is not None:
            return real.batch_rows(authorships, state)
        return list(range(len(authorships))), state


def _covers(kept: str | None, keep: KeepFilter | None) -> bool:
    """Whether a file loaded with filter ``kept`` needs no re-reading under ``keep``."""
    if kept is None or kept == KEPT_ALL:  # stored in full (or by a version without the filter)
        return True
    return keep is not None and keep.covers(kept)


class UnrecognisedInput(InputError):
    """A file that is none of the formats dualscope reads; ``reason`` in a few words."""

    def __init__(
        self,
        path: Path,
        message: str,
        *,
        reason: str = "not a recognised input",
        hint: str | None = None,
    ) -> None:
        super().__init__(path, message, hint=hint)
        self.reason = reason


@dataclass
class FileResult:
    """What happened to one input file."""

    path: Path
    kind: str
    status: str  # loaded | unchanged | empty | unrecognised
    records_read: int = 0
    loaded: int = 0  # distinct works written (new or replacing an older copy)
    replaced: int = 0  # older copies in the store replaced
    stale: int = 0  # records ignored: the store already had a newer copy
    duplicates_in_file: int = 0  # same id twice in this file; the newest kept
    skips: SkipLog | None = None

    @property
    def skipped(self) -> int:
        return self.skips.total if self.skips else 0


@dataclass
class IngestReport:
    """Totals of one `ingest` run, as printed and written into summary.json."""

    files: list[FileResult] = field(default_factory=list)
    # files read again so that slim rows sharing a DOI with a newly kept work get their
    # details (not counted in the totals: their records were counted when first read)
    reread: list[FileResult] = field(default_factory=list)
    # slim rows sharing a DOI with a kept work whose file could not be read again
    unrecoverable_siblings: int = 0

    def total(self, name: str) -> int:
        """Sum over the files read for the first time (a re-read file was counted before)."""
        return sum(int(getattr(f, name)) for f in self.files if f.status != "reread")

    def skipped_by_reason(self) -> dict[str, int]:
        reasons: dict[str, int] = {}
        for result in self.files:
            for reason, count in (result.skips.counts if result.skips else {}).items():
                reasons[reason] = reasons.get(reason, 0) + count
        return reasons

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": len(self.files),
            "files_unchanged": sum(f.status == "unchanged" for f in self.files),
            "files_empty": sum(f.status == "empty" for f in self.files),
            "files_unrecognised": sum(f.status == "unrecognised" for f in self.files),
            "files_reread": sum(f.status == "reread" for f in self.files) + len(self.reread),
            "records_read": self.total("records_read"),
            "records_loaded": self.total("loaded"),
            "duplicates_replaced": self.total("replaced") + self.total("duplicates_in_file"),
            "records_stale": self.total("stale"),
            "records_skipped": {
                "total": self.total("skipped"),
                "by_reason": self.skipped_by_reason(),
            },
        }


def discover(paths: Sequence[Path]) -> list[Path]:
    """Expand folders into the input files they hold; refuse paths with nothing to read."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            matches = sorted(
                {p for pattern in OPENALEX_PATTERNS for p in path.rglob(pattern) if p.is_file()}
                | {
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.name.lower().endswith(EXPORT_SUFFIXES)
                }
            )
            matches = [p for p in matches if not p.name.startswith(".")]
            if not matches:
                raise InputError(
                    path,
                    "folder holds no input files",
                    hint="expected *.jsonl, *.jsonl.gz, *.json, part_*.gz or export files",
                )
            found.extend(matches)
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(path, "no such file or folder")
    return found


# Large blocks: reading and hashing release the GIL, and taking it back can wait a whole switch
# interval (5 ms) while the loading thread runs Python; 1 MiB blocks made hashing a 45 MB file
# take 0.23 s instead of 0.03 s during a screening.
HASH_BLOCK = 16 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb", buffering=0) as handle:
        for block in iter(lambda: handle.read(HASH_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def ingest_paths(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    *,
    strict: bool = False,
    warn: Warn | None = None,
    progress: Callable[[Path], None] | None = None,
    fmt: str | None = None,
    keep: KeepFilter | None = None,
) -> IngestReport:
    """Ingest every file under ``paths`` (each atomically) and return the totals.

    ``fmt`` (see :func:`input_format`) overrides content detection for every file. ``keep``
    stores in full only the works it marks (the others slim); ``None`` keeps every work.
    """
    fmt = input_format(fmt)
    report = IngestReport()
    named = {Path(p).resolve() for p in paths if Path(p).is_file()}
    for path in discover(paths):
        if progress:
            progress(path)
        try:
            report.files.append(
                ingest_file(con, path, strict=strict, warn=warn, fmt=fmt, keep=keep)
            )
        except UnrecognisedInput as exc:
            # A stray README.txt or notes.csv in a data folder: say so and go on. A file the
            # user named, or any file under --strict, stops the run.
            if strict or path.resolve() in named:
                raise
            if warn:
                warn(f"{path}: {exc.reason}; skipped")
            report.files.append(FileResult(path, kind="", status="unrecognised"))
    if keep is not None:
        _reread_slim_siblings(con, report, keep=keep, strict=strict, warn=warn)
    return report


# Files holding a slim row that shares its DOI with a kept row of another work: one paper from
# two sources, the partner's record read before the watchlist author's (see screenable).
SLIM_SIBLING_FILES = """
SELECT s.source_file, count(DISTINCT s.work_id)
FROM works s JOIN works k ON k.doi = s.doi AND k.work_id <> s.work_id
WHERE s.screenable = false AND k.screenable IS NOT FALSE AND s.doi IS NOT NULL
GROUP BY 1 ORDER BY 1
"""


def _recorded_file(
    con: duckdb.DuckDBPyConnection, name: str
) -> tuple[Path | None, list[tuple[Any, ...]]]:
    """The file a ``works.source_file`` names (as given to ingest, maybe relative to another
    folder) and its ``ingested_files`` (kind, sha256): by its resolved path, else by the only
    recorded path that ends with it."""
    path = Path(name)
    candidates = [str(path.resolve())] if path.is_file() else []
    suffix = "/" + name.lstrip("./")
    ending = con.execute(
        "SELECT path FROM ingested_files WHERE suffix(path, $s)", {"s": suffix}
    ).fetchall()
    if len(ending) == 1:  # two recorded files ending so: do not guess
        candidates.append(str(ending[0][0]))
    for candidate in candidates:
        row = con.execute(
            "SELECT kind, sha256 FROM ingested_files WHERE path = $p", {"p": candidate}
        ).fetchall()
        if row and Path(candidate).is_file():
            return Path(candidate), row
    return None, []


def _reread_slim_siblings(
    con: duckdb.DuckDBPyConnection,
    report: IngestReport,
    *,
    keep: KeepFilter,
    strict: bool,
    warn: Warn | None,
) -> None:
    """Read again the files whose slim rows now have a kept DOI sibling, so the paper's records
    are screened together whatever order the files came in. Each file at most once per run."""
    done: set[str] = set()
    while True:
        pending = [
            (str(name), int(count))
            for name, count in con.execute(SLIM_SIBLING_FILES).fetchall()
            if name is not None and str(name) not in done
        ]
        if not pending:
            return
        for name, count in pending:
            done.add(name)
            path, row = _recorded_file(con, name)
            if path is None or not row or sha256_of(path) != row[0][1]:
                report.unrecoverable_siblings += count
                if warn:
                    warn(
                        f"{name}: {count} works share a DOI with works the watchlist could flag "
                        "but were stored without affiliations, and the file is gone or changed; "
                        "ingest it again (or with --keep-all) to screen them together"
                    )
                continue
            kind = str(row[0][0] or "")
            fmt = kind if kind not in ("jsonl", "api_page", "json_array", "") else None
            report.reread.append(
                ingest_file(con, path, strict=strict, warn=warn, fmt=fmt, keep=keep, force=True)
            )


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    strict: bool = False,
    warn: Warn | None = None,
    fmt: str | None = None,
    keep: KeepFilter | None = None,
    force: bool = False,
) -> FileResult:
    """Load one file into ``works`` in one transaction; a file already loaded changes nothing
    (unless ``force``: read it again, e.g. to give slim rows their details).

    ``fmt`` (``openalex`` or an export format, see :func:`input_format`) overrides detection.
    ``keep``: see :func:`ingest_paths`. A file loaded before with another filter (another
    watchlist) is read again, so works the new watchlist could flag get their details.
    """
    path = Path(path)
    fmt = input_format(fmt)
    try:
        digest = sha256_of(path)
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from exc
    seen = con.execute(
        "SELECT kept FROM ingested_files WHERE sha256 = $sha", {"sha": digest}
    ).fetchall()
    if not force and any(_covers(kept, keep) for (kept,) in seen):
        return FileResult(path, kind="", status="unchanged")
    skips = SkipLog(path, strict=strict)
    try:
        kind, source = _classify(path, fmt)
        with tempfile.TemporaryDirectory(prefix="dualscope-ingest-") as tmp:
            result = _load(con, path, kind, source, digest, skips, Path(tmp), keep)
        if seen and result.status == "loaded":
            result.status = "reread"  # counted when first read; see RECORD_FILE
    except OSError as exc:  # the store is unchanged: _load rolls back its transaction
        raise InputError(
            path, f"cannot be read ({exc.strerror or exc})", hint="nothing from it was loaded"
        ) from exc
    if warn:
        for line, message in skips.examples:
            where = f"{path}, line {line}" if line is not None else str(path)
            warn(f"{where}: skipped: {message}")
        if skips.total > len(skips.examples):
            warn(f"{path}: {skips.total - len(skips.examples)} more records skipped")
        if result.status == "empty":
            warn(f"{path}: no records in this file")
    return result


AUTO_FORMAT = "auto"
OPENALEX_FORMAT = "openalex"


def input_formats() -> tuple[str, ...]:
    """Every value ``--format`` accepts: auto, openalex, and each export format."""
    from dualscope.sources.formats import EXPORT_FORMATS

    return (AUTO_FORMAT, OPENALEX_FORMAT, *EXPORT_FORMATS)


def input_format(value: str | None) -> str | None:
    """``value`` as a canonical format name, or ``None`` for detection by content.

    Raises :class:`DualscopeError` (one line, the allowed values) for anything else.
    """
    if value is None:
        return None
    name = value.strip().lower().replace("-", "_")
    allowed = input_formats()
    if name not in allowed:
        raise DualscopeError(f"unknown --format {value!r}", hint=f"use one of {', '.join(allowed)}")
    return None if name == AUTO_FORMAT else name


def _classify(path: Path, fmt: str | None = None) -> tuple[str, str]:
    """(kind, source) of ``path``: JSON Lines, a JSON document, or an export format.

    ``fmt`` skips the export detection (an export format) or insists on OpenAlex JSON.
    """
    if fmt is not None and fmt != OPENALEX_FORMAT:
        return fmt, fmt
    kind = sniff_kind(path)
    if kind.startswith("openalex:"):
        entity = kind.split(":", 1)[1]
        raise UnrecognisedInput(
            path,
            f"OpenAlex {entity} records, not works",
            reason=f"OpenAlex {entity}, not works",
            hint="give the snapshot's data/works folder, not the whole snapshot",
        )
    if kind == "jsonl":
        return "jsonl", "openalex"
    if kind == "json_document":
        return "api_page", "openalex_api"
    if fmt == OPENALEX_FORMAT:
        raise InputError(
            path,
            "not OpenAlex JSON Lines or an API result page (--format openalex)",
            hint="check the file, or let dualscope detect its format (--format auto)",
        )
    fmt = _export_format(path)
    if fmt is None:
        raise UnrecognisedInput(
            path,
            "not a recognised input (OpenAlex JSON Lines, API page, or WoS/Scopus/Dimensions/"
            "Lens/OpenAlex CSV export)",
            hint="check the file, or convert it to OpenAlex JSON Lines",
        )
    return fmt, fmt


def _export_format(path: Path) -> str | None:
    from dualscope.sources.exports import detect_format

    fmt: str | None = detect_format(path)
    return fmt


def _load(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    source: str,
    digest: str,
    skips: SkipLog,
    tmp: Path,
    keep: KeepFilter | None = None,
) -> FileResult:
    if kind == "jsonl":
        result = _try_fast(con, path, path, kind, source, digest, skips, keep)
        if result is not None:
            return result
        lines: Iterable[tuple[int, bytes]] = iter_valid_lines(path, skips)
    elif kind == "api_page":
        lines = iter_document_works(path, skips)
    else:
        lines = _export_lines(path, kind, skips)
    staged = tmp / "stage.jsonl"
    line_numbers = _write_lines(staged, lines)
    return _load_validated(con, path, staged, line_numbers, kind, source, digest, skips, keep)


def _write_lines(target: Path, lines: Iterable[tuple[int, bytes]]) -> list[int]:
    """Write the good lines to ``target``; return their original line numbers in order."""
    numbers: list[int] = []
    with open(target, "wb") as out:
        for number, line in lines:
            out.write(line)
            out.write(b"\n")
            numbers.append(number)
    return numbers


def _try_fast(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    read_path: Path,
    kind: str,
    source: str,
    digest: str,
    skips: SkipLog,
    keep: KeepFilter | None = None,
) -> FileResult | None:
    """Load ``read_path`` in one transaction when it is clean; ``None`` when it is not."""
    from dualscope.store.stream import PROBLEM, STAGED, stream_stage

    con.execute("BEGIN TRANSACTION")
    try:
        streamed = stream_stage(con, read_path, keep) if keep is not None else None
        if streamed == PROBLEM:
            con.execute("ROLLBACK")
            return None
        if streamed != STAGED:
            con.execute(STAGE_FROM_JSON, {"path": str(read_path), "columns": READ_COLUMNS})
        row = con.execute(STAGE_PROBLEMS).fetchone()
        assert row is not None
        if row[0] or row[1] or row[2]:
            con.execute("ROLLBACK")
            return None
        result = _merge(
            con,
            path,
            kind,
            source,
            digest,
            skips,
            records=int(row[3]),
            keep=keep,
            marked=streamed == STAGED,
        )
        con.execute("COMMIT")
        return result
    except _DATA_ERRORS:
        con.execute("ROLLBACK")
        return None
    except BaseException:
        con.execute("ROLLBACK")
        raise


def _load_validated(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    staged: Path,
    line_numbers: list[int],
    kind: str,
    source: str,
    digest: str,
    skips: SkipLog,
    keep: KeepFilter | None = None,
) -> FileResult:
    """Load the validated lines; should DuckDB still refuse one, skip it by its line and retry."""
    for _attempt in range(50):
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(STAGE_FROM_JSON, {"path": str(staged), "columns": READ_COLUMNS})
            result = _merge(
                con, path, kind, source, digest, skips, records=len(line_numbers), keep=keep
            )
            con.execute("COMMIT")
            return result
        except _DATA_ERRORS as exc:
            con.execute("ROLLBACK")
            match = _LINE_IN_ERROR.search(str(exc))
            bad = int(match.group(1)) if match else 0
            if not 0 < bad <= len(line_numbers):
                bad = _first_bad_line(con, staged)
            if not 0 < bad <= len(line_numbers):
                raise InputError(path, f"cannot be loaded: {exc}") from exc
            detail = (
                "a value of the wrong type"
                if isinstance(exc, UnicodeDecodeError)  # DuckDB's message itself was garbled
                else str(exc).split("\n")[0]
            )
            skips.add(line_numbers[bad - 1], "rejected by the JSON reader", detail)
            _drop_line(staged, bad)
            del line_numbers[bad - 1]
        except BaseException:
            con.execute("ROLLBACK")
            raise
    raise InputError(path, "too many records the JSON reader rejects", hint="check the file")


def _loads(con: duckdb.DuckDBPyConnection, path: Path) -> bool:
    # Every column is materialised: count(*) alone would skip the casts that fail.
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _ingest_probe AS SELECT * FROM read_json($path, "
            "format = 'newline_delimited', columns = $columns, maximum_object_size = 16777216, "
            "hive_partitioning = false)",
            {"path": str(path), "columns": READ_COLUMNS},
        )
    except _DATA_ERRORS:
        return False
    finally:
        con.execute("DROP TABLE IF EXISTS _ingest_probe")
    return True


def _first_bad_line(con: duckdb.DuckDBPyConnection, staged: Path) -> int:
    """The first line DuckDB refuses, by bisection (when its error names no line); 0 if none."""
    with open(staged, "rb") as handle:
        offsets = [0]
        for line in handle:
            offsets.append(offsets[-1] + len(line))
    probe = staged.with_suffix(".probe")
    low, high = 0, len(offsets) - 1  # the first `low` lines load; the first `high` do not
    if _loads(con, staged):
        return 0
    while high - low > 1:
        mid = (low + high) // 2
        with open(staged, "rb") as src, open(probe, "wb") as dst:
            dst.write(src.read(offsets[mid]))
        if _loads(con, probe):
            low = mid
        else:
            high = mid
    probe.unlink(missing_ok=True)
    return high


def _drop_line(staged: Path, bad: int) -> None:
    kept = staged.with_suffix(".next")
    with open(staged, "rb") as src, open(kept, "wb") as dst:
        for number, line in enumerate(src, start=1):
            if number != bad:
                dst.write(line)
    kept.replace(staged)


def _merge(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind: str,
    source: str,
    digest: str,
    skips: SkipLog,
    *,
    records: int,
    keep: KeepFilter | None = None,
    marked: bool = False,
) -> FileResult:
    """Merge ``_ingest_stage`` into ``works`` and record the file (in the caller's transaction).

    ``marked``: the rows to store in full are already in ``_ingest_keep`` (a streamed file)."""
    params = {"source": source, "source_file": str(path)}
    _, distinct, replaced, stale = _stage_into_works(con, params, keep, marked=marked)
    con.execute("DROP TABLE _ingest_stage")
    result = FileResult(
        path,
        kind=kind,
        status="loaded" if records else "empty",
        records_read=records + skips.total,
        loaded=distinct - stale,
        replaced=replaced,
        stale=stale,
        duplicates_in_file=records - distinct,
        skips=skips,
    )
    if result.status == "empty" and skips.strict:
        raise InputError(path, "no records in this file", hint="run without --strict to skip it")
    con.execute(
        RECORD_FILE,
        {
            "path": str(path.resolve()),
            "sha256": digest,
            "read": result.records_read,
            "loaded": result.loaded,
            "skipped": skips.total,
            "replaced": replaced,
            "stale": stale,
            "reasons": json.dumps(skips.counts),
            "kind": kind,
            "first": json.dumps(skips.examples),
            "kept": keep.digest if keep is not None else KEPT_ALL,
        },
    )
    return result


def _stage_into_works(
    con: duckdb.DuckDBPyConnection,
    params: dict[str, str],
    keep: KeepFilter | None = None,
    *,
    marked: bool = False,
) -> tuple[int, int, int, int]:
    """Merge ``_ingest_stage`` into ``works``: (records, distinct works, replaced, stale).

    With ``keep``, only the works it marks are stored in full, the others slim; ``marked``:
    they are already in ``_ingest_keep``."""
    row = con.execute(STAGE_COUNTS).fetchone()
    records, distinct = (int(row[0]), int(row[1])) if row else (0, 0)
    if not records:
        return 0, 0, 0, 0
    has_works = con.execute("SELECT EXISTS (SELECT 1 FROM works)").fetchone() == (True,)
    replaced = stale = 0
    if has_works:
        counted = con.execute(COUNT_EXISTING).fetchone()
        replaced, stale = (int(counted[0]), int(counted[1])) if counted else (0, 0)
    rows = KEEP_ALL
    if marked:
        rows = KEEP_MARKED
    elif keep is not None:
        keep.mark(con, "_ingest_stage", "_ingest_keep")
        rows = KEEP_MARKED
    sql = merge_sql(deduplicate=distinct < records, upsert=has_works, keep=rows)
    con.execute(sql, params)
    con.execute("DROP TABLE IF EXISTS _ingest_keep")
    return records, distinct, replaced, stale


def _export_lines(path: Path, fmt: str, skips: SkipLog) -> Iterator[tuple[int, bytes]]:
    """Records of an export file (WoS, Scopus, ...) as OpenAlex-shaped JSON lines."""
    from dualscope.sources.exports import SkippedRecord, read_export

    try:
        records = read_export(path, fmt, strict=skips.strict)
        for index, record in enumerate(records, start=1):
            if isinstance(record, SkippedRecord):
                skips.add(record.line, record.reason)
                continue
            work = export_to_work(record)
            reason = check_work(work)
            line = record.get("line") or index
            if reason:
                skips.add(line, reason)
                continue
            yield int(line), json.dumps(work, ensure_ascii=False).encode("utf-8")
    except DualscopeError:
        raise
    except (OSError, ValueError) as exc:
        raise InputError(path, f"cannot read the {fmt} export: {exc}") from exc


def export_to_work(record: dict[str, Any]) -> dict[str, Any]:
    """An ExportRecord (OpenAlex work shape, plain-text abstract) as the JSON we ingest."""
    keywords = [
        k if isinstance(k, dict) else {"display_name": str(k)}
        for k in (record.get("keywords") or [])
    ]
    abstract = record.get("abstract")
    return {
        "id": record.get("id"),
        "doi": record.get("doi"),
        "title": record.get("title"),
        "publication_year": record.get("publication_year"),
        "updated_date": record.get("updated_date"),
        "abstract_inverted_index": {"text": abstract} if abstract else None,
        "keywords": keywords,
        "topics": [t for t in (record.get("topics") or []) if isinstance(t, dict)],
        "authorships": record.get("authorships") or [],
    }


def merge_jsonl(
    con: duckdb.DuckDBPyConnection, path: Path, *, source: str, source_file: str
) -> tuple[int, int, int]:
    """Merge an already validated JSON Lines file into ``works`` inside the caller's transaction.

    Used by `fetch` to store an API page together with its cursor. Returns
    ``(distinct works, replaced, stale)``.
    """
    con.execute(STAGE_FROM_JSON, {"path": str(path), "columns": READ_COLUMNS})
    params = {"source": source, "source_file": source_file}
    _, distinct, replaced, stale = _stage_into_works(con, params)
    con.execute("DROP TABLE _ingest_stage")
    return distinct, replaced, stale
