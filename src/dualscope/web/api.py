"""The JSON API: ``/api/check`` (due diligence on a name) and ``/api/works`` (filtered works).

Every parameter is validated by FastAPI before a handler runs (bounded lengths, patterns, page
sizes): a bad value answers 422 with the reason, never 500. Response models are pydantic (the
edge of the app), so the OpenAPI schema at ``/openapi.json`` documents them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

import duckdb
from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from dualscope.matching.types import Match
from dualscope.report.data import doi_url
from dualscope.web import queries
from dualscope.web.context import WebContext, context, cursor

router = APIRouter(prefix="/api", tags=["api"])

MAX_NAME = 300
COUNTRY = r"^[A-Za-z]{2}$"
ENTITY_ID = r"^[a-z0-9][a-z0-9-]{0,99}$"
AREA_ID = r"^[a-z0-9][a-z0-9_.-]{0,99}$"
Sort = Literal["year", "-year", "title", "-title", "work_id"]


class EvidenceOut(BaseModel):
    rule: str
    explanation: str
    matched_text: str
    alias: str


class MatchOut(BaseModel):
    entity_id: str
    entity_name: str
    category: str
    score: float
    explanation: str
    evidence: list[EvidenceOut]
    lists: list[str]


class WorkOut(BaseModel):
    work_id: str
    doi: str | None
    doi_url: str | None
    title: str | None
    year: int | None
    entity_ids: list[str]
    entities: list[str]
    categories: list[str]
    partner_countries: list[str]
    partner_institutions: list[str]
    areas: list[str]
    evidence: str | None


class ClosestOut(BaseModel):
    entity_id: str
    name: str
    similarity: float


class InstitutionOut(BaseModel):
    institution_name: str
    country_code: str | None
    works: int


class CheckOut(BaseModel):
    name: str
    on_watchlist: bool
    matches: list[MatchOut]
    closest: list[ClosestOut]  # similar watchlist names when nothing matched (not matches)
    copublications_total: int
    copublications: list[WorkOut]
    partner_institutions: list[InstitutionOut]


class WorksOut(BaseModel):
    total: int
    page: int
    per_page: int
    works: list[WorkOut]


def work_out(row: dict[str, Any], ctx: WebContext) -> WorkOut:
    row = ctx.private(row)
    return WorkOut(
        work_id=row["work_id"],
        doi=row["doi"],
        doi_url=doi_url(row["doi"]),
        title=row["title"],
        year=row["year"],
        entity_ids=list(row["entity_ids"] or []),
        entities=list(row["entities"] or []),
        categories=list(row["categories"] or []),
        partner_countries=list(row["partner_countries"] or []),
        partner_institutions=list(row["partner_institutions"] or []),
        areas=list(row["areas"] or []),
        evidence=row["evidence"],
    )


def match_out(m: Match, ctx: WebContext) -> MatchOut:
    facts = ctx.facts.entities.get(m.entity_id)
    return MatchOut(
        entity_id=m.entity_id,
        entity_name=m.entity_name,
        category=m.category,
        score=m.score,
        explanation=m.explain(),
        evidence=[
            EvidenceOut(
                rule=e.rule, explanation=e.explanation, matched_text=e.matched_text, alias=e.alias
            )
            for e in m.evidence
        ],
        lists=facts.lists if facts else [],
    )


def closest_out(found: Sequence[tuple[str, str, float]]) -> list[ClosestOut]:
    """``Matcher.closest`` rows (entity id, name, similarity) as response objects."""
    return [ClosestOut(entity_id=e, name=n, similarity=float(s)) for e, n, s in found]


def check_name(name: str, ctx: WebContext, cur: duckdb.DuckDBPyConnection) -> CheckOut:
    """Watchlist result for ``name`` with reasons, then its co-publications in the store."""
    matcher = ctx.matcher()
    matches = list(matcher.match(name))
    closest = [] if matches else closest_out(matcher.closest(name, 5))
    partners = queries.institutions_like(cur, name, limit=20)
    if matches:
        total, works = queries.works_of_entities(cur, [m.entity_id for m in matches])
    else:  # not on the watchlist: perhaps a focus-country institution of the store
        names = [p["institution_name"] for p in partners]
        total, works = queries.works_of_institutions(cur, names)
    return CheckOut(
        name=name,
        on_watchlist=bool(matches),
        matches=[match_out(m, ctx) for m in matches],
        closest=closest,
        copublications_total=total,
        copublications=[work_out(w, ctx) for w in works],
        partner_institutions=[InstitutionOut(**p) for p in partners],
    )


@router.get("/check", response_model=CheckOut, summary="Due-diligence check of a name")
def api_check(
    name: Annotated[
        str,
        Query(min_length=1, max_length=MAX_NAME, description="Institution or affiliation string"),
    ],
    ctx: Annotated[WebContext, Depends(context)],
    cur: Annotated[duckdb.DuckDBPyConnection, Depends(cursor)],
) -> CheckOut:
    """Is ``name`` on the watchlist (which entity, by which rule)? Then the works in the store
    co-published with that entity, or, for a focus-country institution, its flagged works."""
    return check_name(name.strip() or name, ctx, cur)


@router.get("/works", response_model=WorksOut, summary="Flagged works, filtered and paged")
def api_works(
    ctx: Annotated[WebContext, Depends(context)],
    cur: Annotated[duckdb.DuckDBPyConnection, Depends(cursor)],
    country: Annotated[str | None, Query(pattern=COUNTRY, description="ISO alpha-2")] = None,
    entity: Annotated[str | None, Query(pattern=ENTITY_ID, description="watchlist id")] = None,
    area: Annotated[str | None, Query(pattern=AREA_ID, description="technology area id")] = None,
    year: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    year_from: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    year_to: Annotated[int | None, Query(ge=1900, le=2100)] = None,
    institution: Annotated[str | None, Query(max_length=MAX_NAME)] = None,
    q: Annotated[str | None, Query(max_length=MAX_NAME, description="text in the title")] = None,
    sort: Sort = "-year",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> WorksOut:
    """Works of the last screening run; every filter is optional and they combine with AND."""
    flt = queries.WorkFilter(
        country=country.upper() if country else None,
        entity=entity,
        area=area,
        year=year,
        year_from=year_from,
        year_to=year_to,
        institution=institution,
        q=q,
    )
    total, rows = queries.search_works(cur, flt, page=page, per_page=per_page, sort=sort)
    return WorksOut(
        total=total, page=page, per_page=per_page, works=[work_out(r, ctx) for r in rows]
    )
