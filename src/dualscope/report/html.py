"""The self-contained HTML report: one file, CSS/JS/SVG inline, nothing loaded from the network.

Rendered by Jinja2 with autoescaping on for every template; data never passes through ``|safe``.
The only markup inserted unescaped is our own: the bundled stylesheet and script, SVG charts
whose labels :mod:`dualscope.report.charts` escapes, and the per-work blocks and large tables
that :mod:`dualscope.report.fragments` builds in Python (every value escaped, for speed). A
Content-Security-Policy meta tag forbids every network load (``default-src 'none'``) and allows
exactly our inline script by its hash.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import jinja2
from markupsafe import Markup

from dualscope import __version__
from dualscope.errors import DualscopeError
from dualscope.fsutil import atomic_file
from dualscope.geo.countries import country_name
from dualscope.report import charts, fragments
from dualscope.report.data import Prefetched, ReportData, load_report, pick
from dualscope.report.watchlist_facts import WatchlistFacts


def country_label(code: str | None) -> str:
    """``United Kingdom (GB)`` for an ISO code; the code alone when the name is unknown."""
    if not code:
        return "?"
    name = country_name(code)
    return f"{name} ({code})" if name != code else code


def template_environment(*packages: str) -> jinja2.Environment:
    """Jinja2 over the ``templates`` folders of ``packages`` (first wins), autoescape on for
    every file, undefined values an error; shared by the report and the web app."""
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.PackageLoader(p, "templates") for p in packages]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["country"] = country_label
    env.globals["fragment_work_block"] = fragments.work_block
    env.globals["fragment_works_blocks"] = fragments.works_blocks
    env.globals["fragment_rows_table"] = fragments.rows_table
    return env


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates."""
    return template_environment("dualscope.report")


def report_template() -> jinja2.Template:
    """The report template, compiled on first use (the environment keeps it)."""
    return environment().get_template("report.html.j2")


@cache
def asset(name: str) -> str:
    """A bundled static file (stylesheet, script) as text."""
    return (resources.files("dualscope.report") / "templates" / name).read_text(encoding="utf-8")


def script_hash(script: str) -> str:
    """The CSP source expression allowing exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def report_csp(script: str) -> str:
    """No network loads at all; inline styles, our one script (by hash), SVG/data images."""
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src {script_hash(script)}; base-uri 'none'; form-action 'none'"
    )


def year_columns(years: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """One column per year from the first to the last, zeros included.

    Leaving out empty years would put 2015 next to 2017 and make a gap look like a trend.
    Works without a year come last as "n/a".
    """
    counts = {r["year"]: int(r["works"]) for r in years if r["year"] is not None}
    columns = (
        [(str(y), counts.get(y, 0)) for y in range(min(counts), max(counts) + 1)] if counts else []
    )
    unknown = sum(int(r["works"]) for r in years if r["year"] is None)
    if unknown:
        columns.append(("n/a", unknown))
    return columns


def build_charts(data: ReportData) -> dict[str, Markup]:
    """The SVG charts of the report (and the web dashboard)."""
    return {
        "countries": charts.bar_chart(
            [(country_label(r["country"]), r["works"]) for r in data.countries],
            title="Flagged works per focus country",
        ),
        "years": charts.column_chart(
            year_columns(data.years),
            title="Flagged works per publication year",
        ),
        "areas": charts.bar_chart(
            [(r["area"] or "?", r["works"]) for r in data.areas],
            title="Flagged works per technology area",
        ),
        "entities": charts.bar_chart(
            [(r["entity"] or r["entity_id"], r["works"]) for r in data.entities],
            title="Flagged works per watchlist entity",
        ),
    }


def options_view(data: ReportData) -> dict[str, Any]:
    """Run options and provenance for the methodology, from the summary `screen` writes."""
    s = data.summary
    raw_sources = s.get("data_sources")
    sources: dict[str, Any] = raw_sources if isinstance(raw_sources, dict) else {}
    by_source = sources.get("works_by_source") or {}
    files = [f for f in sources.get("files") or [] if isinstance(f, dict)]
    queries = [q for q in sources.get("api_queries") or [] if isinstance(q, dict)]
    source_text = ", ".join(f"{k} ({v:,} works)" for k, v in by_source.items()) or pick(
        s, "data_source", "source"
    )
    dates = [str(f.get("ingested_at")) for f in files if f.get("ingested_at")]
    dates += [str(q.get("updated_at")) for q in queries if q.get("updated_at")]
    skipped = s.get("records_skipped")
    return {
        "categories": pick(s, "categories", default=[]),
        "countries": pick(s, "focus_countries", "countries", default=[]),
        "countries_spec": pick(s, "countries"),
        "since": pick(s, "since", "year_from"),
        "until": pick(s, "until", "year_to"),
        "data_source": source_text,
        "data_files": [str(f.get("path")) for f in files][:50],
        "api_queries": [str(q.get("query")) for q in queries][:20],
        "data_date": max(dates) if dates else pick(s, "data_date", "generated_at"),
        "generated_at": s.get("generated_at"),
        "works_read": pick(s, "works_read", "records_read"),
        "works_skipped": skipped.get("total") if isinstance(skipped, dict) else skipped,
    }


def _summary_items(summary: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (str(k), v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True))
        for k, v in summary.items()
    ]


def render_report(data: ReportData) -> str:
    """The report as one HTML string."""
    return "".join(_report_pieces(data))


def _report_pieces(data: ReportData) -> Iterator[str]:
    """The report's text in the pieces the template yields (written as they come, the report
    is never held as one string: most of it is a few large pieces)."""
    js = asset("table.js")
    version = data.watchlist.version or pick(data.summary, "watchlist_version")
    return report_template().generate(
        data=data,
        charts=build_charts(data),
        options=options_view(data),
        summary_items=_summary_items(data.summary),
        watchlist_version=version,
        version=__version__,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        css=Markup(asset("style.css")),  # noqa: S704 - our bundled stylesheet, not data
        js=Markup(js),  # noqa: S704 - our bundled script, not data
        csp=report_csp(js),
    )


def write_report(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    pseudonymise: bool = False,
    facts: WatchlistFacts | None = None,
    prefetched: Prefetched | None = None,
) -> None:
    """Render the report of the screening result in ``con`` and write it to ``path`` atomically.

    ``pseudonymise`` replaces researcher names with stable codes everywhere in the file (it
    needs a writable store the first time, to create the store's salt). ``prefetched``: rows of
    the result queries already read from ``con``, by query text (see ``load_report``).
    """
    path = Path(path)
    if path.parent.exists() and not path.parent.is_dir():
        raise DualscopeError(f"{path.parent} is a file", hint="give a folder for report.html")
    if path.is_dir():
        raise DualscopeError(f"{path} is a folder", hint="give a file name for the report")
    data = load_report(con, pseudonymise=pseudonymise, facts=facts, prefetched=prefetched)
    with atomic_file(path, "w", encoding="utf-8") as handle:
        handle.writelines(_report_pieces(data))
