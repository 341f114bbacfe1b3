"""The Python-built report fragments give the same bytes as the Jinja2 macros they replace.

The macros below are the original template text (report/templates/macros.html.j2 before the
fragments moved to Python for speed); they stay here as the reference, rendered with the
report's own environment settings, and are compared with :mod:`dualscope.report.fragments` on
the synthetic store (hostile strings included) and on edge cases.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import pytest
from markupsafe import Markup

from dualscope.report import fragments
from dualscope.report.data import WorkView, load_report
from dualscope.report.synthetic import SyntheticInfo
from dualscope.report.watchlist_facts import WatchlistFacts

REFERENCE = """\
{% macro join(values) -%}{{ (values or []) | join("; ") }}{%- endmacro %}

{% macro work_block(w, link=None) -%}
<article class="work" id="work-{{ w.work_id }}">
  <h3>{% if link %}<a href="{{ link }}">{{ w.title or "(no title)" }}</a>{% else %}\
{{ w.title or "(no title)" }}{% endif %}</h3>
  <div class="muted">
    <span class="mono">{{ w.work_id }}</span>{% if w.year %} · {{ w.year }}{% endif %}
    {% if w.doi_url %} · <a href="{{ w.doi_url }}" rel="noopener noreferrer">doi:{{ w.doi }}</a>
    {% elif w.doi %} · DOI (not well-formed, no link): <span class="mono">{{ w.doi }}</span>\
{% endif %}
  </div>
  <div>Watchlist: {% for e in w.entities %}<span class="tag">{{ e }}</span>{% endfor %}
    {% if w.categories %}<span class="muted">({{ join(w.categories) }})</span>{% endif %}</div>
  <div>Partners: {{ join(w.partner_institutions) }} {% if w.partner_countries %}\
<span class="muted">[{{ join(w.partner_countries) }}]</span>{% endif %}</div>
  {% if w.areas %}<div>Areas: {% for a in w.areas %}<span class="tag">{{ a }}</span>\
{% endfor %}</div>{% endif %}
  {% if w.matches %}
  <table>
    <thead><tr><th>Author</th><th>Affiliation</th><th>Entity</th><th>Rule</th>\
<th class="num">Score</th><th>Why</th></tr></thead>
    <tbody>
    {% for m in w.matches %}
      <tr><td>{{ m.author_name or "(no name)" }}</td><td>{{ m.affiliation }}</td>\
<td>{{ m.entity_name }} \
<span class="muted">({{ m.category }})</span></td>
          <td class="mono">{{ m.rule }}</td><td class="num">\
{{ "%.2f"|format(m.score) if m.score is not none else "" }}</td><td>{{ m.explanation }}</td></tr>
    {% endfor %}
    </tbody>
  </table>
  {% endif %}
  {% if w.partners %}
  <div class="muted">Focus-country authors:
    {% for p in w.partners %}{{ p.author_name or "(no name)" }} \
({{ p.institution_name or "(no institution named)" }}, {{ p.country_code }}, \
by {{ p.basis }}){% if not loop.last %}; {% endif %}{% endfor %}
  </div>
  {% endif %}
  {% if w.evidence %}<details class="muted"><summary>Evidence line (as in works.csv)</summary>\
{{ w.evidence }}</details>{% endif %}
</article>
{%- endmacro %}

{% macro rows_table(table_id, columns, rows, numeric=()) -%}
<table class="sortable" id="{{ table_id }}">
  <thead><tr>{% for key, label in columns %}<th{% if key in numeric %} class="num"{% endif %}>\
{{ label }}</th>{% endfor %}</tr></thead>
  <tbody>
  {% for row in rows %}
    <tr>{% for key, label in columns %}{% set v = row[key] %}<td{% if key in numeric %} \
class="num"{% endif %}>{% if v is none %}{% elif v is string or v is number %}{{ v }}{% else %}\
{{ v | join("; ") }}{% endif %}</td>{% endfor %}</tr>
  {% endfor %}
  </tbody>
