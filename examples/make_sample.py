"""Write the synthetic demo corpus: ``python examples/make_sample.py examples/sample``.

SYNTHETIC DATA. Every work, author, title and OpenAlex id here is invented (ids W90000xxxxx,
A90000xxxxx, I90000xxxxx are obviously not real; every record carries ``"synthetic": true`` and a
``[SYNTHETIC]`` title prefix). Real institution names appear only as names. The only real
identifiers are ROR ids of watchlist institutions verified in docs/DOMAIN.md.

The corpus is in OpenAlex snapshot format (gzipped JSON Lines) and covers every case the
screening must handle; ``expected.json`` states, by construction, which works must be flagged
under the default options and under ``--categories all``, and the count per country.
Deterministic: the same seed gives byte-identical output.
"""

from __future__ import annotations

import gzip
import json
import random
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEED = 20220519  # publication date of the 2022 investigation
OA = "https://openalex.org/"

# Watchlist institutions: (name, ROR id verified in DOMAIN.md or None, entity id, category).
NUDT = ("National University of Defense Technology", "05d2yfz11", "nudt", "military")
HIT = (
    "Harbin Institute of Technology",
    "01yqg2h08",
    "harbin-institute-of-technology",
    "seven_sons",
)
NWPU = (
    "Northwestern Polytechnical University",
    "01y0j0j86",
    "northwestern-polytechnical-university",
    "seven_sons",
)
BEIHANG = ("Beihang University", "00wk2mp56", "beihang-university", "seven_sons")
CAEP = (
    "China Academy of Engineering Physics",
    "039vqpp67",
    "chinese-academy-of-engineering-physics",
    "military",
)

EUROPE = [
    ("University of Bologna", "IT", "Bologna, Italy"),
    ("Politecnico di Milano", "IT", "Milan, Italy"),
    ("Technical University of Munich", "DE", "Munich, Germany"),
    ("RWTH Aachen University", "DE", "Aachen, Germany"),
    ("Delft University of Technology", "NL", "Delft, The Netherlands"),
    ("University of Manchester", "GB", "Manchester, UK"),
    ("Imperial College London", "GB", "London, UK"),
    ("KTH Royal Institute of Technology", "SE", "Stockholm, Sweden"),
    ("ETH Zurich", "CH", "Zurich, Switzerland"),
    ("University of Oslo", "NO", "Oslo, Norway"),
    ("Sorbonne University", "FR", "Paris, France"),
    ("Universidad Politécnica de Madrid", "ES", "Madrid, Spain"),
]
ELSEWHERE = [
    ("Massachusetts Institute of Technology", "US", "Cambridge, MA, USA"),
    ("University of Hong Kong", "HK", "Hong Kong"),
    ("National Taiwan University", "TW", "Taipei, Taiwan"),
    ("University of Sydney", "AU", "Sydney, Australia"),
]
# Chinese institutions that are NOT on the watchlist, several of them classic near misses.
NEAR_MISSES = [
    "Beijing University of Technology, Beijing 100124, China",
    "Northwest University, Xi'an 710127, China",
    "School of Information Engineering, Zhengzhou University, Zhengzhou, China",
    "Nanjing University of Information Science and Technology, Nanjing, China",
]
FOREIGN_DEFENCE = [
    "National Defence University, Helsinki, Finland",
    "National Defense University, Washington, DC, USA",
]
CIVILIAN_TRACKER = [  # on the ASPI tracker as "civilian": flagged only with --categories all
    ("Tsinghua University", "Tsinghua University, Beijing 100084, China"),
    ("Zhejiang University", "Zhejiang University, Hangzhou 310027, China"),
]
SENSITIVE_TITLES = [
    (
        "Radar target recognition with deep convolutional networks",
        "We propose a synthetic aperture radar automatic target recognition method.",
    ),
    (
        "Cooperative navigation of UAV swarms under GNSS denial",
        "Unmanned aerial vehicle swarms navigate with inertial and visual odometry.",
    ),
    (
        "Hypersonic vehicle trajectory optimisation",
        "A hypersonic glide vehicle trajectory is optimised with pseudospectral methods.",
    ),
    (
        "Keystroke dynamics for continuous person authentication",
        "Biometric keystroke dynamics identify users from typing rhythm.",
    ),
    (
        "Quantum key distribution over metropolitan fibre",
        "We report a quantum key distribution experiment with decoy states.",
    ),
]
PLAIN_TITLES = [
    ("Soil moisture retrieval from passive microwave data", "We study soil moisture."),
    ("Graph neural networks for molecule property prediction", "Molecules as graphs."),
    ("A survey of federated learning", "Federated learning keeps data local."),
    ("Thermal comfort in office buildings", "Occupants rate thermal comfort."),
]
GIVEN = ["Wei", "Jing", "Li", "Hao", "Xin", "Yan", "Jun", "Lei", "Ming", "Tao"]
FAMILY = ["Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu", "Xu"]
EURO_NAMES = [
    "Rossi",
    "Müller",
    "de Vries",
    "Smith",
    "Andersson",
    "Dubois",
    "García",
    "Hansen",
    "Bianchi",
    "Schmidt",
    "Jones",
    "Keller",
]


