"""Web of Science exports: plain text (tagged) and tab-delimited, to OpenAlex-shaped works.

Plain text: an ``FN``/``VR`` header, then records from ``PT`` to ``ER``, the file ending ``EF``.
A line starts with a two-character tag and a space; continuation lines start with three spaces.
Tab-delimited: a header row of the same tags (``PT  AU  BA ...``), one record a row, lists joined
by ``; `` (often UTF-16LE with a BOM, which :mod:`dualscope.sources.textio` handles).

Fields read: ``UT`` (key), ``DI``, ``TI``, ``PY`` (else ``EY``/``EA``), ``AB``, ``DE``+``ID``,
``AF``/``AU``, ``C1``, ``RP``, ``C3``, ``OI``. Other tags are ignored and not kept in memory,
so 30,000 cited references cost nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dualscope.errors import InputError
from dualscope.sources.records import (
    ExportRecord,
    RecordProblem,
    SkippedRecord,
    authorship,
    check_size,
    make_work,
    normalise_doi,
    position_of,
    unique,
)
from dualscope.sources.textio import MAX_FIELD_CHARS, TextSource
from dualscope.sources.wos_addresses import (
    AuthorIndex,
    join_c1_lines,
    name_key,
    parse_rp,
    split_c1_entry,
    split_c1_field,
)

USED_TAGS = frozenset(
    ["UT", "DI", "TI", "PY", "EY", "EA", "PD", "AB", "DE", "ID", "AF", "AU", "C1", "RP", "C3", "OI"]
)
LIST_TAGS = frozenset({"AU", "AF", "C1"})  # one item per line (plain) or per "; " (tab)
_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9])(?: |$)")
_YEAR = re.compile(r"\b(1[6-9]\d\d|20\d\d)\b")
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")
# A record holding more text than this in the fields we keep is broken (no ER for a long way).
MAX_RECORD_CHARS = 8 * MAX_FIELD_CHARS

Fields = dict[str, list[str]]


def read_wos_plain(text: TextSource) -> Iterator[ExportRecord | SkippedRecord]:
    """Records of a plain-text (tagged) Web of Science export."""
    path = text.path
    fields: Fields | None = None
    start = 0
    tag = ""
    size = 0
    stray_from: int | None = None  # first line of text found outside any record
    started = 0
    for number, raw in enumerate(text.lines(), start=1):
        line = raw.rstrip("\n")
        if not line.strip():
            continue
        match = None if line.startswith("   ") else _TAG_LINE.match(line)
        if match is None:  # continuation line
            if fields is None:
                stray_from = stray_from or number
            elif tag in USED_TAGS:
                fields.setdefault(tag, []).append(line.strip())
                size += len(line)
            continue
        tag = match.group(1)
        if fields is None and tag in ("FN", "VR", "EF"):
            continue
        if stray_from is not None:
            yield SkippedRecord(path, stray_from, "text outside a PT ... ER record")
            stray_from = None
        if tag == "ER" or tag == "EF":
            if fields is not None:
                yield _finish(fields, size, path, start)
            fields = None
            continue
        if tag == "PT" or fields is None:
            if fields is not None:  # a record without ER: the next PT ends it
                yield _finish(fields, size, path, start)
            fields, start, size = {}, number, 0
            started += 1
        if tag in USED_TAGS:
            fields.setdefault(tag, []).append(line[3:].strip())
            size += len(line)
    if stray_from is not None:
        if not started:
            raise InputError(
                path,
                "no Web of Science record (PT ... ER) in this file",
                hint="is it a WoS plain-text export? pass --format to choose another reader",
            )
        yield SkippedRecord(path, stray_from, "text outside a PT ... ER record")
    if fields is not None:
        yield SkippedRecord(path, start, "file ends inside a record (no ER line): cut off?")


def _finish(fields: Fields, size: int, path: Path, line: int) -> ExportRecord | SkippedRecord:
    if size > MAX_RECORD_CHARS:
        return SkippedRecord(path, line, f"record is {size:,} characters, too large")
    plain = {tag: _plain_items(tag, values) for tag, values in fields.items()}
    try:
        return build_record(plain, path, line)
    except RecordProblem as problem:
        return SkippedRecord(path, line, str(problem))


def _plain_items(tag: str, values: list[str]) -> list[str]:
    if tag == "C1":
        return join_c1_lines(values)
    if tag in LIST_TAGS:
        return [v for v in values if v]
    return [" ".join(v for v in values if v)]


def read_wos_tab(text: TextSource) -> Iterator[ExportRecord | SkippedRecord]:
    """Records of a tab-delimited Web of Science export (one record a row)."""
    path = text.path
    header: list[str] | None = None
    for number, raw in enumerate(text.lines(), start=1):
        line = raw.rstrip("\n")
        if header is None:
            header = [h.strip().lstrip("\ufeff") for h in line.split("\t")]
            if "UT" not in header and "PT" not in header:
                raise InputError(
                    path,
                    "no Web of Science tab-delimited header (PT, AU, ..., UT) on line 1",
                    line=number,
                )
            continue
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            yield SkippedRecord(
                path, number, f"row has {len(cells)} fields, the header {len(header)}"
            )
            continue
        row = {tag: cells[i].strip() for i, tag in enumerate(header) if i < len(cells)}
        fields = {tag: _tab_items(tag, value) for tag, value in row.items() if tag in USED_TAGS}
        try:
            yield build_record(fields, path, number)
        except RecordProblem as problem:
            yield SkippedRecord(path, number, str(problem))


def _tab_items(tag: str, value: str) -> list[str]:
    if tag == "C1":
        return split_c1_field(value)
    if tag in LIST_TAGS:
        return [v.strip() for v in value.split(";") if v.strip()]
    return [value] if value else []


def _one(fields: Fields, tag: str) -> str | None:
    values = fields.get(tag)
    return check_size(tag, " ".join(values).strip()) if values else None


def _record_id(fields: Fields, doi: str | None) -> str:
    ut = _one(fields, "UT")
    if ut:
        for prefix in ("WOS:", "ISI:"):
            if ut.upper().startswith(prefix):
                ut = ut[len(prefix) :]
        return f"wos:{ut.strip()}"
    if doi:
        return f"wos:doi:{doi}"
    raise RecordProblem("no UT (accession number) and no DI (DOI): the record has no key")


def _year(fields: Fields) -> int | None:
    for tag in ("PY", "EY", "EA", "PD"):
        match = _YEAR.search(_one(fields, tag) or "")
        if match:
            return int(match.group(1))
    return None


def _keywords(fields: Fields) -> list[str]:
    return [k.strip() for tag in ("DE", "ID") for k in (_one(fields, tag) or "").split(";")]


def _orcids(fields: Fields) -> dict[str, str]:
    """Author name key -> ORCID URL, from ``OI`` (``Name/0000-0002-...; ...``)."""
    out: dict[str, str] = {}
    for item in (_one(fields, "OI") or "").split(";"):
        name, _, ident = item.rpartition("/")
        match = _ORCID.search(ident)
        if name.strip() and match:
            out[name_key(name)] = f"https://orcid.org/{match.group(1)}"
    return out


def build_record(fields: Fields, path: Path, line: int) -> ExportRecord:
    """The OpenAlex-shaped record of one WoS record's fields (lists per tag)."""
    doi = normalise_doi(_one(fields, "DI"))
    work_id = _record_id(fields, doi)
    for tag in ("AF", "AU", "C1"):
        for item in fields.get(tag, []):
            check_size(tag, item)
    return make_work(
        work_id=work_id,
        doi=doi,
        title=_one(fields, "TI"),
        year=_year(fields),
        abstract=_one(fields, "AB"),
        keywords=_keywords(fields),
        authorships=_authorships(fields),
        source="wos",
        path=path,
        line=line,
        organizations=[
            {"display_name": org.strip(), "id": None, "country_code": None}
            for org in unique(o.strip() for o in (_one(fields, "C3") or "").split(";"))
        ],
    )


