"""``devices.html``: one self-contained page (inline CSS, no scripts, no network loads).

Every string from the inputs goes through Jinja2 autoescaping; nothing is marked safe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from dualscope.fsutil import atomic_file


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("dualscope.devices.outputs", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(context: dict[str, Any]) -> str:
    """The report page for ``context`` (devices, contracts, summary, catalogue facts)."""
    return _environment().get_template("devices.html.j2").render(**context)


def write_html(path: Path, context: dict[str, Any]) -> None:
    with atomic_file(path) as handle:
        handle.write(render_html(context))
