"""Read the ASPI China Defence Universities Tracker in the MISP galaxy JSON layout.

Layout: ``{"values": [{"value": "English (中文)", "uuid": ..., "meta": {"aliases": [...],
"categories": [...], "supervising agencies": [...], "topics": [...], "major defence
laboratories": [...], "subsidiaries": [...], "address": ..., "lat": ..., "long": ...,
"refs": [url]}}]}``. Only facts are taken: ASPI's descriptive prose (``description``) is
ASPI's text and is deliberately not read into the watchlist.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dualscope.errors import InputError
from dualscope.watchlist.location import parse_location
from dualscope.watchlist.model import (
    Alias,
    AliasKind,
    Category,
    Entity,
    ListMembership,
    Source,
    Subunit,
)
from dualscope.watchlist.names import has_cjk, is_acronym, slugify, split_bilingual

log = logging.getLogger(__name__)

ASPI_SOURCE_NAME = "ASPI China Defence Universities Tracker"
# ASPI's category labels (2020) → our category ids.
CATEGORY_MAP: dict[str, Category] = {
    "military": "military",
    "seven sons of national defence": "seven_sons",
    "seven sons of national defense": "seven_sons",
    "defence industry conglomerate": "defence_industry",
    "defense industry conglomerate": "defence_industry",
    "security": "security",
    "civilian": "civilian",
}
# When an entry carries several categories the most specific defence link wins (no 2020 entry
# does; the rule is here so a future file cannot silently pick the first one).
CATEGORY_PRECEDENCE: tuple[Category, ...] = (
    "military",
    "security",
    "defence_industry",
    "seven_sons",
    "civilian",
)
KNOWN_META = {
    "aliases",
    "categories",
    "supervising agencies",
    "topics",
    "major defence laboratories",
    "subsidiaries",
    "address",
    "lat",
    "long",
    "refs",
}
_UNIT_ZH = "部队"


@dataclass
class AspiFile:
    """Entities read from one MISP galaxy file, plus what was skipped and why."""

    entities: list[Entity]
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def classify_alias(alias: str) -> AliasKind:
    """Kind of an ASPI alias from its form alone: Chinese, unit number, acronym or name.

    Former and cover names cannot be told apart by form; the curated build adds those kinds.
    """
    if has_cjk(alias):
        return "unit" if _UNIT_ZH in alias else "chinese"
    if alias.casefold().startswith("unit ") and alias[5:].strip().isdigit():
        return "unit"
    if is_acronym(alias):
        return "acronym"
    return "name"


def pick_category(labels: list[str], *, where: str) -> tuple[Category, str | None]:
    """Map ASPI category labels to one category; a note records any extra labels."""
    mapped: list[Category] = []
    for label in labels:
        category = CATEGORY_MAP.get(" ".join(label.casefold().split()))
        if category is None:
            raise InputError(
                where,
                f"unknown ASPI category {label!r}",
                hint="expected one of: " + ", ".join(sorted(CATEGORY_MAP)),
            )
        mapped.append(category)
    if not mapped:
        raise InputError(where, "entry has no category")
    best = min(mapped, key=CATEGORY_PRECEDENCE.index)
    note = None
    if len(set(mapped)) > 1:
        note = f"ASPI lists several categories ({', '.join(labels)}); kept the most specific."
    return best, note


def _strings(meta: dict[str, Any], key: str) -> list[str]:
    value = meta.get(key) or []
    if isinstance(value, str):
        value = [value]
    return [" ".join(str(v).split()) for v in value if str(v).strip()]


# Lines in ASPI's laboratory lists that annotate the laboratory before them instead of naming
# one. Short factual ones ("Jointly run with AVIC", "Also known as ...") become that
# laboratory's note; explanatory sentences are ASPI's prose and are not copied.
_ANNOTATION = re.compile(
    r"^\(?\s*(jointly (?:run|established) with|located (?:with)?in|"
    r"may (?:also )?be (?:the same as|known as)|also known as|based in|under |"
    r"this may be known as)",
    re.IGNORECASE,
)
_PROSE = re.compile(
    r"^(it is|this laboratory|the lab |in (?:19|20)\d\d|originally|established|unspecified)",
    re.IGNORECASE,
)
# A trailing "(Shanghai)", "(Hong Kong)", "(Nanjing, Jiangsu Province)" after a subsidiary's
# name says where it is (or is listed), not what it is called.
_PLACE_SUFFIX = re.compile(r"^(?P<name>.*\S)\s*\((?P<place>[A-Z][a-z’']+(?:,? [A-Z][a-z’']+)*)\)$")
_NOT_PLACE = {"University", "Ministry", "Education", "Laboratory", "Group", "China"}


_ZH_UNIT_END = ("室", "中心", "所", "院", "基地")


def _variants(english: str) -> list[str]:
    """ "A or B" / "A / B": ASPI's way of giving two names of one laboratory."""
    return [p.strip() for p in re.split(r"\s+or\s+|\s+/\s+", english) if p.strip()]


