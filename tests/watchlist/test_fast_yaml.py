"""The watchlist's YAML loader gives exactly what PyYAML's safe loader gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dualscope.watchlist.loader import FastSafeLoader, load_yaml_text

SRC = Path(__file__).resolve().parents[2] / "src" / "dualscope"

TRICKY = """
plain: National University of Defense Technology
typed: [yes, No, on, OFF, y, n, true, False, ~, null, Null, "", '', 2020, -3, +4, 0x1F, 0o17,
        1_000, 1e3, .5, .inf, -.Inf, .NaN, 2024-06-30, 2001-12-14t21:59:43.10-05:00, 1:20]
quoted: ["yes", 'no', "2020", "~", "null", "1e3"]
odd: [-, +, ., <, "=", "<<", a<<b, "x: y", 'it''s', "tab\\tand\\u00e9"]
chinese: 中国人民解放军国防科技大学
block: |
  line one
  line two
folded: >
  folded
  text
? complex key
: value
2024: year key
true: bool key
anchors:
  base: &base {name: A, kind: cover, year: 2020}
  copy: *base
  merged:
    <<: *base
    name: B
binary: !!binary aGVsbG8=
set: !!set {a, b}
omap: !!omap [{a: 1}, {b: 2}]
"""


def _same(text: str) -> None:
    expected = yaml.load(text, Loader=yaml.SafeLoader)
    got = load_yaml_text(text)
    assert got == expected or repr(got) == repr(expected)  # NaN != NaN
    assert repr(got) == repr(expected)


def test_tricky_scalars_load_as_with_the_safe_loader() -> None:
    _same(TRICKY)


@pytest.mark.parametrize(
    "path",
    sorted({*SRC.glob("*/data/*.yaml"), *SRC.glob("*/data/**/*.yaml")}),
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_bundled_data_loads_as_with_the_safe_loader(path: Path) -> None:
    _same(path.read_text(encoding="utf-8"))


def test_bad_yaml_still_raises() -> None:
    with pytest.raises(yaml.YAMLError):
        yaml.load("a: [1, 2", Loader=FastSafeLoader)
    with pytest.raises(yaml.YAMLError):
        yaml.load("!!python/object:os.system x", Loader=FastSafeLoader)
    with pytest.raises(yaml.constructor.ConstructorError):  # as with the safe loader
        yaml.load("- =", Loader=FastSafeLoader)
