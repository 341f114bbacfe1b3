"""The HTML report: every section, escaping of hostile strings, offline-only, pseudonymisation."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest

from dualscope.report.data import doi_url
from dualscope.report.html import write_report
from dualscope.report.synthetic import HOSTILE_AUTHOR, HOSTILE_INSTITUTION, HOSTILE_TITLE

SECTIONS = (
    "headline",
    "countries",
    "years",
    "areas",
    "entities",
    "institutions",
    "researchers",
    "works",
    "methodology",
)


class _Collector(HTMLParser):
    """Collects tags, attributes and text the way a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._in_script = False
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def _render(store: Path, tmp_path: Path, **kw) -> str:
    out = tmp_path / "out" / "report.html"
    con = duckdb.connect(str(store))
    try:
        write_report(con, out, **kw)
    finally:
        con.close()
    return out.read_text(encoding="utf-8")


@pytest.fixture()
def html(report_store, tmp_path, no_facts) -> str:
    return _render(report_store[0], tmp_path, facts=no_facts)


def test_every_section_present(html: str) -> None:
    for section in SECTIONS:
        assert f'<section id="{section}">' in html, section
    assert html.count("<svg") >= 4
    assert "not proof of wrongdoing" in html
    assert "test-wl" in html  # watchlist version in the methodology
    assert "0000-0002-1825-0097" in html  # ORCIDs shown when not pseudonymised
    for fact in ("defence_industry", "synthetic/works.jsonl.gz", "2026-01-02 03:00:00"):
        assert fact in html, fact  # categories, input files, data date


def test_hostile_strings_are_text_not_markup(html: str) -> None:
    parser = _Collector()
    parser.feed(html)
    text = "".join(parser.text)
    assert HOSTILE_TITLE in text
    assert HOSTILE_AUTHOR in text
    assert HOSTILE_INSTITUTION in text
    # Exactly one script element (ours) and no element created from data.
    assert [t for t, _ in parser.tags if t == "script"] == ["script"]
    assert not [t for t, a in parser.tags if t == "img"]
    assert not [a for _, a in parser.tags if any(k.startswith("on") for k in a)]
    assert "alert(1)" not in "".join(parser.scripts)


def test_offline_only_no_external_references(html: str) -> None:
    parser = _Collector()
    parser.feed(html)
    metas = [a for t, a in parser.tags if t == "meta" and a.get("http-equiv")]
    csp = metas[0]["content"] or ""
    assert metas[0]["http-equiv"] == "Content-Security-Policy"
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp
    for tag, attrs in parser.tags:
        assert "src" not in attrs or tag not in ("script", "img", "iframe"), (tag, attrs)
        if tag == "link" and not (attrs.get("href") or "").startswith("data:"):
            pytest.fail(f"external link element: {attrs}")
    # Only doi.org links leave the file, and only for well-formed DOIs.
    hrefs = [a["href"] for t, a in parser.tags if t == "a" and a.get("href")]
    assert all(h.startswith(("#", "https://doi.org/10.")) for h in hrefs), hrefs
    assert "https://doi.org/10.1234/not" not in html


def test_pseudonymised_report_has_no_real_name(report_store, tmp_path, no_facts) -> None:
    store = tmp_path / "copy.duckdb"
    shutil.copy(report_store[0], store)
    first = _render(store, tmp_path, pseudonymise=True, facts=no_facts)
    again = _render(store, tmp_path, pseudonymise=True, facts=no_facts)
    parser = _Collector()
    parser.feed(first)
    text = "".join(parser.text)
    for name in report_store[1].author_names:
        assert name not in text, name
        assert name not in first
    assert "0000-0002-1825-0097" not in first  # ORCIDs identify people too
    codes = set(re.findall(r"R-[0-9A-F]{8}", first))
    assert len(codes) == len(report_store[1].author_names)
    assert codes == set(re.findall(r"R-[0-9A-F]{8}", again))  # stable across runs


def test_pseudonym_codes_differ_between_stores(report_store, tmp_path, no_facts) -> None:
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    shutil.copy(report_store[0], a)
    shutil.copy(report_store[0], b)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    codes_a = set(
        re.findall(r"R-[0-9A-F]{8}", _render(a, tmp_path / "a", pseudonymise=True, facts=no_facts))
    )
    codes_b = set(
        re.findall(r"R-[0-9A-F]{8}", _render(b, tmp_path / "b", pseudonymise=True, facts=no_facts))
    )
    assert codes_a and codes_b and not codes_a & codes_b  # per-store salt


@pytest.mark.parametrize(
    ("doi", "url"),
    [
        ("10.1000/xyz123", "https://doi.org/10.1000/xyz123"),
        ("https://doi.org/10.1000/ABC(1)", "https://doi.org/10.1000/ABC(1)"),
        ("10.1000/a b", None),
        ('10.1000/x"><script>', None),
        ("javascript:alert(1)", None),
        ("", None),
        (None, None),
    ],
)
def test_doi_url(doi, url) -> None:
    assert doi_url(doi) == url
