"""A meeting whose agenda never went out (Opsbot came up after the agenda's hour, or the send was missed) but
that was held, with a decision and an action recorded: /meeting show and /meeting list still find its record,
during the meeting and after it, as the export does."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse


def test_a_meeting_held_without_its_agenda_is_in_the_record(console: ConsoleSlack) -> None:
    # The console starts Monday 09:00; the agenda for 10:00 was due Sunday 16:00, before Opsbot was running.
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "!as U0ANALYST\n"
         "/action <@U0BUYER> by fri Confirm the PO date", ["A-1 recorded for @Chen Jie, due Nov 27, 2026."]),
        ("/decision Hold the DE price", ["Decision recorded in the Weekly meeting of Nov 23, 2026."]),
        ("/meeting show 2026-11-23", ["Weekly meeting · Nov 23, 2026", "Hold the DE price", "*A-1*"]),
        ("!at 2026-11-23 11:30\n"
         "/meeting list", ["Nov 23, 2026 · Weekly meeting · 1 decision · 1 action"]),
        ("/meeting show 11-23", ["Weekly meeting · Nov 23, 2026", "Hold the DE price", "Confirm the PO date"]),
    ])


def test_a_meeting_still_to_come_is_not_in_the_record(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0ANALYST\n"
         "/agenda add Check the DE listing", ["Added to the agenda: Weekly meeting, Nov 23, 2026."]),
        ("/agenda add Next week's item", ["Added"]),
        ("/meeting list", ["No meetings yet."]),
    ])
