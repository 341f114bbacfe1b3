"""`dualscope report`, `dualscope export` and `dualscope serve`: read a screening result."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from dualscope.cli.common import console, db_option, err_console
from dualscope.errors import ConfigError


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    parquet = "parquet"
    ftm = "ftm"


def report(
    db: Path = db_option(),
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write report.html into."),
    pseudonymise: bool = typer.Option(
        False,
        "--pseudonymise",
        help="Replace researcher names with stable codes (R-…) everywhere in the report.",
    ),
) -> None:
    """Write the self-contained HTML report of the last screening run.

    Example: dualscope report --db screen.duckdb --out build/report --pseudonymise
    """
    from dualscope.report.html import write_report
    from dualscope.report.store import open_result_store

    # The pseudonym salt is created in the store on first use, so that needs write access.
    con = open_result_store(db, read_only=not pseudonymise)
    try:
        target = out / "report.html"
        write_report(con, target, pseudonymise=pseudonymise)
    finally:
        con.close()
    console.print(f"wrote {target}")


def export(
    db: Path = db_option(),
    fmt: ExportFormat = typer.Option(..., "--format", "-f", help="csv | xlsx | parquet | ftm"),
    out: Path = typer.Option(
        ...,
        "--out",
        "-o",
        help="csv/parquet: a folder; xlsx: a .xlsx file; ftm: a .jsonl file (all atomic).",
    ),
    pseudonymise: bool = typer.Option(
        False, "--pseudonymise", help="Replace researcher names with stable codes (not parquet)."
    ),
) -> None:
    """Export the result tables for other tools.

    Example: dualscope export --db screen.duckdb --format xlsx --out build/result.xlsx
    """
    from dualscope.report import exports, ftm
    from dualscope.report.store import open_result_store

    if pseudonymise and fmt is ExportFormat.parquet:
        raise ConfigError(
            "--pseudonymise is not available for parquet", hint="use csv, xlsx or ftm"
        )
    con = open_result_store(db, read_only=not pseudonymise)
    try:
        if fmt is ExportFormat.csv:
            counts = exports.export_csv(con, out, pseudonymise=pseudonymise)
        elif fmt is ExportFormat.xlsx:
            counts = exports.export_xlsx(con, out, pseudonymise=pseudonymise)
        elif fmt is ExportFormat.parquet:
            counts = exports.export_parquet(con, out)
        else:
            counts = {"entities": ftm.export_ftm(con, out, pseudonymise=pseudonymise)}
    finally:
        con.close()
    summary = ", ".join(f"{k} {v:,}" for k, v in counts.items())
    console.print(f"wrote {out} ({summary})")


def serve(
    db: Path = db_option(),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind (default localhost)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="TCP port."),
    pseudonymise: bool = typer.Option(
        False, "--pseudonymise", help="Show researchers only as stable codes (R-…)."
    ),
) -> None:
    """Serve the local web app (dashboard, works, search, JSON API) on the store, read-only.

    Any host but localhost requires DUALSCOPE_TOKEN; clients then send it on every request.

    Example: dualscope serve --db screen.duckdb --port 8000
    """
    import uvicorn

    from dualscope.settings import get_settings
    from dualscope.web.app import create_app
    from dualscope.web.security import require_token_for

    settings = get_settings()
    token = settings.web_token
    require_token_for(host, token)
    if pseudonymise:  # the salt lives in the store: create it now, the app opens it read-only
        from dualscope.report.pseudonym import store_salt
        from dualscope.report.store import open_result_store

        con = open_result_store(db, read_only=False)
        try:
            store_salt(con)
        finally:
            con.close()
    app = create_app(db, token=token, settings=settings, pseudonymise=pseudonymise)
    err_console.print(f"serving {db} on http://{host}:{port}/ (read-only; Ctrl-C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Register this module's commands on the root app."""
    app.command("report")(report)
    app.command("export")(export)
    app.command("serve")(serve)
