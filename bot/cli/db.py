"""`opsbot db upgrade`: the database migrations."""

from __future__ import annotations

import typer

from bot.cli.support import settings_from_env


def db_upgrade() -> None:
    """Apply the database migrations (also done automatically at start)."""
    from bot.db import Database
    from bot.db.migrate import upgrade

    settings = settings_from_env()
    database = Database(settings.database_url)
    upgrade(database.engine)
    typer.echo(f"database is up to date: {database.engine.url.render_as_string(hide_password=True)}")


def register(cli: typer.Typer) -> None:
    db_cli = typer.Typer(help="Database migrations.", no_args_is_help=True)
    db_cli.command("upgrade")(db_upgrade)
    cli.add_typer(db_cli, name="db")
