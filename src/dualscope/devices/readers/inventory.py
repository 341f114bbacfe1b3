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
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from dualscope.devices.catalog import Catalog
from dualscope.devices.evidence import Hit, Observation
from dualscope.devices.names import match_models, match_names
from dualscope.devices.oui import OuiIndex
from dualscope.devices.stats import ReadLog
from dualscope.errors import DualscopeError

ROLES: dict[str, tuple[str, ...]] = {
    "manufacturer": (
        "manufacturer", "vendor", "make", "brand", "produttore", "marca", "hersteller",
        "fabbricante", "costruttore", "fabricant", "fabricante", "marque", "marke",
    ),
    "model": (
        "model", "modello", "modell", "modele", "modelo", "modelnumber", "modelno",
        "modellnummer", "partnumber", "productcode", "codiceprodotto",
    ),
    "description": (
        "description", "descrizione", "beschreibung", "descripcion", "descriptif",
        "devicename", "bezeichnung", "name", "nome", "notes", "note", "comments", "comment",
        "devicetype", "type", "tipo", "typ", "product", "productname", "prodotto", "produkt",
        "item", "articolo", "equipment", "device", "dispositivo", "apparecchiatura", "gerat",
        "geraet", "designation", "denominazione",
    ),
    "mac": (
        "mac", "macaddress", "macaddr", "indirizzomac", "macadresse", "hwaddress",
        "hardwareaddress", "physicaladdress", "ethernetaddress",
    ),
    "ip": (
        "ip", "ipaddress", "ipaddr", "ipv4", "ipv4address", "indirizzoip", "ipadresse",
        "adresseip", "direccionip",
    ),
    "asset": (
        "assetid", "assettag", "asset", "assetnumber", "inventorynumber", "inventoryno",
        "inventoryid", "inventorytag", "ninventario", "numeroinventario", "inventario",
        "inventarnummer", "inventar", "tag", "serialnumber", "serialno", "serial", "seriale",
        "numerodiserie", "numerodeserie", "matricola", "seriennummer", "id",
    ),
    "hostname": ("hostname", "host", "dnsname", "fqdn"),
}  # fmt: skip
_KEY_ROLES = {"manufacturer", "model", "mac", "description"}
_HEADER_SCAN_ROWS = 10
_MAX_HEADER_CELL = 60  # header cells are short; prose lines with commas are not headers
_MAX_HEADER_KEY = 30
_FIELD_LIMIT = 64 * 1024 * 1024


