#!/usr/bin/env python3
"""Rebuild the bundled watchlist YAML (src/dualscope/watchlist/data/) from its sources.

Deterministic: the same inputs give byte-identical files, so the committed YAML is the data and
this script documents (and can re-check) where every fact comes from.

Inputs (``--shared``, default ``$DUALSCOPE_SHARED/data`` or ``../shared/data``):

- ``raw/aspi-cdut-misp/china-defence-universities.json``: the 159 ASPI tracker entries (facts
  only: names, aliases, category, agencies, topics, laboratories, subsidiaries, location, URL;
  ASPI's prose is not copied);
- ``watchlist_ids.csv``: ROR/OpenAlex ids, attached only when confidence is verified/probable;
- ``watchlist_related_ids.csv``: sub-units and predecessors with their ids (verified/probable);
- ``key_institutions.csv``: BIS Entity List dates and their (often secondary) sources;
- ``raw/ror-subset/ror_records_CN_latest.jsonl``: the ROR records (ror-records snapshot) of
  entities whose ROR id is verified: a missing city/province from the record's GeoNames place,
  the record's own names listed in the curation (``ror_names``), and the child records the
  curation lists (``ror_subunits``); nothing else from ROR is copied;
- ``raw/us-dod-1286/section_1286.csv``: read only to derive which tracker institutions appear in
  which DoD 1286 edition; each fact cites the official DoD PDF; the CSV itself is not shipped;
- ``scripts/watchlist_curation.yaml``: reviewed hand decisions (ids, alias kinds, extra aliases
  with sources, DoD name mappings, notes). Hand edits go there so they survive a rebuild.

Usage: ``python scripts/build_watchlist.py [--shared DIR] [--out DIR] [--check] [--verbose]``
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from dualscope.settings import get_settings
from dualscope.watchlist.aspi import read_misp_galaxy
from dualscope.watchlist.dod1286 import Row1286, read_1286_csv
from dualscope.watchlist.loader import ENTITY_DIR, INDEX_FILE, TRAP_IDENTIFIERS, validate_watchlist
from dualscope.watchlist.model import CATEGORIES, Entity, Source, Watchlist
from dualscope.watchlist.names import normalise_name
from dualscope.watchlist.resolve import NameIndex
from dualscope.watchlist.yamlio import write_entities, write_index

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "src" / "dualscope" / "watchlist" / "data"
CURATION = REPO / "scripts" / "watchlist_curation.yaml"
# Last change of the MISP galaxy copy of the 2020 tracker (raw/aspi-cdut-misp/SOURCE.txt).
ASPI_SNAPSHOT = date(2020, 8, 22)
VERSION_PREFIX = "2026.11"
USABLE = {"verified", "probable"}
SUBUNIT_ALIAS_NOTE = "names a sub-unit (institute, academy or company) that ASPI lists as an alias"

ASPI_INDEX_SOURCE = Source(
    name="ASPI China Defence Universities Tracker",
    url="https://unitracker.aspi.org.au/",
    date=ASPI_SNAPSHOT,
    note="2020 edition (159 institutions), read from the MISP galaxy cluster "
    "china-defence-universities.json (CC0/BSD-2, commit 4635146b); descriptive text is ASPI's "
    "and not included",
)
ROR_SOURCE = Source(
    name="ROR (Research Organization Registry)",
    url="https://ror.org/",
    note="ids checked against ror-community/ror-records@d93fc66787 (see each identifier's source)",
)
BIS_SOURCE = Source(
    name="BIS Entity List (15 CFR part 744, supplement no. 4)",
    url="https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C/part-744/appendix-Supplement%20No.%204%20to%20Part%20744",
    note="dates from Federal Register citations or secondary sources, as noted per entry",
)
ROR_RECORDS = Path("raw") / "ror-subset" / "ror_records_CN_latest.jsonl"
ROR_EVIDENCE = "ror-community/ror-records@d93fc66787:"
# Provinces that ROR sometimes gives as the "city" of a record: never taken as a city.
_NOT_CITIES = {
    "Anhui",
    "Fujian",
    "Gansu",
    "Guangdong",
    "Guangxi",
    "Guizhou",
    "Hainan",
    "Hebei",
    "Heilongjiang",
    "Henan",
    "Hubei",
    "Hunan",
    "Jiangsu",
    "Jiangxi",
    "Jilin",
    "Liaoning",
    "Qinghai",
    "Shaanxi",
    "Shandong",
    "Shanxi",
    "Sichuan",
    "Yunnan",
    "Zhejiang",
}
_FR_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _add_source(entity: dict[str, Any], source: Source) -> None:
    data = source.model_dump(mode="json", exclude_defaults=True)
    if all(
        (s.get("name"), s.get("url")) != (data.get("name"), data.get("url"))
        for s in entity["sources"]
    ):
        entity["sources"].append(data)


def _append_note(entity: dict[str, Any], note: str) -> None:
    entity["notes"] = f"{entity['notes']} {note}" if entity.get("notes") else note


def apply_alias_curation(entity: dict[str, Any], curation: dict[str, Any]) -> None:
    kinds = dict(curation.get("alias_kinds", {}).get(entity["id"], {}))
    for name in curation.get("subunit_aliases", {}).get(entity["id"], []):
        kinds.setdefault(name, {"note": SUBUNIT_ALIAS_NOTE})
    for name, note in curation.get("generic_aliases", {}).get(entity["id"], {}).items():
        kinds.setdefault(name, {"note": f"generic or ambiguous name: {note}"})
    for alias in entity["aliases"]:
        decided = kinds.get(alias["name"])
        if decided:
            alias["kind"] = decided.get("kind", alias["kind"])
            if decided.get("note"):
                alias["note"] = decided["note"]
    known = {
        normalise_name(n) for n in [entity["name_en"], *(a["name"] for a in entity["aliases"])]
    }
    fixes = curation.get("subunit_fixes", {}).get(entity["id"], {})
    unknown = set(fixes) - {u["name"] for u in entity["subunits"]}
    for unit in entity["subunits"]:
        if unit["name"] in fixes:
            unit.update(fixes[unit["name"]])
    if unknown:
        raise SystemExit(
            f"curation subunit_fixes for {entity['id']}: no such sub-unit {sorted(unknown)}"
        )
    for extra in curation.get("extra_aliases", {}).get(entity["id"], []):
        alias = dict(extra)
        # `spelling: true` keeps a variant that normalises like a known name but is spelt
        # differently (CamelCase "TianGong"): matchers that split words at capitals need it.
        spelling = alias.pop("spelling", False)
        names = {entity["name_en"], *(a["name"] for a in entity["aliases"])}
        if normalise_name(alias["name"]) not in known or (spelling and alias["name"] not in names):
            entity["aliases"].append(alias)
    missing = set(kinds) - {a["name"] for a in entity["aliases"]}
    if missing:
        raise SystemExit(
            f"curation alias_kinds for {entity['id']}: not ASPI aliases: {sorted(missing)}"
        )


def _evidence_parts(evidence: str) -> tuple[str, str | None]:
    """watchlist_ids.csv evidence: ROR part, then an optional ' | OpenAlex: ...' part."""
    ror, _, openalex = evidence.partition(" | OpenAlex:")
    return ror.strip(), (openalex.strip() or None)


def apply_identifiers(entity: dict[str, Any], row: dict[str, str] | None) -> None:
    if row is None or row["confidence"] not in USABLE:
        return
    ror_evidence, openalex_evidence = _evidence_parts(row["evidence"])
    ror = row["ror_id"].removeprefix("https://ror.org/")
    if ror and ror not in TRAP_IDENTIFIERS:
        entity["identifiers"].append(
            {"scheme": "ror", "value": ror, "confidence": row["confidence"], "source": ror_evidence}
        )
        _add_source(entity, ROR_SOURCE)
    if row["openalex_id"] and openalex_evidence:
        entity["identifiers"].append(
            {
                "scheme": "openalex",
                "value": row["openalex_id"],
                "confidence": row["confidence"],
                "source": openalex_evidence,
            }
        )


def _subunit_kind(name: str) -> str:
    lowered = name.casefold()
    for word, kind in (
        ("laborator", "laboratory"),
        ("college", "college"),
        ("school", "college"),
        ("campus", "campus"),
        ("institut", "institute"),
        ("academy", "institute"),
        ("center", "institute"),
        ("centre", "institute"),
    ):
        if word in lowered:
            return kind
    return "other"


def _unit_key(name: str) -> str:
    """Sub-unit names compared as sets of words without small ones ("Institute for/of
    Aeronautical Materials", "National Supercomputing Center in Changsha/Changsha Center")."""
    small = {"of", "for", "the", "and", "in", "at"}
    return " ".join(sorted(w for w in normalise_name(name).split() if w not in small))


def apply_related(
    entity: dict[str, Any],
    rows: list[dict[str, str]],
    primary_ror: dict[str, str],
    skip: set[tuple[str, str]],
) -> None:
    """Sub-units and predecessors with verified/probable ROR ids (never another entity's id)."""
    units = entity["subunits"]
    for row in rows:
        ror = row["ror_id"].removeprefix("https://ror.org/")
        if row["confidence"] not in USABLE or not ror or ror in TRAP_IDENTIFIERS:
            continue
        if (entity["id"], ror) in skip:
            continue
        owner = primary_ror.get(ror)
        if owner == entity["id"]:
            continue  # the entity's own id, mapped from sub-unit strings
        name = row["ror_name"] or row["note"].split(";")[0].split(" (")[0]
        note = f"{row['relation']}: {row['note']}"
        identifier = {
            "scheme": "ror",
            "value": ror,
            "confidence": row["confidence"],
            "source": row["evidence"],
        }
        existing = next((u for u in units if _unit_key(u["name"]) == _unit_key(name)), None)
        if existing is None:
            existing = {"name": name, "kind": _subunit_kind(name), "source": row["evidence"]}
            units.append(existing)
        if owner is not None:
            existing["note"] = f"has its own watchlist entry: {owner}. {note}"
            continue
        existing.setdefault("identifiers", []).append(identifier)
        existing["note"] = note
    for unit in units:
        unit.setdefault("identifiers", [])


def apply_bis(entity: dict[str, Any], row: dict[str, str] | None) -> None:
    if row is None:
        return
    text = row["bis_entity_list"].strip()
    if not text or text.casefold() == "not verified":
        return
    found = _FR_DATE.search(text)
    start = found.group(1) if found else None
    cited = " FR " in text  # a Federal Register citation is given: the primary record
    note = f"{text}. Reported by {row['bis_source']} (secondary source" + (
        "; the Federal Register citation is the primary record)" if cited else ")"
    )
    entity["lists"].append(
        {
            "list": "bis_entity_list",
            "start": start,
            "source": {**BIS_SOURCE.model_dump(mode="json", exclude_defaults=True), "note": note},
        }
    )
    _add_source(entity, BIS_SOURCE)


def apply_1286(
    entities: dict[str, dict[str, Any]], rows: list[Row1286], curation: dict[str, Any]
) -> Counter[str]:
    """Memberships of the DoD 1286 editions, on the entity or on the named sub-unit."""
    index = NameIndex(Entity.model_validate(e) for e in entities.values())
    mapping = curation.get("dod1286_names", {})
    prefixes = curation.get("dod1286_prefixes", {})
    unmatched: Counter[str] = Counter()
    for row in rows:
        mapped = mapping.get(row.name) or next(
            (v for p, v in prefixes.items() if row.name.startswith(p)), None
        )
        if mapped:
            entity_id, unit_name = mapped["entity"], mapped.get("subunit")
            kind = mapped.get("kind", "institute")
            note = "name on the list mapped to this entry by reviewed curation" + (
                f" ({mapped['note']})" if mapped.get("note") else ""
            )
        else:
            target = index.resolve(row.name, row.aliases)
            if target is None:
                unmatched[f"{row.name} [{row.country or 'country not given'}]"] += 1
                continue
            entity_id, unit_name, kind, note = target.entity_id, target.subunit, "laboratory", None
        entity = entities[entity_id]
        membership = row.membership(note).model_dump(mode="json", exclude_defaults=True)
        if unit_name is None:
            holder = entity
        else:
            found = [u for u in entity["subunits"] if u["name"] == unit_name]
            if found:
                holder = found[0]
            else:
                holder = {"name": unit_name, "kind": kind, "source": membership["source"]["url"]}
                entity["subunits"].append(holder)
            for alias in (mapped or {}).get("aliases", []):
                if alias not in holder.setdefault("aliases", []):
                    holder["aliases"].append(alias)
        holder.setdefault("lists", []).append(membership)
        source = membership["source"]
        _add_source(entity, Source(name=source["name"], url=source["url"], date=source.get("date")))
    return unmatched


RorRecords = dict[str, tuple[str, dict[str, Any]]]


def read_ror_records(path: Path) -> RorRecords:
    """ROR id → (release path inside ror-records, record), from the CN subset (JSON lines)."""
    records: RorRecords = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                ror = row["record"]["id"].removeprefix("https://ror.org/")
            except (ValueError, KeyError, TypeError) as exc:
                raise SystemExit(f"{path}:{number}: not a ROR subset record ({exc})") from exc
            records[ror] = (row["_source_path"], row["record"])
    return records


def ror_names(record: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(name, type, lang) of a ROR record, schema v2 (``names``) or v1 (name/aliases/labels)."""
    if "names" in record:
        return [(n["value"], t, n.get("lang")) for n in record["names"] for t in n["types"]]
    found: list[tuple[str, str, str | None]] = [(record["name"], "ror_display", None)]
    found += [(a, "alias", None) for a in record.get("aliases", [])]
    found += [(a, "acronym", None) for a in record.get("acronyms", [])]
    found += [(la["label"], "label", la.get("iso639")) for la in record.get("labels", [])]
    return found


def _place(record: dict[str, Any]) -> tuple[int | None, str | None, str | None]:
    """GeoNames id, city and province of a ROR record's first place (v2 ``locations``, v1
    ``addresses``)."""
    if record.get("locations"):
        place = record["locations"][0]
        details = place.get("geonames_details") or {}
        return (
            place.get("geonames_id"),
            details.get("name"),
            details.get("country_subdivision_name"),
        )
    if record.get("addresses"):
        address = record["addresses"][0]
        geonames = address.get("geonames_city") or {}
        city = address.get("city") or geonames.get("city")
        return geonames.get("id"), city, (geonames.get("geonames_admin1") or {}).get("name")
    return None, None, None


def geonames_provinces(records: RorRecords) -> dict[int, tuple[str, str]]:
    """GeoNames place id → (province, ROR id of the first record, by id, that gives it): many
    newer records name only the city, while another record on the same place gives its
    first-level division. A place given two different provinces is left out."""
    found: dict[int, tuple[str, str]] = {}
    conflicting: set[int] = set()
    for ror in sorted(records):
        geonames_id, _, province = _place(records[ror][1])
        if geonames_id is None or not province:
            continue
        if geonames_id in found and found[geonames_id][0] != province:
            conflicting.add(geonames_id)
        found.setdefault(geonames_id, (province, ror))
    return {k: v for k, v in found.items() if k not in conflicting}


def ror_place(
    record: dict[str, Any], provinces: dict[int, tuple[str, str]] | None = None
) -> tuple[str | None, str | None, str | None]:
    """City, province and (when the province comes from another record on the same GeoNames
    place) that record's ROR id; a province given as the city is not taken as a city."""
    geonames_id, city, province = _place(record)
    via = None
    if not province and geonames_id is not None and provinces and geonames_id in provinces:
        province, via = provinces[geonames_id]
    return (None if city in _NOT_CITIES else city), province, via


def _verified_record(
    entity: dict[str, Any], records: RorRecords
) -> tuple[str, str, dict[str, Any]] | None:
    for ident in entity["identifiers"]:
        verified = ident["scheme"] == "ror" and ident["confidence"] == "verified"
        if verified and ident["value"] in records:
            path, record = records[ident["value"]]
            return ident["value"], path, record
    return None


def apply_location_curation(entity: dict[str, Any], curation: dict[str, Any]) -> None:
    """A city/province read by hand from ASPI's address where the parser finds none."""
    fix = curation.get("locations", {}).get(entity["id"])
    if not fix:
        return
    location = entity["location"]
    filled = [f"{k} {fix[k]}" for k in ("city", "province") if fix.get(k) and not location.get(k)]
    for key in ("city", "province"):
        if fix.get(key) and not location.get(key):
            location[key] = fix[key]
    if filled:
        _append_note(entity, f"Location {' and '.join(filled)} read from {fix['source']}.")


def apply_ror_location(
    entity: dict[str, Any], records: RorRecords, provinces: dict[int, tuple[str, str]]
) -> str | None:
    """Fill a missing city (and province) from the entity's verified ROR record; a province is
    only taken with the city it belongs to. Returns what was filled, for the build log."""
    location = entity["location"]
    found = _verified_record(entity, records)
    if found is None or (location.get("city") and location.get("province")):
        return None
    ror, path, record = found
    city, province, via = ror_place(record, provinces)
    filled = []
    if city and not location.get("city"):
        location["city"] = city
        filled.append("city")
    if province and not location.get("province") and location.get("city") == city:
        location["province"] = province
        filled.append("province")
    if not filled:
        return None
    _add_source(
        entity,
        Source(
            name=f"ROR record {ror}",
            url=f"https://ror.org/{ror}",
            note=f"location {' and '.join(filled)} from the record's GeoNames place "
            f"({ROR_EVIDENCE}{path})"
            + (
                f"; the province is the one ROR record {via} gives for the same GeoNames place"
                if via and "province" in filled
                else ""
            ),
        ),
    )
    return f"{entity['id']}: {', '.join(f'{k} {location[k]}' for k in filled)} from ROR {ror}"


def apply_ror_names(entity: dict[str, Any], records: RorRecords, curation: dict[str, Any]) -> None:
    """Names of the entity's own verified ROR record that the curation accepted as aliases
    (current names after a renaming, PLA-prefixed forms, Chinese labels)."""
    wanted = curation.get("ror_names", {}).get(entity["id"], [])
    if not wanted:
        return
    found = _verified_record(entity, records)
    if found is None:
        raise SystemExit(
            f"curation ror_names for {entity['id']}: no verified ROR record in the subset"
        )
    ror, path, record = found
    names = {name for name, _, _ in ror_names(record)}
    # Exact spellings: every name here was reviewed as not yet on the entry; a differently
    # capitalised curated variant ("TianGong University") must not hide ROR's own spelling.
    known = {entity["name_en"], *(a["name"] for a in entity["aliases"])}
    for item in wanted:
        if item["name"] not in names:
            raise SystemExit(
                f"curation ror_names for {entity['id']}: {item['name']!r} not in ROR {ror}"
            )
        if item["name"] in known:
            continue
        alias = {
            "name": item["name"],
            "kind": item.get("kind", "name"),
            "source": f"{ROR_EVIDENCE}{path}",
        }
        if item.get("lang"):
            alias["lang"] = item["lang"]
        if item.get("note"):
            alias["note"] = item["note"]
        entity["aliases"].append(alias)


def apply_ror_subunits(
    entity: dict[str, Any], records: RorRecords, curation: dict[str, Any]
) -> None:
    """Child records of the entity in ROR (the child names the entity's verified ROR id as its
    parent), reviewed in the curation: name, Chinese label and aliases come from the record."""
    own = {
        i["value"]
        for i in entity["identifiers"]
        if i["scheme"] == "ror" and i["confidence"] == "verified"
    }
    taken = {i["value"] for u in entity["subunits"] for i in u.get("identifiers", [])}
    for item in curation.get("ror_subunits", {}).get(entity["id"], []):
        ror = item["ror"]
        if ror not in records:
            raise SystemExit(
                f"curation ror_subunits for {entity['id']}: {ror} not in the ROR subset"
            )
        path, record = records[ror]
        parents = {
            r["id"].removeprefix("https://ror.org/")
            for r in record.get("relationships", [])
            if r["type"].casefold() == "parent"
        }
        if not parents & own:
            raise SystemExit(
                f"curation ror_subunits for {entity['id']}: ROR {ror} does not name it as parent"
            )
        if ror in taken:
            continue
        names = ror_names(record)
        display = next(n for n, t, _ in names if t == "ror_display")
        name_zh = next((n for n, t, lang in names if t == "label" and lang == "zh"), None)
        aliases: list[str] = []
        for name, kind, _ in names:
            if (
                kind in ("alias", "label")
                and name not in (display, name_zh)
                and name not in aliases
            ):
                aliases.append(name)
        evidence = f"{ROR_EVIDENCE}{path}"
        unit: dict[str, Any] = {"name": display, "kind": item["kind"], "source": evidence}
        if name_zh:
            unit["name_zh"] = name_zh
        unit["aliases"] = aliases
        unit["identifiers"] = [
            {"scheme": "ror", "value": ror, "confidence": "verified", "source": evidence}
        ]
        note = "child of the entity in ROR (the record names it as parent)"
        unit["note"] = f"{note}; {item['note']}" if item.get("note") else note
        entity["subunits"].append(unit)


def attach_ror_children(entity: dict[str, Any], records: RorRecords, used: set[str]) -> int:
    """ROR id of an existing sub-unit (an ASPI laboratory, say) taken from a ROR record that
    names the entity's verified ROR id as parent and has the sub-unit's name (English words,
    or the Chinese label). An id in ``used`` (on any entity or sub-unit) is never attached
    twice. Returns how many ids were attached."""
    own = {
        i["value"]
        for i in entity["identifiers"]
        if i["scheme"] == "ror" and i["confidence"] == "verified"
    }
    attached = 0
    for ror in sorted(records):
        path, record = records[ror]
        parents = {
            r["id"].removeprefix("https://ror.org/")
            for r in record.get("relationships", [])
            if r["type"].casefold() == "parent"
        }
        if ror in used or not parents & own:
            continue
        names = ror_names(record)
        keys = {_unit_key(n) for n, t, lang in names if t != "acronym" and lang in (None, "en")}
        chinese = {n for n, t, lang in names if lang == "zh" or re.search(r"[\u4e00-\u9fff]", n)}
        # Same English words and no conflicting Chinese name, or the same Chinese name: ASPI's
        # 粉末冶金国防重点实验室 (a defence key laboratory) is not ROR's 粉末冶金国家重点实验室.
        units = [
            u
            for u in entity["subunits"]
            if (u.get("name_zh") and u["name_zh"] in chinese)
            or (_unit_key(u["name"]) in keys and (not u.get("name_zh") or not chinese))
        ]
        if len(units) != 1:
            continue  # none, or ambiguous: attach nothing
        evidence = f"{ROR_EVIDENCE}{path}"
        units[0].setdefault("identifiers", []).append(
            {"scheme": "ror", "value": ror, "confidence": "verified", "source": evidence}
        )
        used.add(ror)
        attached += 1
    return attached


def enrich_subunits(
    entity: dict[str, Any], records: RorRecords, others: dict[str, list[str]] | None = None
) -> int:
    """A sub-unit with a ROR id whose record is in the snapshot gets the record's Chinese label
    (when it has no Chinese name) and its other names as aliases (acronyms left out: too short
    to match safely). A name that contains another entity's name (``others``: entity id →
    normalised names) is left out: ROR's 湖南大学国家超级计算长沙中心 names Hunan University,
    while ASPI lists the centre under NUDT. Returns how many sub-units gained a name."""
    foreign = [n for eid, names in (others or {}).items() if eid != entity["id"] for n in names]

    def names_another(name: str) -> bool:
        padded = f" {normalise_name(name)} "
        return any(
            f" {n} " in padded or (len(n) >= 4 and " " not in n and n in padded) for n in foreign
        )

    enriched = 0
    for unit in entity["subunits"]:
        ror = next((i["value"] for i in unit.get("identifiers", []) if i["scheme"] == "ror"), None)
        if ror is None or ror not in records:
            continue
        names = ror_names(records[ror][1])
        before = (unit.get("name_zh"), list(unit.get("aliases", [])))
        if not unit.get("name_zh"):
            unit["name_zh"] = next(
                (n for n, t, lang in names if t == "label" and lang == "zh"), None
            )
        aliases = unit.setdefault("aliases", [])
        seen = {normalise_name(n) for n in [unit["name"], unit.get("name_zh") or "", *aliases]}
        for name, kind, _ in names:
            if (
                kind in ("ror_display", "alias", "label")
                and normalise_name(name) not in seen
                and not names_another(name)
            ):
                aliases.append(name)
                seen.add(normalise_name(name))
        if not unit["name_zh"]:
            del unit["name_zh"]
        if (unit.get("name_zh"), aliases) != before:
            enriched += 1
    return enriched


def apply_extra_subunits(entity: dict[str, Any], curation: dict[str, Any]) -> None:
    """Sub-units with no ASPI entry or ROR record (campuses), each with the source that names it."""
    have = {_unit_key(u["name"]) for u in entity["subunits"]}
    for unit in curation.get("extra_subunits", {}).get(entity["id"], []):
        if not unit.get("source"):
            raise SystemExit(
                f"curation extra_subunits for {entity['id']}: {unit['name']!r} has no source"
            )
        if _unit_key(unit["name"]) not in have:
            entity["subunits"].append({"identifiers": [], **unit})


def _sort_lists(entity: dict[str, Any]) -> None:
    def key(m: dict[str, Any]) -> tuple[str, str, str]:
        return (m["list"], m.get("edition") or "", m.get("name_on_list") or "")

    entity["lists"].sort(key=key)
    for unit in entity["subunits"]:
        if unit.get("lists"):
            unit["lists"].sort(key=key)


def build(
    shared: Path, out: Path, curation_path: Path = CURATION, *, verbose: bool = False
) -> list[str]:
    """Build every file into ``out``; returns warnings for the reviewer."""
    curation = yaml.safe_load(curation_path.read_text(encoding="utf-8")) or {}
    warnings: list[str] = []
    aspi = read_misp_galaxy(
        shared / "raw" / "aspi-cdut-misp" / "china-defence-universities.json",
        strict=True,
        snapshot=ASPI_SNAPSHOT,
    )
    entities: dict[str, dict[str, Any]] = {}
    for parsed in aspi.entities:
        data = parsed.model_dump(mode="json")
        data["id"] = curation.get("ids", {}).get(data["name_en"], data["id"])
        if data["id"] in entities:
            raise SystemExit(f"two ASPI entries give the id {data['id']!r}: add one to ids:")
        entities[data["id"]] = data
    by_name = {e["name_en"]: e for e in entities.values()}

    id_rows = {r["name_en"]: r for r in _read_csv(shared / "watchlist_ids.csv")}
    # watchlist_ids.csv drops ASPI's "(Wuhan)" qualifier: fall back to the name without it.
    for name in set(by_name) - set(id_rows):
        short = re.sub(r"\s*\([^)]*\)$", "", name)
        if short in id_rows:
            id_rows[name] = id_rows.pop(short)
    if set(id_rows) != set(by_name):
        warnings.append(f"watchlist_ids.csv names differ: {sorted(set(id_rows) ^ set(by_name))}")
    related: defaultdict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _read_csv(shared / "watchlist_related_ids.csv"):
        related[row["aspi_name_en"]].append(row)
    skip = {(s["entity"], s["ror"]) for s in curation.get("related_skip", [])}

    for entity in entities.values():
        apply_alias_curation(entity, curation)
        apply_identifiers(entity, id_rows.get(entity["name_en"]))
    primary_ror = {
        i["value"]: e["id"]
        for e in entities.values()
        for i in e["identifiers"]
        if i["scheme"] == "ror"
    }
    ror_records = read_ror_records(shared / ROR_RECORDS)
    provinces = geonames_provinces(ror_records)
    located = []
    attached = 0
    for entity in entities.values():
        apply_related(entity, related.get(entity["name_en"], []), primary_ror, skip)
        apply_ror_subunits(entity, ror_records, curation)
        apply_extra_subunits(entity, curation)
        apply_ror_names(entity, ror_records, curation)
        apply_location_curation(entity, curation)
        filled = apply_ror_location(entity, ror_records, provinces)
        if filled:
            located.append(filled)
    used = {
        i["value"]
        for e in entities.values()
        for holder in [e, *e["subunits"]]
        for i in holder.get("identifiers", [])
    }
    enriched = 0
    others = {
        e["id"]: [normalise_name(n) for n in (e["name_en"], e.get("name_zh")) if n]
        for e in entities.values()
    }
    for entity in entities.values():
        attached += attach_ror_children(entity, ror_records, used)
        enriched += enrich_subunits(entity, ror_records, others)
    warnings.append(f"location filled from ROR records for {len(located)} entities")
    warnings.append(f"ROR ids attached to {attached} existing sub-units (ROR child records)")
    warnings.append(f"{enriched} sub-units gained names from their ROR record")
    if verbose:
        warnings += [f"location: {line}" for line in located]

    index = NameIndex(Entity.model_validate(e) for e in entities.values())
    for row in _read_csv(shared / "key_institutions.csv"):
        target = index.lookup(row["name_en"]) or index.lookup(row["name_en"].split(" (")[0])
        if target is None:
            warnings.append(f"key_institutions.csv: {row['name_en']!r} not on the tracker")
            continue
        apply_bis(entities[target.entity_id], row)

    dod_rows = read_1286_csv(shared / "raw" / "us-dod-1286" / "section_1286.csv", strict=True).rows
    unmatched = apply_1286(entities, dod_rows, curation)
    warnings.append(
        f"DoD 1286: {len(dod_rows) - sum(unmatched.values())} of {len(dod_rows)} rows name a "
        f"tracker institution or one of its sub-units; {sum(unmatched.values())} do not (kept out)"
    )
    if verbose:
        warnings += [f"DoD 1286 not on the tracker: {k} x{n}" for k, n in sorted(unmatched.items())]
    for entity_id, note in (curation.get("notes") or {}).items():
        _append_note(entities[entity_id], note)

    validated = []
    for entity in entities.values():
        _sort_lists(entity)
        validated.append(Entity.model_validate(entity))
    editions = sorted(
        {m.edition for e in validated for m in e.lists if m.list == "dod_1286" and m.edition}
    )
    version = f"{VERSION_PREFIX} (ASPI CDUT 2020; DoD 1286 editions {editions[0]}-{editions[-1]})"
    dod_sources = sorted(
        {
            (m.edition or "", m.source.url or "")
            for e in validated
            for m in e.lists
            if m.list == "dod_1286"
        }
    )
    sources = [ASPI_INDEX_SOURCE, ROR_SOURCE, BIS_SOURCE]
    sources += [
        Source(name=f"US DoD Section 1286 list, {edition} edition", url=url)
        for edition, url in dod_sources
    ]
    watchlist = Watchlist(version=version, entities=validated, sources=sources)
    problems = validate_watchlist(watchlist)
    if problems:
        raise SystemExit("built watchlist is invalid:\n" + "\n".join(map(str, problems)))

    header = (
        "Generated by scripts/build_watchlist.py: do not edit by hand.\n"
        "Hand decisions live in scripts/watchlist_curation.yaml (merged on every build).\n"
        "Facts from the ASPI China Defence Universities Tracker (2020), ROR, the US DoD\n"
        "Section 1286 lists and the BIS Entity List; each entity lists its sources."
    )
    for category in CATEGORIES:
        members = [e for e in validated if e.category == category]
        write_entities(out / ENTITY_DIR / f"{category}.yaml", members, header=header)
    write_index(out / INDEX_FILE, version=version, sources=sources, header=header)
    return warnings


def _same_tree(left: Path, right: Path) -> list[str]:
    names = {p.relative_to(left) for p in left.rglob("*.yaml")} | {
        p.relative_to(right) for p in right.rglob("*.yaml")
    }
    return sorted(
        str(n)
        for n in names
        if not (left / n).is_file()
        or not (right / n).is_file()
        or (left / n).read_bytes() != (right / n).read_bytes()
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=get_settings().shared_dir / "data")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--curation", type=Path, default=CURATION)
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed data differs")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="also list the DoD 1286 rows not on the tracker and each location taken from ROR",
    )
    args = parser.parse_args(argv)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            warnings = build(args.shared, Path(tmp), args.curation, verbose=args.verbose)
            differing = _same_tree(Path(tmp), args.out)
        for warning in warnings:
            print(f"note: {warning}", file=sys.stderr)
        if differing:
            print(
                "bundled watchlist differs from a rebuild: " + ", ".join(differing), file=sys.stderr
            )
            return 1
        print("bundled watchlist is up to date")
        return 0
    warnings = build(args.shared, args.out, args.curation, verbose=args.verbose)
    for warning in warnings:
        print(f"note: {warning}", file=sys.stderr)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
