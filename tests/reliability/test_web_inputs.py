"""Every web endpoint answers hostile input with 4xx, never 5xx; no SQL is built from input.

A sweep of the values the issue names (10 kB names, negative pages, per_page 10^9, SQL-ish
strings, NUL bytes, markup) into every query and path parameter of every route, against a real
uvicorn server on a synthetic store. tests/web covers the well-formed cases and a Hypothesis
fuzz of the query strings; this adds path parameters, whole-URL abuse (60 kB URLs, repeated
parameters, other methods), and a static check that the web code's SQL interpolates only
constant fragments.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from dualscope.report.synthetic import build_store
from dualscope.settings import Settings
from dualscope.web.app import create_app
from dualscope.web.background import serve_in_thread

WEB = Path(__file__).resolve().parents[2] / "src" / "dualscope" / "web"

HOSTILE = [
    "x" * 10_000,  # a 10 kB name
    "-1",
    "0",
    "1000000000",  # 10^9
    "-1000000000000",
    "1e309",
    "NaN",
    "' OR 1=1 --",
    "'; DROP TABLE screen_works; --",
    '" UNION SELECT * FROM screen_meta --',
    "%_%",
    "\\",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "\ufeff\u202e\ud7ff",
    "國防科技大學" * 600,
    "",
    " ",
]
QUERY_ROUTES = {
    "/api/check": ["name"],
    "/api/works": ["country", "entity", "area", "year", "year_from", "year_to", "institution",
                   "q", "sort", "page", "per_page"],
    "/works": ["country", "entity", "area", "year", "institution", "q", "sort", "page",
               "per_page"],
    "/search": ["name"],
    "/institutions": ["name"],
    "/": [],
}  # fmt: skip
PATH_ROUTES = ["/works/{}", "/entities/{}"]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("web")
    build_store(folder / "screen.duckdb", works=30)
    settings = Settings(db_path=folder / "unused.duckdb", home=folder / "home", web_token=None)
    with serve_in_thread(create_app(folder / "screen.duckdb", settings=settings)) as url:
        yield url


@pytest.fixture(scope="module")
def client(live: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live, timeout=60) as http:
        yield http


def _ok_or_4xx(r: httpx.Response, what: object) -> None:
    assert r.status_code < 500, (what, r.status_code, r.text[:300])
    if r.headers.get("content-type", "").startswith("text/html"):
        assert "<script>alert(1)</script>" not in r.text, what
    assert "Traceback" not in r.text, what


@pytest.mark.parametrize("route", list(QUERY_ROUTES))
def test_every_query_parameter_survives_hostile_values(client: httpx.Client, route: str) -> None:
    seen = set()
    for name in QUERY_ROUTES[route] or ["unknown"]:
        for value in HOSTILE:
            r = client.get(route, params={name: value})
            _ok_or_4xx(r, (route, name, value[:40]))
            seen.add(r.status_code)
    if route != "/":
        assert 422 in seen, f"{route} accepted every hostile value"


@pytest.mark.parametrize(
    ("route", "params"),
    [
        ("/api/works", {"per_page": "1000000000"}),
        ("/api/works", {"page": "-1"}),
        ("/api/works", {"page": "1000000000"}),
        ("/api/check", {"name": "x" * 10_000}),
        ("/api/works", {"q": "x" * 10_000}),
        ("/works", {"per_page": "1000000000"}),
        ("/works", {"page": "-5"}),
        ("/search", {"name": "x" * 10_000}),
        ("/institutions", {"name": "x" * 10_000}),
    ],
)
def test_sizes_and_pages_are_bounded(client: httpx.Client, route: str, params: dict) -> None:
    assert client.get(route, params=params).status_code == 422


def test_the_largest_allowed_page_is_answered(client: httpx.Client) -> None:
    r = client.get("/api/works", params={"per_page": 200, "page": 100_000})
    assert r.status_code == 200 and r.json()["works"] == []


@pytest.mark.parametrize("template", PATH_ROUTES)
def test_path_parameters_survive_hostile_values(client: httpx.Client, template: str) -> None:
    for value in [*HOSTILE, "../../etc/passwd", "W1/../../x", "%00", "%2e%2e%2f"]:
        if not value:
            continue
        r = client.get(template.format(quote(value, safe="")))
        _ok_or_4xx(r, (template, value[:40]))
        assert r.status_code in (404, 422), (template, value[:40], r.status_code)


def test_abuse_of_the_url_itself_is_4xx(client: httpx.Client, live: str) -> None:
    # Repeated parameters, a 60 kB query string (httpx refuses longer URLs), other methods.
    r = client.get("/api/works", params=[("country", "GB")] * 500)
    _ok_or_4xx(r, "repeated")
    r = client.get("/api/works?" + "&".join(f"p{i}={'x' * 90}" for i in range(650)))
    _ok_or_4xx(r, "60 kB query")
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        r = client.request(method, "/api/works", content=b"x" * 1000)
        assert r.status_code in (401, 403, 405), (method, r.status_code)
    r = client.get(
        "/api/works", params={"page": "1", "per_page": "1"}, headers={"X-Forwarded-For": "x" * 8000}
    )
    _ok_or_4xx(r, "big header")
    with httpx.Client(base_url=live, timeout=60) as raw:
        r = raw.get("/api/check", params={"name": "a" * 300})  # the bound itself is accepted
        assert r.status_code == 200


# --- no SQL from strings --------------------------------------------------------------------

# Names an f-string may interpolate into SQL in dualscope.web: constant column lists and
# fragments chosen from constant dictionaries (queries.FILTERS / queries.SORTS), never a value.
ALLOWED_IN_SQL = {"WORK_COLUMNS", "where", "order", "column", "table"}


def _sql_calls(tree: ast.AST) -> Iterator[tuple[int, ast.expr]]:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("execute", "executemany", "sql", "query")
            and node.args
        ):
            yield node.lineno, node.args[0]


def test_web_sql_interpolates_only_constant_fragments() -> None:
    checked = 0
    for path in sorted(WEB.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, arg in _sql_calls(tree):
            checked += 1
            assert not isinstance(arg, ast.BinOp), f"{path.name}:{line}: SQL built with + or %"
            if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute):
                assert arg.func.attr != "format", f"{path.name}:{line}: SQL built with format()"
            if isinstance(arg, ast.JoinedStr):
                for part in arg.values:
                    if isinstance(part, ast.FormattedValue):
                        name = ast.unparse(part.value)
                        assert name in ALLOWED_IN_SQL, (
                            f"{path.name}:{line}: SQL interpolates {name}"
                        )
    assert checked >= 5, "no SQL calls found: has the web code moved?"
