"""Zeek log files as records: TSV (``#separator``/``#fields`` headers) or JSON lines.

Yields ``(line, log kind, record)``; the kind (dns, conn, dhcp, http, ssl, software, other)
comes from ``#path`` or, failing that, from the fields present. Typed field accessors raise
``ValueError`` for a wrong-typed value so the caller can skip and count the record.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterator
from pathlib import Path

from dualscope.devices.detect import iter_lines
from dualscope.devices.stats import ReadLog

Row = dict[str, object]


KINDS = ("dns", "conn", "dhcp", "http", "ssl", "software")


def log_kind(fields: set[str], path_hint: str | None) -> str:
    """The log's kind: its ``#path`` when that is one we read, else judged from its fields."""
    if path_hint in KINDS:
        return path_hint
    if "query" in fields:
        return "dns"
    if "conn_state" in fields or "orig_bytes" in fields:
        return "conn"
    if "mac" in fields and ({"assigned_addr", "assigned_ip", "client_addr"} & fields):
        return "dhcp"
    if "uri" in fields:
        return "http"
    if "server_name" in fields:
        return "ssl"
    if "software_type" in fields:
        return "software"
    return "other"


_HEX_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")


def _unescape(value: str) -> str:
    """Zeek writes the separator as ``\\x09``; other text is taken literally."""
    return _HEX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


def tsv_rows(path: Path, log: ReadLog, fmt: str) -> Iterator[tuple[int, str, Row]]:
    sep, set_sep, unset, empty = "\t", ",", "-", "(empty)"
    fields: list[str] | None = None
    kind = "other"
    hint: str | None = None
    for lineno, raw in iter_lines(path, log, fmt):
        line = raw.rstrip("\r\n")
        if not line:
            continue
        if line.startswith("#"):
            key, _, value = line[1:].partition(" " if line.startswith("#separator") else sep)
            if key == "separator":
                sep = _unescape(value.strip()) or "\t"
            elif key == "set_separator":
                set_sep = value or ","
            elif key == "unset_field":
                unset = value
            elif key == "empty_field":
                empty = value
            elif key == "path":
                hint = value.strip() or None
            elif key == "fields":
                fields = value.split(sep)
                kind = log_kind(set(fields), hint)
            continue
        if fields is None:
            log.skip(path, "Zeek data line before the #fields header", line=lineno)
            continue
        values = line.split(sep)
        if len(values) != len(fields):
            log.skip(path, "wrong number of fields", line=lineno,
                     detail=f"{len(values)} values for {len(fields)} fields")  # fmt: skip
            continue
        row: Row = {}
        for name, value in zip(fields, values, strict=True):
            if value == unset:
                continue
            row[name] = "" if value == empty else value
        for name in ("answers", "TTLs"):
            if isinstance(row.get(name), str):
                row[name] = [v for v in str(row[name]).split(set_sep) if v]
        yield lineno, kind, row


def json_rows(path: Path, log: ReadLog, fmt: str) -> Iterator[tuple[int, str, Row]]:
    kind: str | None = None
    for lineno, raw in iter_lines(path, log, fmt):
        line = raw.strip()
        if not line:
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            log.skip(path, "invalid JSON", line=lineno, detail=str(exc)[:120])
            continue
        if not isinstance(row, dict):
            log.skip(path, "not a JSON object", line=lineno, detail=type(row).__name__)
            continue
        if kind is None:
            kind = log_kind(set(row), None)
        yield lineno, kind, row


def field_text(row: Row, name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise ValueError(f"field {name!r} should be text, not {type(value).__name__}")
    return str(value)


def field_count(row: Row, name: str) -> int:
    value = row.get(name)
    if value is None or value == "":
        return 0
    if isinstance(value, bool) or not isinstance(value, int | str | float):
        raise ValueError(f"field {name!r} should be a count, not {type(value).__name__}")
    return int(float(value)) if isinstance(value, str | float) else value


def field_answers(row: Row) -> list[str]:
    value = row.get("answers") or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ValueError("field 'answers' should be a list")
    return [str(v) for v in value]


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def is_private(text: str) -> bool:
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return False
    return addr.is_private or addr.is_link_local


def is_group(text: str) -> bool:
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return False
    return addr.is_multicast or text.endswith(".255")
