"""Technology-area classifier: accuracy per sub-area and throughput.

    .venv/bin/python bench/bench_classify.py              # ~5 s
    .venv/bin/python bench/bench_classify.py --works 20000
    .venv/bin/python bench/bench_classify.py --dump out.txt   # full outputs, to diff


1. Per-area precision and recall on our labelled sets (tests/classify/data/): the development
   set the rules were written against, the held-out set written afterwards, and the fresh
   rounds written later still (each round scored once before any rule change).
2. Throughput in works per second on one core: the labelled papers (title, abstract, keywords)
   cycled to ``--works`` works, classified one by one as the screening pipeline does.

   A second run times bench-like input (bench/bench_screen.py's synthetic works) and the load
   of ``Classifier.default()``.
3. ``--dump FILE`` writes every output (area ids, scores, evidence) of the labelled sets and of
   a few thousand seeded variants (mixed papers, topics, taxonomy phrases, case, dash and
   case-folding changes) to ``FILE`` and prints its SHA-256: a speed change must leave it
   byte-identical.

Issue 4's bar: micro precision >= 0.85 and recall >= 0.80 over the sensitive sub-areas.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dualscope.classify.classifier import Classifier
from dualscope.classify.evaluate import LabelledPaper, evaluate, load_labelled
from dualscope.classify.taxonomy import load_taxonomy_file, load_topic_map

DATA = Path(__file__).resolve().parents[1] / "tests" / "classify" / "data"
SETS = (
    ("development", "labelled_papers.csv"),
    ("held-out", "holdout_papers.csv"),
    ("fresh rounds", "holdout2_papers.csv"),
)


Work = tuple[str | None, str | None, tuple[str, ...], tuple[tuple[str, str], ...]]


def labelled_pool() -> list[LabelledPaper]:
    return [paper for _, filename in SETS for paper in load_labelled(DATA / filename)]


def bench_like(n: int) -> list[Work]:
    """What bench/bench_screen.py's synthetic corpus hands the classifier."""
    abstract = ("synthetic abstract text " * 30).strip()
    return [
        (f"Synthetic benchmark work {k} on sensing and control", abstract, ("control",), ())
        for k in range(n)
    ]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in text.replace("? ", ". ").split(". ") if s.strip()]


