"""The web app and the report file in a real headless Chromium (Debian's, through Playwright).

Without /usr/bin/chromium these tests skip with that reason on a user's machine, and fail under
CI (``CI=true``), where `.ci/run` installs the browser.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from dualscope.report.html import write_report
from dualscope.report.synthetic import HOSTILE_TITLE

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_gate(path: Path, ci: bool) -> tuple[str, str] | None:
    """None when the browser is there; else ("fail" under CI | "skip", the reason)."""
    if path.exists():
        return None
    reason = f"{path} is missing: install Debian's chromium (apt-get install chromium)"
    if ci:
        return "fail", f"browser tests cannot run under CI: {reason}"
    return "skip", reason


def test_browser_gate() -> None:
    missing = Path("/nonexistent/chromium")
    assert browser_gate(missing, ci=True) == (
        "fail",
        f"browser tests cannot run under CI: {missing} is missing: install Debian's chromium "
        "(apt-get install chromium)",
    )
    assert browser_gate(missing, ci=False)[0] == "skip"
    assert browser_gate(Path(__file__), ci=True) is None


@pytest.fixture(scope="module")
def browser():
    gate = browser_gate(CHROMIUM, ci=os.environ.get("CI") == "true")
    if gate is not None:
        (pytest.fail if gate[0] == "fail" else pytest.skip)(gate[1])
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.problems = problems  # type: ignore[attr-defined]
    yield page
    context.close()


@pytest.mark.browser
def test_dashboard_search_and_open_work(page, live) -> None:
    page.goto(live + "/")
    assert page.locator("h1").inner_text() == "Screening result"
    assert page.locator("svg.chart").count() >= 4
    page.fill("#name", "Natl Univ Def Technol")
    page.click("form.search button")
    page.wait_for_url("**/search?name=*")
    assert page.locator("#result h2").first.inner_text() == "On the watchlist"
    assert "National University of Defense Technology" in page.locator("#result").inner_text()
    assert "abbreviation" in page.locator("#result .match").first.inner_text().lower()
    first = page.locator("#result a.work-link").first
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/works/W*")
    assert page.locator("article.work h3").inner_text() == title
    assert page.locator("article.work table tbody tr").count() >= 1  # the matched author/rule
    assert page.problems == []  # no CSP violation, script error or dialog


@pytest.mark.browser
def test_works_table_filters_sorts_and_pages(page, live) -> None:
    page.goto(live + "/works?per_page=10")
    assert page.locator("#t-works tbody tr").count() == 10
    page.fill("input[name=country]", "SE")
    page.click("form.filters button")
    page.wait_for_url("**/works?*country=SE*")
    assert "SE" in page.locator("#t-works tbody tr").first.inner_text()
    page.goto(live + "/works?sort=work_id&per_page=200")
    page.click("#t-works th:nth-child(2)")  # client-side sort by year
    years = [int(t) for t in page.locator("#t-works tbody td:nth-child(2)").all_inner_texts()]
    assert years == sorted(years)
    assert page.problems == []


@pytest.mark.browser
def test_hostile_title_is_text_in_the_app(page, live, web_store) -> None:
    page.goto(f"{live}/works/{web_store[1].hostile_work_id}")
    assert page.locator("article.work h3").inner_text() == HOSTILE_TITLE
    assert page.locator("article.work img").count() == 0
    assert page.problems == []


@pytest.mark.browser
def test_report_offline_with_charts_and_hostile_title(page, web_store, tmp_path) -> None:
    con = duckdb.connect(str(web_store[0]), read_only=True)
    try:
        write_report(con, tmp_path / "report.html")
    finally:
        con.close()
    attempted: list[str] = []

    def guard(route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on(
        "request",
        lambda r: None if r.url.startswith(("file:", "data:")) else attempted.append(r.url),
    )
    page.goto((tmp_path / "report.html").as_uri())
    for section in ("headline", "countries", "years", "areas", "entities", "works", "methodology"):
        assert page.locator(f"section#{section}").is_visible(), section
    assert page.locator("svg.chart").count() >= 4
    assert page.locator("svg.chart rect").count() >= 10
    box = page.locator("#countries svg.chart").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 20  # rendered, not collapsed
    hostile = page.locator(f"#work-{web_store[1].hostile_work_id} h3")
    assert hostile.inner_text() == HOSTILE_TITLE  # the literal <script> text is visible
    assert page.locator("img").count() == 0
    # the inline script runs (allowed by its CSP hash): the filter box hides rows
    rows = page.locator("#t-researchers tbody tr")
    total = rows.count()
    page.fill("input[data-table=t-researchers]", "Polder")
    visible = page.locator("#t-researchers tbody tr:not([hidden])").count()
    assert 0 < visible < total
    assert attempted == []  # nothing left the machine
    assert page.problems == []  # no alert dialog, no CSP violation, no script error
