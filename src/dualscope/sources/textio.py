"""Read text exports whatever their encoding, line by line, without loading them whole.

Exports arrive as UTF-8 (with or without a byte-order mark), UTF-16 with a BOM (Web of Science
tab-delimited files are often UTF-16LE), Windows line ends, and sometimes hand-edited files that
mix UTF-8 with Windows-1252 lines. :class:`TextSource` detects the encoding from the first bytes,
yields ``\\n``-terminated lines, and decodes each undecodable UTF-8 line as cp1252 (or latin-1
when cp1252 fails) while counting it, so a user can be told "12 lines were not UTF-8".

CSV files go through :func:`csv_rows`, which raises the csv module's field size limit (some
exports carry megabytes of references in one cell) and leaves the per-field cap to the readers.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dualscope.errors import InputError

# The csv module refuses fields longer than this (its default is 128 KiB). Larger fields raise
# csv.Error, which readers turn into a skipped record.
CSV_FIELD_LIMIT = 64 * 1024 * 1024
# Readers skip a record whose used field is longer than this: no real title, address list or
# abstract comes close, and a 5 MB "title" is a broken or hostile file.
MAX_FIELD_CHARS = 1_000_000
HEAD_BYTES = 4096

csv.field_size_limit(CSV_FIELD_LIMIT)


def sniff_encoding(head: bytes) -> str:
    """Codec name for a file starting with ``head``: BOMs first, then UTF-16 without BOM."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:512]
    if len(sample) >= 4:
        # Mostly-ASCII text in UTF-16 has a NUL in every other byte.
        odd_nuls = sample[1::2].count(0)
        even_nuls = sample[0::2].count(0)
        if odd_nuls > len(sample) // 4 and even_nuls == 0:
            return "utf-16-le"
        if even_nuls > len(sample) // 4 and odd_nuls == 0:
            return "utf-16-be"
    return "utf-8"


@dataclass
class TextSource:
    """One text file, opened lazily; iterate :meth:`lines`, then read :attr:`fallback_lines`."""

    path: Path
    encoding: str = ""
    fallback_lines: int = 0  # lines that were not valid UTF-8 and were read as cp1252/latin-1
    replaced_lines: int = 0  # UTF-16 lines with undecodable bytes (shown as U+FFFD)
    first_fallback: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.encoding:
            self.encoding = sniff_encoding(read_head_bytes(self.path))

    def lines(self) -> Iterator[str]:
        """Lines ending in ``\\n`` (``\\r\\n`` and ``\\r`` normalised), BOM removed."""
        if self.encoding.startswith("utf-16"):
            yield from self._utf16_lines()
        else:
            yield from self._byte_lines()

    def _byte_lines(self) -> Iterator[str]:
        with _open_binary(self.path) as handle:
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8) :]
                yield _normalise_newline(self._decode(raw, number))

    def _decode(self, raw: bytes, number: int) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.fallback_lines += 1
            if len(self.first_fallback) < 5:
                self.first_fallback.append(number)
            try:
                return raw.decode("cp1252")
            except UnicodeDecodeError:
                return raw.decode("latin-1")

    def _utf16_lines(self) -> Iterator[str]:
        with _open_binary(self.path) as binary:
            text = io.TextIOWrapper(binary, encoding=self.encoding, errors="replace", newline="")
            for line in text:
                line = line.removeprefix("\ufeff")
                if "\ufffd" in line:
                    self.replaced_lines += 1
                yield _normalise_newline(line)

    def describe_decoding(self) -> str | None:
        """A sentence for the user when some lines needed a fallback, else None."""
        if self.fallback_lines:
            lines = ", ".join(map(str, self.first_fallback))
            return (
                f"{self.path}: {self.fallback_lines} line(s) were not valid UTF-8 and were read "
                f"as Windows-1252 (first: line {lines})"
            )
        if self.replaced_lines:
            return f"{self.path}: {self.replaced_lines} line(s) had undecodable UTF-16 bytes"
        return None


def _normalise_newline(line: str) -> str:
    if line.endswith("\r\n"):
        return line[:-2] + "\n"
    if line.endswith("\r"):
        return line[:-1] + "\n"
    return line


def _open_binary(path: Path) -> io.BufferedReader:
    try:
        return open(path, "rb")
    except IsADirectoryError as exc:
        raise InputError(path, "is a folder, not an export file") from exc
    except FileNotFoundError as exc:
        raise InputError(path, "file not found") from exc
    except PermissionError as exc:
        raise InputError(path, "cannot be read (permission denied)") from exc


def read_head_bytes(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first ``size`` bytes of a file (an InputError when it cannot be opened)."""
    with _open_binary(path) as handle:
        return handle.read(size)


def read_head(path: Path, size: int = HEAD_BYTES) -> str:
    """The first ``size`` bytes decoded with the sniffed encoding (a partial last char dropped)."""
    head = read_head_bytes(path, size)
    encoding = sniff_encoding(head)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    text = decoder.decode(head, final=False)
    return _strip_bom(text).replace("\r\n", "\n").replace("\r", "\n")


def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def csv_rows(
    lines: Iterator[str], *, delimiter: str = ","
) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """CSV rows with the line number each starts on; a malformed row gives its ``csv.Error``.

    The reader keeps going after an error (the csv module resumes at the next line), so one
    broken row costs one record, not the file.
    """
    counter = _LineCounter(lines)
    reader = csv.reader(counter, delimiter=delimiter, strict=False)
    while True:
        start = counter.count + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield start, exc
            continue
        yield start, row


class _LineCounter:
    """Iterator over lines that counts how many the csv reader consumed."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.count = 0

    def __iter__(self) -> _LineCounter:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        # A NUL byte makes the csv module fail with "line contains NUL"; drop it here instead.
        return line.replace("\x00", "") if "\x00" in line else line
