"""`dualscope watchlist ...`: list, show and validate the watchlist; import official lists.

A thin shell: each command calls one function of :mod:`dualscope.watchlist` and renders it.
Other modules may add commands to :data:`watchlist_app` (the matcher adds ``import-ror``).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from dualscope.cli.common import console, strict_option
from dualscope.errors import DualscopeError
from dualscope.settings import Settings, get_settings
from dualscope.watchlist.categories import CATEGORIES, Category

if TYPE_CHECKING:  # the watchlist (YAML, pydantic) loads when a command runs
    from dualscope.watchlist.importer import ImportSummary
    from dualscope.watchlist.model import Entity, ListMembership

watchlist_app = typer.Typer(
    name="watchlist",
    help=(
        "The watchlist of Chinese military-linked institutions (ASPI tracker, DoD 1286, BIS): "
        "list, show, validate, and import official lists into your own watchlist.\n\n"
        "Example: dualscope watchlist show nudt"
    ),
    no_args_is_help=True,
)

LIST_LABELS = {
    "aspi_cdut": "ASPI",
    "dod_1286": "DoD 1286",
    "bis_entity_list": "BIS",
    "dod_1260h": "DoD 1260H",
    "casi_pla_37": "CASI 37",
}


def home_option() -> Any:
    return typer.Option(
        None,
        "--home",
        help="Folder of your own data (default: $DUALSCOPE_HOME or ~/.dualscope); "
        "the user watchlist is its watchlist/ folder.",
        file_okay=False,
    )


def _settings(home: Path | None) -> Settings:
    settings = get_settings()
    return dataclasses.replace(settings, home=home) if home else settings


def _years(years: list[str]) -> str:
    """``2022-2025`` for consecutive editions, ``2023, 2025`` otherwise."""
    ordered = sorted(set(years))
    if len(ordered) > 2 and all(y.isdigit() for y in ordered):
        numbers = [int(y) for y in ordered]
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{ordered[0]}-{ordered[-1]}"
    return ", ".join(ordered)


def memberships_summary(memberships: list[ListMembership]) -> str:
    """``ASPI 2020; DoD 1286 2022-2025; BIS`` for tables."""
    editions: dict[str, list[str]] = {}
    for membership in memberships:
        editions.setdefault(membership.list, [])
        if membership.edition:
            editions[membership.list].append(membership.edition)
    parts = [
        f"{LIST_LABELS.get(name, name)} {_years(found)}".strip() for name, found in editions.items()
    ]
    return "; ".join(parts)


def lists_summary(entity: Entity) -> str:
    """The entity's own list memberships in one line."""
    return memberships_summary(entity.lists)


