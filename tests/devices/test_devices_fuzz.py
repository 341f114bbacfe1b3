"""Property-based fuzzing of every devices reader: random bytes and mutated valid inputs give
records or a clean skip / InputError, never another exception.

Examples per test: ``DUALSCOPE_FUZZ_EXAMPLES`` (default 50; ``make fuzz`` raises it).
"""

from __future__ import annotations

import functools
import gzip
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dualscope.devices.catalog import default_catalog
from dualscope.devices.detect import detect_format
from dualscope.devices.oui import OuiIndex
from dualscope.devices.pipeline import analyse
from dualscope.devices.readers.inventory import read_inventory_csv, read_inventory_xlsx
from dualscope.devices.readers.nmap import read_nmap
from dualscope.devices.readers.ocds import Purchase, judge, read_ocds
from dualscope.devices.readers.zeek import read_zeek
from dualscope.devices.stats import ReadLog
from dualscope.errors import DualscopeError, InputError

EXAMPLES = int(os.environ.get("DUALSCOPE_FUZZ_EXAMPLES", "50"))
DATA = Path(__file__).parent / "data"
CATALOG = default_catalog()
OUI = OuiIndex(CATALOG)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _ocds(path: Path, log: ReadLog) -> None:
    purchases: dict[str, Purchase] = {}
    read_ocds(path, purchases, log)
    for p in purchases.values():
        judge(p, CATALOG)


def _zeek(fmt: str) -> Callable[[Path, ReadLog], object]:
    return lambda path, log: read_zeek([(path, fmt)], CATALOG, OUI, log)


READERS: dict[str, tuple[Path, Callable[[Path, ReadLog], object]]] = {
    "inventory-csv": (
        DATA / "inventory.csv",
        lambda p, log: list(read_inventory_csv(p, CATALOG, OUI, log)),
    ),
    "nmap-xml": (DATA / "scan.xml", lambda p, log: list(read_nmap(p, CATALOG, OUI, log))),
    "zeek-tsv": (DATA / "zeek-tsv" / "synthetic-dns.log", _zeek("zeek-tsv")),
    "zeek-json": (DATA / "zeek-json" / "synthetic-conn.log", _zeek("zeek-json")),
    "ocds": (DATA / "ocds" / "release-package.json", _ocds),
}  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """``original`` with a few random cuts, insertions, duplications and byte flips."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cut", "insert", "dup", "flip", "truncate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if op == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
        elif op == "dup":
            data[at:at] = data[at : at + draw(st.integers(1, 300))]
        elif op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        else:
            del data[at:]
    return bytes(data)


def _run(name: str, payload: bytes, strict: bool) -> None:
    _, reader = READERS[name]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input"
        path.write_bytes(payload)
        log = ReadLog(strict=strict)
        try:
            reader(path, log)
        except InputError:
            assert strict, "InputError outside strict mode"
        assert log.skipped_total >= 0


@pytest.mark.parametrize("name", sorted(READERS))
@FUZZ
@given(data=st.data())
def test_fuzz_mutated_inputs(name: str, data: st.DataObject) -> None:
    payload = data.draw(mutated(READERS[name][0].read_bytes()))
    _run(name, payload, strict=data.draw(st.booleans()))


@functools.cache
def _gzipped(name: str) -> bytes:
    return gzip.compress(READERS[name][0].read_bytes(), mtime=0)


@pytest.mark.parametrize("name", sorted(READERS))
@FUZZ
@given(data=st.data())
def test_fuzz_mutated_gzip_inputs(name: str, data: st.DataObject) -> None:
    payload = data.draw(mutated(_gzipped(name)))
    _run(name, payload, strict=data.draw(st.booleans()))


@pytest.mark.parametrize("name", sorted(READERS))
@FUZZ
@given(payload=st.binary(max_size=2_000), strict=st.booleans())
def test_fuzz_random_bytes(name: str, payload: bytes, strict: bool) -> None:
    _run(name, payload, strict)


@FUZZ
@given(payload=st.binary(max_size=3_000))
def test_fuzz_detection_and_whole_analysis(payload: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "input"
        path.write_bytes(payload)
        detect_format(path)
        try:
            result = analyse([path], catalog=CATALOG, oui=OUI)
        except DualscopeError as exc:  # a clean, one-line user error
            assert str(exc)
        else:
            assert result.summary["files_given"] == 1


@functools.cache
def _xlsx_bytes() -> bytes:
    """A small valid workbook, built once so every Hypothesis example mutates the same bytes."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["Vendor", "Model", "MAC"], ["Dahua", "IPC-HFW1", "08:ED:ED:00:00:01"]):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(data=st.data())
def test_fuzz_mutated_xlsx(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bad = Path(tmp) / "bad.xlsx"
        bad.write_bytes(data.draw(mutated(_xlsx_bytes())))
        log = ReadLog()
        list(read_inventory_xlsx(bad, CATALOG, OUI, log))


@FUZZ
@given(text=st.text(max_size=300))
def test_fuzz_name_matching_properties(text: str) -> None:
    from dualscope.devices.names import match_models, match_names, normalise
    from dualscope.devices.oui import normalise_mac

    once = normalise(text)
    assert normalise(once) == once  # idempotent
    assert once == once.strip() and "  " not in once
    for vendor_field in (False, True):
        for hit in match_names(text, CATALOG, vendor_field=vendor_field):
            assert hit.vendor in (None, "Hikvision", "Dahua") and hit.evidence
    for hit in match_models(text, CATALOG):
        assert hit.model and hit.model in text
    mac = normalise_mac(text)
    assert mac is None or normalise_mac(mac) == mac


@FUZZ
@given(
    prefix=st.sampled_from(["", "Fornitura ", "HiKOKI ", "Hikari "]), suffix=st.text(max_size=20)
)
def test_fuzz_confusables_never_become_vendors(prefix: str, suffix: str) -> None:
    from dualscope.devices.names import match_names

    # the random tail must not itself spell (or nearly spell) a watched name
    assume(not any(w in suffix.lower() for w in _NAME_STARTS))
    for name in ("HiKOKI", "Hikari", "Hitachi", "Hikma", "Dahuang", "Shanghai Dahua Scale Factory"):
        text = f"{prefix}{name} {suffix}"
        assert [h for h in match_names(text, CATALOG, vendor_field=True) if not h.weak] == [], text


_NAME_STARTS = ("hi", "dah", "ezv", "imou", "lorex", "lts", "amc", "ann", "lec", "zhej", "hang")
