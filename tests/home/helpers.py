"""Reading the App Homes the emulator was given: each person's latest, rendered as they see it."""

from __future__ import annotations

from bot.console.render import Renderer
from bot.console.session import ConsoleSlack


def published(console: ConsoleSlack, since: int = 0) -> dict[str, str]:
    """Each person's newest App Home published after ``since`` (a record seq), as the console shows it."""
    latest = {}
    for record in console.emulator.since(since):
        if record.kind == "home" and record.user:
            latest[record.user] = record
    renderer = Renderer(console.emulator.state)
    return {user: renderer.render([record]) for user, record in latest.items()}


def mark(console: ConsoleSlack) -> int:
    """Where "after this" starts: drain what is queued first, so its Homes are not counted as later ones."""
    console.services.delivery.outbox.drain()
    return console.emulator.last_seq
