"""`dualscope devices`: watched surveillance vendors' devices and purchases in your own data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer

from dualscope.cli.common import console, err_console, out_dir_option, strict_option


def devices(
    inputs: list[Path] = typer.Argument(
        ...,
        help="Files or folders: asset inventories (CSV/XLSX), nmap XML, Zeek logs "
        "(TSV or JSON), OCDS JSON. Formats are detected from the content.",
        exists=False,
    ),
    out: Path = out_dir_option(
        "Output folder for devices.csv, contracts.csv, devices.html and summary.json "
        "(written atomically)."
    ),
    strict: bool = strict_option(),
) -> None:
    """Find Hikvision/Dahua devices (and their brands) and purchases of them.

    Example: dualscope devices inventory.xlsx scans/ zeek/ ocds.json --out build/devices
    """
    from rich.table import Table

    from dualscope.devices.pipeline import run_devices

    def warn(message: str) -> None:
        err_console.print(f"[yellow]warning:[/] {message}", highlight=False, markup=True)

    result = run_devices(inputs, out, strict=strict, warn=warn)
    table = Table(title=f"dualscope devices → {out}")
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("records read", str(result.summary.get("records_read_total", 0)))
    table.add_row("records skipped", str(result.log.skipped_total))
    for vendor, n in sorted(Counter(d.vendor for d in result.devices).items()):
        table.add_row(f"devices: {vendor}", str(n))
    table.add_row("devices (all)", str(len(result.devices)))
    table.add_row("purchases", str(len(result.contracts)))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Register this module's commands on the root app."""
    app.command("devices", no_args_is_help=True)(devices)
