"""FollowTheMoney entities (JSON Lines) of a screening result, for Aleph and similar tools.

Schemata, chosen for what Aleph shows sensibly:

- ``Organization``: each watchlist entity found (names, aliases, Chinese name, country ``cn``,
  category as ``classification``, list memberships with edition and source as ``notes``, source
  URLs, Wikidata id) and each focus-country partner institution.
- ``Person``: each researcher (both sides); with pseudonymisation the name is the stable code.
- ``Article`` (a ``Document``): each flagged work (title, year, DOI URL, technology areas as
  keywords, the evidence line as summary).
- ``Documentation`` (document → entity): links every publication to the organisations and
  people on it, so Aleph lists a paper under each of them ("mentioned in").
- ``Employment`` (employer → employee): an author's affiliation on a paper, dated by its year;
  Aleph draws these in its network diagram between person and institution.

Topics are set only where the list is itself the fact: ``export.control`` for an active US BIS
Entity List membership, ``mil`` for the watchlist category ``military``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
from followthemoney import model
from followthemoney.proxy import EntityProxy

from dualscope.errors import DualscopeError
from dualscope.fsutil import atomic_file
from dualscope.report import tables
from dualscope.report.data import doi_url
from dualscope.report.pseudonym import Pseudonymiser, for_store
from dualscope.report.watchlist_facts import WatchlistFacts, describe_membership, watchlist_facts

PREFIX = "dualscope"
CATEGORY_TOPICS = {"military": "mil"}
LIST_TOPICS = {"bis_entity_list": "export.control"}

PARTNER_INSTITUTIONS = """
SELECT DISTINCT institution_id, institution_name, country_code FROM screen_partners
WHERE institution_name IS NOT NULL
"""
PEOPLE = """
SELECT 'partner' AS side, work_id, author_id, author_name, institution_id AS org_key,
       institution_name AS org_name, country_code, orcid FROM screen_partners
