"""The web app over HTTP: pages, JSON API, input validation, escaping, headers, read-only."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser

import duckdb
import httpx
import pytest

from dualscope.report.synthetic import HOSTILE_TITLE
from dualscope.web.app import create_app


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    return p


def _count(store, sql: str, params=()) -> int:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def http(live):
    with httpx.Client(base_url=live, headers={"accept": "text/html"}) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "needle"),
    [
        ("/", "Screening result"),
        ("/works", "Flagged works"),
        ("/works?country=gb&sort=title&page=1", "Flagged works"),
        ("/works/W1001", "W1001"),
        ("/entities/nudt", "National University of Defense Technology"),
        ("/institutions?name=Polder+University", "Polder University"),
        ("/search", "Due-diligence search"),
        ("/search?name=Natl+Univ+Def+Technol", "On the watchlist"),
        ("/docs", "/api/works"),
    ],
)
def test_pages(http, path, needle) -> None:
    r = http.get(path)
    assert r.status_code == 200, r.text[:300]
    assert needle in "".join(_parse(r.text).text)
    assert r.headers["content-type"].startswith("text/html")


def test_dashboard_has_charts_and_no_external_loads(http) -> None:
    p = _parse(http.get("/").text)
    assert sum(1 for t, _ in p.tags if t == "svg") >= 4
    for tag, attrs in p.tags:
        for key in ("src", "href"):
            value = attrs.get(key) or ""
            assert not value.startswith(("http:", "https:", "//")) or "doi.org" in value, value


def test_hostile_title_is_text(http, web_store) -> None:
    for path in ("/works?sort=work_id&per_page=5", f"/works/{web_store[1].hostile_work_id}"):
        html = http.get(path).text
        assert "<script>alert(1)</script>" not in html
        p = _parse(html)
        assert HOSTILE_TITLE in "".join(p.text)
        assert not [t for t, _ in p.tags if t == "img"]
        assert [a.get("src") for t, a in p.tags if t == "script"] == ["/static/app.js"]


def test_api_check_watchlist_name_with_reasons(live, web_store) -> None:
    r = httpx.get(f"{live}/api/check", params={"name": "Natl Univ Def Technol"})
    assert r.status_code == 200
    body = r.json()
    assert body["on_watchlist"] is True
    nudt = [m for m in body["matches"] if m["entity_id"] == "nudt"]
    assert nudt and nudt[0]["evidence"] and nudt[0]["explanation"]
    expected = _count(
        web_store[0], "SELECT count(*) FROM screen_works WHERE list_contains(entity_ids, 'nudt')"
    )
    assert body["copublications_total"] >= expected > 0


def test_api_check_unknown_name_gives_closest_not_match(live) -> None:
    body = httpx.get(
        f"{live}/api/check", params={"name": "Beijing University of Technology"}
    ).json()
    assert all(m["entity_id"] != "bit" for m in body["matches"])
    body = httpx.get(f"{live}/api/check", params={"name": "zzqx nothing like it"}).json()
    assert body["on_watchlist"] is False and body["copublications_total"] == 0


def test_api_check_partner_institution(live, web_store) -> None:
    body = httpx.get(f"{live}/api/check", params={"name": "Polder University"}).json()
    assert body["partner_institutions"][0]["institution_name"] == "Polder University"
    expected = _count(
        web_store[0],
        "SELECT count(*) FROM screen_works WHERE list_contains(partner_institutions, ?)",
        ["Polder University"],
    )
    assert body["copublications_total"] == expected > 0


@pytest.mark.parametrize(
    ("params", "sql", "args"),
    [
        ({"country": "gb"}, "list_contains(partner_countries, ?)", ["GB"]),
        ({"entity": "nudt"}, "list_contains(entity_ids, ?)", ["nudt"]),
        ({"area": "radar"}, "list_contains(areas, ?)", ["radar"]),
        ({"year": 2020}, "year = ?", [2020]),
        ({"q": "Study 1"}, "title LIKE ?", ["%Study 1%"]),
    ],
)
def test_api_works_filters(live, web_store, params, sql, args) -> None:
    body = httpx.get(f"{live}/api/works", params={**params, "per_page": 200}).json()
    expected = _count(web_store[0], f"SELECT count(*) FROM screen_works WHERE {sql}", args)
    assert body["total"] == expected > 0
    assert len(body["works"]) == expected


def test_api_works_paging_and_sort(live) -> None:
    first = httpx.get(f"{live}/api/works", params={"per_page": 7, "sort": "work_id"}).json()
    second = httpx.get(
        f"{live}/api/works", params={"per_page": 7, "page": 2, "sort": "work_id"}
    ).json()
    ids = [w["work_id"] for w in first["works"] + second["works"]]
    assert ids == sorted(ids) and len(set(ids)) == 14


def test_sql_metacharacters_are_data(live, web_store) -> None:
    for q in ("' OR 1=1 --", "%", "_", "\\", "'; DROP TABLE screen_works; --"):
        r = httpx.get(f"{live}/api/works", params={"q": q})
        assert r.status_code == 200
        literal = _count(
            web_store[0], "SELECT count(*) FROM screen_works WHERE contains(lower(title), ?)", [q]
        )
        assert r.json()["total"] == literal, q
    assert httpx.get(f"{live}/api/works").json()["total"] == 60


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/works", {"per_page": 0}),
        ("/api/works", {"per_page": 201}),
        ("/api/works", {"page": 0}),
        ("/api/works", {"country": "GBR"}),
        ("/api/works", {"country": "G'"}),
        ("/api/works", {"entity": "../etc"}),
        ("/api/works", {"area": "<script>"}),
        ("/api/works", {"year": 1800}),
        ("/api/works", {"year": "twenty"}),
        ("/api/works", {"sort": "title; DROP"}),
        ("/api/works", {"q": "x" * 301}),
        ("/api/check", {}),
        ("/api/check", {"name": ""}),
        ("/api/check", {"name": "x" * 301}),
        ("/works", {"per_page": 1000}),
        ("/works", {"year": "1800"}),
        ("/works", {"country": "GBR"}),
        ("/search", {"name": "x" * 301}),
        ("/institutions", {}),
    ],
)
def test_bad_input_is_422_not_500(live, path, params) -> None:
    r = httpx.get(f"{live}{path}", params=params)
    assert r.status_code == 422, (path, params, r.status_code, r.text[:200])
    assert "<script>" not in r.text


def test_empty_form_fields_mean_no_filter(http) -> None:
    r = http.get("/works", params={"country": "se", "entity": "", "area": "", "year": "", "q": ""})
    assert r.status_code == 200
    assert "SE" in "".join(_parse(r.text).text)


def test_html_validation_error_page_is_escaped(http) -> None:
    r = http.get("/works", params={"area": "<script>alert(1)</script>"})
    assert r.status_code == 422
    assert "<script>alert" not in r.text and "Invalid request" in r.text


def test_not_found(http, live) -> None:
    assert http.get("/works/W999999").status_code == 404
    assert http.get("/entities/no-such-entity").status_code == 404
    assert httpx.get(f"{live}/api/nothing").status_code == 404


def test_security_headers_on_every_answer(live) -> None:
    for path in ("/", "/api/works", "/api/works?per_page=0", "/works/none", "/openapi.json"):
        r = httpx.get(f"{live}{path}")
        assert "default-src 'none'" in r.headers["content-security-policy"], path
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"


def test_foreign_host_header_refused_without_token(live) -> None:
    r = httpx.get(f"{live}/api/works", headers={"host": "attacker.example"})
    assert r.status_code == 400


def test_openapi_documents_the_api(live) -> None:
    spec = httpx.get(f"{live}/openapi.json").json()
    assert {"/api/check", "/api/works"} <= set(spec["paths"])
    params = {p["name"]: p for p in spec["paths"]["/api/works"]["get"]["parameters"]}
    assert params["per_page"]["schema"]["maximum"] == 200
    docs = httpx.get(f"{live}/docs").text
    assert "cdn" not in docs.lower() and "swagger" not in docs.lower()


def test_token_required_on_every_request(start_app) -> None:
    base = start_app(token="s3cret-token-value")
    for path in ("/", "/api/works", "/openapi.json", "/docs", "/static/app.js", "/nope"):
        assert httpx.get(f"{base}{path}").status_code == 401, path
        wrong = httpx.get(f"{base}{path}", headers={"authorization": "Bearer wrong"})
        assert wrong.status_code == 401
    ok = httpx.get(f"{base}/api/works", headers={"authorization": "Bearer s3cret-token-value"})
    assert ok.status_code == 200
    # any Host is fine with a token (the server may sit behind a name)
    named = httpx.get(
        f"{base}/api/works",
        headers={"authorization": "Bearer s3cret-token-value", "host": "dualscope.internal"},
    )
    assert named.status_code == 200


def test_token_in_query_sets_cookie_for_browsers(start_app) -> None:
    base = start_app(token="browser-token")
    with httpx.Client(base_url=base) as client:
        r = client.get("/works", params={"token": "browser-token", "country": "GB"})
        assert r.status_code == 303
        assert r.headers["location"] == "/works?country=GB"
        assert "httponly" in r.headers["set-cookie"].lower()
        assert client.get("/works?country=GB").status_code == 200  # cookie now sent
        assert client.get("/works", params={"token": "bad"}).status_code == 200  # cookie still
    assert httpx.get(f"{base}/works", params={"token": "bad"}).status_code == 401


def test_store_is_read_only(web_store, web_settings, live) -> None:
    before = hashlib.sha256(web_store[0].read_bytes()).hexdigest()
    for path in ("/", "/works", "/api/works", "/api/check?name=NUDT", "/entities/nudt"):
        assert httpx.get(f"{live}{path}").status_code == 200
    app = create_app(web_store[0], settings=web_settings)
    cur = app.state.ctx.con.cursor()
    with pytest.raises(duckdb.Error):
        cur.execute("DELETE FROM screen_works")
    with pytest.raises(duckdb.Error):
        cur.execute("CREATE TABLE x (a INTEGER)")
    assert hashlib.sha256(web_store[0].read_bytes()).hexdigest() == before


def test_search_echo_is_escaped(http) -> None:
    hostile = '"><script>alert(1)</script>'
    r = http.get("/search", params={"name": hostile})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text
    p = _parse(r.text)
    inputs = [a for t, a in p.tags if t == "input" and a.get("name") == "name"]
    assert inputs[0]["value"] == hostile  # shown back to the user as typed, as an attribute
    assert [a.get("src") for t, a in p.tags if t == "script"] == ["/static/app.js"]
