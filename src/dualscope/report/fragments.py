"""The report's two large repeated fragments, built in Python: a work's evidence block and a
generic rows table.

A report of a few thousand flagged works spent most of its time in the per-row Jinja2 machinery
(macro calls, attribute lookups, one ``Markup`` per value). These functions produce the same bytes
as the original macros (``tests/report/test_fragments.py`` keeps the macro text as the reference
and compares both) and every value from data passes through :func:`markupsafe.escape`, so the
result is as safe as autoescaped template output. ``macros.html.j2`` calls them, so the report
and the web app share one implementation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from numbers import Number
from typing import Any

from markupsafe import Markup, escape

from dualscope.report.data import WorkView
from dualscope.report.tables import NO_INSTITUTION, NO_NAME

_MATCHES_HEAD = (
    "  <table>\n"
    "    <thead><tr><th>Author</th><th>Affiliation</th><th>Entity</th><th>Rule</th>"
    '<th class="num">Score</th><th>Why</th></tr></thead>\n'
    "    <tbody>\n"
)
_MATCHES_TAIL = "    </tbody>\n  </table>\n"


def _esc(value: Any) -> str:
    """:func:`markupsafe.escape` as plain text, without a ``Markup`` object per value.

    Plain ``str``, ``int`` and ``float`` values (nearly every cell) take a fast path giving the
    same text as ``escape``; anything else goes through ``escape`` itself.
    """
    kind = type(value)
    if kind is str:
        if "&" in value or "<" in value or ">" in value or "'" in value or '"' in value:
            return str(escape(value))
        return value
    if kind is int or kind is float:
        return str(value)
    return str(escape(value))


def joined(values: Iterable[Any] | None) -> Markup:
    """``a; b; c``, escaped: the ``join`` macro and Jinja's ``join("; ")`` filter."""
    return escape("; ".join(str(v) for v in values or ()))


def work_block(w: WorkView, link: str | None = None) -> Markup:
    """One flagged work with its evidence (``<article class="work">``)."""
    return Markup(_blocks([w], link))  # noqa: S704 - every value is escaped


def works_blocks(works: Iterable[WorkView]) -> Markup:
    """Every work's block, one after the other (the report's evidence section)."""
    return Markup(_blocks(list(works), None))  # noqa: S704 - every value is escaped


def _blocks(works: list[WorkView], link: str | None) -> str:
    """The blocks of ``works``. Every value is escaped first, a column at a time over all the
    works (:func:`_column`: most columns hold nothing to escape), then the blocks are put
    together in order, each taking its own entities, match rows and partners from the
    columns."""
    matches = [m for w in works for m in w.matches]
    partners = [p for w in works for p in w.partners]
    titles = _column([w.title or "(no title)" for w in works])
    ids = _column([w.work_id for w in works])
    dois = _column([w.doi or "" for w in works])
    doi_urls = _column([w.doi_url or "" for w in works])
    categories = _column(["; ".join(map(str, w.categories or ())) for w in works])
    institutions = _column(["; ".join(map(str, w.partner_institutions or ())) for w in works])
    countries = _column(["; ".join(map(str, w.partner_countries or ())) for w in works])
    evidence = _column([w.evidence or "" for w in works])
    entity_tags = iter(_tags([e for w in works for e in w.entities]))
    area_tags = iter(_tags([a for w in works for a in w.areas]))
    # printf-style like Jinja's `format` filter: a Decimal rounds as a float would
    scores = ["" if m["score"] is None else "%.2f" % (m["score"],) for m in matches]  # noqa: UP031
    match_rows = iter(
        [
            f"      <tr><td>{author}</td><td>{affiliation}</td>"
            f'<td>{entity} <span class="muted">({category})</span></td>\n'
            f'          <td class="mono">{rule}</td><td class="num">{score}</td>'
            f"<td>{explanation}</td></tr>\n"
            for author, affiliation, entity, category, rule, score, explanation in zip(
                _column([m["author_name"] or NO_NAME for m in matches]),
                *(
                    _column([m[key] for m in matches])
                    for key in ("affiliation", "entity_name", "category", "rule")
                ),
                _column(scores),
                _column([m["explanation"] for m in matches]),
                strict=True,
            )
        ]
    )
    partner_texts = iter(
        [
            f"{author} ({institution}, {country}, by {basis})"
            for author, institution, country, basis in zip(
                _column([p["author_name"] or NO_NAME for p in partners]),
                _column([p["institution_name"] or NO_INSTITUTION for p in partners]),
                *(_column([p[key] for p in partners]) for key in ("country_code", "basis")),
                strict=True,
            )
        ]
    )
    title_link = f'<a href="{_esc(link)}">%s</a>' if link else "%s"
    parts: list[str] = []
    for index, w in enumerate(works):
        work_id = ids[index]
        parts += (
            f'<article class="work" id="work-{work_id}">\n',
            f"  <h3>{title_link % titles[index]}</h3>\n",
            '  <div class="muted">\n',
            f'    <span class="mono">{work_id}</span>',
        )
        if w.year:
            parts.append(f" · {_esc(w.year)}")
        if w.doi_url:
            parts.append(
                f' · <a href="{doi_urls[index]}" rel="noopener noreferrer">doi:{dois[index]}</a>\n'
            )
        elif w.doi:
            parts.append(
                f' · DOI (not well-formed, no link): <span class="mono">{dois[index]}</span>'
            )
        parts.append("  </div>\n  <div>Watchlist: ")
        parts.extend(islice(entity_tags, len(w.entities)))
        if w.categories:
            parts.append(f'<span class="muted">({categories[index]})</span>')
        parts.append(f"</div>\n  <div>Partners: {institutions[index]} ")
        if w.partner_countries:
            parts.append(f'<span class="muted">[{countries[index]}]</span>')
        parts.append("</div>\n")
        if w.areas:
            parts.append("<div>Areas: ")
            parts.extend(islice(area_tags, len(w.areas)))
            parts.append("</div>")
        if w.matches:
            parts.append(_MATCHES_HEAD)
            parts.extend(islice(match_rows, len(w.matches)))
            parts.append(_MATCHES_TAIL)
        if w.partners:
            parts.append('  <div class="muted">Focus-country authors:\n')
            parts.append("; ".join(islice(partner_texts, len(w.partners))))
            parts.append("  </div>\n")
        if w.evidence:
            parts.append(
                '<details class="muted"><summary>Evidence line (as in works.csv)</summary>'
                f"{evidence[index]}</details>"
            )
        parts.append("</article>")
    return "".join(parts)


