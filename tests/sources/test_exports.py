"""Format detection, read_export's contract, DOI normalisation, and fuzzing of every reader."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dualscope.errors import DualscopeError, InputError
from dualscope.sources.exports import (
    FORMATS,
    ExportRecord,
    SkippedRecord,
    detect_format,
    normalise_doi,
    read_export,
)

DATA = Path(__file__).parent / "data"
SAMPLES = {
    "wos_plain.txt": "wos",
    "wos_tab_utf16.txt": "wos_tab",
    "scopus_new.csv": "scopus",
    "scopus_old.csv": "scopus",
    "dimensions.csv": "dimensions",
    "openalex.csv": "openalex_csv",
    "lens.csv": "lens",
}
FUZZ_EXAMPLES = int(os.environ.get("DUALSCOPE_FUZZ_EXAMPLES", "100"))


@pytest.mark.parametrize(("name", "fmt"), SAMPLES.items())
def test_detect_format_by_content(tmp_path: Path, name: str, fmt: str) -> None:
    renamed = tmp_path / "download.dat"
    renamed.write_bytes((DATA / name).read_bytes())
    assert detect_format(renamed) == fmt


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\n\n",
        b'{"id": "https://openalex.org/W1", "title": "x"}\n',
        b'{"meta": {}, "results": []}',
        b"a,b,c\n1,2,3\n",
        b"\x00\x01\x02\xff\xfe garbage",
    ],
)
def test_detect_format_none_for_other_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other"
    path.write_bytes(content)
    assert detect_format(path) is None


def test_detect_format_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        detect_format(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="is a folder"):
        detect_format(tmp_path)


def test_read_export_unknown_file_says_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n")
    with pytest.raises(InputError, match="not a Web of Science, Scopus") as caught:
        list(read_export(path))
    assert "--format" in str(caught.value)


def test_format_override_and_typo() -> None:
    items = list(read_export(DATA / "scopus_new.csv", "Scopus"))
    assert sum(isinstance(i, ExportRecord) for i in items) == 2
    with pytest.raises(DualscopeError, match="did you mean 'scopus'"):
        list(read_export(DATA / "scopus_new.csv", "scopsu"))
    with pytest.raises(InputError, match="no Scopus header"):
        list(read_export(DATA / "dimensions.csv", "scopus"))


def test_same_doi_normalised_identically_by_every_reader() -> None:
    dois = {}
    for name in ("wos_plain.txt", "scopus_new.csv", "dimensions.csv", "openalex.csv"):
        first = next(i for i in read_export(DATA / name) if isinstance(i, ExportRecord))
        dois[name] = first["doi"]
    assert set(dois.values()) == {"10.9999/synth.2021.001"}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1016/J.JOI.2017.08.007", "10.1016/j.joi.2017.08.007"),
        ("https://doi.org/10.1016/j.joi.2017.08.007", "10.1016/j.joi.2017.08.007"),
        ("http://dx.doi.org/10.1364/OL.27.001421", "10.1364/ol.27.001421"),
        ("doi:10.1364/OL.27.001421", "10.1364/ol.27.001421"),
        ("DOI 10.1364/OL.27.001421.", "10.1364/ol.27.001421"),
        ("  10.1000/xyz  ", "10.1000/xyz"),
        ("NA", None),
        ("", None),
        (None, None),
        ("https://example.org/paper", None),
    ],
)
def test_normalise_doi(raw: str | None, expected: str | None) -> None:
    assert normalise_doi(raw) == expected


def test_every_record_has_the_contract_keys() -> None:
    keys = {
        "id", "doi", "title", "publication_year", "updated_date", "abstract", "keywords",
        "topics", "authorships", "organizations", "source", "source_file", "line",
    }  # fmt: skip
    author_keys = {
        "author_position", "author", "institutions", "countries", "raw_affiliation_strings",
    }  # fmt: skip
    for name, fmt in SAMPLES.items():
        if fmt == "lens":
            continue
        for item in read_export(DATA / name):
            if isinstance(item, SkippedRecord):
                continue
            assert set(item) == keys, name
            assert item["publication_year"] is None or isinstance(item["publication_year"], int)
            for authorship in item["authorships"]:
                assert set(authorship) == author_keys
                assert set(authorship["author"]) == {"id", "display_name", "orcid"}


def test_mixed_encodings_are_read_and_noted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    text = (DATA / "scopus_new.csv").read_bytes()
    # a hand-edited line saved as Windows-1252: "Mueller" becomes "Müller"
    text = text.replace(b"Mueller, Katrin", "Müller, Katrin".encode("cp1252"))
    path = tmp_path / "scopus.csv"
    path.write_bytes(text)
    records = [i for i in read_export(path) if isinstance(i, ExportRecord)]
    assert records[0]["authorships"][2]["author"]["display_name"] == "Müller, Katrin"
    assert "1 line(s) were not valid UTF-8" in caplog.text


def test_enormous_field_is_skipped_with_reason(tmp_path: Path) -> None:
    lines = (DATA / "scopus_new.csv").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("Synthetic Scopus record one", "x" * 5_000_000)
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_export(path))
    skipped = [i for i in items if isinstance(i, SkippedRecord)]
    assert "field 'Title' is 5,000,000 characters" in skipped[0].reason
    assert sum(isinstance(i, ExportRecord) for i in items) == 1


# --- fuzzing: any input gives records, skipped records or a clean error -----------------------


def _drain(path: Path, fmt: str | None) -> None:
    try:
        for item in read_export(path, fmt):
            assert isinstance(item, ExportRecord | SkippedRecord)
            if isinstance(item, ExportRecord):
                assert isinstance(item["id"], str) and item["id"]
    except DualscopeError:  # InputError included: a clean, explained refusal
        pass


_fuzz = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_fuzz
@given(data=st.binary(max_size=2048), fmt=st.sampled_from([None, *FORMATS]))
def test_fuzz_random_bytes(tmp_path: Path, data: bytes, fmt: str | None) -> None:
    path = tmp_path / "fuzz.bin"
    path.write_bytes(data)
    _drain(path, fmt)


def _mutate(original: bytes, seed: int, edits: int) -> bytes:
    rng = random.Random(seed)
    data = bytearray(original)
    pieces = [b'"', b",", b";", b"\t", b"\n", b"\r", b"[", b"]", b"(", b")", b"\x00", b"\xff", b"|"]
    for _ in range(edits):
        if not data:
            break
        at = rng.randrange(len(data))
        action = rng.randrange(4)
        if action == 0:
            del data[at : at + rng.randrange(1, 40)]
        elif action == 1:
            data[at:at] = rng.choice(pieces) * rng.randrange(1, 3)
        elif action == 2:
            data[at] = rng.randrange(256)
        else:
            chunk = bytes(data[at : at + rng.randrange(1, 200)])
            data[rng.randrange(len(data)) : 0] = chunk
    return bytes(data)


@_fuzz
@given(
    name=st.sampled_from(sorted(n for n, f in SAMPLES.items() if f != "lens")),
    seed=st.integers(min_value=0, max_value=2**32),
    edits=st.integers(min_value=1, max_value=12),
    detect=st.booleans(),
)
def test_fuzz_mutated_valid_exports(
    tmp_path: Path, name: str, seed: int, edits: int, detect: bool
) -> None:
    path = tmp_path / name
    path.write_bytes(_mutate((DATA / name).read_bytes(), seed, edits))
    _drain(path, None if detect else SAMPLES[name])
