"""Technology-area classifier: accuracy per sub-area and throughput.

    .venv/bin/python bench/bench_classify.py              # ~5 s
    .venv/bin/python bench/bench_classify.py --works 20000

1. Per-area precision and recall on our labelled sets (tests/classify/data/): the development
   set the rules were written against, the held-out set written afterwards, and the fresh
   rounds written later still (each round scored once before any rule change).
2. Throughput in works per second on one core: the labelled papers (title, abstract, keywords)
   cycled to ``--works`` works, classified one by one as the screening pipeline does.

Issue 4's bar: micro precision >= 0.85 and recall >= 0.80 over the sensitive sub-areas.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dualscope.classify.classifier import Classifier
from dualscope.classify.evaluate import evaluate, load_labelled

DATA = Path(__file__).resolve().parents[1] / "tests" / "classify" / "data"
SETS = (
    ("development", "labelled_papers.csv"),
    ("held-out", "holdout_papers.csv"),
    ("fresh rounds", "holdout2_papers.csv"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=10_000, help="works for the throughput run")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    classifier = Classifier.default()
    print(f"taxonomy loaded and compiled in {time.perf_counter() - start:.2f} s")

    ok = True
    pool = []
    for name, filename in SETS:
        papers = load_labelled(DATA / filename)
        pool.extend(papers)
        result = evaluate(classifier, papers)
        micro = result.micro
        print(f"\n== {name} set: {len(papers)} papers ({filename})")
        print(result.table())
        ok = ok and micro.precision >= 0.85 and micro.recall >= 0.80

    works = list(itertools.islice(itertools.cycle(pool), args.works))
    start = time.perf_counter()
    labelled = 0
    for paper in works:
        labelled += bool(classifier.classify(paper.title, paper.abstract, paper.keywords))
    seconds = time.perf_counter() - start
    rate = len(works) / seconds
    print(f"\nthroughput: {len(works)} works in {seconds:.2f} s = {rate:,.0f} works/s")
    print(f"({labelled} of them with at least one area)")
    print("bar (P >= 0.85, R >= 0.80 on every set):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