def _tags(values: list[Any]) -> list[str]:
    return [f'<span class="tag">{text}</span>' for text in _column(values)]


def _column(values: list[Any]) -> list[str]:
    """:func:`_esc` of each of ``values``. A column of plain strings is joined with NUL
    characters (which escaping leaves as they are) and escaped in one call, or not at all
    when it holds no character to escape; any other column (or one holding a NUL) value by
    value."""
    if set(map(type, values)) == {str}:
        joined = "\0".join(values)
        if not ("&" in joined or "<" in joined or ">" in joined or "'" in joined or '"' in joined):
            return values
        if joined.count("\0") == len(values) - 1:
            return str(escape(joined)).split("\0")
    return [_esc(value) for value in values]


def rows_table(
    table_id: str,
    columns: Sequence[tuple[str, str]],
    rows: Iterable[Mapping[str, Any]],
    numeric: Sequence[str] = (),
) -> Markup:
    """A sortable table of ``rows`` (dicts): one column per ``(key, label)``; lists are joined
    with ``; ``, ``None`` is an empty cell; ``numeric`` columns are right-aligned."""
    esc = _esc
    num = ' class="num"'
    rows = rows if isinstance(rows, list) else list(rows)
    head = [
        f'<table class="sortable" id="{esc(table_id)}">\n  <thead><tr>',
        *(f"<th{num if key in numeric else ''}>{esc(label)}</th>" for key, label in columns),
        "</tr></thead>\n  <tbody>\n",
    ]
    # a column at a time; each row is then one %-format of its escaped cells
    line = "    <tr>%s</tr>\n" % "".join(  # noqa: UP031
        f"<td{num if key in numeric else ''}>%s</td>" for key, _ in columns
    )
    cells = [_cells([row[key] for row in rows]) for key, _ in columns]
    body = [line % values for values in zip(*cells, strict=True)] if cells else [line] * len(rows)
    return Markup("".join([*head, *body, "  </tbody>\n</table>"]))  # noqa: S704 - escaped


# Cell values _esc renders on its fast path (None is an empty cell).
_PLAIN = frozenset({str, int, float, type(None)})


def _cells(values: list[Any]) -> list[str]:
    """The escaped text of each value of a column: ``None`` empty, lists joined with ``; ``."""
    kinds = set(map(type, values))
    if kinds <= _PLAIN:
        if float in kinds:  # 2 == 2.0 as a key, but "2" != "2.0" as text
            return ["" if v is None else _esc(v) for v in values]
        # columns repeat their values (countries, entities, counts): escape each once
        text = {v: "" if v is None else _esc(v) for v in set(values)}
        return list(map(text.__getitem__, values))
    return [
        "" if v is None else _esc(v) if isinstance(v, str | Number) else str(joined(v))
        for v in values
    ]
