"""Issue 19 (tester): an agenda line's menu (Add action / Record decision) fills the form with the line's own words
— an item's text, an action's text — not the whole line as rendered (who added it, who speaks to it, the
action's label, owner, state and date)."""

from __future__ import annotations

from typing import Any

from bot.blocks.meeting_lines import LINE_MENU
from bot.console.session import ConsoleSlack
from tests.conftest import converse
from tests.meetings.lines import menu_values
from tests.meetings.test_agenda_lines_e2e import agenda_in, press_line


def prefilled(console: ConsoleSlack, user: str) -> str:
    """The text input's prefilled words in the last form opened for ``user``."""
    view = [r for r in console.emulator.records if r.kind == "view_open" and r.user == user][-1].view
    assert view is not None
    values = [b["element"].get("initial_value") for b in view["blocks"]
              if b.get("type") == "input" and b["element"].get("type") == "plain_text_input"]
    return str(next(v for v in values if v))


def lines_of(blocks: list[dict[str, Any]], key: str) -> list[str]:
    """The "Add action" values of the menus on the lines of section ``key``."""
    return [m[0] for m in menu_values(blocks, LINE_MENU) if m[0].split(":")[2] == key]


def test_the_menu_prefills_the_lines_own_words(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 10:05\n!as U0MANAGER\n!in C0OPS\n"
         "/action <@U0BUYER> by 11-24 Send the samples & invoice", ["A-1", "@Chen Jie"]),
        ("!at 2026-11-23 11:30\n!as U0BUYER\n"
         "/agenda add Photos for the DE listing", ["Added to the agenda: Weekly meeting, Nov 30, 2026."]),
        ("!at 2026-11-29 16:00", ["Weekly meeting · Nov 30, 2026", "Photos for the DE listing"]),
    ])
    blocks = agenda_in(console, "C0OPS", "Weekly meeting · Nov 30")
    item, action = lines_of(blocks, "items")[0], lines_of(blocks, "actions")[0]

    press_line(console, "U0ANALYST", item)
    assert prefilled(console, "U0ANALYST") == "Photos for the DE listing"
    press_line(console, "U0ANALYST", "d" + action[1:])  # Record decision on the overdue action's line
    assert prefilled(console, "U0ANALYST") == "Send the samples & invoice"