UNION ALL
SELECT 'watchlist', work_id, author_id, author_name, entity_id, entity_name, 'CN', NULL
FROM screen_matches
"""


def _entity(schema: str, *key: str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.make_id(PREFIX, *key)
    return proxy


def watchlist_org(
    entity_id: str, name: str, category: str | None, facts: WatchlistFacts
) -> EntityProxy:
    """An ``Organization`` for a watchlist entity, with its list memberships and sources."""
    org = _entity("Organization", "watchlist", entity_id)
    org.add("name", name)
    org.add("country", "cn")
    org.add("classification", category)
    if category in CATEGORY_TOPICS:
        org.add("topics", CATEGORY_TOPICS[category])
    wl = facts.watchlist
    entity = wl.get(entity_id) if wl is not None else None
    if entity is None:
        org.add("notes", f"dualscope watchlist id {entity_id}")
        return org
    org.add("name", entity.name_en)
    org.add("alias", [a.name for a in entity.aliases if a.kind != "former"])
    org.add("previousName", [a.name for a in entity.aliases if a.kind == "former"])
    if entity.name_zh:
        org.add("alias", entity.name_zh)
    org.add("wikidataId", entity.ids("wikidata"), quiet=True)
    org.add("sourceUrl", [s.url for s in entity.sources if s.url], quiet=True)
    for m in entity.lists:
        org.add("notes", describe_membership(m))
        if m.end is None and m.list in LIST_TOPICS:
            org.add("topics", LIST_TOPICS[m.list])
    for ident in entity.identifiers:
        org.add("notes", f"{ident.scheme} id {ident.value} ({ident.confidence}; {ident.source})")
    if entity.notes:
        org.add("notes", entity.notes)
    return org


def partner_org(key: str, name: str, country: str | None) -> EntityProxy:
    org = _entity("Organization", "institution", key)
    org.add("name", name)
    org.add("country", (country or "").lower() or None, quiet=True)
    if key.startswith("https://"):
        org.add("sourceUrl", key)
    return org


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cur = con.cursor()
    try:
        cur.execute(sql)
        header = [d[0] for d in cur.description or ()]
        return [dict(zip(header, r, strict=True)) for r in cur.fetchall()]
    finally:
        cur.close()


def iter_entities(
    con: duckdb.DuckDBPyConnection,
    *,
    pseudo: Pseudonymiser | None = None,
    facts: WatchlistFacts | None = None,
) -> Iterator[EntityProxy]:
    """Every FtM entity of the screening result in ``con``: organisations, people, works, links."""
    facts = facts if facts is not None else watchlist_facts()
    orgs: dict[tuple[str, str], EntityProxy] = {}
    for e in _rows(con, tables.ENTITIES):
        org = watchlist_org(e["entity_id"], e["entity"], e["category"], facts)
        orgs[("watchlist", e["entity_id"])] = org
        yield org
    for p in _rows(con, PARTNER_INSTITUTIONS):
        key = p["institution_id"] or p["institution_name"]
        if ("partner", key) not in orgs:
            orgs[("partner", key)] = partner_org(key, p["institution_name"], p["country_code"])
            yield orgs[("partner", key)]
    works: dict[str, EntityProxy] = {}
    for w in _rows(con, tables.WORKS):
        art = _entity("Article", "work", w["work_id"])
        art.add("title", w["title"])
        art.add("name", w["title"] or w["work_id"])
        art.add("publishedAt", str(w["year"]) if w["year"] else None)
        art.add("sourceUrl", doi_url(w["doi"]), quiet=True)
        art.add("keywords", w["areas"] or [])
        art.add("summary", pseudo.scrub(w["evidence"]) if pseudo else w["evidence"])
        art.add("notes", f"work id {w['work_id']}")
        works[w["work_id"]] = art
    people: dict[str, EntityProxy] = {}
    linked: set[tuple[str, str]] = set()
    for row in _rows(con, PEOPLE):
        work = works.get(row["work_id"])
        employer = orgs.get(
            (
                "partner" if row["side"] == "partner" else "watchlist",
                row["org_key"] or row["org_name"],
            )
        )
        name = row["author_name"]
        pkey = row["author_id"] or name
        if pkey is None:
            continue
        if pseudo is not None:
            name = pkey = pseudo.code(row["author_id"], row["author_name"])
        person = people.get(pkey)
        if person is None:
            person = people[pkey] = _entity("Person", "person", pkey)
            person.add("name", name)
            if pseudo is None and row["orcid"]:
                person.add("sourceUrl", f"https://orcid.org/{row['orcid']}", quiet=True)
        person.add("country", (row["country_code"] or "").lower() or None, quiet=True)
        if work is not None:
            work.add("author", name)
            yield from _link_once(linked, "Documentation", work, person, role="author")
        if employer is not None:
            yield from _employment(linked, employer, person, work, row)
            if work is not None:
                yield from _link_once(
                    linked, "Documentation", work, employer, role="author affiliation"
                )
    yield from people.values()
    yield from works.values()


def _link_once(
    seen: set[tuple[str, str]], schema: str, doc: EntityProxy, entity: EntityProxy, role: str
) -> Iterator[EntityProxy]:
    key = (doc.id or "", entity.id or "")
    if key in seen:
        return
    seen.add(key)
    link = _entity(schema, "doc", *key)
    link.add("document", doc)
    link.add("entity", entity)
    link.add("role", role)
    yield link


def _employment(
    seen: set[tuple[str, str]],
    org: EntityProxy,
    person: EntityProxy,
    art: EntityProxy | None,
    row: dict[str, Any],
) -> Iterator[EntityProxy]:
    key = (org.id or "", person.id or "")
    if key in seen:
        return
    seen.add(key)
    link = _entity("Employment", "affiliation", *key)
    link.add("employer", org)
    link.add("employee", person)
    link.add("role", "affiliation stated on a co-authored publication")
    if art is not None:
        link.add("date", art.get("publishedAt"))
        link.add("summary", f"affiliation on work {row['work_id']}")
    yield link


def export_ftm(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    *,
    pseudonymise: bool = False,
    facts: WatchlistFacts | None = None,
) -> int:
    """Write the entities as JSON Lines to ``out`` atomically; returns the number written."""
    if out.is_dir():
        raise DualscopeError(f"{out} is a folder", hint="give a file name, e.g. entities.jsonl")
    pseudo = for_store(con) if pseudonymise else None
    n = 0
    with atomic_file(out, "w", encoding="utf-8") as handle:
        for proxy in iter_entities(con, pseudo=pseudo, facts=facts):
            handle.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
    return n
