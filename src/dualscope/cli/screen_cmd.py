"""`dualscope ingest`, `dualscope fetch` and `dualscope screen`: publications in, findings out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from dualscope.cli.common import console, db_option, err_console, out_dir_option, strict_option

if TYPE_CHECKING:
    from dualscope.store.ingest import IngestReport


def _warn(message: str) -> None:
    err_console.print(f"[yellow]warning:[/] {message}", highlight=False, markup=True)


def _progress(path: Path) -> None:
    err_console.print(f"[dim]ingesting {path}[/]", highlight=False)


def print_ingest(report: IngestReport) -> None:
    """The ingest summary: files, records read, loaded, duplicates replaced, skipped by reason."""
    from rich.table import Table

    totals = report.as_dict()
    table = Table(title="Ingest", show_header=True, header_style="bold")
    table.add_column("file", overflow="fold")
    table.add_column("status")
    for name in ("read", "loaded", "dup. replaced", "older ignored", "skipped"):
        table.add_column(name, justify="right")
    for f in report.files:
        table.add_row(
            str(f.path),
            f.status,
            str(f.records_read),
            str(f.loaded),
            str(f.replaced + f.duplicates_in_file),
            str(f.stale),
            str(f.skipped),
        )
    console.print(table)
    skipped = totals["records_skipped"]
    line = (
        f"{totals['files']} files ({totals['files_unchanged']} already ingested), "
        f"{totals['records_read']} records read, {totals['records_loaded']} loaded, "
        f"{totals['duplicates_replaced']} duplicates replaced, "
        f"{skipped['total']} skipped"
    )
    if skipped["by_reason"]:
        line += " (" + ", ".join(f"{r}: {n}" for r, n in skipped["by_reason"].items()) + ")"
    console.print(line, highlight=False)
    for f in report.reread:
        console.print(
            f"read again: {f.path} (works sharing a DOI with works the watchlist could flag)",
            highlight=False,
        )


def format_option() -> Any:
    """``--format``: override content detection of the input files."""
    from dualscope.store.ingest import input_formats

    return typer.Option(
        "auto",
        "--format",
        help=f"Input format: {', '.join(input_formats())} (auto detects it from the content).",
    )


def keep_all_option() -> Any:
    """``--keep-all``: store every work in full, not only those the watchlist could flag."""
    return typer.Option(
        False,
        "--keep-all",
        help="Store every work's authorships, abstract and topics; by default a work no "
        "watchlist name or id could match is stored slim (id, DOI, title, year, date).",
    )


def ingest(
    paths: list[Path] = typer.Argument(
        ..., help="OpenAlex JSON Lines (.jsonl, .jsonl.gz, part_*.gz), API pages, exports, folders."
    ),
    db: Path = db_option(),
    strict: bool = strict_option(),
    fmt: str = format_option(),
    keep_all: bool = keep_all_option(),
    categories: str = typer.Option(
        "all",
        "--categories",
        help="Watchlist categories later screenings may ask for (works only other categories "
        "could flag are stored slim): comma-separated, or 'all'.",
    ),
) -> None:
    """Load works into the store (one transaction per file; newest updated_date wins).

    Example: dualscope ingest data/works/ --db corpus.duckdb
    Example: dualscope ingest savedrecs.txt --format wos
    """
    from dualscope.screening.options import parse_categories
    from dualscope.screening.screenable import default_filter
    from dualscope.store.db import open_store
    from dualscope.store.ingest import ingest_paths, input_format

    chosen = input_format(fmt)  # a bad value fails before the store is opened
    keep = None if keep_all else default_filter(parse_categories(categories))
    con = open_store(db)
    try:
        report = ingest_paths(
            con, paths, strict=strict, warn=_warn, progress=_progress, fmt=chosen, keep=keep
        )
        total = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE screenable = false) FROM works"
        ).fetchone()
    finally:
        con.close()
    print_ingest(report)
    works, slim = (int(total[0]), int(total[1])) if total else (0, 0)
    console.print(
        f"store {db}: {works} works, {works - slim} with details, {slim} stored slim "
        "(no watchlist name or id in their affiliations)",
        highlight=False,
    )


def screen(
    files: list[Path] = typer.Argument(
        None, help="Files or folders to ingest first (optional; else the store is screened)."
    ),
    db: Path = db_option(),
    out: Path = out_dir_option("Output folder for the CSV tables, summary.json, report.html."),
    categories: str = typer.Option(
        "military,seven_sons",
        "--categories",
        help="Watchlist categories: military, seven_sons, defence_industry, security, civilian "
        "(comma-separated) or 'all'.",
    ),
    countries: str = typer.Option(
        "europe", "--countries", help="Focus countries: 'europe' (EU27+GB,CH,NO,IS,LI) or IT,DE,..."
    ),
    since: int = typer.Option(None, "--since", help="First publication year (inclusive)."),
    until: int = typer.Option(None, "--until", help="Last publication year (inclusive)."),
    strict: bool = strict_option(),
    pseudonymise: bool = typer.Option(
        False, "--pseudonymise", help="Replace researcher names with stable codes in the report."
    ),
    fmt: str = format_option(),
    keep_all: bool = keep_all_option(),
) -> None:
    """Flag co-publications of focus-country institutions with watchlist entities.

    Example: dualscope screen works.jsonl.gz --out out/ --countries IT,DE --since 2015
    """
    from dualscope.screening.options import ScreenOptions, parse_categories, parse_countries
    from dualscope.screening.run import screen as run_screen

    options = ScreenOptions(
        categories=parse_categories(categories),
        countries=parse_countries(countries),
        since=since,
        until=until,
        countries_spec=countries,
    )
    run = run_screen(
        db,
        out,
        options,
        files=files or (),
        strict=strict,
        warn=_warn,
        progress=_progress,
        pseudonymise=pseudonymise,
        fmt=fmt,
        keep_all=keep_all,
    )
    if run.ingest is not None:
        print_ingest(run.ingest)
    print_screen(run.summary)
    console.print(f"Report: {out / 'report.html'}  (tables: {out}/*.csv)", highlight=False)


def print_screen(summary: dict[str, Any], top: int = 10) -> None:
    """Top countries and entities of a run, as two short tables."""
    from rich.table import Table

    console.print(
        f"{summary['works_read']} works screened, {summary['candidates']} candidates, "
        f"[bold]{summary['flagged']} flagged[/]",
        highlight=False,
    )
    for title, key, label in (
        ("Top countries", "countries", "country"),
        ("Top entities", "entities", "entity"),
    ):
        rows = list(summary[key].items())[:top]
        if not rows:
            continue
        table = Table(title=title, header_style="bold")
        table.add_column(label)
        table.add_column("works", justify="right")
        for name, count in rows:
            table.add_row(str(name), str(count))
        console.print(table)


def fetch(
    country: list[str] = typer.Option(
        None,
        "--country",
        help="Focus country (ISO code, repeatable, or 'europe'); default Europe.",
    ),
    since: int = typer.Option(None, "--since", help="First publication year (inclusive)."),
    until: int = typer.Option(None, "--until", help="Last publication year (inclusive)."),
    db: Path = db_option(),
    api_url: str = typer.Option(
        None, "--api-url", help="OpenAlex API base URL (default: $DUALSCOPE_OPENALEX_URL)."
    ),
    out_dir: Path = typer.Option(
        None,
        "--out-dir",
        help="Also keep every raw page here as JSON (re-ingestable).",
        file_okay=False,
    ),
    restart: bool = typer.Option(
        False, "--restart", help="Start the query again even if a previous run completed it."
    ),
    timeout: float = typer.Option(30.0, "--timeout", help="Seconds to wait for one answer."),
    max_attempts: int = typer.Option(8, "--max-attempts", help="Attempts per page before failing."),
) -> None:
    """Download works co-authored by China and the focus countries from the OpenAlex API.

    Resumable: rerun after an interruption to continue where it stopped.
    Example: OPENALEX_API_KEY=... dualscope fetch --country IT --country DE --since 2015
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from dualscope.geo.countries import EUROPE, parse_country_list
    from dualscope.settings import get_settings
    from dualscope.sources.openalex_api import OpenAlexClient, WorksQuery
    from dualscope.sources.openalex_fetch import fetch_works
    from dualscope.store.db import open_store

    settings = get_settings()
    focus: set[str] = set()
    for value in country or ["europe"]:
        focus |= parse_country_list(value)
    query = WorksQuery(tuple(sorted(focus or EUROPE)), since, until)
    client = OpenAlexClient(
        api_url or settings.openalex_url,
        settings.openalex_api_key,
        timeout=timeout,
        max_attempts=max_attempts,
    )
    con = open_store(db)
    try:
        with Progress(
            TextColumn("[bold]fetch[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("works"),
            console=err_console,
            transient=False,
        ) as bar:
            task = bar.add_task("fetch", total=None)

            def show(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            outcome = fetch_works(
                con, client, query, restart=restart, out_dir=out_dir, progress=show
            )
        stored = con.execute("SELECT count(*) FROM works").fetchone()
    finally:
        con.close()
        client.close()
    stats = client.stats
    if outcome.status == "already_complete":
        console.print(
            f"query already complete ({outcome.total} works): {outcome.query}; "
            "nothing to do (use --restart to fetch it again)",
            highlight=False,
        )
        return
    for _line, message in outcome.skips.examples:
        _warn(f"skipped: {message}")
    budget = (
        f"{stats.rate_limit_remaining} of {stats.rate_limit_limit}"
        if stats.rate_limit_remaining is not None
        else "not reported"
    )
    console.print(
        f"{'resumed and ' if outcome.resumed else ''}fetched {outcome.works} works in "
        f"{outcome.pages} pages (API count {outcome.total}); store {db}: "
        f"{stored[0] if stored else 0} works\n"
        f"requests made: {stats.requests} ({stats.retries} retries"
        + (", " + ", ".join(f"{k}: {v}" for k, v in stats.faults.items()) if stats.faults else "")
        + f"); rate-limit budget left: {budget}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    """Register `ingest`, `fetch` and `screen` on the root app."""
    app.command("ingest")(ingest)
    app.command("fetch")(fetch)
    app.command("screen")(screen)
