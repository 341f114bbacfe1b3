"""`serve --pseudonymise`: no researcher name or ORCID in any page or API answer."""

from __future__ import annotations

import re
import shutil
from html import unescape

import duckdb
import httpx
import pytest

from dualscope.errors import DualscopeError
from dualscope.report.pseudonym import store_salt
from dualscope.web.app import create_app
from dualscope.web.background import serve_in_thread


@pytest.fixture(scope="module")
def private_store(web_store, tmp_path_factory):
    path = tmp_path_factory.mktemp("private") / "s.duckdb"
    shutil.copy(web_store[0], path)
    return path


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_refuses_without_salt(private_store, web_settings, tmp_path) -> None:
    fresh = tmp_path / "fresh.duckdb"
    shutil.copy(private_store, fresh)
    with pytest.raises(DualscopeError, match="read-only"):
        create_app(fresh, settings=web_settings, pseudonymise=True)


def test_no_name_anywhere(private_store, web_store, web_settings) -> None:
    con = duckdb.connect(str(private_store))
    store_salt(con)
    con.close()
    app = create_app(private_store, settings=web_settings, pseudonymise=True)
    paths = [
        "/",
        "/works?per_page=200",
        "/api/works?per_page=200",
        "/entities/nudt",
        "/institutions?name=Polder+University",
        "/search?name=Natl+Univ+Def+Technol",
        "/api/check?name=Natl+Univ+Def+Technol",
        "/api/check?name=Polder+University",
    ] + [f"/works/W{1000 + i}" for i in range(60)]
    with serve_in_thread(app) as base:
        pages = []
        for path in paths:
            r = httpx.get(base + path, headers={"accept": "text/html"})
            assert r.status_code == 200, path
            pages.append(r.text)
            if path.startswith("/api/"):
                pages.extend(_strings(r.json()))  # JSON escapes quotes: compare the values
    blob = "\n".join(pages)
    text = unescape(blob) + blob
    for name in web_store[1].author_names:
        assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text), name
    assert "0000-0002-1825-0097" not in text
    assert re.search(r"R-[0-9A-F]{8}", text)
