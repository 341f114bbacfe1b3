"""Server-side SVG charts: no JavaScript library, nothing loaded from the network.

Each function returns :class:`markupsafe.Markup` built from escaped labels, so a template can embed
it directly; every label that comes from data passes through :func:`markupsafe.escape`. Charts
carry a ``<title>`` and ``role="img"`` with an ``aria-label`` for screen readers, and every bar a
``<title>`` tooltip with its exact value.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

BAR_COLOUR = "#2b5d8a"
TEXT_COLOUR = "#222"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 640,
    bar_height: int = 18,
    label_width: int = 220,
    limit: int = 25,
) -> Markup:
    """Horizontal bars, largest first as given; at most ``limit`` rows (the caption says so)."""
    shown = list(items)[:limit]
    top = max((v for _, v in shown), default=0) or 1
    gap = 6
    height = max(1, len(shown)) * (bar_height + gap) + 24
    plot = width - label_width - 70
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="100%">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(shown):
        y = i * (bar_height + gap) + 4
        w = max(1.0, plot * value / top)
        text = str(label)
        short = text if len(text) <= 34 else text[:33] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.75:.1f}" text-anchor="end" '
            f'font-size="12" fill="{TEXT_COLOUR}">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" '
            f'fill="{BAR_COLOUR}"><title>{escape(text)}: {_fmt(value)}</title></rect>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height * 0.75:.1f}" font-size="12" '
            f'fill="{TEXT_COLOUR}">{_fmt(value)}</text>'
        )
    if not shown:
        parts.append('<text x="10" y="16" font-size="12">no data</text>')
    if len(items) > limit:
        parts.append(
            f'<text x="10" y="{height - 4}" font-size="11" fill="#666">'
            f"top {limit} of {len(items)} shown; all rows in the table</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every data label above is escaped


def column_chart(
    items: Sequence[tuple[str, float]], *, title: str, width: int = 640, height: int = 220
) -> Markup:
    """Vertical columns in the given order (e.g. per year), labels under each column."""
    shown = list(items)
    top = max((v for _, v in shown), default=0) or 1
    n = max(1, len(shown))
    left, bottom, head = 10, 28, 18
    slot = (width - 2 * left) / n
    plot_h = height - bottom - head
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}" width="100%">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(shown):
        h = max(1.0, plot_h * value / top)
        x = left + i * slot + slot * 0.1
        y = head + plot_h - h
        cx = left + i * slot + slot / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.8:.1f}" height="{h:.1f}" '
            f'fill="{BAR_COLOUR}"><title>{escape(label)}: {_fmt(value)}</title></rect>'
            f'<text x="{cx:.1f}" y="{y - 3:.1f}" font-size="11" text-anchor="middle">'
            f"{_fmt(value)}</text>"
            f'<text x="{cx:.1f}" y="{height - 10}" font-size="11" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    if not shown:
        parts.append('<text x="10" y="16" font-size="12">no data</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every data label above is escaped
