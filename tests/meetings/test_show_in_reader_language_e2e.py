"""Issue 19 (tester): /meeting show gives the agenda's lines in the reader's language when that copy went out (her DM
agenda was Chinese), not the channel's English copy."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse


def test_meeting_show_has_the_agenda_lines_in_the_readers_language(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 11:30\n!as U0MARKET\n"
         "/agenda add Photos for the DE listing", ["Added to the agenda: Weekly meeting, Nov 30, 2026."]),
        ("!at 2026-11-29 16:00", ["Weekly meeting · Nov 30, 2026", "@Amy Lin: Photos for the DE listing",
                                  "@Amy Lin：Photos for the DE listing"]),  # Li Wei's DM agenda, in Chinese
    ])
    shown = converse(console, [("!as U0MANAGER\n/meeting show 2026-11-30", ["@Amy Lin：Photos for the DE listing"])])
    assert "@Amy Lin: Photos for the DE listing" not in shown
    # An English reader still sees the English copy.
    converse(console, [("!as U0MARKET\n/meeting show 2026-11-30", ["@Amy Lin: Photos for the DE listing"])])
