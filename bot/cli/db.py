"""`opsbot db upgrade`: the database migrations."""

from __future__ import annotations

import typer

from bot.cli.support import settings_from_env, upgrade_database


def db_upgrade() -> None:
    """Apply the database migrations (run, serve and the data commands need them); replicas at once migrate once."""
    typer.echo(upgrade_database(settings_from_env().database_url))


def register(cli: typer.Typer) -> None:
    db_cli = typer.Typer(help="Database migrations.", no_args_is_help=True)
    db_cli.command("upgrade")(db_upgrade)
    cli.add_typer(db_cli, name="db")
