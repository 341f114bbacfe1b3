"""Run every bench/bench_*.py and print their figures: ``make bench``.

Each benchmark runs in its own process with its default options (so a slow optional case,
such as the 1,000,000-work memory run, stays opt-in); their output is printed as it comes,
followed by one line per benchmark with its exit status and wall time.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    benches = sorted(HERE.glob("bench_*.py"))
    if not benches:
        print("no bench/bench_*.py found")
        return 1
    results = []
    for bench in benches:
        print(f"== {bench.name}", flush=True)
        started = time.monotonic()
        code = subprocess.run([sys.executable, str(bench)], check=False).returncode
        results.append((bench.name, code, time.monotonic() - started))
    print("\n== summary")
    for name, code, seconds in results:
        print(f"{name}: {'ok' if code == 0 else f'FAILED (exit {code})'} in {seconds:.0f} s")
    return 0 if all(code == 0 for _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
