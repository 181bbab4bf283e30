"""`opsbot ingest` (the generic daily CSV for now) and `opsbot restock export`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from bot.cli_support import fail, services_from_env
from bot.errors import OpsError
from bot.i18n import translator
from bot.reports.ingest import ingest_generic

out = Console(highlight=False, soft_wrap=True)


def register(cli: typer.Typer) -> None:
    @cli.command()
    def ingest(
        files: Annotated[list[Path], typer.Argument(help="Generic daily CSV files: date,marketplace,sku,units,...")],
        team: Annotated[str | None, typer.Option(help="Team id from team.yml (the first team by default)")] = None,
    ) -> None:
        """Load report files into the daily facts; loading one again changes nothing."""
        services = services_from_env()
        chosen = services.teams.by_id(team) if team else services.teams.teams[0]
        if chosen is None:
            fail([f"--team {team}: no such team in team.yml"])
        for path in files:
            if not path.is_file():
                fail([f"{path}: no such file"])
            try:
                with services.db.transaction() as session:
                    result = ingest_generic(session, chosen.id, path)
            except OpsError as exc:
                fail([translator("en")._(exc.message, **exc.params)])
            out.print(
                f"{result.file}: {result.kind}, {result.first}..{result.last}, "
                f"{', '.join(result.marketplaces)}, {result.skus} SKUs — "
                f"{result.new} new, {result.updated} updated, {result.unchanged} unchanged"
            )

    restock_cli = typer.Typer(help="Restock requests.", no_args_is_help=True)
    cli.add_typer(restock_cli, name="restock")

    @restock_cli.command("export")
    def export(
        output: Annotated[Path | None, typer.Option("--out", help="Write here instead of standard output")] = None,
        team: Annotated[str | None, typer.Option(help="Team id from team.yml (the first team by default)")] = None,
    ) -> None:
        """Every restock request with its full audit trail, as CSV."""
        from bot.flows.restock import RestockFlow

        services = services_from_env()
        chosen = services.teams.by_id(team) if team else services.teams.teams[0]
        if chosen is None:
            fail([f"--team {team}: no such team in team.yml"])
        text = RestockFlow(services).export_csv(chosen)
        if output:
            output.write_text(text, encoding="utf-8")
            out.print(f"wrote {output}")
        else:
            typer.echo(text, nl=False)
