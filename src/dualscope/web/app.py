"""The FastAPI app of ``dualscope serve``: a read-only view of a screening result.

:func:`create_app` is the factory (tests and ``serve`` call it). API docs: the OpenAPI schema is at
``/openapi.json``; ``/docs`` is a small page rendered from that schema by the app itself, because
FastAPI's default Swagger UI loads its JavaScript from a CDN, which would break offline use and
the Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from dualscope import __version__
from dualscope.report.watchlist_facts import WatchlistFacts
from dualscope.settings import Settings
from dualscope.web import api, pages
from dualscope.web.context import MatcherLike, open_context
from dualscope.web.security import is_loopback, make_guard, require_token_for

__all__ = ["create_app", "is_loopback", "require_token_for"]


def _constraints(schema: dict[str, Any]) -> str:
    keys = ("type", "minLength", "maxLength", "pattern", "minimum", "maximum", "enum", "default")
    parts = []
    for option in schema.get("anyOf", [schema]):
        parts += [f"{k}={option[k]}" for k in keys if k in option and option[k] is not None]
    if "default" in schema:
        parts.append(f"default={schema['default']}")
    return ", ".join(dict.fromkeys(parts))


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "text/html" not in request.headers.get(
        "accept", ""
    )


def create_app(
    db_path: Path,
    token: str | None = None,
    *,
    matcher: MatcherLike | None = None,
    facts: WatchlistFacts | None = None,
    settings: Settings | None = None,
    pseudonymise: bool = False,
) -> FastAPI:
    """The web app on the store ``db_path``, opened read-only.

    ``token``: required on every request when set (``serve`` sets it from ``DUALSCOPE_TOKEN``);
    without it the app answers only to localhost ``Host`` headers. ``matcher``/``facts``: inject a
    matcher or watchlist facts (tests); by default the bundled watchlist is loaded.
    ``pseudonymise``: researchers appear only as their stable codes (the store's salt must exist:
    ``dualscope serve --pseudonymise`` creates it before opening the store read-only).
    """
    ctx = open_context(
        db_path,
        token=token,
        matcher=matcher,
        facts=facts,
        settings=settings,
        pseudonymise=pseudonymise,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.close()

    app = FastAPI(
        title="dualscope",
        version=__version__,
        description="Read-only API on a dualscope screening result.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.middleware("http")(make_guard(token))
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> HTMLResponse:
        return pages.render("docs.html.j2", spec=app.openapi(), constraints=_constraints)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        if _wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        return pages.render("error.html.j2", status_code=422, status=422, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        return pages.render(
            "error.html.j2",
            status_code=exc.status_code,
            status=exc.status_code,
            errors=[{"loc": [], "msg": str(exc.detail), "type": ""}],
        )

    return app