def _whole_zh_name(text: str) -> bool:
    """A complete Chinese unit name: ends like one, no Latin text, brackets balanced."""
    balanced = text.count("(") + text.count("（") == text.count(")") + text.count("）")
    latin = re.search(r"[A-Za-z]", text)
    return text.endswith(_ZH_UNIT_END) and len(text) >= 4 and balanced and not latin


def _variants_zh(chinese: str) -> list[str]:
    """Chinese names joined by "/" or " or ", split only where each part is a full unit name."""
    parts = [p.strip() for p in re.split(r"\s+or\s+", chinese) if p.strip()]
    out: list[str] = []
    for part in parts:
        pieces = [x.strip() for x in re.split(r"[/／]", part)]
        whole = len(pieces) > 1 and all(_whole_zh_name(x) for x in pieces)
        out += pieces if whole else [part]
    return out


def is_annotation(line: str) -> bool:
    """True for a laboratory-list line that is a note or prose, not a laboratory name."""
    return bool(_ANNOTATION.match(line) or _PROSE.match(line))


def _note_text(line: str) -> str:
    line = line.strip()
    if line.startswith("(") and line.endswith(")"):
        line = line[1:-1]
    return line.lstrip("(").strip()


def _subunits(names: list[str], kind: str, source: str) -> tuple[list[Subunit], int]:
    """Sub-units from ASPI's "Name (中文)" strings, and how many prose lines were left out."""
    units: list[Subunit] = []
    dropped = 0
    for raw in names:
        if _PROSE.match(raw) or (_ANNOTATION.match(raw) and not units):
            dropped += 1
            continue
        if _ANNOTATION.match(raw):
            previous = units[-1]
            text = _note_text(raw)
            note = f"{previous.note}; {text}" if previous.note else f"ASPI: {text}"
            units[-1] = previous.model_copy(update={"note": note})
            continue
        english, chinese = split_bilingual(raw)
        english, where = english or raw, None
        english, *other_names = _variants(english)
        chinese, *other_zh = _variants_zh(chinese) if chinese else [None]
        place = _PLACE_SUFFIX.match(english)
        if kind == "subsidiary" and place and not set(place["place"].split()) & _NOT_PLACE:
            english, where = place["name"], f"ASPI gives the location: {place['place']}"
        units.append(
            Subunit(
                name=english,
                name_zh=chinese,
                kind=kind,
                source=source,
                note=where,
                aliases=[*other_names, *(z for z in other_zh if z)],
            )
        )
    return units, dropped


