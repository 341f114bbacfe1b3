"""Known non-watchlist institutions: the names that keep near misses from matching.

Two sources feed the index:

* a small curated list bundled with the package (``data/near_misses.yaml``): confusable
  neighbours of watchlist names, each with its country and a source URL;
* optionally, a ROR data dump imported by ``dualscope watchlist import-ror DUMP``, written to the
  user folder as ``known_institutions.csv``.

A string naming one of these exactly is not pulled to a similar watchlist name: "Wuhan
University of Technology" is a known institution, so the watchlist alias "Wuhan University"
inside it does not count; "National Defense University" is also a US institution, so it needs
Chinese context.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dualscope.errors import DataFileError, InputError
from dualscope.fsutil import atomic_file
from dualscope.settings import Settings
from dualscope.watchlist.loader import load_yaml_text

NEAR_MISSES_FILE = Path(__file__).with_name("data") / "near_misses.yaml"
KNOWN_FILE_NAME = "known_institutions.csv"
KNOWN_COLUMNS = ("ror_id", "name", "country", "parents")
_NAME_TYPES = {"ror_display", "label", "alias"}


@dataclass(frozen=True, slots=True)
class KnownInstitution:
    """One name of one institution that is not on the watchlist (hot-path record)."""

    name: str
    country: str  # ISO 3166-1 alpha-2, "" when unknown
    ror_id: str = ""  # bare ROR id, "" for curated entries without one
    parents: tuple[str, ...] = ()  # bare ROR ids of parent organisations
    source: str = ""
    confusable_with: str = ""  # watchlist entity id (curated near misses only)


class NearMiss(BaseModel):
    """A curated confusable institution (validated on load)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=3)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    confusable_with: str = Field(min_length=1)  # watchlist entity id it could be mistaken for
    source: str = Field(pattern=r"^https?://")
    aliases: list[str] = Field(default_factory=list)
    note: str | None = None


def load_near_misses(path: Path = NEAR_MISSES_FILE) -> list[NearMiss]:
    """The bundled near-miss list; a bad entry fails with the file and entry named."""
    try:
        raw = load_yaml_text(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: cannot read near-miss list: {exc}") from exc
    entries = raw.get("near_misses") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise DataFileError(f"{path}: expected a mapping with a 'near_misses' list")
    result: list[NearMiss] = []
    for number, entry in enumerate(entries, start=1):
        try:
            result.append(NearMiss.model_validate(entry))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            name = entry.get("name") if isinstance(entry, dict) else None
            raise DataFileError(
                f"{path}: entry {number} ({name!r}): {where}: {first['msg']}"
            ) from exc
    return result


def near_miss_institutions(entries: Iterable[NearMiss]) -> Iterator[KnownInstitution]:
    """Curated near misses as :class:`KnownInstitution` records (one per name)."""
    for entry in entries:
        for name in (entry.name, *entry.aliases):
            yield KnownInstitution(
                name=name,
                country=entry.country,
                source=entry.source,
                confusable_with=entry.confusable_with,
            )


# --- ROR dumps -------------------------------------------------------------------------------


def _bare_ror(value: str) -> str:
    return value.rstrip("/").rsplit("/", 1)[-1].lower()


def _ror_names(record: dict[str, Any]) -> list[str]:
    """Display names, labels and aliases of a ROR record (schema v2 and v1); no acronyms."""
    names: list[str] = []
    if isinstance(record.get("names"), list):  # schema v2
        for item in record["names"]:
            if isinstance(item, dict) and _NAME_TYPES & set(item.get("types") or []):
                names.append(str(item.get("value") or ""))
    else:  # schema v1
        names.append(str(record.get("name") or ""))
        names.extend(str(a) for a in record.get("aliases") or [])
        names.extend(str(lab.get("label") or "") for lab in record.get("labels") or [])
    return [n.strip() for n in dict.fromkeys(names) if n and n.strip()]


def _ror_country(record: dict[str, Any]) -> str:
    for location in record.get("locations") or []:
        code = (location.get("geonames_details") or {}).get("country_code")
        if code:
            return str(code).upper()
    country = record.get("country") or {}
    return str(country.get("country_code") or "").upper()


def _ror_parents(record: dict[str, Any]) -> tuple[str, ...]:
    parents = [
        _bare_ror(str(rel.get("id") or ""))
        for rel in record.get("relationships") or []
        if str(rel.get("type", "")).lower() == "parent" and rel.get("id")
    ]
    return tuple(parents)


def institutions_from_record(record: dict[str, Any]) -> list[KnownInstitution]:
    """The known-institution rows of one ROR record (one per name)."""
    ror_id = _bare_ror(str(record.get("id") or ""))
    if not ror_id:
        raise ValueError("record has no 'id'")
    country, parents = _ror_country(record), _ror_parents(record)
    return [
        KnownInstitution(name, country, ror_id, parents, f"https://ror.org/{ror_id}")
        for name in _ror_names(record)
    ]


def _records_from_text(text: str, path: Path) -> Iterator[tuple[int, Any]]:
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid JSON: {exc.msg}", line=exc.lineno) from exc
        yield from enumerate(data, start=1)
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid JSON Lines: {exc.msg}", line=number) from exc
        yield number, item.get("record", item) if isinstance(item, dict) else item


def read_ror_dump(path: Path) -> Iterator[tuple[int, Any]]:
    """(line or record number, record) from a ROR dump: JSON array, .zip of it, or JSON Lines."""
    if not path.is_file():
        raise InputError(path, "no such file", hint="download a dump from https://ror.org/")
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if m.endswith((".json", ".jsonl"))]
                if not members:
                    raise InputError(path, "the zip archive holds no .json file")
                # ROR zips hold the same data in v1 and v2 layouts: prefer the v2 file.
                members.sort(key=lambda m: ("v2" not in m, "schema_v2" not in m, m))
                text = archive.read(members[0]).decode("utf-8")
        else:
            text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            path, f"not UTF-8 text ({exc.reason} at byte {exc.start})", hint="is it a ROR dump?"
        ) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(path, f"cannot read: {exc}", hint="download the dump again") from exc
    return _records_from_text(text, path)