@dataclass
class Expect:
    default: bool
    all_categories: bool
    countries: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)


class Sample:
    """Builds works and remembers, for each, what the screening must conclude."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (reproducible test data, not crypto)
        self.lines: list[dict[str, Any]] = []
        self.expect: dict[str, Expect] = {}
        self._work = 9_000_000_000
        self._author = 9_000_000_000
        self._inst: dict[str, str] = {}

    # --- building blocks ----------------------------------------------------------------
    def work_id(self) -> str:
        self._work += 1
        return f"W{self._work}"

    def inst_id(self, name: str) -> str:
        if name not in self._inst:
            self._inst[name] = f"I{9_000_000_000 + len(self._inst) + 1}"
        return self._inst[name]

    def person(self, european: bool) -> dict[str, Any]:
        self._author += 1
        if european:
            name = (
                f"{self.rng.choice(['Anna', 'Luca', 'Jan', 'Sophie', 'Erik', 'Marie'])} "
                f"{self.rng.choice(EURO_NAMES)}"
            )
        else:
            name = f"{self.rng.choice(GIVEN)} {self.rng.choice(FAMILY)}"
        return {"id": f"{OA}A{self._author}", "display_name": name, "orcid": None}

    def institution(self, name: str, country: str, ror: str | None = None) -> dict[str, Any]:
        return {
            "id": OA + self.inst_id(name),
            "ror": f"https://ror.org/{ror}" if ror else None,
            "display_name": name,
            "country_code": country,
            "type": "education",
            "lineage": [OA + self.inst_id(name)],
        }

    def authorship(
        self,
        raw: list[str],
        institutions: list[dict[str, Any]] | None = None,
        countries: list[str] | None = None,
        european: bool = False,
    ) -> dict[str, Any]:
        institutions = institutions or []
        if countries is None:
            countries = sorted({i["country_code"] for i in institutions})
        return {
            "author_position": "middle",
            "author": self.person(european),
            "institutions": institutions,
            "countries": countries,
            "raw_affiliation_strings": raw,
        }

    def european(
        self, idx: int | None = None, *, with_institution: bool = True
    ) -> tuple[dict[str, Any], str]:
        name, cc, place = EUROPE[idx if idx is not None else self.rng.randrange(len(EUROPE))]
        raw = f"Department of Engineering, {name}, {place}"
        insts = [self.institution(name, cc)] if with_institution else []
        return self.authorship([raw], insts, [cc] if with_institution else [], european=True), cc

    def add(
        self,
        authorships: list[dict[str, Any]],
        expect: Expect,
        *,
        sensitive: bool = False,
        work_id: str | None = None,
        updated: str = "2024-03-01T00:00:00",
        doi: str | None = None,
        year: int | None = None,
    ) -> str:
        wid = work_id or self.work_id()
        title, abstract = self.rng.choice(SENSITIVE_TITLES if sensitive else PLAIN_TITLES)
        for position, a in enumerate(authorships):
            a["author_position"] = (
                "first"
                if position == 0
                else ("last" if position == len(authorships) - 1 else "middle")
            )
        words = abstract.split()
        self.lines.append(
            {
                "id": OA + wid,
                "doi": f"https://doi.org/{doi}"
                if doi
                else f"https://doi.org/10.99999/synthetic.{wid}",
                "title": f"[SYNTHETIC] {title}",
                "display_name": f"[SYNTHETIC] {title}",
                "publication_year": year or self.rng.randint(2012, 2024),
                "updated_date": updated,
                "synthetic": True,
                "authorships": authorships,
                "abstract_inverted_index": {w: [i] for i, w in enumerate(words)},
                "keywords": [],
                "topics": [],
            }
        )
        self.expect[wid] = expect
        return wid

    def watch(
        self, entity: tuple[str, str | None, str, str], raw: str, by_id: bool
    ) -> dict[str, Any]:
        name, ror, _, _ = entity
        insts = [self.institution(name, "CN", ror)] if by_id else []
        return self.authorship([raw], insts, ["CN"] if by_id else [])


def build(seed: int = SEED) -> Sample:
    """Every scenario, a few times each with varying partners."""
    s = Sample(seed)
    flag = lambda cc, ent: Expect(True, True, {cc}, {ent})  # noqa: E731

    for i in range(8):  # 1. identifier-matched NUDT + a European institution
        eu, cc = s.european(i % len(EUROPE))
        s.add(
            [
                s.watch(
                    NUDT,
                    "College of Computer, National University of Defense Technology, "
                    "Changsha 410073, China",
                    True,
                ),
                eu,
            ],
            flag(cc, NUDT[2]),
            sensitive=i % 2 == 0,
        )
    for i in range(6):  # 2. raw-only NUDT (no institution, no "China" in the string)
        eu, cc = s.european(i + 3)
        s.add(
            [
                s.watch(
                    NUDT,
                    "College of Computer, National University of Defense Technology, "
                    "Changsha 410073",
                    False,
                ),
                eu,
            ],
            flag(cc, NUDT[2]),
        )
    for i in range(5):  # 3. Web of Science abbreviations, partner known only from the raw string
        eu, cc = s.european(i + 5, with_institution=False)
        s.add(
            [
                s.watch(
                    HIT, "Harbin Inst Technol, Sch Astronaut, Harbin 150001, Peoples R China", False
                ),
                eu,
            ],
            flag(cc, HIT[2]),
            sensitive=True,
        )
    for i in range(3):  # 4. NWPU abbreviation with an institution-assigned partner
        eu, cc = s.european(i)
        s.add(
            [
                s.watch(
                    NWPU,
                    "Northwestern Polytech Univ, Sch Aeronaut, Xian 710072, Peoples R China",
                    False,
                ),
                eu,
            ],
            flag(cc, NWPU[2]),
        )
    for i in range(3):  # 5. cover name of NUDT
        eu, cc = s.european(i + 2)
        s.add(
            [s.watch(NUDT, "Changsha Institute of Technology, Changsha, China", False), eu],
            flag(cc, NUDT[2]),
        )
    for i in range(2):  # 6. military unit number (CARDC) and CAEP by id
        eu, cc = s.european(i + 7)
        s.add(
            [s.authorship(["Unit 63820, Mianyang 621000, China"], [], ["CN"]), eu],
            flag(cc, "china-aerodynamics-research-and-development-center"),
            sensitive=True,
        )
        eu, cc = s.european(i + 8)
        s.add(
            [
                s.watch(
                    CAEP,
                    "Institute of Fluid Physics, China Academy of Engineering Physics, "
                    "Mianyang 621900, China",
                    True,
                ),
                eu,
            ],
            flag(cc, CAEP[2]),
        )
    for i in range(3):  # 7. Chinese-script name
        eu, cc = s.european(i + 1)
        s.add([s.watch(NUDT, "中国人民解放军国防科技大学, 长沙", False), eu], flag(cc, NUDT[2]))
    for i in range(3):  # 8. dual affiliation: one European author also at Beihang
        name, cc, place = EUROPE[i + 4]
        dual = s.authorship(
            [f"{name}, {place}", "School of Automation, Beihang University, Beijing 100191, China"],
            [s.institution(name, cc), s.institution(BEIHANG[0], "CN", BEIHANG[1])],
            european=True,
        )
        s.add([dual, s.authorship(["Peking University, Beijing, China"])], flag(cc, BEIHANG[2]))
    for i in range(2):  # 9. two European countries on one work: counts once in each
        eu1, cc1 = s.european(0 + i)
        eu2, cc2 = s.european(5 + i)
        s.add(
            [
                s.watch(
                    NUDT,
                    "Natl Univ Def Technol, Coll Elect Sci, Changsha 410073, Peoples R China",
                    False,
                ),
                eu1,
                eu2,
            ],
            Expect(True, True, {cc1, cc2}, {NUDT[2]}),
        )
    # 10. near misses and foreign defence universities: never flagged
    for raw in NEAR_MISSES + FOREIGN_DEFENCE:
        eu, _ = s.european()
        s.add(
            [s.authorship([raw], [], ["CN"] if "China" in raw else None), eu], Expect(False, False)
        )
    # 11. civilian tracker universities: flagged only with --categories all
    for i, (name, raw) in enumerate(CIVILIAN_TRACKER * 2):
        eu, cc = s.european(i + 2)
        s.add(
            [s.authorship([raw], [s.institution(name, "CN")]), eu], Expect(False, True, {cc}, set())
        )
    # 12. non-European partners (US, HK, TW, AU): not flagged for Europe
    for name, cc, place in ELSEWHERE:
        s.add(
            [
                s.watch(NUDT, "National University of Defense Technology, Changsha, China", True),
                s.authorship([f"{name}, {place}"], [s.institution(name, cc)]),
            ],
            Expect(False, False),
        )
    # 13. works re-issued with a newer updated_date (the newest wins, whatever the order)
    eu, cc = s.european(3)
    corrected = s.work_id()
    s.add(
        [s.watch(NUDT, "Natl Univ Def Technol, Changsha, Peoples R China", False), eu],
        Expect(False, False),
        work_id=corrected,
        updated="2023-01-10T00:00:00",
    )
    s.add(
        [s.authorship([NEAR_MISSES[0]], [], ["CN"]), eu],  # affiliation corrected
        Expect(False, False),
        work_id=corrected,
        updated="2024-06-01T00:00:00",
    )
    completed = s.work_id()
    eu, cc = s.european(6)
    s.add(
        [s.watch(HIT, "Harbin Institute of Technology, Harbin, China", True), eu],
        flag(cc, HIT[2]),
        work_id=completed,
        updated="2024-07-01T00:00:00",
    )
    s.add(
        [
            s.watch(HIT, "Harbin Institute of Technology, Harbin, China", True),
            s.authorship(["Massachusetts Institute of Technology, Cambridge, MA, USA"], [], ["US"]),
        ],
        flag(cc, HIT[2]),
        work_id=completed,
        updated="2023-02-01T00:00:00",
    )  # older, later line
    # 14. the same paper twice (same DOI, two ids): counted once
    eu, cc = s.european(10)
    first = s.add(
        [s.watch(NUDT, "National University of Defense Technology, Changsha", True), eu],
        flag(cc, NUDT[2]),
        doi="10.99999/synthetic.same-paper",
    )
    second = s.add(
        [s.watch(NUDT, "Natl Univ Def Technol, Changsha, Peoples R China", False), eu],
        flag(cc, NUDT[2]),
        doi="10.99999/synthetic.same-paper",
    )
    s.expect[second].default = s.expect[second].all_categories = False  # merged into `first`
    s.expect[first].entities.add(NUDT[2])
    # 15. background: European-Chinese civilian work and purely European work
    for _ in range(20):
        eu, _cc = s.european()
        s.add([s.authorship([s.rng.choice(NEAR_MISSES)], [], ["CN"]), eu], Expect(False, False))
    for _ in range(10):
        eu1, _ = s.european()
        eu2, _ = s.european()
        s.add([eu1, eu2], Expect(False, False))
    return s


def expected_summary(sample: Sample) -> dict[str, Any]:
    """What `screen` must report on this sample, by construction."""
    out: dict[str, Any] = {"synthetic": True, "seed": SEED}
    for key, attr in (("default", "default"), ("all_categories", "all_categories")):
        flagged = sorted(w for w, e in sample.expect.items() if getattr(e, attr))
        countries: Counter[str] = Counter()
        for w in flagged:
            countries.update(sample.expect[w].countries)
        out[key] = {
            "flagged": len(flagged),
            "work_ids": flagged,
            "countries": dict(sorted(countries.items())),
            "entities": {w: sorted(sample.expect[w].entities) for w in flagged},
        }
    return out


README = """# Synthetic sample corpus (not real data)