def _float(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def entity_from_value(
    value: dict[str, Any], *, where: str, snapshot: date | None = None, edition: str = "2020"
) -> tuple[Entity, list[str]]:
    """One MISP ``values[]`` item → an :class:`Entity` (id from the English name).

    Returns the entity and warnings about unknown fields (schema drift).
    """
    warnings: list[str] = []
    raw_name = value.get("value")
    if not isinstance(raw_name, str) or not raw_name.strip():
        raise InputError(where, "missing 'value' (the institution name)")
    meta = value.get("meta") or {}
    if not isinstance(meta, dict):
        raise InputError(where, "'meta' is not an object")
    unknown = sorted(set(meta) - KNOWN_META)
    if unknown:
        warnings.append(f"{where}: ignored unknown meta fields {unknown}")
    name_en, name_zh = split_bilingual(raw_name)
    refs = _strings(meta, "refs")
    url = refs[0] if refs else None
    category, note = pick_category(_strings(meta, "categories"), where=where)
    source = Source(
        name=ASPI_SOURCE_NAME, url=url, date=snapshot, note=f"{edition} edition, MISP galaxy copy"
    )
    src_key = url or ASPI_SOURCE_NAME
    aliases: list[Alias] = []
    seen = {name_en.casefold(), (name_zh or "").casefold()}
    for alias in _strings(meta, "aliases"):
        if alias.casefold() in seen:
            continue
        seen.add(alias.casefold())
        kind = classify_alias(alias)
        aliases.append(
            Alias(name=alias, kind=kind, lang="zh" if kind == "chinese" else None, source=src_key)
        )
    labs = _strings(meta, "major defence laboratories")
    lab_names = list(
        dict.fromkeys(split_bilingual(lab)[0] for lab in labs if not is_annotation(lab))
    )
    subunits, dropped = _subunits(_strings(meta, "subsidiaries"), "subsidiary", src_key)
    laboratories, dropped_labs = _subunits(labs, "laboratory", src_key)
    known = {u.name.casefold() for u in subunits}
    for lab in laboratories:  # ASPI lists a few laboratories twice, or also as subsidiaries
        if lab.name.casefold() not in known:
            known.add(lab.name.casefold())
            subunits.append(lab)
    if dropped + dropped_labs:
        warnings.append(
            f"{where}: {dropped + dropped_labs} explanatory line(s) in the laboratory/subsidiary "
            "lists left out (ASPI's prose, not a name)"
        )
    address = meta.get("address") or None
    location = parse_location(
        address if isinstance(address, str) else None,
        _float(meta.get("lat")),
        _float(meta.get("long")),
    )
    entity = Entity(
        id=slugify(name_en),
        name_en=name_en,
        name_zh=name_zh,
        category=category,
        aliases=aliases,
        supervising_agencies=_strings(meta, "supervising agencies"),
        topics=_strings(meta, "topics"),
        defence_labs=lab_names,
        subunits=subunits,
        location=location,
        lists=[
            ListMembership(list="aspi_cdut", edition=edition, name_on_list=name_en, source=source)
        ],
        sources=[source],
        notes=note,
    )
    return entity, warnings


def read_misp_galaxy(
    path: Path, *, strict: bool = False, snapshot: date | None = None, edition: str = "2020"
) -> AspiFile:
    """Read a MISP galaxy cluster file; bad values are skipped and counted (``strict`` stops)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"cannot read MISP galaxy JSON: {exc}") from exc
    values = document.get("values") if isinstance(document, dict) else None
    if not isinstance(values, list):
        raise InputError(path, "no 'values' list: not a MISP galaxy cluster file")
    result = AspiFile(entities=[])
    for index, value in enumerate(values):
        where = f"{path}, values[{index}]"
        try:
            if not isinstance(value, dict):
                raise InputError(where, "value is not an object")
            entity, warnings = entity_from_value(
                value, where=where, snapshot=snapshot, edition=edition
            )
        except (InputError, ValueError) as exc:
            if strict:
                raise
            reason = "bad value"
            result.skipped[reason] = result.skipped.get(reason, 0) + 1
            result.warnings.append(str(exc))
            continue
        result.warnings.extend(warnings)
        result.entities.append(entity)
    for warning in result.warnings[:5]:
        log.warning(warning)
    return result
