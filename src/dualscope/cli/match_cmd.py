"""`dualscope check NAME`, `dualscope match FILE`, `dualscope watchlist import-ror DUMP`.

A thin shell over :mod:`dualscope.matching`: parse options, call one library function, render.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from dualscope.cli.common import console, err_console, strict_option
from dualscope.settings import Settings, get_settings

if TYPE_CHECKING:  # the matcher loads when a command runs, not when the CLI starts
    from dualscope.matching.types import Match
    from dualscope.watchlist.model import Entity

PROGRESS_THRESHOLD = 20_000  # lines; smaller files finish before a bar is worth drawing
LIST_LABELS = {
    "aspi_cdut": "ASPI tracker",
    "dod_1286": "DoD 1286",
    "bis_entity_list": "BIS Entity List",
    "dod_1260h": "DoD 1260H",
    "casi_pla_37": "CASI PLA 37",
}


def _home_option() -> Any:
    return typer.Option(
        None,
        "--home",
        help="Folder of your own data (default: $DUALSCOPE_HOME or ~/.dualscope).",
        file_okay=False,
    )


def _settings(home: Path | None) -> Settings:
    settings = get_settings()
    return dataclasses.replace(settings, home=home) if home else settings


def _lists(entity: Entity) -> list[str]:
    editions: dict[str, list[str]] = {}
    for membership in entity.lists:
        found = editions.setdefault(LIST_LABELS.get(membership.list, membership.list), [])
        if membership.edition and membership.edition not in found:
            found.append(membership.edition)
    return [f"{name} {', '.join(sorted(years))}".strip() for name, years in editions.items()]


def _match_json(match: Match, entity: Entity) -> dict[str, Any]:
    return {
        "entity_id": match.entity_id,
        "entity_name": match.entity_name,
        "name_zh": entity.name_zh,
        "category": match.category,
        "score": match.score,
        "lists": _lists(entity),
        "aliases": [a.name for a in entity.aliases],
        "evidence": [dataclasses.asdict(e) for e in match.evidence],
    }


def check(
    name: str = typer.Argument(..., help="An affiliation string or institution name."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    home: Path | None = _home_option(),
) -> None:
    """Say whether NAME is a watchlist institution, which one, and why.

    Prints the matched entities with category, list memberships, aliases and the evidence, or
    "no match" with the closest watchlist names (marked as not matched).

    Example: dualscope check "Natl Univ Def Technol, Coll Comp, Changsha 410073, Peoples R China"
    """
    from dualscope.matching.matcher import Matcher

    matcher = Matcher.default(_settings(home))
    matches = matcher.match(name)
    closest = [] if matches else matcher.closest(name)
    known = None if matches else matcher.known_institution(name)
    if as_json:
        entities = {e.id: e for e in matcher.watchlist.entities}
        payload = {
            "input": name,
            "matched": bool(matches),
            "matches": [_match_json(m, entities[m.entity_id]) for m in matches],
            "known_institution": dataclasses.asdict(known) if known else None,
            "closest_not_matched": [
                {"entity_id": i, "name": n, "similarity": s} for i, n, s in closest
            ],
        }
        console.print_json(json.dumps(payload, ensure_ascii=False))
        return
    if not matches:
        console.print(
            f"[bold]no match[/]: {name!r} names no watchlist institution",
            highlight=False,
            soft_wrap=True,
        )
        if known is not None:
            where = f", {known.country}" if known.country else ""
            console.print(
                f"known non-watchlist institution: {known.name}{where} ({known.source or 'ROR'})",
                highlight=False,
                soft_wrap=True,
            )
        if closest:
            console.print("closest watchlist names ([italic]not matched[/]):")
            for entity_id, closest_name, score in closest:
                console.print(
                    f"  - {closest_name} ({entity_id}), similarity {score:.2f}: not matched",
                    highlight=False,
                    soft_wrap=True,
                )
        return
    for match in matches:
        entity = matcher.index.entities[match.entity_id]
        title = f"{match.entity_name}" + (f" ({entity.name_zh})" if entity.name_zh else "")
        console.print(f"[bold green]MATCH[/] {title}", highlight=False, soft_wrap=True)
        console.print(
            f"  id: {match.entity_id}   category: {match.category}   score: {match.score}",
            soft_wrap=True,
        )
        console.print(
            f"  lists: {'; '.join(_lists(entity)) or '(none recorded)'}",
            highlight=False,
            soft_wrap=True,
        )
        aliases = [a.name for a in entity.aliases]
        shown = ", ".join(aliases[:12]) + (
            f" (+{len(aliases) - 12} more)" if len(aliases) > 12 else ""
        )
        console.print(f"  aliases: {shown or '(none)'}", highlight=False, soft_wrap=True)
        for evidence in match.evidence:
            console.print(
                f"  why: {evidence.explanation} [{evidence.rule}]", highlight=False, soft_wrap=True
            )


def match(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="One affiliation per line, or a CSV."
    ),
    out: Path = typer.Option(
        ..., "--out", "-o", help="Output CSV (written atomically).", dir_okay=False
    ),
    column: str | None = typer.Option(
        None, "--column", help="Read this column of a CSV file instead of whole lines."
    ),
    home: Path | None = _home_option(),
) -> None:
    """Match a file of affiliation strings; one output row per input line, in input order.

    Columns: input,entity_id,entity_name,category,score,evidence (several entities joined with
    ";", empty when none). Each distinct string is resolved once.

    Example: dualscope match affiliations.txt --out matches.csv
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    from dualscope.matching.batch import match_file, read_inputs
    from dualscope.matching.matcher import Matcher

    matcher = Matcher.default(_settings(home))
    total = len(read_inputs(file, column)) if file.stat().st_size > PROGRESS_THRESHOLD * 40 else 0
    if total >= PROGRESS_THRESHOLD:
        columns = (
            *Progress.get_default_columns()[:1],
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=err_console, transient=True) as bar:
            task = bar.add_task("matching", total=total)
            summary = match_file(
                file, out, matcher, column=column, progress=lambda n: bar.advance(task, n)
            )
    else:
        summary = match_file(file, out, matcher, column=column)
    console.print(
        f"{summary.rows} rows ({summary.distinct} distinct strings): {summary.matched_rows} rows "
        f"matched {len(summary.by_entity)} watchlist entities; wrote {out}",
        highlight=False,
        soft_wrap=True,
    )


