"""`opsbot ingest`, `opsbot kpi`, `opsbot digest` and `opsbot restock export`."""

from __future__ import annotations

import json
import shlex
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from bot.cli.support import fail, services_from_env
from bot.errors import OpsError
from bot.i18n import translator

if TYPE_CHECKING:
    from bot.ops.team import Team
    from bot.wiring import Opsbot

out = Console(highlight=False, soft_wrap=True)
TeamOption = Annotated[str | None, typer.Option(help="Team id from team.yml (the first team by default)")]


def _team(services: Opsbot, team: str | None) -> Team:
    chosen = services.teams.by_id(team) if team else (services.teams.teams[0] if services.teams.teams else None)
    if chosen is None:
        fail([f"--team {team}: no such team in team.yml"])
    return chosen


def _day(flag: str, text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        fail([f"{flag} {text!r}: use YYYY-MM-DD"])


def _explain(exc: OpsError) -> list[str]:
    return [translator("en")._(exc.message, **exc.params)]


def ingest(
    files: Annotated[list[Path], typer.Argument(help="Report exports (Business, Ads, inventory, returns, "
                                                     "orders, Shopify) or the generic daily CSV")],
    marketplace: Annotated[str | None, typer.Option(help="For reports that do not say, e.g. US")] = None,
    start: Annotated[str | None, typer.Option("--from", help="First day, for reports without dates")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day, for reports without dates")] = None,
    team: TeamOption = None,
) -> None:
    """Load report files into the facts; loading one again changes nothing. Each file is loaded whole or not at
    all, the others whatever happens to it; each one's fate is listed (exit 2 when any was skipped, as for bad
    flags)."""
    from bot.flows.kpi import KpiFlow
    from bot.reports.catalog import is_catalog
    from bot.reports.ingest import FileRefused
    from bot.reports.loaders import Period

    first, last = _day("--from", start), _day("--to", end)
    if (first is None) != (last is None):
        fail(["give both --from and --to (the same date for a one-day report)"])
    period = Period(first, last) if first and last else None
    services = services_from_env()
    chosen = _team(services, team)
    en = translator("en")
    try:
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("{task.fields[rows]:,} rows"), console=out, transient=True) as progress:
            task = progress.add_task(files[0].name if files else "", total=len(files), rows=0)

            def finished(name: str) -> None:
                progress.update(task, advance=1, description=name)

            result = KpiFlow(services.context).ingest(
                chosen, files, marketplace, period, keep_going=True, done=finished,
                progress=lambda n: progress.update(task, rows=progress.tasks[0].fields["rows"] + n))
    except OpsError as exc:
        fail(_explain(exc))
    for fate in result.fates:
        if isinstance(fate, FileRefused):
            path = next((f for f in files if f.name == fate.file), None)
            if path is not None and path.is_file() and is_catalog(path, fate.file):
                out.print(f"✗ {fate.file}: skipped because it is a SKU catalogue, not a report: load it with "
                          f"opsbot catalog import {shlex.quote(fate.file)}", markup=False)
                continue
            out.print(f"✗ {fate.file}: skipped because {_explain(fate.reason)[0]}", markup=False)
            continue
        rows = fate.new + fate.updated + fate.unchanged
        # The CLI keeps ISO days on purpose: it takes --from/--to YYYY-MM-DD and answers in that form, so a range
        # can be copied back into a flag and its logs grepped. Slack replies write days the reader's way.
        days = f"{fate.first or ''}..{fate.last or ''}"
        out.print(f"✓ {fate.file}: loaded {rows:,} rows as {en._(fate.label)} for {days} "
                  f"({', '.join(fate.marketplaces) or '—'}, {fate.skus} SKUs): {fate.new} new, {fate.updated} "
                  f"updated, {fate.unchanged} unchanged", markup=False)
    skipped = len(result.refused)
    out.print(f"{len(result.files)} of {len(result.fates)} files loaded" + (f", {skipped} skipped" if skipped else ""))
    if skipped:
        raise typer.Exit(2)


def kpi(
    start: Annotated[str, typer.Option("--from", help="First day YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="Last day YYYY-MM-DD")],
    marketplace: Annotated[str | None, typer.Option(help="Only this marketplace, e.g. US")] = None,
    sku: Annotated[str | None, typer.Option(help="Only this SKU")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable numbers")] = False,
    team: TeamOption = None,
) -> None:
    """KPIs for a window, per marketplace and in total (the base currency)."""
    from bot.blocks.kpi import NAMES, shown
    from bot.flows.kpi import KpiFlow

    first, last = _day("--from", start), _day("--to", end)
    assert first is not None and last is not None
    services = services_from_env()
    chosen = _team(services, team)
    try:
        wanted = marketplace.upper() if marketplace else None
        report = KpiFlow(services.context).report(chosen, first, last, wanted, sku)
    except OpsError as exc:
        fail(_explain(exc))
    if as_json:
        typer.echo(json.dumps(report.as_json(), indent=2))
        return
    tr = translator("en")
    # ISO like the --from/--to it was given (see ingest); Slack's /kpi writes days the reader's way.
    out.print(f"{first}..{last}, data through {report.data_through or 'no data'}")
    if len(set(report.coverage.values())) > 1:  # sources stopping on different days, as /kpi says in Slack
        out.print("coverage: " + "; ".join(f"{source} through {day}" for source, day in report.coverage.items()))
    for title, kpis in [(f"Total ({report.base})", report.total),
                        *((f"{m} ({k.currency})", k) for m, k in report.marketplaces.items())]:
        out.print(f"[bold]{title}[/bold]")
        for name, label in NAMES.items():
            out.print(f"  {label}: {shown(tr, name, kpis)}")


def digest(
    team: Annotated[str, typer.Option(help="Team id from team.yml")],
    day: Annotated[str | None, typer.Option("--date", help="The morning of this day (today by default)")] = None,
    post: Annotated[bool, typer.Option("--post", help="Post it to the team's channel")] = False,
) -> None:
    """Print the morning KPI digest, or post it with --post."""
    from bot.blocks.common import as_text
    from bot.blocks.kpi import digest_blocks
    from bot.flows.kpi import KpiFlow

    services = services_from_env()
    chosen = _team(services, team)
    flow = KpiFlow(services.context)
    today = _day("--date", day) or services.context.today(chosen)
    try:
        if post:
            done = flow.post_digest(chosen, today)
            if done.channel is None:
                fail([f"{chosen.id} has no digest channel: set digest: {chosen.id}: channel: in kpi.yml"])
            if done.already and done.at is not None:
                out.print(f"the digest for {chosen.id} on {today} was already posted, to #{done.key} "
                          f"({done.channel}) at {done.at.astimezone(chosen.zone):%Y-%m-%d %H:%M %Z}: not posted again")
                return
            if not services.delivery.outbox.drain(timeout=120):
                fail(["the digest is saved but Slack has not taken it yet: a running `opsbot serve` or "
                      "`opsbot run` sends it, or run this again later (it is not posted twice)"])
            out.print(f"posted the digest for {chosen.id}")
            return
        data = flow.fresh_alerts(chosen, flow.digest(chosen, today), save=False)
    except OpsError as exc:
        fail(_explain(exc))
    for line in as_text(digest_blocks(translator(chosen.locale), data, chosen.name)):
        out.print(line, markup=False)


def export(
    output: Annotated[Path | None, typer.Option("--out", help="Write here instead of standard output")] = None,
    team: TeamOption = None,
) -> None:
    """Every restock request with its full audit trail, as CSV."""
    from bot.flows.restock_cards import RestockCards
    from bot.ops.restock_playbook import RestockPlaybook

    services = services_from_env()
    chosen = _team(services, team)
    text = RestockCards(services.context, services.context.playbook(RestockPlaybook)).export_csv(chosen)
    if output:
        output.write_text(text, encoding="utf-8")
        out.print(f"wrote {output}")
    else:
        typer.echo(text, nl=False)


def register(cli: typer.Typer) -> None:
    for command in (ingest, kpi, digest):
        cli.command()(command)
    restock_cli = typer.Typer(help="Restock requests.", no_args_is_help=True)
    restock_cli.command("export")(export)
    cli.add_typer(restock_cli, name="restock")
