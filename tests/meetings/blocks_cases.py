"""The meetings feature's builders fed what a person typed (tests/test_blocks_escaping.py runs them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from bot.blocks import meeting_agenda as agenda
from bot.blocks import meeting_lines as lines
from bot.blocks import meetings
from bot.blocks.text import Mrkdwn
from bot.i18n import translator

TR = translator("en")
DAY = date(2026, 11, 30)
OWN = "U0OPSBOT"


def _line(t: str) -> Mrkdwn:
    return meetings.action_line(TR, "A-1", OWN, DAY, "open", t, note=t,
                                source=meetings.item_line(TR, OWN, t, None))


def _parts(t: str) -> list[tuple[str, str, tuple[str, ...]]]:
    return [("items", "Items added", (meetings.item_line(TR, OWN, t, OWN, t),)), ("actions", "Actions", (_line(t),))]


MEETING_CASES: dict[str, Callable[[str], Any]] = {
    "meetings.action_line": _line,
    "meetings.item_line": lambda t: meetings.item_line(TR, OWN, t, "U0OPSBOT", t),
    "meetings.decision_line": lambda t: meetings.decision_line(TR, t, OWN, t, _line(t)),
    "meetings.agenda_blocks": lambda t: meetings.agenda_blocks(TR, "Weekly meeting", "Monday", _parts(t), 3),
    "meetings.summary_blocks": lambda t: meetings.summary_blocks(TR, "Summary", "Monday",
                                                                 [meetings.decision_line(TR, t, OWN)],
                                                                 [(_line(t), None)]),
    "meetings.record_blocks": lambda t: meetings.record_blocks(TR, "Weekly meeting", "Monday", _parts(t),
                                                               [meetings.decision_line(TR, t, OWN)],
                                                               [(_line(t), lines.action_menu(TR, 1))]),
    "meetings.action_card": lambda t: meetings.action_card(TR, _line(t), 1, "open"),
    "meetings.home_blocks": lambda t: meetings.home_blocks(TR, [(_line(t), 1, "blocked")],
                                                             [(_line(t), lines.action_menu(TR, 1))]),
    "meetings.new_action_modal": lambda t: meetings.new_action_modal(TR, 3, "items", t, 0, _line(t), t),
    "meetings.new_decision_modal": lambda t: meetings.new_decision_modal(TR, 3, "items", t, 0, _line(t), t),
    "meetings.update_modal": lambda t: meetings.update_modal(TR, 1, "A-1", "moved", 1, DAY),
    "meetings.part_text": lambda t: meetings.part_text(t, [_line(t)]),
    "meetings.notice": lambda t: meetings.notice(_line(t)),
    "meetings.list_blocks": lambda t: meetings.list_blocks(TR, [meetings.list_line(TR, "weekly", DAY, 1, 2)]),
    "meetings.list_line": lambda t: meetings.list_line(TR, "monthly", DAY, 0, 1),
    "meetings.when_text": lambda t: meetings.when_text(TR, datetime(2026, 11, 30, 2, tzinfo=UTC),
                                                       datetime(2026, 11, 30, 3, tzinfo=UTC), "Asia/Shanghai"),
    "meeting_lines.line_menu": lambda t: lines.line_menu(TR, 3, "items", 0),
    "meeting_lines.action_menu": lambda t: lines.action_menu(TR, 1),
    "meeting_lines.line_sections": lambda t: lines.line_sections(t, [(_line(t), lines.action_menu(TR, 1)),
                                                                     (_line(t), None)], 1),
    "meeting_lines.quote": lambda t: lines.quote(_line(t), 20),
    "meeting_lines.from_line": lambda t: lines.from_line(TR, _line(t)),
    "meetings.rhythm_name": lambda t: meetings.rhythm_name(TR, "weekly"),
    "meeting_agenda.change": lambda t: agenda.change(TR, 110.0, 100.0),
    "meeting_agenda.kpi_line": lambda t: agenda.kpi_line(TR, t, "$1.00", "+1%", agenda.target_text(TR, 0.5, "$2"),
                                                         "1%", "2%"),
    "meeting_agenda.target_text": lambda t: agenda.target_text(TR, 0.5, "$2.00"),
    "meeting_agenda.alerts_line": lambda t: agenda.alerts_line(TR, [("low_cover", t, t), (t, "US", None)]),
    "meeting_agenda.sku_line": lambda t: agenda.sku_line(TR, "▲", t, "$1.00", "+1%"),
    "meeting_agenda.blocker_line": lambda t: agenda.blocker_line(TR, OWN, 3, t),
    "meeting_agenda.restock_line": lambda t: agenda.restock_line(TR, "R-1", t, 5, "requested", DAY),
    "meeting_agenda.launch_line": lambda t: agenda.launch_line(TR, t, t, OWN, DAY, True),
    "meeting_agenda.feedback_line": lambda t: agenda.feedback_line(TR, 1, t, "new", 5, t),
}
