"""Matching and classification spread over worker processes give the in-process result."""

from __future__ import annotations

from pathlib import Path

from dualscope.screening import pipeline, resolve
from dualscope.screening.options import ScreenOptions
from dualscope.screening.resolve import foreign_tail
from dualscope.screening.run import screen


def _outputs(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.glob("*.csv"))}


def test_parallel_workers_give_the_same_tables(tmp_path, corpus_file, components, monkeypatch):
    screen(tmp_path / "a.duckdb", tmp_path / "a", ScreenOptions(), files=[corpus_file],
           components=components)  # fmt: skip
    monkeypatch.setattr(resolve, "PARALLEL_MIN", 1)
    monkeypatch.setattr(pipeline, "PARALLEL_CLASSIFY_MIN", 1)
    monkeypatch.setattr(resolve, "default_workers", lambda: 2)
    monkeypatch.setattr(pipeline, "default_workers", lambda: 2)
    run = screen(tmp_path / "b.duckdb", tmp_path / "b", ScreenOptions(), files=[corpus_file],
                 components=components)  # fmt: skip
    assert run.result.resolve_stats.workers == 2
    assert _outputs(tmp_path / "a") == _outputs(tmp_path / "b")
    assert run.summary["flagged"] == 6


def test_only_single_foreign_affiliations_skip_the_matcher():
    assert foreign_tail("Univ Manchester, Manchester, England") == "GB"
    assert foreign_tail("Dept Phys, TU Munich, 80333 Munich, Germany") == "DE"
    assert foreign_tail("National Defence University, Helsinki, Finland") == "FI"
    # Always matched: Chinese or unknown place, several affiliations, Chinese script.
    assert foreign_tail("College of Computer, NUDT, Changsha 410073") is None
    assert foreign_tail("Natl Univ Def Technol, Changsha, Peoples R China") is None
    assert foreign_tail("Oxford, UK; Natl Univ Def Technol, Changsha, China") is None
    assert foreign_tail("国防科技大学, Germany") is None


def test_foreign_tails_in_bulk_say_what_foreign_tail_says():
    import pyarrow as pa

    from dualscope.screening.resolve import foreign_tails

    strings = [
        "Univ Manchester, Manchester, England",
        "Dept Phys, TU Munich, 80333 Munich, Germany",
        "Dept Phys, TU Munich, 80333 Munich, Germany",  # repeated: decided once, same answer
        "College of Computer, NUDT, Changsha 410073",
        "Natl Univ Def Technol, Changsha, Peoples R China",
        "Oxford, UK; Natl Univ Def Technol, Changsha, China",
        "国防科技大学, Germany",
        "Ｆｕｌｌ-width, Italy",  # full-width forms count as East Asian script
        "Politecnico di Milano, Milan, Italy ",
        "Milan, Italy,",  # nothing after the last comma
        "Italy",  # no comma: the whole string is the tail
        "Paris 75005, FRANCE",
        "",
        None,
        "Beijing, 100084",
    ]
    bulk = foreign_tails(pa.array(strings, type=pa.string())).to_pylist()
    assert bulk == [s is not None and foreign_tail(s) is not None for s in strings]
    assert bulk[:3] == [True, True, True] and bulk[3:7] == [False] * 4
    assert foreign_tails(pa.array([], type=pa.string())).to_pylist() == []