def _authorships(fields: Fields) -> list[dict[str, Any]]:
    full, short = list(fields.get("AF", [])), list(fields.get("AU", []))
    count = max(len(full), len(short))
    full += [""] * (count - len(full))
    short += [""] * (count - len(short))
    names = [f or s for f, s in zip(full, short, strict=True)]
    index = AuthorIndex(full, short)
    addresses: list[list[str]] = [[] for _ in names]
    unattributed: list[str] = []
    unbracketed: list[str] = []
    from_brackets = not names  # no AU/AF at all: the brackets are the author list
    for entry in fields.get("C1", []):
        group, address = split_c1_entry(entry)
        if not address:
            continue
        if not group:
            unbracketed.append(address)
        for name in group:
            position = index.find(name)
            if position is not None:
                addresses[position].append(address)
            elif from_brackets:
                names.append(name)
                addresses.append([address])
                index = AuthorIndex(names, names)
            else:
                unattributed.append(address)
    if unbracketed:  # old style: an address without names belongs to every author
        targets = [i for i, a in enumerate(addresses) if not a] or range(len(addresses))
        for i in targets:
            addresses[i].extend(unbracketed)
        if not names:
            unattributed.extend(unbracketed)
    _add_reprint_addresses(fields, index, addresses, unattributed)
    orcids = _orcids(fields)
    result = [
        authorship(
            position_of(i, len(names)),
            name,
            addresses[i],
            orcid=orcids.get(name_key(name)) or orcids.get(name_key(short[i] if i < count else "")),
        )
        for i, name in enumerate(names)
    ]
    seen = {a for group in addresses for a in group}
    leftover = [a for a in unique(unattributed) if a not in seen]
    if leftover:
        result.append(authorship("unattributed", None, leftover))
    return result


def _add_reprint_addresses(
    fields: Fields, index: AuthorIndex, addresses: list[list[str]], unattributed: list[str]
) -> None:
    """RP addresses, for authors (or records) that C1 gives no address."""
    for name, address in parse_rp(_one(fields, "RP") or ""):
        position = index.find(name)
        if position is not None and position < len(addresses):
            if not addresses[position]:
                addresses[position].append(address)
        elif not any(addresses):
            unattributed.append(address)
