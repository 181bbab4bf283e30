"""What the CLI commands share: settings and services built once, and one way to fail politely."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings, load_settings
from bot.db import Database
from bot.db.migrate import require_current, upgrade
from bot.doctor import database_problem, sqlite_folder_missing
from bot.errors import ConfigError
from bot.wiring import Opsbot, wire

err_console = Console(stderr=True)


def fail(problems: list[str], code: int = 2) -> NoReturn:
    """Print each problem on its own line (no traceback) and exit with ``code``.

    Wrapped to the width of a terminal; into a pipe or a log each problem stays one line, so it can be grepped."""
    wrap = err_console.is_terminal
    err_console.print("[bold red]Opsbot cannot continue:[/bold red]")
    for problem in problems:
        err_console.print(f"  • {problem}", markup=False, highlight=False, soft_wrap=not wrap)
    raise SystemExit(code)


def settings_from_env() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        fail(exc.problems)


def services_from_env(settings: Settings | None = None) -> Opsbot:
    """The one place a command builds services. It never migrates (`opsbot db upgrade` does, once, under a lock):
    on a database that is behind, or one that cannot be reached, the command stops and says so in one line."""
    chosen = settings or settings_from_env()
    try:
        services = wire(chosen, migrate=False)
    except ConfigError as exc:
        fail(exc.problems)
    try:
        with database_failures(services.db):
            require_current(services.db.engine)
    except ConfigError as exc:
        services.db.dispose()
        fail(exc.problems)
    return services


@contextmanager
def database_failures(database: Database) -> Iterator[None]:
    """A database that is down, missing or in a folder that is not there: one line naming which, exit 2."""
    url = database.engine.url
    if sqlite_folder_missing(url) is not None:
        database.dispose()
        fail([database_problem(url)])
    try:
        yield
    except (SQLAlchemyError, OSError) as exc:
        database.dispose()
        fail([database_problem(url, exc)])


def upgrade_database(database_url: str) -> str:
    """Apply the pending migrations to this database; what was done, to tell whoever asked."""
    database = Database(database_url)
    try:
        with database_failures(database):
            applied = upgrade(database.engine)
        shown = database.engine.url.render_as_string(hide_password=True)
    finally:
        database.dispose()
    done = f"applied {len(applied)} migration{'' if len(applied) == 1 else 's'}; " if applied else ""
    return f"{done}database is up to date: {shown}"
