"""`dualscope areas` and `dualscope classify`: the technology-area taxonomy and classifier."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from dualscope.cli.common import console, err_console, strict_option


def areas(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the technology areas: the ten EU critical technology areas and the sensitive
    sub-areas (id, label, parent, number of phrases and of OpenAlex topics).

    Example: dualscope areas --json
    """
    from rich.table import Table

    from dualscope.classify.classifier import Classifier

    infos = Classifier.default().areas
    if as_json:
        payload = [
            {
                "id": a.id,
                "label": a.label,
                "parent": a.parent,
                "description": a.description,
                "phrases": a.phrases,
                "topics": a.topics,
            }
            for a in infos
        ]
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    table = Table(title="Technology areas (EU Recommendation 2023/2113 + sensitive sub-areas)")
    for column in ("id", "label", "parent", "phrases", "topics"):
        table.add_column(column, justify="right" if column in ("phrases", "topics") else "left")
    for a in infos:
        table.add_row(a.id, a.label, a.parent or "-", str(a.phrases), str(a.topics))
    console.print(table)


def classify(
    file: Path = typer.Argument(
        ...,
        help="CSV with columns id,title,abstract (optional keywords, ';'-separated) or OpenAlex "
        "JSON Lines (.jsonl / .jsonl.gz).",
        dir_okay=False,
    ),
    out: Path = typer.Option(
        ..., "--out", "-o", help="Output CSV: id,areas,evidence.", dir_okay=False
    ),
    strict: bool = strict_option(),
) -> None:
    """Classify works into technology areas, with the evidence for every label.

    Writes one row per work: `areas` is the ';'-joined area ids (sub-areas and their parent EU
    areas), `evidence` says which phrase in which field, or which OpenAlex topic, gave each label.

    Example: dualscope classify works.jsonl.gz --out areas.csv
    """
    from dualscope.classify.batch import classify_file

    result = classify_file(file, out, strict=strict)
    for warning in result.report.warnings:
        err_console.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    skipped = sum(result.report.skipped.values())
    if skipped:
        reasons = ", ".join(f"{n} {reason}" for reason, n in result.report.skipped.most_common())
        err_console.print(
            f"[yellow]skipped {skipped} record(s):[/] {reasons}", highlight=False, soft_wrap=True
        )
    console.print(
        f"classified {result.works} work(s), {result.labelled} with at least one area → {out}",
        highlight=False,
        soft_wrap=True,
    )
    for area_id, count in sorted(result.per_area.items(), key=lambda kv: (-kv[1], kv[0])):
        console.print(f"  {area_id:24} {count}", highlight=False)


def register(app: typer.Typer) -> None:
    """Register `areas` and `classify` on the root app."""
    app.command("areas")(areas)
    app.command("classify")(classify)
