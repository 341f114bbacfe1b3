"""Asset inventories (CSV and XLSX) with free-text columns, found by their header names.

Headers are recognised in several languages, case and spacing ignored ("Produttore",
"MAC-Adresse", "N. inventario"). Per row, the manufacturer field gets the guarded fuzzy name
match; model and description fields get exact names and model-number families only.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from dualscope.devices.catalog import Catalog
from dualscope.devices.evidence import Hit, Observation
from dualscope.devices.names import match_models, match_names
from dualscope.devices.oui import OuiIndex
from dualscope.devices.stats import ReadLog

ROLES: dict[str, tuple[str, ...]] = {
    "manufacturer": (
        "manufacturer", "vendor", "make", "brand", "produttore", "marca", "hersteller",
        "fabbricante", "costruttore", "fabricant", "fabricante", "marque", "marke",
    ),
    "model": ("model", "modello", "modell", "modele", "modelo", "modelnumber", "modelno"),
    "description": (
        "description", "descrizione", "beschreibung", "descripcion", "descriptif",
        "devicename", "bezeichnung", "name", "nome", "notes", "note", "comments", "comment",
        "devicetype", "type", "tipo", "typ",
    ),
    "mac": (
        "mac", "macaddress", "macaddr", "indirizzomac", "macadresse", "hwaddress",
        "hardwareaddress", "physicaladdress", "ethernetaddress",
    ),
    "ip": ("ip", "ipaddress", "ipaddr", "ipv4", "ipv4address", "indirizzoip", "ipadresse"),
    "asset": (
        "assetid", "assettag", "asset", "assetnumber", "inventorynumber", "inventoryno",
        "inventoryid", "inventorytag", "ninventario", "numeroinventario", "inventario",
        "inventarnummer", "inventar", "tag", "serialnumber", "serialno", "serial", "seriale",
        "numerodiserie", "matricola", "seriennummer", "id",
    ),
    "hostname": ("hostname", "host", "dnsname", "fqdn"),
}  # fmt: skip
_KEY_ROLES = {"manufacturer", "model", "mac", "description"}
_HEADER_SCAN_ROWS = 10
_FIELD_LIMIT = 64 * 1024 * 1024


def _header_key(cell: object) -> str:
    text = unicodedata.normalize("NFKD", str(cell or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def map_columns(header: Sequence[object]) -> dict[str, int]:
    """Role → column index for a header row (exact alias first, then alias inside the name)."""
    keys = [_header_key(c) for c in header]
    found: dict[str, tuple[int, int]] = {}  # role -> (rank, column)
    for col, key in enumerate(keys):
        if not key:
            continue
        for role, aliases in ROLES.items():
            rank = aliases.index(key) if key in aliases else None
            if rank is None:
                rank = next(
                    (100 + i for i, a in enumerate(aliases) if len(a) >= 5 and a in key), None
                )
            if rank is not None and (role not in found or rank < found[role][0]):
                found[role] = (rank, col)
                break
    return {role: col for role, (_, col) in found.items()}


def find_header(rows: Iterable[Sequence[object]]) -> tuple[int, dict[str, int]] | None:
    """(row index, column map) of the first row that looks like an inventory header."""
    for index, row in enumerate(rows):
        if index >= _HEADER_SCAN_ROWS:
            break
        cols = map_columns(row)
        if len(cols) >= 2 and _KEY_ROLES & cols.keys():
            return index, cols
    return None


class _Dialect(csv.excel):
    delimiter = ","


def _sniff_dialect(sample: str) -> type[csv.Dialect]:
    """The delimiter (, ; tab |) that splits most lines into the same number (>1) of fields;
    title lines above the header do not confuse it."""
    lines = [line for line in sample.splitlines() if line.strip()][:_HEADER_SCAN_ROWS]
    best, best_score = ",", -1
    for delim in (",", ";", "\t", "|"):
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            continue
        common = Counter(w for w in widths if w > 1).most_common(1)
        score = common[0][1] * 1000 + common[0][0] if common else 0
        if score > best_score:
            best, best_score = delim, score
    return type("SniffedDialect", (_Dialect,), {"delimiter": best})


def looks_like_inventory(text: str) -> bool:
    """True when the first lines of ``text`` hold a CSV header with inventory columns."""
    sample = "\n".join(text.splitlines()[:_HEADER_SCAN_ROWS])
    try:
        rows = list(csv.reader(io.StringIO(sample), _sniff_dialect(sample)))
    except csv.Error:
        return False
    return find_header(rows) is not None


def _cell(row: Sequence[object], cols: dict[str, int], role: str) -> str:
    col = cols.get(role)
    if col is None or col >= len(row) or row[col] is None:
        return ""
    return str(row[col]).strip()


def row_observation(
    row: Sequence[object], cols: dict[str, int], where: str, catalog: Catalog, oui: OuiIndex
) -> Observation | None:
    """The observation for one inventory row, or None for an empty row."""
    values = {role: _cell(row, cols, role) for role in cols}
    if not any(values.values()):
        return None
    hits: list[Hit] = []
    notes: list[str] = []
    if values.get("manufacturer"):
        hits += match_names(values["manufacturer"], catalog, vendor_field=True)
        hits += match_models(values["manufacturer"], catalog)
    for role in ("model", "description"):
        if values.get(role):
            hits += match_names(values[role], catalog) + match_models(values[role], catalog)
    mac = None
    if values.get("mac"):
        mac, oui_hit, note = oui.hit(values["mac"])
        if oui_hit:
            hits.append(oui_hit)
        if note:
            notes.append(note)
        if mac is None:
            notes.append(f"MAC column value {values['mac'][:40]!r} is not a MAC address")
    return Observation(
        source="inventory",
        where=where,
        asset_id=values.get("asset") or None,
        ip=values.get("ip") or None,
        mac=mac,
        hostname=values.get("hostname") or None,
        model=values.get("model") or None,
        hits=hits,
        notes=notes,
    )


def _csv_rows(path: Path, log: ReadLog) -> Iterator[tuple[int, list[str]]]:
    from dualscope.devices.detect import iter_lines

    lines = iter_lines(path, log, "inventory-csv")
    first: list[str] = []
    for _, line in lines:
        first.append(line)
        if len(first) >= _HEADER_SCAN_ROWS:
            break
    dialect = _sniff_dialect("".join(first))

    def all_lines() -> Iterator[str]:
        yield from first
        for _, line in lines:
            yield line

    reader = csv.reader(all_lines(), dialect)
    old_limit = csv.field_size_limit(_FIELD_LIMIT)
    try:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                log.skip(path, "malformed CSV row", line=reader.line_num, detail=str(exc))
                continue
            yield reader.line_num, row
    finally:
        csv.field_size_limit(old_limit)


def read_inventory_csv(
    path: Path, catalog: Catalog, oui: OuiIndex, log: ReadLog
) -> Iterator[Observation]:
    """Observations from a CSV inventory (any of , ; tab | as delimiter; gzip allowed)."""
    yield from _read_rows(path, _csv_rows(path, log), "inventory-csv", catalog, oui, log)


def _read_rows(
    path: Path,
    rows: Iterable[tuple[int, Sequence[object]]],
    fmt: str,
    catalog: Catalog,
    oui: OuiIndex,
    log: ReadLog,
    sheet: str | None = None,
) -> Iterator[Observation]:
    header: dict[str, int] | None = None
    width = 0
    buffered: list[Sequence[object]] = []
    place = f"{path.name}[{sheet}]" if sheet else path.name
    for line, row in rows:
        if header is None:
            buffered.append(row)
            found = find_header(buffered)
            if found is not None:
                header, width = found[1], len(buffered[found[0]])
            elif len(buffered) >= _HEADER_SCAN_ROWS:
                log.skip(
                    path,
                    "no inventory header",
                    record=sheet,
                    detail="no row names a manufacturer, model, description or MAC column",
                )
                return
            continue
        if len(row) > width and any(str(c or "").strip() for c in row[width:]):
            log.skip(path, "more fields than the header", line=line, record=sheet,
                     detail=f"{len(row)} fields, header has {width}")  # fmt: skip
            continue
        obs = row_observation(row, header, f"{place}:{line}", catalog, oui)
        if obs is not None:
            log.read(fmt)
            yield obs


def read_inventory_xlsx(
    path: Path, catalog: Catalog, oui: OuiIndex, log: ReadLog
) -> Iterator[Observation]:
    """Observations from every sheet of an XLSX workbook, streamed in read-only mode."""
    import openpyxl

    # openpyxl on a damaged workbook raises whatever its zip/XML layers raise (zlib.error,
    # EOFError, KeyError, ParseError, ...): fuzzing found many; any of them means "unreadable".
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        log.skip(path, "unreadable XLSX", detail=f"{type(exc).__name__}: {exc}")
        return
    try:
        for sheet in book.worksheets:
            try:
                rows = (
                    (i, list(r)) for i, r in enumerate(sheet.iter_rows(values_only=True), start=1)
                )
                yield from _read_rows(path, rows, "inventory-xlsx", catalog, oui, log, sheet.title)
            except Exception as exc:  # damaged sheet XML: see load_workbook above
                log.skip(path, "unreadable XLSX sheet", record=sheet.title, detail=str(exc))
    finally:
        with contextlib.suppress(Exception):
            book.close()