def variants(n: int, seed: int = 20261123) -> Iterator[Work]:
    """``n`` seeded works built from the labelled papers, the taxonomy and the topic map."""
    rng = random.Random(seed)
    papers = labelled_pool()
    taxonomy = load_taxonomy_file()
    phrases = sorted(
        {
            p.rstrip("*")
            for a in taxonomy.areas
            for p in [*a.phrases, *a.context, *a.exclusions, *a.penalties, *a.setting]
            + [q for c in a.combos for side in c.all for q in side]
            if not p.startswith("re:")
        }
    )
    topic_rows = load_topic_map().topics
    topics = [(t.id, t.name) for t in topic_rows] + [("T99999", "Unknown"), ("bad", "x")]
    dashes = ("-", "\u2013", "\u2010", " ", "")
    for k in range(n):
        a, b, c = rng.choice(papers), rng.choice(papers), rng.choice(papers)
        kind = k % 8
        title: str | None = a.title
        abstract: str | None = a.abstract
        keywords: tuple[str, ...] = a.keywords
        if kind == 0:  # the title of one paper, the abstract of another
            abstract, keywords = b.abstract, c.keywords
        elif kind == 1:  # sentences of three papers shuffled together
            parts = _sentences(a.abstract) + _sentences(b.abstract) + _sentences(c.abstract)
            rng.shuffle(parts)
            abstract = ". ".join(parts[: rng.randint(1, len(parts) or 1)])
        elif kind == 2:  # taxonomy phrases dropped into the title, keywords and abstract
            picked = rng.sample(phrases, rng.randint(1, 6))
            title = f"{rng.choice(picked)} for {rng.choice(picked)} {a.title}"
            keywords = tuple(rng.sample(picked, rng.randint(0, len(picked))))
            words = (a.abstract or "").split()
            for phrase in picked:
                words.insert(rng.randint(0, len(words)), phrase)
            abstract = " ".join(words)
        elif kind == 3:  # only one field, or none (topics only)
            field = rng.randrange(4)
            title = a.title if field == 0 else None
            abstract = a.abstract if field == 1 else ""
            keywords = a.keywords if field == 2 else ()
        elif kind == 4:  # case changes
            change = rng.choice((str.upper, str.lower, str.title, str.swapcase))
            title, abstract = change(a.title), change(a.abstract)
            keywords = tuple(change(w) for w in keywords)
        elif kind == 5:  # dashes and spaces swapped
            dash = rng.choice(dashes)
            title = a.title.replace("-", dash).replace(" ", rng.choice(dashes[:3]), 1)
            abstract = a.abstract.replace(" ", dash, rng.randint(0, 20)).replace("-", " ")
            if rng.random() < 0.3:  # characters that only case-insensitive matching folds
                plain, folded = rng.choice((("s", "\u017f"), ("k", "\u212a"), ("i", "\u0131")))
                title = title.replace(plain, folded, rng.randint(1, 3))
                abstract = abstract.replace(plain, folded, rng.randint(1, 9))
        elif kind == 6:  # a general title over the abstract of a sensitive paper
            title = rng.choice(("A novel method", "Learning features", "Experiments", ""))
        chosen: tuple[tuple[str, str], ...] = ()
        if k % 3 == 0:
            chosen = tuple(rng.sample(topics, rng.randint(1, 4)))
            if rng.random() < 0.5:
                chosen = tuple((f"https://openalex.org/{t}", name) for t, name in chosen)
        yield title, abstract, keywords, chosen


def dump_outputs(classifier: Classifier, path: Path, n_variants: int) -> str:
    """Write every output, one work per line; return the file's SHA-256."""
    works: list[Work] = [(p.title, p.abstract, p.keywords, ()) for p in labelled_pool()]
    works.extend(bench_like(200))
    works.extend(variants(n_variants))
    with path.open("w", encoding="utf-8") as out:
        for number, (title, abstract, keywords, topics) in enumerate(works):
            hits = classifier.classify(title, abstract, keywords, topics)
            out.write(f"{number}\t{[(h.area_id, h.score, h.evidence) for h in hits]!r}\n")
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_seconds() -> float:
    """``Classifier.default()`` in a fresh interpreter (imports excluded), best of three."""
    code = (
        "import time; from dualscope.classify.classifier import Classifier; "
        "t = time.perf_counter(); Classifier.default(); print(time.perf_counter() - t)"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code],
                check=True,
                capture_output=True,
                text=True,
                env={"PYTHONPATH": src},
            ).stdout
        )
        for _ in range(3)
    ]
    return min(runs)


def throughput(classifier: Classifier, works: list[Work]) -> float:
    start = time.perf_counter()
    for title, abstract, keywords, topics in works:
        classifier.classify(title, abstract, keywords, topics)
    return len(works) / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=10_000, help="works for the throughput run")
    parser.add_argument("--dump", type=Path, help="write every output to this file and stop")
    parser.add_argument("--variants", type=int, default=4_000, help="seeded variants to dump")
    args = parser.parse_args(argv)

    if args.dump:
        digest = dump_outputs(Classifier.default(), args.dump, args.variants)
        print(f"{args.dump}: sha256 {digest}")
        return 0

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
    rate = throughput(classifier, bench_like(3_000))
    print(f"bench-like synthetic works (bench_screen.py): {rate:,.0f} works/s")
    rate = throughput(classifier, list(variants(3_000)))
    print(f"seeded variants (mixed papers, topics, phrases): {rate:,.0f} works/s")
    print(f"Classifier.default() in a fresh interpreter: {load_seconds():.2f} s")
    print("bar (P >= 0.85, R >= 0.80 on every set):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
