"""The OpenAlex client and resumable fetch against a real local HTTP server that injects faults."""

from __future__ import annotations

import email.utils
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import duckdb
import pytest

from dualscope.errors import ConfigError, DualscopeError
from dualscope.sources.openalex_api import OpenAlexClient, WorksQuery
from dualscope.sources.openalex_fetch import fetch_works
from dualscope.store.db import open_store

PAGE_SIZE = 7


def _work(n: int) -> dict[str, Any]:
    return {
        "id": f"https://openalex.org/W9{n:09d}",
        "doi": None,
        "title": f"Synthetic work {n}",
        "publication_year": 2020,
        "updated_date": "2024-01-01T00:00:00",
        "authorships": [
            {
                "author": {"id": f"https://openalex.org/A9{n:09d}", "display_name": "X"},
                "institutions": [{"id": "https://openalex.org/I9000000001", "country_code": "CN"}],
                "countries": ["CN", "IT"],
                "raw_affiliation_strings": ["Natl Univ Def Technol, Changsha"],
            }
        ],
    }


class FakeOpenAlex:
    """Serves ``n`` works in pages of PAGE_SIZE, in the API's response shape, with faults.

    ``faults`` maps a page number to the list of faults served on its first requests, in order:
    ``429`` (Retry-After 2 s), ``429date`` (Retry-After as an HTTP date), ``503``, ``timeout``
    (answers after the client gave up), ``cut`` (a body shorter than its Content-Length) and
    ``badjson`` (a complete answer whose JSON is cut off).
    """

    def __init__(self, n: int, faults: dict[int, list[str]] | None = None) -> None:
        self.works = [_work(i) for i in range(n)]
        self.faults = {k: list(v) for k, v in (faults or {}).items()}
        self.requests: list[dict[str, list[str]]] = []
        self.pages_served = 0
        self.block_after: int | None = None
        self.release = threading.Event()
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def handle(self, h: BaseHTTPRequestHandler) -> None:
        url = urlparse(h.path)
        params = parse_qs(url.query)
        with self.lock:
            self.requests.append(params)
        assert url.path == "/works"
        cursor = params["cursor"][0]
        page = 0 if cursor == "*" else int(cursor.removeprefix("c"))
        with self.lock:
            fault = self.faults.get(page, []).pop(0) if self.faults.get(page) else None
        if self.block_after is not None and page >= self.block_after:
            self.release.wait(30)
        if fault == "429":
            return self._send(h, 429, b'{"error": "slow down"}', {"Retry-After": "2"})
        if fault == "429date":
            when = email.utils.formatdate(time.time() + 3, usegmt=True)
            return self._send(h, 429, b"{}", {"Retry-After": when})
        if fault == "503":
            return self._send(h, 503, b"busy")
        if fault == "timeout":
            time.sleep(0.6)
        results = self.works[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
        last = (page + 1) * PAGE_SIZE >= len(self.works)
        body = json.dumps(
            {
                "meta": {
                    "count": len(self.works),
                    "per_page": PAGE_SIZE,
                    "next_cursor": None if last else f"c{page + 1}",
                },
                "results": results,
            }
        ).encode()
        if fault == "badjson":
            return self._send(h, 200, body[: len(body) // 2])
        if fault == "cut":
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body[: len(body) // 3])
            h.wfile.flush()
            h.close_connection = True
            return None
        with self.lock:
            self.pages_served += 1
        return self._send(
            h, 200, body, {"X-RateLimit-Limit": "10000", "X-RateLimit-Remaining": "9990"}
        )

    @staticmethod
    def _send(
        h: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str] | None = None
    ) -> None:
        try:
            h.send_response(status)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                h.send_header(key, value)
            h.end_headers()
            h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture()
def serve() -> Iterator[Any]:
    servers: list[FakeOpenAlex] = []

    def make(n: int, faults: dict[int, list[str]] | None = None) -> FakeOpenAlex:
        servers.append(FakeOpenAlex(n, faults))
        return servers[-1]

    yield make
    for server in servers:
        server.close()


def _ids(db: Path) -> list[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT work_id FROM works ORDER BY work_id").fetchall()]
    finally:
        con.close()


QUERY = WorksQuery(("DE", "IT"), 2015, 2020)


def test_the_filter_is_china_and_the_focus_countries_with_years():
    assert QUERY.filter == (
        "authorships.countries:cn,authorships.countries:de|it,publication_year:2015-2020"
    )
    assert WorksQuery(("IT",), since=2015).filter.endswith("publication_year:>2014")
    assert WorksQuery(("IT",), until=2020).filter.endswith("publication_year:<2021")
    with pytest.raises(DualscopeError, match="CN cannot be a focus country"):
        WorksQuery(("CN", "IT"))


def test_a_missing_api_key_names_the_variable():
    with pytest.raises(ConfigError, match="OPENALEX_API_KEY"):
        OpenAlexClient("http://127.0.0.1:9", None)


def test_faults_are_retried_and_every_work_arrives(serve, tmp_db):
    server = serve(
        30,
        {0: ["429", "503"], 1: ["timeout", "cut"], 2: ["badjson", "429date"], 4: ["503"]},
    )
    sleeps: list[float] = []
    client = OpenAlexClient(server.url, "k3y", timeout=0.3, backoff=0.01, sleep=sleeps.append)
    con = open_store(tmp_db)
    outcome = fetch_works(con, client, QUERY)
    con.close()
    assert outcome.status == "complete"
    assert (outcome.works, outcome.pages, outcome.total) == (30, 5, 30)
    assert _ids(tmp_db) == [f"W9{n:09d}" for n in range(30)]
    stats = client.stats
    assert stats.retries == 7
    assert stats.requests == 12
    assert sleeps[0] == 2.0  # Retry-After in seconds honoured
    assert 1.0 < sleeps[5] <= 3.0  # Retry-After as an HTTP date honoured
    assert set(stats.faults) == {
        "429 too many requests",
        "HTTP 503",
        "timeout",
        "connection error: RemoteProtocolError",
        "cut-off or invalid JSON body",
    }
    assert (stats.rate_limit_remaining, stats.rate_limit_limit) == ("9990", "10000")
    first = server.requests[0]
    assert first["per_page"] == ["100"] and first["cursor"] == ["*"]
    assert first["api_key"] == ["k3y"]
    assert first["filter"] == [QUERY.filter]
    assert "authorships" in first["select"][0].split(",")


def test_persistent_failure_ends_with_a_clear_error(serve, tmp_db):
    server = serve(10, {0: ["503"] * 10})
    client = OpenAlexClient(server.url, "k", max_attempts=3, backoff=0.0, sleep=lambda s: None)
    con = open_store(tmp_db)
    with pytest.raises(DualscopeError, match=r"kept failing \(HTTP 503\) after 3 attempts"):
        fetch_works(con, client, QUERY)
    assert con.execute("SELECT count(*) FROM works").fetchone() == (0,)


def test_a_completed_query_does_nothing_unless_restarted(serve, tmp_db):
    server = serve(10)
    client = OpenAlexClient(server.url, "k", sleep=lambda s: None)
    con = open_store(tmp_db)
    assert fetch_works(con, client, QUERY).status == "complete"
    before = len(server.requests)
    assert fetch_works(con, client, QUERY).status == "already_complete"
    assert len(server.requests) == before
    assert fetch_works(con, client, QUERY, restart=True).status == "complete"
    assert con.execute("SELECT count(*) FROM works").fetchone() == (10,)


def test_a_paused_fetch_resumes_from_the_stored_cursor(serve, tmp_db):
    server = serve(40)
    client = OpenAlexClient(server.url, "k", sleep=lambda s: None)
    con = open_store(tmp_db)
    assert fetch_works(con, client, QUERY, max_pages=2).status == "paused"
    outcome = fetch_works(con, client, QUERY)
    assert outcome.resumed and outcome.pages == 4
    cursors = [r["cursor"][0] for r in server.requests]
    assert cursors == ["*", "c1", "c2", "c3", "c4", "c5"]
    assert con.execute("SELECT count(*) FROM works").fetchone() == (40,)


def _fetch_cli(url: str, db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OPENALEX_API_KEY": "k", "DUALSCOPE_OPENALEX_URL": url}
    code = "from dualscope.cli import main; main()"
    args = ["fetch", "--country", "IT", "--country", "DE", "--since", "2015", "--until", "2020"]
    return subprocess.Popen(
        [sys.executable, "-c", code, *args, "--db", str(db)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_sigkill_mid_fetch_then_rerun_gets_exactly_the_works_of_a_clean_run(serve, tmp_path):
    server = serve(60)
    clean = tmp_path / "clean.duckdb"
    proc = _fetch_cli(server.url, clean)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert b"requests made: 9" in out and b"budget left: 9990 of 10000" in out

    killed_db = tmp_path / "killed.duckdb"
    server.block_after = 4  # pages 0-3 are served, then the server hangs
    proc = _fetch_cli(server.url, killed_db)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.pages_served < 9 + 4:
        time.sleep(0.05)
    time.sleep(0.3)  # let it commit what it received
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    server.block_after = None
    server.release.set()
    partial = _ids(killed_db)
    assert 0 < len(partial) < 60
    proc = _fetch_cli(server.url, killed_db)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert b"resumed" in out
    assert _ids(killed_db) == _ids(clean)
    assert len(_ids(clean)) == 60
    proc = _fetch_cli(server.url, killed_db)
    out, _ = proc.communicate(timeout=60)
    assert b"already complete" in out


def test_fetch_without_a_key_is_one_line_naming_the_variable(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "OPENALEX_API_KEY"}
    env["COLUMNS"] = "1000"
    proc = subprocess.run(
        [sys.executable, "-c", "from dualscope.cli import main; main()", "fetch",
         "--country", "IT", "--db", str(tmp_path / "x.duckdb"), "--api-url", "http://127.0.0.1:9"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "OPENALEX_API_KEY" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_out_dir_keeps_raw_pages_that_ingest_reads_back(serve, tmp_path):
    from dualscope.store.ingest import ingest_paths

    server = serve(16)
    client = OpenAlexClient(server.url, "k", sleep=lambda s: None)
    con = open_store(tmp_path / "a.duckdb")
    fetch_works(con, client, QUERY, out_dir=tmp_path / "pages")
    con.close()
    pages = sorted(p.name for p in (tmp_path / "pages").iterdir())
    assert pages == ["page_000001.json", "page_000002.json", "page_000003.json"]
    again = open_store(tmp_path / "b.duckdb")
    report = ingest_paths(again, [tmp_path / "pages"])
    again.close()
    assert report.total("loaded") == 16
    assert _ids(tmp_path / "b.duckdb") == _ids(tmp_path / "a.duckdb")
