"""Write watchlist YAML deterministically (stable order, no defaults), atomically.

The same writer serves the build script (bundled data) and the import commands (user data), so
a re-run that changes nothing produces byte-identical files and a reviewable diff otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from dualscope.fsutil import atomic_file
from dualscope.watchlist.model import Entity, Source

FORMAT = "dualscope-watchlist/1"


class _Dumper(yaml.SafeDumper):
    """Safe dumper that indents lists under their key (easier to read in review)."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def entity_to_dict(entity: Entity) -> dict[str, Any]:
    """Plain data for YAML: field order of the model, defaults and empty values left out."""
    return entity.model_dump(mode="json", exclude_defaults=True)


def dump_yaml(data: Any) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


def write_entities(
    path: Path,
    entities: list[Entity],
    *,
    header: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """Write ``entities`` (sorted by id) to ``path`` atomically, with a comment header."""
    body: dict[str, Any] = {"format": FORMAT, **(extra or {})}
    body["entities"] = [entity_to_dict(e) for e in sorted(entities, key=lambda e: e.id)]
    text = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    with atomic_file(path) as handle:
        handle.write(text + dump_yaml(body))


def write_index(path: Path, *, version: str, sources: list[Source], header: str) -> None:
    """Write the top-level ``watchlist.yaml``: version string and the list sources."""
    body = {
        "format": FORMAT,
        "version": version,
        "sources": [s.model_dump(mode="json", exclude_defaults=True) for s in sources],
    }
    text = "".join(f"# {line}\n".replace("# \n", "#\n") for line in header.splitlines())
    with atomic_file(path) as handle:
        handle.write(text + dump_yaml(body))