def _header_key(cell: object) -> str:
    text = unicodedata.normalize("NFKD", str(cell or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


Columns = dict[str, list[int]]  # role -> column indexes, best-named first


def _role_of(key: str) -> tuple[str, int] | None:
    """(role, rank) for a normalised header: an exact alias anywhere first, then an alias
    (five letters or more) inside the header, in role order."""
    for role, aliases in ROLES.items():
        if key in aliases:
            return role, aliases.index(key)
    if len(key) > _MAX_HEADER_KEY:
        return None
    for role, aliases in ROLES.items():
        for i, alias in enumerate(aliases):
            if len(alias) >= 5 and alias in key:
                return role, 100 + i
    if key.startswith("mac") or key.endswith("mac"):  # "Wi-Fi MAC", "MAC (LAN)"
        return "mac", 200
    return None


def map_columns(header: Sequence[object]) -> Columns:
    """Role → columns for a header row. Several columns may share a role ("Vendor" and
    "Brand" are both read as manufacturer fields); identifier roles use the first non-empty."""
    found: dict[str, list[tuple[int, int]]] = {}
    for col, cell in enumerate(header):
        key = _header_key(cell)
        role = _role_of(key) if key else None
        if role is not None:
            found.setdefault(role[0], []).append((role[1], col))
    return {role: [col for _, col in sorted(cols)] for role, cols in found.items()}


def find_header(rows: Iterable[Sequence[object]]) -> tuple[int, Columns] | None:
    """(row index, column map) of the first row that looks like an inventory header."""
    for index, row in enumerate(rows):
        if index >= _HEADER_SCAN_ROWS:
            break
        if any(len(str(cell or "")) > _MAX_HEADER_CELL for cell in row):
            continue  # a sentence, not a header
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


def _cells(row: Sequence[object], cols: Columns, role: str) -> list[str]:
    """Non-empty values of ``role``'s columns in ``row``, best-named column first."""
    values = []
    for col in cols.get(role, []):
        if col < len(row) and row[col] is not None and str(row[col]).strip():
            values.append(str(row[col]).strip())
    return values


def row_observation(
    row: Sequence[object], cols: Columns, where: str, catalog: Catalog, oui: OuiIndex
) -> Observation | None:
    """The observation for one inventory row, or None for an empty row."""
    values = {role: _cells(row, cols, role) for role in cols}
    if not any(values.values()):
        return None
    hits: list[Hit] = []
    notes: list[str] = []
    for text in values.get("manufacturer", []):
        hits += match_names(text, catalog, vendor_field=True) + match_models(text, catalog)
    for role in ("model", "description", "hostname"):
        for text in values.get(role, []):
            hits += match_names(text, catalog) + match_models(text, catalog)
    mac = None
    for text in values.get("mac", []):
        mac, oui_hit, note = oui.hit(text)
        if oui_hit:
            hits.append(oui_hit)
        if note:
            notes.append(note)
        if mac is None:
            notes.append(f"MAC column value {text[:40]!r} is not a MAC address")
        else:
            break

    def first(role: str) -> str | None:
        found = values.get(role)
        return found[0] if found else None

    return Observation(
        source="inventory",
        where=where,
        asset_id=first("asset"),
        ip=first("ip"),
        mac=mac,
        hostname=first("hostname"),
        model=first("model"),
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


def _used_width(row: Sequence[object]) -> int:
    """Cells up to the last non-empty one (XLSX rows are padded to the sheet's width)."""
    filled = [i for i, cell in enumerate(row) if str(cell or "").strip()]
    return filled[-1] + 1 if filled else 0


def _read_rows(
    path: Path,
    rows: Iterable[tuple[int, Sequence[object]]],
    fmt: str,
    catalog: Catalog,
    oui: OuiIndex,
    log: ReadLog,
    sheet: str | None = None,
) -> Iterator[Observation]:
    header: Columns | None = None
    width = 0
    buffered: list[Sequence[object]] = []
    place = f"{path.name}[{sheet}]" if sheet else path.name
    for line, row in rows:
        if header is None:
            buffered.append(row)
            found = find_header(buffered)
            if found is not None:
                header, width = found[1], _used_width(buffered[found[0]])
            elif len(buffered) >= _HEADER_SCAN_ROWS:
                break
            continue
        if len(row) > width and any(str(c or "").strip() for c in row[width:]):
            log.skip(path, "more fields than the header", line=line, record=sheet,
                     detail=f"{len(row)} fields, header has {width}")  # fmt: skip
            continue
        obs = row_observation(row, header, f"{place}:{line}", catalog, oui)
        if obs is not None:
            log.read(fmt)
            yield obs
    if header is None and sheet is not None:  # e.g. a legend or notes sheet: not a bad record
        log.unrecognised.append(f"{path} [sheet {sheet}]")
        if log.warn is not None:
            log.warn(f"ignored sheet {sheet!r} of {path}: no inventory header in its first rows")
    elif header is None:
        detail = "no row names a manufacturer, model, description or MAC column"
        log.skip(path, "no inventory header", detail=detail)


def read_inventory_xlsx(
    path: Path, catalog: Catalog, oui: OuiIndex, log: ReadLog
) -> Iterator[Observation]:
    """Observations from every sheet of an XLSX workbook, streamed in read-only mode."""
    import openpyxl

    # openpyxl on a damaged workbook raises whatever its zip/XML layers raise (zlib.error,
    # EOFError, KeyError, ParseError, ...): fuzzing found many; any of them means "unreadable".
    try:
        with warnings.catch_warnings():  # "extension not supported", "no default style": harmless
            warnings.simplefilter("ignore")
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
            except DualscopeError:
                raise  # --strict: the bad record's own message
            except Exception as exc:  # damaged sheet XML: see load_workbook above
                log.skip(path, "unreadable XLSX sheet", record=sheet.title, detail=str(exc))
    finally:
        with contextlib.suppress(Exception):
            book.close()
