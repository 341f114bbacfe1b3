"""The web app under load (issue 8.4): 2,000 API requests from 20 concurrent clients, no errors."""

from __future__ import annotations

from dualscope.web.loadcheck import run_load

PATHS = (
    "/api/check?name=Natl+Univ+Def+Technol",
    "/api/works?country=GB",
    "/api/check?name=Harbin+Inst+Technol%2C+Harbin%2C+Peoples+R+China",
    "/api/works?entity=nudt&page=2&per_page=10",
    "/api/check?name=Polder+University",
    "/api/works?q=Study&sort=title&per_page=200",
    "/api/check?name=%E5%9B%BD%E9%98%B2%E7%A7%91%E6%8A%80%E5%A4%A7%E5%AD%A6",
    "/api/works?year=2020&area=radar",
)


def test_two_thousand_requests_twenty_clients(live) -> None:
    result = run_load(live, PATHS, total=2_000, concurrency=20)
    print(result.summary())
    assert result.error_count == 0, result.errors
    assert len(result.latencies_ms) == 2_000
    assert result.elapsed_s < 60, result.summary()
