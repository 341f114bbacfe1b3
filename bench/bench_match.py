"""Affiliation matcher throughput on one core.

    .venv/bin/python bench/bench_match.py            # ~10 s
    .venv/bin/python bench/bench_match.py --distinct 50000 --stream 500000

Generates SYNTHETIC typical affiliation strings (no third-party data): departments of watchlist
institutions written in full, in Web of Science abbreviations and in Chinese; ordinary Chinese
and foreign institutions; near misses; dual affiliations; each with a city and country, as in
OpenAlex raw affiliation strings and WoS ``C1`` fields. Then measures, in this process:

1. cold: distinct strings per second with every memo bypassed (each string and each of its
   segments resolved from scratch);
2. distinct strings per second with the per-string cache bypassed but the per-segment memo on
   (cities, countries and departments repeat across otherwise distinct strings);
3. strings per second for a stream with realistic repetition (Zipf-like draws from the distinct
   strings, the way affiliations repeat across the papers of one export), through
   ``Matcher.match`` and its cache;
4. index build time.

Times are CPU time of this process (``time.process_time``), so other load on a shared machine
does not distort the rate much.

Target (issue 2): at least 50,000 typical strings per second on one core.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dualscope.matching.matcher import Matcher
from dualscope.settings import Settings
from dualscope.watchlist.loader import load_watchlist

DEPARTMENTS = [
    "School of Computer Science",
    "College of Electronic Science and Engineering",
    "Department of Physics",
    "State Key Laboratory of Complex Systems",
    "School of Materials Science and Engineering",
    "Key Laboratory of Intelligent Perception",
    "College of Mechanical Engineering",
    "Sch Comp Sci & Technol",
    "Coll Informat & Commun Engn",
    "Dept Elect Engn",
]
OTHERS = [
    "Institute of Automation, Chinese Academy of Sciences",
    "Beijing University of Technology",
    "Northwest University",
    "Nanjing University of Information Science and Technology",
    "Zhengzhou University",
    "University of Oxford",
    "Imperial College London",
    "ETH Zurich",
    "Delft University of Technology",
    "Technical University of Munich",
    "Politecnico di Milano",
    "KTH Royal Institute of Technology",
    "Stanford University",
    "National Defense University",
]
PLACES = [
    ("Beijing 100084", "China"),
    ("Changsha 410073", "Peoples R China"),
    ("Harbin 150001", "China"),
    ("Xi'an 710072", "P.R. China"),
    ("Nanjing 210016", "China"),
    ("Oxford", "UK"),
    ("Munich", "Germany"),
    ("Delft", "The Netherlands"),
    ("Washington, DC", "USA"),
]
WOS = {"University": "Univ", "Institute": "Inst", "Technology": "Technol", "National": "Natl",
       "Engineering": "Engn", "Science": "Sci", "Defense": "Def", "Aeronautics": "Aeronaut",
       "Astronautics": "Astronaut", " of ": " ", " and ": " & "}  # fmt: skip


def _wos(name: str) -> str:
    for full, short in WOS.items():
        name = name.replace(full, short)
    return name


def typical_strings(count: int, seed: int = 7) -> list[str]:
    """``count`` distinct synthetic affiliation strings (about a third name a watchlist entity)."""
    rng = random.Random(seed)
    watchlist = load_watchlist(Settings(home=Path("/nonexistent-dualscope-bench")))
    names = [e.name_en for e in watchlist.entities]
    chinese = [e.name_zh for e in watchlist.entities if e.name_zh]
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        roll = rng.random()
        place, country = rng.choice(PLACES)
        dept = rng.choice(DEPARTMENTS)
        if roll < 0.2:
            text = f"{dept}, {rng.choice(names)}, {place}, {country}"
        elif roll < 0.35:
            text = f"{_wos(rng.choice(names))}, {_wos(dept)}, {place}, Peoples R China"
        elif roll < 0.4:
            school = rng.choice(["计算机学院", "物理学院", "材料学院"])
            text = f"{rng.choice(chinese)}{school}，{place}"
        elif roll < 0.45:
            text = f"{rng.choice(names)}; {rng.choice(OTHERS)}, {place}, {country}"
        else:
            text = f"{dept}, {rng.choice(OTHERS)}, {place}, {country}"
        text = f"{text} {rng.randint(1, 999)}" if text in seen else text
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--distinct", type=int, default=20_000)
    parser.add_argument("--stream", type=int, default=300_000)
    args = parser.parse_args()

    strings = typical_strings(args.distinct)
    started = time.process_time()
    matcher = Matcher(load_watchlist(Settings(home=Path("/nonexistent-dualscope-bench"))))
    build = time.process_time() - started

    cold = Matcher(matcher.watchlist)
    cold._segment = cold._find_in_segment  # type: ignore[method-assign]  # no segment memo
    started = time.process_time()
    for text in strings:
        cold._match(text, (), None)
    cold_rate = len(strings) / (time.process_time() - started)

    started = time.process_time()
    hits = sum(1 for text in strings if matcher._match(text, (), None))  # string cache bypassed
    distinct_rate = len(strings) / (time.process_time() - started)

    rng = random.Random(11)
    weights = [1 / (rank + 1) for rank in range(len(strings))]  # Zipf-like repetition
    stream = rng.choices(strings, weights=weights, k=args.stream)
    started = time.process_time()
    for text in stream:
        matcher.match(text)
    stream_rate = len(stream) / (time.process_time() - started)

    print(f"index build: {build:.2f} s for {len(matcher.watchlist.entities)} entities")
    print(f"cold, no memo at all: {cold_rate:,.0f} strings/s")
    print(
        f"distinct strings, segment memo: {distinct_rate:,.0f} strings/s "
        f"({len(strings):,} strings, {hits / len(strings):.0%} naming a watchlist entity)"
    )
    print(
        f"stream with repetition, cached: {stream_rate:,.0f} strings/s "
        f"({len(stream):,} strings, {len(set(stream)):,} distinct)"
    )
    print(f"target >= 50,000 strings/s: {'met' if stream_rate >= 50_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
