"""`opsbot demo` and `opsbot console`: the terminal Slack, no token, no network."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.support import fail, upgrade_database

SCENES = Path(__file__).parents[1] / "console" / "scenes"
DEMO_START = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # Monday 08:30 in Shenzhen


def demo(
    database: Annotated[Path, typer.Option(help="SQLite file for the demo (recreated each run)")] = Path(
        "opsbot-demo.sqlite3"
    ),
    playbooks: Annotated[Path, typer.Option(help="Playbooks folder")] = Path("playbooks"),
) -> None:
    """Play a scripted morning in the terminal Slack: no token, no network."""
    from bot.console.repl import play_demo

    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    upgrade_database(f"sqlite:///{database}")  # the demo makes its own database, so it migrates it
    play_demo(playbooks, f"sqlite:///{database}", DEMO_START, sorted(SCENES.glob("*.txt")))


def console(
    as_user: Annotated[str | None, typer.Option("--as", help="Who you are, e.g. U0BUYER")] = None,
    in_channel: Annotated[str | None, typer.Option("--in", help="Where you type, e.g. C0OPS")] = None,
    script: Annotated[Path | None, typer.Option(help="Run this console script instead of reading the keyboard")] = None,
    at: Annotated[str | None, typer.Option(help="Start the clock here: 'YYYY-MM-DD HH:MM' (UTC)")] = None,
    database: Annotated[str, typer.Option(help="Database URL")] = "sqlite:///opsbot-console.sqlite3",
    playbooks: Annotated[Path, typer.Option(help="Playbooks folder")] = Path("playbooks"),
) -> None:
    """An interactive terminal Slack driving the real Bolt app."""
    from bot.console.repl import run_console

    try:
        start = datetime.strptime(at, "%Y-%m-%d %H:%M").replace(tzinfo=UTC) if at else datetime.now(UTC)
    except ValueError:
        fail([f"--at {at!r}: use 'YYYY-MM-DD HH:MM' (UTC)"])
    upgrade_database(database)  # the console keeps its own database, so it migrates it
    run_console(playbooks, database, start, as_user=as_user, in_channel=in_channel, script=script)


def register(cli: typer.Typer) -> None:
    for command in (demo, console):
        cli.command()(command)