@dataclass(slots=True)
class ImportSummary:
    records: int = 0
    names: int = 0
    skipped_watchlist: int = 0
    skipped_bad: int = 0
    first_problems: list[str] | None = None


def import_ror(
    dump: Path,
    out: Path,
    *,
    exclude_ids: set[str] = frozenset(),  # type: ignore[assignment]
    strict: bool = False,
) -> ImportSummary:
    """Read a ROR dump and write the known-institution index ``out`` atomically.

    Records whose id is in ``exclude_ids`` (the watchlist's own ROR ids) are left out. A bad
    record is skipped and counted (``strict`` stops at the first one instead).
    """
    summary = ImportSummary(first_problems=[])
    rows: list[KnownInstitution] = []
    for number, record in read_ror_dump(dump):
        try:
            if not isinstance(record, dict):
                raise ValueError("record is not a JSON object")
            found = institutions_from_record(record)
        except ValueError as exc:
            if strict:
                raise InputError(dump, str(exc), record=str(number)) from exc
            summary.skipped_bad += 1
            if summary.first_problems is not None and len(summary.first_problems) < 5:
                summary.first_problems.append(f"record {number}: {exc}")
            continue
        summary.records += 1
        if found and found[0].ror_id in exclude_ids:
            summary.skipped_watchlist += 1
            continue
        rows.extend(found)
    summary.names = len(rows)
    with atomic_file(out) as handle:
        writer = csv.writer(handle)
        writer.writerow(KNOWN_COLUMNS)
        for row in rows:
            writer.writerow([row.ror_id, row.name, row.country, ";".join(row.parents)])
    return summary


def known_file(settings: Settings) -> Path:
    """Where ``import-ror`` writes, and the matcher reads, the known-institution index."""
    return settings.user_watchlist_dir / KNOWN_FILE_NAME


def load_known(path: Path) -> list[KnownInstitution]:
    """Read a ``known_institutions.csv`` written by :func:`import_ror`."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot read known-institution index: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != KNOWN_COLUMNS:
        raise InputError(
            path,
            f"expected columns {','.join(KNOWN_COLUMNS)}, found {reader.fieldnames}",
            hint="rerun `dualscope watchlist import-ror DUMP`",
        )
    return [
        KnownInstitution(
            name=row["name"],
            country=row["country"],
            ror_id=row["ror_id"],
            parents=tuple(p for p in row["parents"].split(";") if p),
            source=f"https://ror.org/{row['ror_id']}" if row["ror_id"] else "",
        )
        for row in reader
        if row.get("name")
    ]
