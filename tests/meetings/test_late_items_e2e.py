"""Issue 19, a tester's findings: an item added after the agenda went out (or before a meeting whose agenda never
went out) is on that meeting's record — /meeting show, the summary, the export — and the posted agenda gets it in
its thread; an item added once a meeting has begun goes to the next one, and the reply says which. The export has
one "Items added" per meeting and each item once."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from bot.flows.meeting_calendar import MeetingCalendar
from bot.flows.meeting_history import MeetingHistory
from bot.i18n import translator
from tests.conftest import converse


def export_of(console: ConsoleSlack, month: str, locale: str = "en") -> str:
    history = MeetingHistory(console.services.context, MeetingCalendar(console.services.context))
    return history.export_markdown(console.team, month, translator(locale))


def test_an_item_added_after_the_agenda_went_out_reaches_the_meeting(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-29 10:00\n"
         "!as U0CS\n"
         "/agenda add item-D", ["Added to the agenda: Weekly meeting, Nov 30, 2026."]),
        # Sunday 16:00 the agenda goes out with item-D; item-E comes five minutes later.
        ("!at 2026-11-29 16:05", ["Weekly meeting · Nov 30, 2026", "item-D"]),
        ("/agenda add item-E", ["Added to the agenda: Weekly meeting, Nov 30, 2026.",
                                "Added since the agenda went out", "item-E"]),
        ("!at 2026-11-30 10:05\n"
         "/meeting show 2026-11-30", ["Weekly meeting · Nov 30, 2026", "item-D", "item-E"]),
        # The meeting has begun: an item now is for the next one (the monthly review, tomorrow), and the reply
        # says so.
        ("/agenda add item-F", ["Weekly meeting of Nov 30, 2026 has begun",
                                "Added to the agenda: Monthly review, Dec 1, 2026."]),
        ("!at 2026-11-30 11:05", ["Weekly meeting · Nov 30, 2026: summary", "item-D", "item-E"]),
        ("/meeting show 2026-11-30", ["item-D", "item-E"]),
        ("/agenda show", ["Monthly review · Dec 1, 2026", "item-F"]),
        # Li Wei reads the record in Chinese: the late item under a heading in her language.
        ("!as U0MANAGER\n"
         "/meeting show 2026-11-30", ["每周例会 · 2026年11月30日", "*新增议题*", "*议程发出后新增*", "item-E"]),
    ])
    shown = converse(console, [("/meeting show 2026-11-30", ["item-E"])])
    assert "item-F" not in shown  # it is the next meeting's, not this one's

    export = export_of(console, "2026-11")
    assert export.count("### Items added") == 1, export
    assert export.count("item-D") == 1 and export.count("item-E") == 1, export
    assert "item-F" not in export


def test_an_item_for_a_meeting_whose_agenda_never_went_out_is_on_its_record(console: ConsoleSlack) -> None:
    # The console starts Monday 09:00: Sunday's agenda for today's 10:00 meeting was before Opsbot ran.
    converse(console, [
        ("!as U0CS\n"
         "/agenda add Refund policy for DE", ["Added to the agenda: Weekly meeting, Nov 23, 2026."]),
        ("!at 2026-11-23 10:05\n"
         "/meeting show 2026-11-23", ["Weekly meeting · Nov 23, 2026", "Refund policy for DE"]),
        # The item is a section of the record a decision can be on, named in each reader's language.
        ("/decision #items Refunds within 30 days", ["Decision recorded in the Weekly meeting of Nov 23, 2026.",
                                                     "on Items added"]),
        ("!as U0MANAGER\n"
         "/meeting show 2026-11-23", ["*新增议题*", "Refund policy for DE", "关于「新增议题」"]),
    ])
    shown = converse(console, [("/meeting show 2026-11-23", ["Refund policy for DE"])])
    assert "Nothing on the agenda yet" not in shown
    assert "Refund policy for DE" in export_of(console, "2026-11")