@watchlist_app.command("list")
def list_command(
    category: str | None = typer.Option(
        None, "--category", "-c", help=f"Only this category: {', '.join(CATEGORIES)}."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    home: Path | None = home_option(),
) -> None:
    """List the watchlist entities (bundled + yours).

    Example: dualscope watchlist list --category seven_sons
    """
    from rich.table import Table

    if category is not None and category not in CATEGORIES:
        close = difflib.get_close_matches(category, CATEGORIES, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"one of {', '.join(CATEGORIES)}"
        raise DualscopeError(f"unknown category {category!r}", hint=hint)
    from dualscope.watchlist.loader import load_with_origins

    watchlist = load_with_origins(_settings(home)).watchlist
    entities = sorted(
        (e for e in watchlist.entities if category is None or e.category == category),
        key=lambda e: (CATEGORIES.index(e.category), e.name_en.casefold()),
    )
    if as_json:
        rows = [
            {
                "id": e.id,
                "name_en": e.name_en,
                "name_zh": e.name_zh,
                "category": e.category,
                "lists": sorted({m.list for m in e.lists}),
                "lists_summary": lists_summary(e),
                "ror": e.ids("ror"),
            }
            for e in entities
        ]
        typer.echo(
            json.dumps(
                {"version": watchlist.version, "entities": rows}, ensure_ascii=False, indent=2
            )
        )
        return
    table = Table(
        title=f"Watchlist {watchlist.version}: {len(entities)} entities", show_lines=False
    )
    for column in ("id", "name", "Chinese name", "category", "lists", "ROR"):
        table.add_column(column, overflow="fold", no_wrap=column in ("id", "ROR"))
    for e in entities:
        table.add_row(
            e.id, e.name_en, e.name_zh or "", e.category, lists_summary(e), ", ".join(e.ids("ror"))
        )
    console.print(table)


def _find(entity_id: str, entities: list[Entity]) -> Entity:
    from dualscope.watchlist.resolve import NameIndex

    by_id = {e.id: e for e in entities}
    if entity_id in by_id:
        return by_id[entity_id]
    target = NameIndex(entities).lookup(entity_id)
    if target is not None:
        return by_id[target.entity_id]
    close = difflib.get_close_matches(entity_id, list(by_id), n=3, cutoff=0.6)
    hint = f"did you mean {', '.join(close)}?" if close else "see `dualscope watchlist list`"
    raise DualscopeError(f"no watchlist entity {entity_id!r}", hint=hint)


def _membership_row(m: ListMembership) -> list[str]:
    dates = " to ".join(str(d) for d in (m.start, m.end) if d) or ""
    src = m.source.url or m.source.name
    if m.source.note:
        src += f" ({m.source.note})"
    return [LIST_LABELS.get(m.list, m.list), m.edition or "", m.name_on_list or "", dates, src]


def _show(entity: Entity, origin: str | None) -> None:
    from rich.table import Table

    console.print(f"[bold]{entity.name_en}[/]  {entity.name_zh or ''}", highlight=False)
    console.print(f"id {entity.id} · category [bold]{entity.category}[/] · from {origin or '?'}")
    if entity.notes:
        console.print(f"note: {entity.notes}", highlight=False)
    facts = [
        ("supervising agencies", entity.supervising_agencies),
        ("topics", entity.topics),
    ]
    for label, values in facts:
        if values:
            console.print(f"{label}: " + "; ".join(values), highlight=False)
    loc = entity.location
    where = ", ".join(p for p in (loc.city, loc.province) if p)
    if loc.address or where:
        coords = f" ({loc.lat}, {loc.lon})" if loc.lat is not None else ""
        console.print(f"location: {loc.address or ''} [{where}]{coords}", highlight=False)
    tables: list[tuple[str, list[str], list[list[str]]]] = [
        (
            "Aliases",
            ["name", "kind", "source / note"],
            [
                [a.name, a.kind, "; ".join(x for x in (a.source, a.note) if x)]
                for a in entity.aliases
            ],
        ),
        (
            "Identifiers",
            ["scheme", "value", "confidence", "source"],
            [[i.scheme, i.value, i.confidence, i.source] for i in entity.identifiers],
        ),
        (
            "Lists",
            ["list", "edition", "name on list", "dates", "source"],
            [_membership_row(m) for m in entity.lists],
        ),
        (
            "Sub-units",
            ["name", "Chinese name", "kind", "ids", "lists"],
            [
                [
                    u.name,
                    u.name_zh or "",
                    u.kind,
                    ", ".join(f"{i.scheme}:{i.value}" for i in u.identifiers),
                    memberships_summary(u.lists),
                ]
                for u in entity.subunits
            ],
        ),
        (
            "Sources",
            ["name", "url", "date", "note"],
            [[s.name, s.url or "", str(s.date or ""), s.note or ""] for s in entity.sources],
        ),
    ]
    for title, columns, rows in tables:
        if not rows:
            continue
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*row)
        console.print(table)


@watchlist_app.command("show")
def show_command(
    entity_id: str = typer.Argument(..., metavar="ID", help="Entity id (or an exact name/alias)."),
    as_json: bool = typer.Option(False, "--json", help="Print the entity as JSON."),
    home: Path | None = home_option(),
) -> None:
    """Show every fact held about one entity, each with its source.

    Example: dualscope watchlist show nudt
    """
    from dualscope.watchlist.loader import load_with_origins

    loaded = load_with_origins(_settings(home))
    entity = _find(entity_id, loaded.watchlist.entities)
    if as_json:
        data = entity.model_dump(mode="json")
        data["origin"] = loaded.origins.get(entity.id)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _show(entity, loaded.origins.get(entity.id))


@watchlist_app.command("validate")
def validate_command(
    path: Path | None = typer.Argument(
        None, help="A watchlist YAML file or folder (default: the bundled + your watchlist)."
    ),
    home: Path | None = home_option(),
) -> None:
    """Check watchlist data; exit 1 and list the problems when any are found.

    Example: dualscope watchlist validate ~/.dualscope/watchlist/imported.yaml
    """
    from dualscope.watchlist.validate import validate_path

    checked, problems = validate_path(path, _settings(home))
    # Plain lines (no wrapping): one problem per line, easy to grep or paste into an issue.
    if problems:
        for problem in problems:
            typer.echo(f"✗ {problem}")
        typer.echo(f"{len(problems)} problem(s) in {checked}")
        raise typer.Exit(1)
    typer.echo(f"✓ {checked}: valid")


def _render_summary(summary: ImportSummary, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(summary.as_dict(), ensure_ascii=False, indent=2))
        return
    verb = "would write" if summary.dry_run else "wrote"
    changed = bool(summary.added or summary.updated)
    console.print(f"read {summary.records} records from {summary.source}", highlight=False)
    console.print(f"added: {len(summary.added)}")
    for entity_id in summary.added:
        console.print(f"  + {entity_id}", highlight=False)
    console.print(f"updated: {len(summary.updated)}", highlight=False)
    for entity_id, changes in summary.updated.items():
        console.print(f"  {entity_id}: {', '.join(changes)}", highlight=False)
    console.print(f"unchanged: {len(summary.unchanged)}")
    not_matched = sum(summary.not_matched.values())
    console.print(f"not matched: {not_matched}")
    for reason, count in sorted(summary.not_matched.items()):
        console.print(f"  {reason}: {count}", highlight=False)
    skipped = sum(summary.skipped.values())
    if skipped:
        console.print(
            f"[yellow]records skipped[/]: {skipped} " + str(summary.skipped), highlight=False
        )
    for warning in summary.warnings[:5]:
        console.print(f"[yellow]warning[/]: {warning}", highlight=False)
    if changed:
        console.print(f"{verb} {summary.output}", highlight=False)
    else:
        console.print("nothing to change: your watchlist already holds these facts")


@watchlist_app.command("import-aspi")
def import_aspi_command(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="MISP galaxy JSON (values[].value/meta)."
    ),
    home: Path | None = home_option(),
    strict: bool = strict_option(),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Report what would change; write nothing."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Import an ASPI China Defence Universities Tracker file (MISP galaxy layout).

    Example: dualscope watchlist import-aspi china-defence-universities.json
    """
    from dualscope.watchlist.importer import import_aspi

    summary = import_aspi(file, _settings(home), strict=strict, dry_run=dry_run)
    _render_summary(summary, as_json)


@watchlist_app.command("import-1286")
def import_1286_command(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, help="CSV: name, aliases, edition (or report-date)."
    ),
    category: str = typer.Option(
        "civilian", "--category", help="Category for Chinese institutions not yet on the watchlist."
    ),
    home: Path | None = home_option(),
    strict: bool = strict_option(),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Report what would change; write nothing."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Import a US DoD Section 1286 list (CSV, one row per institution and edition).

    Rows for institutions outside China are skipped and counted by country.

    Example: dualscope watchlist import-1286 section_1286.csv --category military
    """
    if category not in CATEGORIES:
        raise DualscopeError(
            f"unknown category {category!r}", hint=f"one of {', '.join(CATEGORIES)}"
        )
    from dualscope.watchlist.importer import import_1286

    chosen: Category = category  # type: ignore[assignment]
    summary = import_1286(file, _settings(home), category=chosen, strict=strict, dry_run=dry_run)
    _render_summary(summary, as_json)


def register(app: typer.Typer) -> None:
    """Register ``dualscope watchlist`` on the root app."""
    app.add_typer(watchlist_app, name="watchlist")
