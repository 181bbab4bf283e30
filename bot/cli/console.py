"""`opsbot demo` and `opsbot console`: the terminal Slack, no token, no network, from any folder.

Both run on the playbooks shipped in the package unless OPSBOT_PLAYBOOKS or --playbooks names a folder, and on
a temporary database of their own unless --database names one (a URL, as DATABASE_URL is everywhere).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import database_failures, fail, settings_from_env, upgrade_database
from bot.config import packaged_playbooks
from bot.db import Database
from bot.db.migrate import pending

SCENES = Path(__file__).parents[1] / "console" / "scenes"
DEMO_START = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # Monday 08:30 in Shenzhen

DatabaseOption = Annotated[
    str | None,
    typer.Option(metavar="URL", help="Database URL, as DATABASE_URL (a temporary SQLite file by default)"),
]
PlaybooksOption = Annotated[
    Path | None,
    typer.Option(metavar="DIR", help="Playbooks folder (OPSBOT_PLAYBOOKS, else the examples shipped with Opsbot)"),
]


def _playbooks(given: Path | None) -> Path:
    if given is not None:
        return given
    settings = settings_from_env()
    return settings.playbooks_dir if settings.playbooks_given else packaged_playbooks()


@contextmanager
def _database(given: str | None) -> Iterator[str]:
    """The URL given, or a SQLite file in a temporary folder that goes when the command ends."""
    if given is not None:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="opsbot-") as folder:
        yield f"sqlite:///{Path(folder) / 'opsbot.sqlite3'}"


def _require_empty(url: str) -> None:
    database = Database(url)
    try:
        if url.startswith("sqlite") and not Path(str(database.engine.url.database)).exists():
            return
        with database_failures(database):
            fresh = bool(pending(database.engine)) and _no_tables(database)
    finally:
        database.dispose()
    if not fresh:
        fail(
            [f"{url} already holds data: the demo plays on an empty database; leave out --database for a temporary one"]
        )


def _no_tables(database: Database) -> bool:
    from sqlalchemy import inspect

    return not inspect(database.engine).get_table_names()


def demo(database: DatabaseOption = None, playbooks: PlaybooksOption = None) -> None:
    """Play a scripted morning in the terminal Slack: no token, no network."""
    from bot.console.repl import play_demo

    chosen = _playbooks(playbooks)
    if database is not None:
        _require_empty(database)
    with _database(database) as url:
        upgrade_database(url)  # the demo makes its own database, so it migrates it
        play_demo(chosen, url, DEMO_START, sorted(SCENES.glob("*.txt")))


def console(
    as_user: Annotated[str | None, typer.Option("--as", metavar="USER", help="Who you are, e.g. U0BUYER")] = None,
    in_channel: Annotated[
        str | None, typer.Option("--in", metavar="CHANNEL", help="Where you type, e.g. C0OPS")
    ] = None,
    script: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Run this console script instead of reading the keyboard")
    ] = None,
    at: Annotated[str | None, typer.Option(metavar="'YYYY-MM-DD HH:MM'", help="Start the clock here (UTC)")] = None,
    database: DatabaseOption = None,
    playbooks: PlaybooksOption = None,
) -> None:
    """An interactive terminal Slack driving the real Bolt app."""
    from bot.console.repl import run_console

    try:
        start = datetime.strptime(at, "%Y-%m-%d %H:%M").replace(tzinfo=UTC) if at else datetime.now(UTC)
    except ValueError:
        fail([f"--at {at!r}: use 'YYYY-MM-DD HH:MM' (UTC)"])
    chosen = _playbooks(playbooks)
    with _database(database) as url:
        upgrade_database(url)  # the console keeps its own database, so it migrates it
        run_console(chosen, url, start, as_user=as_user, in_channel=in_channel, script=script)


def register(cli: typer.Typer) -> None:
    for command in (demo, console):
        cli.command()(command)
