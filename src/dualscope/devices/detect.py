"""Find the input files and tell their format from their content (never from the name alone).

Formats: ``inventory-csv``, ``inventory-xlsx``, ``nmap-xml``, ``zeek-tsv``, ``zeek-json``,
``ocds``. Gzip-compressed text files are read transparently; a cut-off gzip yields the lines
before the cut and one counted skip.
"""

from __future__ import annotations

import contextlib
import io
import json
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from dualscope.devices.readers.inventory import looks_like_inventory
from dualscope.devices.stats import ReadLog
from dualscope.errors import DualscopeError

HEAD_BYTES = 65_536
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGIC = b"PK\x03\x04"
_ZEEK_KEYS = {"ts", "uid", "id.orig_h", "id.resp_h", "query", "client_addr", "assigned_addr"}


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files given, and the files inside folders given (recursively, hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                raise DualscopeError(
                    f"{path}: folder holds no files", hint="give files or a folder of exports"
                )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise DualscopeError(f"{path}: no such file or folder", hint="check the path")
    return files


def _raw_head(path: Path) -> bytes:
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head.startswith(GZIP_MAGIC):  # a cut-off gzip still shows its format
        with _LenientGunzip(path.open("rb")) as stream:
            return stream.read(HEAD_BYTES) or b""
    return head


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode(data: bytes, *, head: bool = False) -> str:
    """UTF-8 (BOM dropped); UTF-16 with a BOM (Excel "Unicode text"); Windows-1252 when the
    bytes are not UTF-8 (mixed files: decided per line)."""
    if head and data.startswith(UTF16_BOMS):
        return data[: len(data) // 2 * 2].decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if head and exc.start >= len(data) - 4:  # a multi-byte character cut by the head limit
            return data[: exc.start].decode("utf-8-sig", errors="replace")
        return data.decode("cp1252", errors="replace")


def detect_format(path: Path) -> str | None:
    """The format of ``path`` judged from its first bytes, or None if not one we read."""
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                return "inventory-xlsx" if "xl/workbook.xml" in archive.namelist() else None
        except (zipfile.BadZipFile, OSError):
            return None
    text = decode(_raw_head(path), head=True).lstrip("\ufeff \t\r\n")
    if not text:
        return None
    if text.startswith("<"):
        return "nmap-xml" if "<nmaprun" in text[:8192] else None
    if text.startswith("#separator") or text.startswith("#fields"):
        return "zeek-tsv"
    if text.startswith(("{", "[")):
        return _json_kind(text)
    return "inventory-csv" if looks_like_inventory(text) else None


def _json_kind(text: str) -> str | None:
    first = text.split("\n", 1)[0].strip()
    try:
        obj = json.loads(first)
    except ValueError:
        obj = None
    if isinstance(obj, dict) and _ZEEK_KEYS & obj.keys() and "ocid" not in obj:
        return "zeek-json"
    if '"$schema"' in text[:4096] and '"properties"' in text:
        return None  # a JSON Schema (e.g. the OCDS release schema), not data
    if any(key in text for key in ('"releases"', '"records"', '"ocid"')):
        return "ocds"
    return None


class _LenientGunzip(io.RawIOBase):
    """Decompress a gzip file and, if it was cut off, deliver every byte before the cut
    (``gzip.GzipFile`` raises and loses its buffer instead). ``truncated`` tells the caller."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._inflater = zlib.decompressobj(wbits=31)
        self._member_output = False
        self._members = 0
        self._pending = b""
        self._done = False
        self.truncated = False
        self.error: str | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._done:
            self._fill()
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _fill(self) -> None:
        if self._inflater.eof:  # a member ended: another may follow (concatenated gzip)
            data = self._inflater.unused_data or self._raw.read(65_536)
            if not data:
                self._done = True
                return
            self._inflater = zlib.decompressobj(wbits=31)
            self._member_output = False
            self._members += 1
        else:
            data = self._raw.read(65_536)
            if not data:
                self._done, self.truncated = True, True
                return
        try:
            self._pending = self._inflater.decompress(data)
        except zlib.error as exc:
            self._done = True
            # junk after a complete member (e.g. zero padding) is not data loss
            if self._members == 0 or self._member_output:
                self.truncated, self.error = True, str(exc)
            return
        self._member_output = self._member_output or bool(self._pending)

    def close(self) -> None:
        self._raw.close()
        super().close()


@contextlib.contextmanager
def open_binary(path: Path, log: ReadLog, fmt: str) -> Iterator[io.BufferedIOBase]:
    """The bytes of ``path``, gunzipped if compressed; a cut-off gzip yields what precedes the
    cut and one counted skip when the stream is closed."""
    with path.open("rb") as probe:
        compressed = probe.read(2) == GZIP_MAGIC
    if not compressed:
        with path.open("rb") as handle:
            yield handle
        return
    raw = _LenientGunzip(path.open("rb"))
    with io.BufferedReader(raw) as handle:
        yield handle
    if raw.truncated:
        log.skip(path, "truncated or corrupt gzip", detail=f"{fmt}: {raw.error or 'cut off'}")


def iter_lines(path: Path, log: ReadLog, fmt: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of a text file, gzip or not; a cut-off gzip ends in one counted skip."""
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic in UTF16_BOMS:
        yield from _utf16_lines(path)
        return
    with open_binary(path, log, fmt) as raw:
        for lineno, data in enumerate(raw, start=1):
            yield lineno, decode(data)


def _utf16_lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-16", errors="replace", newline="") as handle:
        yield from enumerate(handle, start=1)


def read_text(path: Path, log: ReadLog, fmt: str) -> str:
    """The whole text of a (possibly gzipped) file; a cut-off gzip gives what precedes the cut."""
    return "".join(line for _, line in iter_lines(path, log, fmt))
