"""`opsbot meetings export`: a month's meetings as Markdown — every agenda line, decision and action and its
outcome."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import fail, services_from_env
from bot.errors import OpsError
from bot.i18n import translator


def export(
    month: Annotated[str, typer.Option(help="The month, YYYY-MM")],
    team: Annotated[str | None, typer.Option(help="Team id from team.yml (the first team by default)")] = None,
    output: Annotated[Path | None, typer.Option("--out", help="Write here instead of standard output")] = None,
) -> None:
    """The month's weekly meetings and monthly reviews as Markdown, in the team's language."""
    from bot.flows.meeting_calendar import MeetingCalendar
    from bot.flows.meeting_history import MeetingHistory

    services = services_from_env()
    chosen = services.teams.by_id(team) if team else (services.teams.teams[0] if services.teams.teams else None)
    if chosen is None:
        fail([f"--team {team}: no such team in team.yml"])
    history = MeetingHistory(services.context, MeetingCalendar(services.context))
    try:
        text = history.export_markdown(chosen, month, translator(chosen.locale))
    except OpsError as exc:
        fail([translator("en")._(exc.message, **exc.params)])
    if output:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}")
    else:
        typer.echo(text, nl=False)


def register(cli: typer.Typer) -> None:
    meetings_cli = typer.Typer(help="Weekly meetings and monthly reviews.", no_args_is_help=True)
    meetings_cli.command("export")(export)
    cli.add_typer(meetings_cli, name="meetings")
