"""Benchmark the web app: latency percentiles and throughput of /api/check and /api/works.

Builds a synthetic screened store (``--works`` flagged works; no network, no third-party data),
serves it with uvicorn on a free localhost port, and sends ``--requests`` GET requests from
``--clients`` concurrent keep-alive clients, per endpoint and mixed.

    .venv/bin/python bench/bench_web.py --works 5000 --requests 2000 --clients 20
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from dualscope.report.synthetic import build_store
from dualscope.settings import Settings
from dualscope.web.app import create_app
from dualscope.web.background import serve_in_thread
from dualscope.web.loadcheck import run_load

SCENARIOS = {
    "/api/check": (
        "/api/check?name=Natl+Univ+Def+Technol",
        "/api/check?name=Harbin+Inst+Technol%2C+Harbin%2C+Peoples+R+China",
        "/api/check?name=Polder+University",
        "/api/check?name=Beijing+University+of+Technology",
    ),
    "/api/works": (
        "/api/works?country=GB",
        "/api/works?entity=nudt&page=2&per_page=10",
        "/api/works?q=Study&sort=title&per_page=200",
        "/api/works?year=2020&area=radar",
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=5_000, help="flagged works in the store")
    parser.add_argument("--requests", type=int, default=2_000, help="requests per scenario")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        build_store(store, works=args.works)
        print(f"store: {args.works:,} flagged works built in {time.perf_counter() - t0:.1f} s")
        settings = Settings(db_path=store, home=Path(tmp) / "home", web_token=None)
        app = create_app(store, settings=settings)
        with serve_in_thread(app) as base:
            run_load(base, SCENARIOS["/api/check"], total=50, concurrency=2)  # warm-up
            mixed = SCENARIOS["/api/check"] + SCENARIOS["/api/works"]
            for name, paths in (*SCENARIOS.items(), ("mixed", mixed)):
                result = run_load(base, paths, total=args.requests, concurrency=args.clients)
                print(f"{name:11} {result.summary()}")
                if result.error_count:
                    print(f"  first errors: {result.errors}")


if __name__ == "__main__":
    main()
