"""Server-rendered HTML pages: dashboard, works table, work, entity, institution, search.

Templates autoescape everything; charts come from :mod:`dualscope.report.charts`. Query
parameters carry the same bounds as the JSON API.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any
from urllib.parse import urlencode

import duckdb
import jinja2
from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import HTMLResponse, Response

from dualscope import __version__
from dualscope.report.data import work_view
from dualscope.report.html import asset, build_charts, template_environment
from dualscope.web import queries
from dualscope.web.api import AREA_ID, COUNTRY, ENTITY_ID, MAX_NAME, Sort, check_name
from dualscope.web.context import WebContext, context, cursor

router = APIRouter(include_in_schema=False)
Ctx = Annotated[WebContext, Depends(context)]
Cur = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]


@cache
def environment() -> jinja2.Environment:
    """Web templates, with the report's templates (macros) as fallback; autoescape on."""
    return template_environment("dualscope.web", "dualscope.report")


def render(template: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    html = environment().get_template(template).render(version=__version__, **values)
    return HTMLResponse(html, status_code=status_code)


@router.get("/static/style.css")
def style() -> Response:
    return Response(asset("style.css"), media_type="text/css")


@router.get("/static/app.js")
def script() -> Response:
    return Response(asset("table.js"), media_type="text/javascript")


@router.get("/", response_class=HTMLResponse)
def dashboard(ctx: Ctx) -> HTMLResponse:
    data = ctx.dashboard
    return render("dashboard.html.j2", data=data, charts=build_charts(data))


def _optional(pattern: str) -> str:
    """``pattern`` that also accepts an empty value (an unfilled field of the filter form)."""
    return r"^$|" + pattern


@router.get("/works", response_class=HTMLResponse)
def works_page(
    cur: Cur,
    country: Annotated[str | None, Query(pattern=_optional(COUNTRY))] = None,
    entity: Annotated[str | None, Query(pattern=_optional(ENTITY_ID))] = None,
    area: Annotated[str | None, Query(pattern=_optional(AREA_ID))] = None,
    year: Annotated[str | None, Query(pattern=r"^$|^(19|20)\d\d$|^2100$")] = None,
    institution: Annotated[str | None, Query(max_length=MAX_NAME)] = None,
    q: Annotated[str | None, Query(max_length=MAX_NAME)] = None,
    sort: Sort = "-year",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> HTMLResponse:
    """The works table; the filter form sends empty fields, which mean "no filter"."""
    params: dict[str, Any] = {
        "country": country.upper() if country else None,
        "entity": entity or None,
        "area": area or None,
        "year": int(year) if year else None,
        "institution": institution or None,
        "q": q or None,
    }
    flt = queries.WorkFilter(**params)
    total, rows = queries.search_works(cur, flt, page=page, per_page=per_page, sort=sort)
    base = {k: v for k, v in params.items() if v not in (None, "")}

    def link(**changes: Any) -> str:
        merged = {**base, "sort": sort, "per_page": per_page, "page": page, **changes}
        return "/works?" + urlencode({k: v for k, v in merged.items() if v is not None})

    pages = max(1, -(-total // per_page))
    return render(
        "works.html.j2",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        filters=params,
        sort=sort,
        link=link,
    )


@router.get("/works/{work_id}", response_class=HTMLResponse)
def work_page(
    ctx: Ctx, cur: Cur, work_id: Annotated[str, Path(min_length=1, max_length=200)]
) -> HTMLResponse:
    row = queries.get_work(cur, work_id)
    if row is None:
        raise HTTPException(404, f"no flagged work {work_id!r} in this store")
    view = work_view(
        ctx.private(row),
        [ctx.private(m) for m in queries.work_matches(cur, work_id)],
        [ctx.private(p) for p in queries.work_partners(cur, work_id)],
    )
    return render("work.html.j2", work=view)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(
    ctx: Ctx, cur: Cur, entity_id: Annotated[str, Path(pattern=ENTITY_ID)]
) -> HTMLResponse:
    summary = queries.entity_summary(cur, entity_id)
    facts = ctx.facts.entities.get(entity_id)
    if summary is None and facts is None:
        raise HTTPException(404, f"no watchlist entity {entity_id!r} in this store")
    total, works = queries.works_of_entities(cur, [entity_id], limit=100)
    return render(
        "entity.html.j2",
        entity_id=entity_id,
        summary=summary,
        facts=facts,
        partners=queries.entity_partners(cur, entity_id),
        total=total,
        works=works,
    )


@router.get("/institutions", response_class=HTMLResponse)
def institution_page(
    cur: Cur, name: Annotated[str, Query(min_length=1, max_length=MAX_NAME)]
) -> HTMLResponse:
    entities = queries.institution_summary(cur, name)
    total, works = queries.search_works(cur, queries.WorkFilter(institution=name), per_page=100)
    if not entities and not total:
        raise HTTPException(404, f"no focus-country institution named {name!r} in this store")
    return render("institution.html.j2", name=name, entities=entities, total=total, works=works)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    ctx: Ctx, cur: Cur, name: Annotated[str | None, Query(max_length=MAX_NAME)] = None
) -> HTMLResponse:
    result = check_name(name.strip(), ctx, cur) if name and name.strip() else None
    return render("search.html.j2", name=name or "", result=result)
