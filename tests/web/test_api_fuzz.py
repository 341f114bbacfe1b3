"""Fuzzing the API inputs (issue 8): any query string gives 200 or 422, never a server error.

Examples per test: ``DUALSCOPE_FUZZ_EXAMPLES`` (default 30; `make fuzz` raises it).
"""

from __future__ import annotations

import os

import httpx
from hypothesis import example, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("DUALSCOPE_FUZZ_EXAMPLES", "30"))
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400)
VALUE = st.one_of(TEXT, st.integers(min_value=-(10**12), max_value=10**12).map(str))
WORK_PARAMS = (
    "country",
    "entity",
    "area",
    "year",
    "year_from",
    "year_to",
    "institution",
    "q",
    "sort",
    "page",
    "per_page",
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(params=st.dictionaries(st.sampled_from(WORK_PARAMS), VALUE, max_size=6))
@example(params={"q": "\x00", "institution": "\x00"})
@example(params={"page": "100000", "per_page": "200"})
def test_fuzz_api_works(live, params) -> None:
    r = httpx.get(f"{live}/api/works", params=params, timeout=30)
    assert r.status_code in (200, 422), (params, r.status_code, r.text[:300])
    if r.status_code == 200:
        body = r.json()
        assert 0 <= len(body["works"]) <= body["per_page"] <= 200


@settings(max_examples=EXAMPLES, deadline=None)
@given(name=TEXT)
@example(name="\x00")
@example(name="Natl Univ Def Technol\x00' OR 1=1 --")
@example(name="国防科技大学" * 50)
def test_fuzz_api_check(live, name) -> None:
    r = httpx.get(f"{live}/api/check", params={"name": name}, timeout=30)
    assert r.status_code in (200, 422), (name, r.status_code, r.text[:300])
    if r.status_code == 200:
        assert set(r.json()) >= {"on_watchlist", "matches", "copublications"}


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    path=st.sampled_from(["/works", "/search", "/institutions"]),
    params=st.dictionaries(
        st.sampled_from(("name", "q", "country", "year", "page", "sort")), VALUE, max_size=4
    ),
)
def test_fuzz_pages(live, path, params) -> None:
    r = httpx.get(f"{live}{path}", params=params, headers={"accept": "text/html"}, timeout=30)
    assert r.status_code in (200, 404, 422), (path, params, r.status_code, r.text[:300])