`works.jsonl.gz` is **synthetic**: made by `examples/make_sample.py` (seeded, deterministic).
Every work, author, title and OpenAlex id is invented (`W90000…`, `A90000…`, `I90000…`); each
record has `"synthetic": true` and a `[SYNTHETIC]` title prefix. Real institution names appear
only as names; the only real identifiers are ROR ids of watchlist institutions listed in the
project's domain notes. Nothing here is a finding about any person or institution.

It covers: identifier-matched and raw-only affiliations, Web of Science abbreviations, a cover
name, a military unit number, Chinese-script names, dual affiliations, works with partners in two
European countries, near misses (Beijing University of Technology, Northwest University, ...),
foreign national defence universities, civilian tracker universities (flagged only with
`--categories all`), non-European partners (US, HK, TW, AU), works re-issued with a newer
`updated_date`, and the same paper under two ids sharing a DOI.

`expected.json` says, by construction, which works `dualscope screen` must flag (default options
and `--categories all`) and the count per country.

    make demo   # or: dualscope screen examples/sample/works.jsonl.gz --out build/demo-report
"""


def write(folder: Path, seed: int = SEED) -> Path:
    sample = build(seed)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "works.jsonl.gz"
    tmp = folder / ".works.jsonl.gz.tmp"
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        for line in sample.lines:
            gz.write(json.dumps(line, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
    tmp.replace(target)
    (folder / "expected.json").write_text(
        json.dumps(expected_summary(sample), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (folder / "README.md").write_text(README, encoding="utf-8")
    return target


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).parent / "sample"
    target = write(folder)
    print(f"wrote {target} (synthetic sample; expected results in {folder / 'expected.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