def import_ror_command(
    dump: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        help="ROR data dump: v2 JSON, a .zip of it, or JSON Lines.",
    ),
    home: Path | None = _home_option(),
    strict: bool = strict_option(),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Import known institutions from a ROR data dump, so near misses do not match.

    Writes the names of every non-watchlist institution (display names, labels, aliases; country;
    parents) to known_institutions.csv in your watchlist folder. The matcher then does not pull a
    string that names one of them exactly to a similar watchlist name.

    Example: dualscope watchlist import-ror v1.55-2024-10-31-ror-data.zip
    """
    from dualscope.matching.known import import_ror, known_file
    from dualscope.watchlist.loader import load_watchlist

    settings = _settings(home)
    watchlist = load_watchlist(settings)
    exclude = {
        ident.value.lower()
        for entity in watchlist.entities
        for ident in [*entity.identifiers, *(i for s in entity.subunits for i in s.identifiers)]
        if ident.scheme == "ror"
    }
    target = known_file(settings)
    summary = import_ror(dump, target, exclude_ids=exclude, strict=strict)
    if as_json:
        console.print_json(json.dumps({**dataclasses.asdict(summary), "output": str(target)}))
        return
    console.print(
        f"read {summary.records} ROR records: wrote {summary.names} names of known institutions "
        f"to {target}; left out {summary.skipped_watchlist} watchlist institutions",
        highlight=False,
        soft_wrap=True,
    )
    if summary.skipped_bad:
        err_console.print(f"[yellow]skipped {summary.skipped_bad} bad records[/]")
        for problem in summary.first_problems or []:
            err_console.print(f"  {problem}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Register `check` and `match` on the root app and `import-ror` on `watchlist`."""
    from dualscope.cli.watchlist_cmd import watchlist_app

    app.command("check")(check)
    app.command("match")(match)
    watchlist_app.command("import-ror")(import_ror_command)
