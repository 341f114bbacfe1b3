"""The `dualscope` command line: a thin shell over the library.

Each command module registers its commands on :data:`app`; a command parses options, calls one
library function and renders the result. User mistakes (:class:`DualscopeError`) end in one line
on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn

import typer
from rich.markup import escape

from dualscope import __version__
from dualscope.cli.common import err_console
from dualscope.errors import DualscopeError

app = typer.Typer(
    name="dualscope",
    help=(
        "Show an organisation its exposure to China's military-civil fusion: research "
        "co-publications with military-linked institutions, and devices or purchases from "
        "watched surveillance vendors, with evidence a reader can check."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dualscope {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """dualscope: research-security screening with evidence."""


# Command modules register themselves on `app` when imported (order = order in --help).
from dualscope.cli import (  # noqa: E402
    classify_cmd,
    devices_cmd,
    match_cmd,
    report_cmd,
    screen_cmd,
    watchlist_cmd,
)

for _module in (watchlist_cmd, match_cmd, screen_cmd, classify_cmd, report_cmd, devices_cmd):
    _module.register(app)


def main() -> None:
    """Console-script entry point: run the app, turning user errors into one clear line.

    Typer (0.29+) vendors click, so usage errors arrive as ``typer.TyperException`` subclasses;
    file-system errors (an unwritable or impossible output path) as ``OSError``. Neither is a
    bug of dualscope, so neither may end in a traceback.
    """
    try:
        app(standalone_mode=False)
    except DualscopeError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/]: nothing was half-written; rerun to continue.")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        err_console.print("aborted")
        sys.exit(1)
    except typer.TyperException as exc:
        _fail(f"{_usage_message(exc)} (see '{_command_path(exc)} --help')")
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        _fail(f"{where}{exc.strerror or exc} (check the path and its permissions)")


GIL_SWITCH_SECONDS = 0.001


def run() -> NoReturn:
    """The ``dualscope`` console script: :func:`main`, then leave without the interpreter's
    teardown.

    Teardown frees every object left (after a screening, the matcher's indexes and a few
    hundred modules: 0.2-0.3 s) one by one, for memory the operating system takes back at
    once. Nothing is lost by skipping it: every command has closed its store and written its
    outputs (each through a temporary file, renamed) before :func:`main` returns, and worker
    pools are joined; only the standard streams and logging are flushed here. An unexpected
    exception is left to the interpreter, so its traceback prints as usual.
    """
    # The main thread mostly waits in C (DuckDB, hashing) while a thread loads the watchlist in
    # Python; taking the GIL back can wait a whole switch interval. 1 ms instead of 5: three
    # sets of 10-12 alternating screenings of the 100,000-work bench, medians 0.06-0.29 s
    # faster and 0.14-0.34 s less CPU.
    sys.setswitchinterval(GIL_SWITCH_SECONDS)
    try:
        main()
        code = 0
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # sys.exit("message") prints the message
            print(exc.code, file=sys.stderr)
            code = 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`dualscope ... | head`): nothing to do
            code = code or 1
    os._exit(code)


def _fail(message: str) -> None:
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    sys.exit(2)


def _usage_message(exc: typer.TyperException) -> str:
    format_message = getattr(exc, "format_message", None)
    return str(format_message()) if callable(format_message) else str(exc)


def _command_path(exc: typer.TyperException) -> str:
    ctx = getattr(exc, "ctx", None)
    return str(getattr(ctx, "command_path", "") or "dualscope")
