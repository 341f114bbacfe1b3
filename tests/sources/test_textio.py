"""Encodings, line ends and CSV rows of text exports."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from dualscope.errors import InputError
from dualscope.sources.textio import TextSource, csv_rows, read_head, sniff_encoding

TEXT = "PT J\nAU Müller, K\nTI Zürich – a test\n"


@pytest.mark.parametrize(
    ("prefix", "encoding", "expected"),
    [
        (b"", "utf-8", "utf-8"),
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (b"", "utf-16", "utf-16"),  # Python writes a BOM
        (b"", "utf-16-le", "utf-16-le"),
        (b"", "utf-16-be", "utf-16-be"),
    ],
)
def test_encodings_are_detected_and_read(
    tmp_path: Path, prefix: bytes, encoding: str, expected: str
) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes(prefix + TEXT.replace("\n", "\r\n").encode(encoding))
    source = TextSource(path)
    assert source.encoding == expected
    assert list(source.lines()) == ["PT J\n", "AU Müller, K\n", "TI Zürich – a test\n"]
    assert source.describe_decoding() is None
    assert read_head(path).startswith("PT J\nAU Müller")


def test_mixed_encodings_fall_back_per_line_and_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(
        "line one ü\n".encode() + "line two ü\n".encode("cp1252") + b"line three \x81\x8d\n"
    )
    source = TextSource(path)
    lines = list(source.lines())
    assert lines[:2] == ["line one ü\n", "line two ü\n"]
    assert lines[2].startswith("line three ")  # 0x81 is undefined in cp1252: latin-1
    assert source.fallback_lines == 2
    assert "2 line(s) were not valid UTF-8" in (source.describe_decoding() or "")
    assert "line 2, 3" in (source.describe_decoding() or "")


def test_old_mac_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "cr.txt"
    path.write_bytes(b"a\rb\r\n")
    # a lone CR inside a line is kept for the csv module to handle; CRLF is normalised
    assert list(TextSource(path).lines()) == ["a\rb\n"]


def test_utf16_undecodable_bytes_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "bad16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "ab\n".encode("utf-16-le") + b"\x00\xd8")
    source = TextSource(path)
    lines = list(source.lines())
    assert lines[0] == "ab\n"
    assert source.replaced_lines == 1
    assert "UTF-16" in (source.describe_decoding() or "")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        list(TextSource(tmp_path / "nope.txt").lines())
    with pytest.raises(InputError, match="is a folder"):
        TextSource(tmp_path)


def test_sniff_plain_ascii_is_utf8() -> None:
    assert sniff_encoding(b"a,b,c\n") == "utf-8"
    assert sniff_encoding(b"") == "utf-8"


def test_csv_rows_give_start_lines_and_errors() -> None:
    lines = iter(["a,b\n", '"multi\n', 'line",x\n', "c,d\n", "nul\x00here,y\n"])
    rows = list(csv_rows(lines))
    assert rows == [
        (1, ["a", "b"]),
        (2, ["multi\nline", "x"]),
        (4, ["c", "d"]),
        (5, ["nulhere", "y"]),
    ]


def test_csv_rows_oversized_field_is_an_error_row() -> None:
    import csv

    old = csv.field_size_limit()
    csv.field_size_limit(10)
    try:
        rows = list(csv_rows(iter(["a,b\n", "x" * 50 + ",y\n", "c,d\n"])))
    finally:
        csv.field_size_limit(old)
    assert rows[0] == (1, ["a", "b"])
    assert isinstance(rows[1][1], csv.Error)
    assert rows[-1] == (3, ["c", "d"])