</table>
{%- endmacro %}
"""


@pytest.fixture(scope="module")
def reference() -> Any:
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"macros": REFERENCE}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("macros").module


HOSTILE = "<script>alert('x')</script> & \"quoted\""


def _work(**changes: Any) -> WorkView:
    base: dict[str, Any] = {
        "work_id": "W1",
        "title": "A title",
        "year": 2020,
        "doi": "10.1/abc",
        "doi_url": "https://doi.org/10.1/abc",
        "entities": ["NUDT"],
        "categories": ["military"],
        "partner_countries": ["IT"],
        "partner_institutions": ["Politecnico di Milano"],
        "areas": ["ai"],
        "evidence": "line",
        "matches": [
            {
                "author_name": "A. Author",
                "affiliation": "NUDT, Changsha",
                "entity_name": "NUDT",
                "category": "military",
                "rule": "exact_alias",
                "score": 1.0,
                "explanation": "matched",
            }
        ],
        "partners": [
            {"author_name": "B", "institution_name": "X", "country_code": "IT", "basis": "id"},
            {"author_name": "C", "institution_name": None, "country_code": "DE", "basis": "raw"},
        ],
    }
    base.update(changes)
    return WorkView(**base)


EDGE_WORKS = [
    _work(),
    _work(title=None, year=None, doi=None, doi_url=None),
    _work(doi_url=None, doi="not a doi <b>"),
    _work(entities=[], categories=[], partner_countries=[], partner_institutions=[], areas=[]),
    _work(matches=[], partners=[], evidence=None),
    _work(
        title=HOSTILE,
        work_id=HOSTILE,
        entities=[HOSTILE, "国防科技大学"],
        categories=[HOSTILE],
        partner_institutions=[HOSTILE, None],
        areas=[HOSTILE],
        evidence=HOSTILE,
        matches=[
            {
                "author_name": None,
                "affiliation": HOSTILE,
                "entity_name": HOSTILE,
                "category": HOSTILE,
                "rule": HOSTILE,
                "score": None,
                "explanation": HOSTILE,
            },
            {
                "author_name": "x",
                "affiliation": "y",
                "entity_name": "z",
                "category": "c",
                "rule": "r",
                "score": Decimal("0.165"),
                "explanation": Markup("<i>ours</i>"),
            },
        ],
    ),
]


@pytest.mark.parametrize("link", [None, "/works/W1?x=1&y=2"])
def test_work_block_matches_the_reference_macro(reference: Any, link: str | None) -> None:
    for work in EDGE_WORKS:
        assert str(fragments.work_block(work, link)) == str(reference.work_block(work, link))


def test_rows_table_matches_the_reference_macro(reference: Any) -> None:
    columns = [("a", "A & a"), ("b", "<B>"), ("n", "N"), ("l", "L")]
    rows = [
        {"a": "x", "b": None, "n": 3, "l": ["p", "q"]},
        {"a": HOSTILE, "b": Markup("<b>ok</b>"), "n": 2.5, "l": [HOSTILE, 1, None]},
        {"a": "", "b": True, "n": Decimal("1.50"), "l": []},
    ]
    for numeric in ((), ("n",), ("n", "a")):
        got = fragments.rows_table("t-<x>", columns, rows, numeric)
        assert str(got) == str(reference.rows_table("t-<x>", columns, rows, numeric))
    assert str(fragments.rows_table("t", columns, [])) == str(
        reference.rows_table("t", columns, [])
    )


def test_fragments_match_the_macros_on_a_screened_store(
    reference: Any, report_store: tuple[Path, SyntheticInfo], no_facts: WatchlistFacts
) -> None:
    path, _ = report_store
    con = duckdb.connect(str(path), read_only=True)
    try:
        data = load_report(con, facts=no_facts)
    finally:
        con.close()
    assert data.works
    expected = "".join(str(reference.work_block(w)) for w in data.works)
    assert str(fragments.works_blocks(data.works)) == expected
    for rows in (data.institutions, data.researchers, data.areas):
        columns = [(key, key.title()) for key in rows[0]] if rows else [("x", "X")]
        assert str(fragments.rows_table("t", columns, rows, ("works",))) == str(
            reference.rows_table("t", columns, rows, ("works",))
        )


def test_rows_table_columns_of_repeated_and_mixed_values(reference: Any) -> None:
    columns = [("a", "A"), ("n", "N"), ("m", "M"), ("x", "X")]
    rows = [
        {"a": "IT", "n": 2, "m": 2.0, "x": HOSTILE},
        {"a": "IT", "n": 2, "m": 2, "x": None},
        {"a": None, "n": 3, "m": None, "x": HOSTILE},
        {"a": "<DE>", "n": None, "m": 1.0, "x": ["a", "a"]},
        {"a": "IT", "n": 2, "m": 1, "x": Decimal("2")},
    ]
    for numeric in ((), ("n", "m")):
        got = fragments.rows_table("t", columns, rows, numeric)
        assert str(got) == str(reference.rows_table("t", columns, rows, numeric))
        assert str(fragments.rows_table("t", columns, iter(rows), numeric)) == str(got)
    assert str(fragments.rows_table("t", [], rows)) == str(reference.rows_table("t", [], rows))


def test_works_blocks_of_mixed_works_match_the_macro_block_by_block(reference: Any) -> None:
    # values are escaped a column at a time over all the works: mixed columns (None, Markup,
    # Decimal), a NUL inside a value and works without matches or partners in between
    works = [
        *EDGE_WORKS,
        _work(title="nul\0<x>", evidence="a\0'b'", partner_institutions=["p\0q", "&"]),
        *reversed(EDGE_WORKS),
    ]
    expected = "".join(str(reference.work_block(w)) for w in works)
    assert str(fragments.works_blocks(works)) == expected
    assert str(fragments.works_blocks(iter(works))) == expected
    assert str(fragments.works_blocks([])) == ""


@pytest.mark.parametrize(
    "values",
    [
        [],
        [""],
        ["a", "b"],
        ["a&b", "<", "'", '"', ">"],
        ["x\0y", "&"],
        ["a", None, 3, Markup("<b>")],
    ],
)
def test_column_escapes_each_value_as_esc_does(values: list[Any]) -> None:
    assert fragments._column(values) == [fragments._esc(v) for v in values]
