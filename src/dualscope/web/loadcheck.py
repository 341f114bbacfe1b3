"""Concurrent load against a running web app: latency percentiles, throughput, errors.

Used by the load test (issue 8: 2,000 requests from 20 concurrent clients must all succeed) and
by ``bench/bench_web.py``. Each client is a thread with its own keep-alive ``httpx.Client``.
"""

from __future__ import annotations

import itertools
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import httpx


@dataclass
class LoadResult:
    requests: int
    elapsed_s: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # first few, "status url" or exception
    error_count: int = 0

    @property
    def throughput(self) -> float:
        return self.requests / self.elapsed_s if self.elapsed_s else 0.0

    def percentile(self, p: float) -> float:
        """Latency percentile ``p`` (0..100) in milliseconds."""
        if not self.latencies_ms:
            return 0.0
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        cuts = statistics.quantiles(self.latencies_ms, n=100, method="inclusive")
        return cuts[min(98, max(0, round(p) - 1))]

    def summary(self) -> str:
        return (
            f"{self.requests} requests in {self.elapsed_s:.2f} s ({self.throughput:.0f}/s); "
            f"latency p50 {self.percentile(50):.1f} ms, p90 {self.percentile(90):.1f} ms, "
            f"p99 {self.percentile(99):.1f} ms; errors {self.error_count}"
        )


def run_load(
    base_url: str,
    paths: Sequence[str],
    *,
    total: int = 2_000,
    concurrency: int = 20,
    headers: dict[str, str] | None = None,
    timeout: float = 30.0,
) -> LoadResult:
    """Send ``total`` GET requests cycling through ``paths`` from ``concurrency`` clients."""
    counter = itertools.count()
    lock = threading.Lock()
    result = LoadResult(requests=total, elapsed_s=0.0)

    def client() -> None:
        with httpx.Client(base_url=base_url, headers=headers, timeout=timeout) as http:
            while (i := next(counter)) < total:
                path = paths[i % len(paths)]
                start = time.perf_counter()
                problem = None
                try:
                    response = http.get(path)
                    if response.status_code != 200:
                        problem = f"{response.status_code} {path}"
                except httpx.HTTPError as exc:
                    problem = f"{type(exc).__name__} {path}: {exc}"
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    result.latencies_ms.append(elapsed)
                    if problem:
                        result.error_count += 1
                        if len(result.errors) < 10:
                            result.errors.append(problem)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.elapsed_s = time.perf_counter() - start
    return result
