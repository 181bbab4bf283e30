"""The console's two faces: ``opsbot demo`` plays the scenes; ``opsbot console`` reads your lines."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from rich.console import Console

from bot.console.errors import ConsoleError
from bot.console.session import ConsoleSlack
from bot.reports.ingest import ingest_generic

out = Console(highlight=False, soft_wrap=True)


def _show(text: str) -> None:
    for line in text.splitlines():
        if line.startswith("──"):
            out.print(line, style="bold cyan", markup=False)
        elif line.startswith("» "):
            out.print(line, style="bold yellow", markup=False)
        elif line.startswith("#"):
            out.print(line, style="dim", markup=False)
        else:
            out.print(line, markup=False)


def _play(slack: ConsoleSlack, lines: Iterable[str]) -> bool:
    ok = True
    for line in lines:
        if line.strip():
            _show(("» " if not line.startswith("#") else "") + line.rstrip())
        try:
            result = slack.send(line)
        except ConsoleError as exc:
            out.print(f"  ! {exc}", style="red", markup=False)
            ok = False
            continue
        if result:
            _show(result)
    return ok


def _quiet_logs() -> None:
    # The transcript is what a person sees; warnings (a refused forged click, say) stay out of it.
    logging.basicConfig(level=logging.ERROR)


DEMO_DATA = Path(__file__).parent / "demo_data"


def play_demo(playbooks: Path, database_url: str, start: datetime, scenes: list[Path]) -> None:
    _quiet_logs()
    slack = ConsoleSlack(playbooks_dir=playbooks, database_url=database_url, start=start)
    try:
        # The team's sales history, as if its reports had been loaded last night.
        with slack.services.db.transaction() as session:
            for path in sorted(DEMO_DATA.glob("*.csv")):
                ingest_generic(session, slack.team.id, path)
        for scene in scenes:
            out.rule(scene.stem.split("_", 1)[-1].replace("_", " ").title(), style="magenta")
            if not _play(slack, scene.read_text(encoding="utf-8").splitlines()):
                raise SystemExit(f"demo scene {scene.name} failed")
    finally:
        slack.close()
    out.print("\nThat was Opsbot's morning. Try it yourself: opsbot console", style="bold green")


def run_console(
    playbooks: Path, database_url: str, start: datetime, *, as_user: str | None, in_channel: str | None,
    script: Path | None,
) -> None:
    _quiet_logs()
    slack = ConsoleSlack(playbooks_dir=playbooks, database_url=database_url, start=start,
                         as_user=as_user, in_channel=in_channel)
    try:
        if script is not None:
            if not _play(slack, script.read_text(encoding="utf-8").splitlines()):
                raise SystemExit(1)
            return
        out.print("Terminal Slack. Type /ops help, !click <button>, !fill field=value, !submit, !at YYYY-MM-DD HH:MM, "
                  "!as USER, !in CHANNEL; Ctrl-D to leave.", style="dim")
        while True:
            try:
                line = input(f"{slack.renderer.name_of(slack.user)} in {slack.renderer.channel_label(slack.channel)}> ")
            except EOFError:
                break
            _play(slack, [line])
    finally:
        slack.close()
