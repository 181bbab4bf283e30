"""Stand-up under misuse (issue 17): mood stays out of the channel; a Slack whose users.info never answers costs
a few calls, not the whole team's on every command, and the manager still reads Chinese."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse


def test_mood_is_not_posted_in_the_public_summary_thread(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!at 2026-11-23 09:30", ["Fill in"]),
        ("!click Fill in", ["modal opened for Chen Jie"]),
        ('!fill today="Call the LED-100 supplier" yesterday="PO 4711 sent" mood=1\n!submit', ["Thanks"]),
        ("!at 2026-11-23 11:00", ["── #ops · in thread · Opsbot", "*Chen Jie*", "Call the LED-100 supplier"]),
    ])
    posted = [r for r in console.emulator.records if r.kind != "ephemeral" and r.channel == "C0OPS"]
    assert posted and not any("Mood" in f"{r.text} {r.blocks}" or "1/5" in str(r.blocks) for r in posted)
