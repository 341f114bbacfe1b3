"""load_yaml_text builds plain documents from parser events; the result (types included), or the
error, is the safe loader's (libyaml's, whose messages quote no snippet), and every text it does
not handle goes to the full loader."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from dualscope.watchlist import yamlload
from dualscope.watchlist.yamlload import FastSafeLoader, load_yaml_text

SRC = Path(__file__).resolve().parents[2] / "src" / "dualscope"
BUNDLED = sorted({*SRC.glob("*/data/*.yaml"), *SRC.glob("*/data/**/*.yaml")})


def _typed(value: Any) -> Any:
    """The value with every node's type spelled out (True != 1, 1.0 != 1, date != datetime)."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    offset = value.utcoffset() if isinstance(value, dt.datetime) else None
    return (type(value).__name__, value, offset)


def _outcome(load: Any, text: str) -> Any:
    try:
        return ("data", _typed(load(text)))
    except Exception as exc:
        return ("error", type(exc), str(exc))


def _safe(text: str) -> Any:
    return yaml.load(text, Loader=yaml.SafeLoader)


def _fast_path(text: str) -> bool:
    """Whether the event builder reads ``text`` itself (no fall-back to the full loader)."""
    loader = FastSafeLoader(text)
    try:
        yamlload._from_events(loader)
    except Exception:
        return False
    finally:
        loader.dispose()
    return True


def _before(text: str) -> Any:
    """What load_yaml_text returned before it read events: the C safe loader's result."""
    return yaml.load(text, Loader=FastSafeLoader)


def _same(text: str) -> None:
    got = _outcome(load_yaml_text, text)
    assert got == _outcome(_before, text)  # the same data, or the same error and message
    reference = _outcome(_safe, text)  # libyaml accepts a few texts the Python parser rejects
    if got[0] == "data" and reference[0] == "data":
        assert got == reference


PLAIN = [
    "",
    "# only a comment\n",
    "---\n",
    "--- \n...\n",
    "just a scalar",
    "42",
    "- a\n- 1\n- [x, {y: z}]\n",
    "~: null key\nnull: again\n",  # a None key, twice: the later value wins, the key stays
    "a: 1\na: 2\nb: [1, 2]\n",
    "true: bool key\n1: int key\n1.0: float key\n2024-01-02: date key\n",
    "when: 2001-12-14t21:59:43.10-05:00\nday: 2020-02-29\nutc: 2001-12-15 2:59:43.10\n",
    "n: [0x1F, 0o17, 1_000, -3, +4, 1e3, .5, .inf, -.Inf, .NaN, 1:20, 190:20:30]\n",
    "b: [yes, No, on, OFF, y, n, true, False, ~, null, Null, '', \"\"]\n",
    "q: ['2020', \"yes\", '~', \"1e3\", 'it''s', \"tab\\tand\\u00e9\"]\n",
    "empty: \nalso:\nlist: []\nmap: {}\n",
    "block: |\n  one\n  two\nfolded: >\n  folded\n  text\nkeep: |+\n  x\n\n",
    "nested:\n" + "".join("  " * i + f"- l{i}:\n" for i in range(1, 40)),
    "名前: 中国人民解放军国防科技大学\n",
    'odd: [-, +, ., <, a<<b, "<<", "=", "x: y"]\n',
]

UNUSUAL = [
    "a: &x 1\nb: *x\n",
    "base: &b {k: 1}\nm:\n  <<: *b\n  j: 2\n",
    "? [a, b]\n: complex key\n",
    "? {a: 1}\n: complex key\n",
    "s: !!str 1\n",
    "b: !!binary aGVsbG8=\n",
    "s: !!set {a, b}\n",
    "o: !!omap [{a: 1}, {b: 2}]\n",
    "t: ! 12\n",
    "x: !custom 1\n",
    "- =\n",
    "=: value key\n",
    "a: 1\n---\nb: 2\n",
    "a: [1, 2",
    "a: b: c\n",
    "\tx: 1\n",
    "d: 2020-13-45\n",
    "*undefined\n",
    "!!python/object:os.system x",
    "%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_documents_are_built_from_events_as_the_safe_loader_builds_them(text: str) -> None:
    assert _fast_path(text)
    assert _outcome(_safe, text)[0] == "data"
    _same(text)


@pytest.mark.parametrize("text", UNUSUAL)
def test_other_documents_load_or_fail_as_with_the_safe_loader(text: str) -> None:
    assert not _fast_path(text)
    _same(text)


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: str(p.relative_to(SRC)))
def test_bundled_data_takes_the_fast_path_with_the_same_result(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _fast_path(text)
    _same(text)


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.randrange(12 if depth < 4 else 8)
    if pick < 6:
        return rng.choice(
            [
                "plain text",
                "yes",
                "12",
                "1.5",
                "2020-01-02",
                "~",
                "",
                "a: b",
                "- x",
                "#no",
                "é中",
                "<<",
                "=",
                " lead",
                "x\ny",
            ]
        )
    if pick == 6:
        return rng.choice([None, True, False, 0, -7, 2.5, dt.date(2021, 3, 4)])
    if pick == 7:
        return rng.randrange(-1000, 1000)
    if pick < 10:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    keys = [rng.choice(["a", "b", "yes", "1", "null", "k k", "é"]) for _ in range(4)]
    return {k: _random_value(rng, depth + 1) for k in keys[: rng.randrange(5)]}


@pytest.mark.parametrize("seed", range(40))
def test_random_documents_and_their_mutations_load_as_with_the_safe_loader(seed: int) -> None:
    rng = random.Random(seed)
    text = yaml.safe_dump(
        {"root": _random_value(rng)},
        allow_unicode=rng.random() < 0.5,
        default_flow_style=rng.choice([False, None, True]),
    )
    _same(text)
    for _ in range(10):  # damaged copies: the same data, or the same error
        at = rng.randrange(len(text))
        junk = rng.choice(["&a ", "*a", "!!str ", "<<: ", ": ", "- ", "\n  ", "'", "{", "? "])
        _same(text[:at] + junk + text[at:])
