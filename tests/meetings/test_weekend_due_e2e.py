"""An action due on a weekend, or whose "day before" falls on one: the reminders go out on the owner's team's
workdays (the last workday on or before their day), never on a Saturday or Sunday, as stand-ups and launch gates."""

from __future__ import annotations

from datetime import date

from bot.console.session import ConsoleSlack
from bot.ops.meetings import reminder_kind
from bot.ops.team import WorkCalendar
from tests.conftest import converse

FRI, SAT, SUN, MON = date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 29), date(2026, 11, 30)


def reminders(console: ConsoleSlack, since: int) -> list[str]:
    return [r.text for r in console.emulator.since(since) if r.text.startswith("⏰ A-")]


def test_reminders_for_a_weekend_due_date_come_on_the_friday(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "!as U0ANALYST\n"
         "/action <@U0BUYER> by sat Send the samples", ["A-1 recorded for @Chen Jie, due Nov 28, 2026."]),
        ("/action <@U0BUYER> by 11-30 Book the container", ["A-2 recorded for @Chen Jie, due Nov 30, 2026."]),
    ])
    seq = console.emulator.last_seq
    converse(console, [("!at 2026-11-27 10:00", ["── DM with Chen Jie"])])
    # Friday: A-1 (due Saturday) for the last time before its day; A-2's day-before reminder (Sunday) comes early.
    assert sorted(reminders(console, seq)) == ["⏰ A-1 is due Nov 28, 2026.", "⏰ A-2 is due Nov 30, 2026."]
    seq = console.emulator.last_seq
    console.send("!at 2026-11-29 20:00")
    assert reminders(console, seq) == []  # nothing on the weekend
    seq = console.emulator.last_seq
    console.send("!at 2026-11-30 10:00")
    assert reminders(console, seq) == ["⏰ A-2 is due today."]


def test_which_reminder_a_day_sends() -> None:
    calendar = WorkCalendar()
    assert reminder_kind(calendar, SAT, FRI, 1) == "due"  # the last workday on or before a Saturday due date
    assert reminder_kind(calendar, SAT, SAT, 1) is None
    assert reminder_kind(calendar, MON, FRI, 1) == "before"
    assert reminder_kind(calendar, MON, SUN, 1) is None
    assert reminder_kind(calendar, MON, MON, 1) == "due"
    assert reminder_kind(calendar, MON, date(2026, 11, 26), 1) is None
    assert reminder_kind(calendar, MON, MON, 0) == "due"
