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
from numbers import Number
from typing import Any

from markupsafe import Markup, escape

from dualscope.report.data import WorkView

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


def _joined(values: Iterable[Any] | None) -> str:
    """:func:`joined` as plain text."""
    return _esc("; ".join(map(str, values or ())))


def work_block(w: WorkView, link: str | None = None) -> Markup:
    """One flagged work with its evidence (``<article class="work">``)."""
    return Markup(_work_block(w, link))  # noqa: S704 - every value is escaped


def works_blocks(works: Iterable[WorkView]) -> Markup:
    """Every work's block, one after the other (the report's evidence section)."""
    return Markup("".join(_work_block(w, None) for w in works))  # noqa: S704 - escaped


def _work_block(w: WorkView, link: str | None) -> str:
    esc = _esc
    title = esc(w.title or "(no title)")
    if link:
        title = f'<a href="{esc(link)}">{title}</a>'
    parts = [
        f'<article class="work" id="work-{esc(w.work_id)}">\n',
        f"  <h3>{title}</h3>\n",
        '  <div class="muted">\n',
        f'    <span class="mono">{esc(w.work_id)}</span>',
    ]
    if w.year:
        parts.append(f" · {esc(w.year)}")
    if w.doi_url:
        parts.append(
            f' · <a href="{esc(w.doi_url)}" rel="noopener noreferrer">doi:{esc(w.doi)}</a>\n'
        )
    elif w.doi:
        parts.append(f' · DOI (not well-formed, no link): <span class="mono">{esc(w.doi)}</span>')
    parts.append("  </div>\n  <div>Watchlist: ")
    parts.extend(f'<span class="tag">{esc(e)}</span>' for e in w.entities)
    if w.categories:
        parts.append(f'<span class="muted">({_joined(w.categories)})</span>')
    parts.append(f"</div>\n  <div>Partners: {_joined(w.partner_institutions)} ")
    if w.partner_countries:
        parts.append(f'<span class="muted">[{_joined(w.partner_countries)}]</span>')
    parts.append("</div>\n")
    if w.areas:
        parts.append("<div>Areas: ")
        parts.extend(f'<span class="tag">{esc(a)}</span>' for a in w.areas)
        parts.append("</div>")
    if w.matches:
        parts.append(_MATCHES_HEAD)
        for m in w.matches:
            score = m["score"]
            # printf-style like Jinja's `format` filter: a Decimal rounds as a float would
            shown = esc("%.2f" % (score,)) if score is not None else ""  # noqa: UP031
            parts.append(
                f"      <tr><td>{esc(m['author_name'])}</td><td>{esc(m['affiliation'])}</td>"
                f'<td>{esc(m["entity_name"])} <span class="muted">({esc(m["category"])})</span>'
                f"</td>\n"
                f'          <td class="mono">{esc(m["rule"])}</td><td class="num">'
                f"{shown}</td>"
                f"<td>{esc(m['explanation'])}</td></tr>\n"
            )
        parts.append(_MATCHES_TAIL)
    if w.partners:
        parts.append('  <div class="muted">Focus-country authors:\n')
        parts.append(
            "; ".join(
                f"{esc(p['author_name'])} ({esc(p['institution_name'])}, "
                f"{esc(p['country_code'])}, by {esc(p['basis'])})"
                for p in w.partners
            )
        )
        parts.append("  </div>\n")
    if w.evidence:
        parts.append(
            '<details class="muted"><summary>Evidence line (as in works.csv)</summary>'
            f"{esc(w.evidence)}</details>"
        )
    parts.append("</article>")
    return "".join(parts)


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
