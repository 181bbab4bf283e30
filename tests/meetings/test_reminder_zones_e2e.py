"""An action's reminders reach its owner at the reminder time in the owner's own zone, on their own day (issue 19):
Amy in Los Angeles reads "due today" on her Thursday morning, not on Wednesday afternoon, and Klaus in Berlin gets
his at 09:00 Berlin, not at 02:00. A Shanghai owner keeps the Shanghai morning. Never on the owner's day off."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.console.session import ConsoleSlack
from tests.conftest import converse

SHANGHAI, LA, BERLIN = ZoneInfo("Asia/Shanghai"), ZoneInfo("America/Los_Angeles"), ZoneInfo("Europe/Berlin")
OWNERS = {"U0MARKET": LA, "U0WAREHOUSE": BERLIN, "U0MANAGER": SHANGHAI}
REMIND_AT = time(9, 0)  # meetings.yml: remind_at


def reminders(console: ConsoleSlack, since: int) -> list[tuple[str, str]]:
    """(owner, text) of each reminder DM shown since ``since``."""
    dms = {console.emulator.dm_channel_of(user): user for user in OWNERS}
    return sorted((dms[r.channel], r.text) for r in console.emulator.since(since)
                  if r.kind == "message" and r.text.startswith("⏰ A-") and r.channel in dms)


def shanghai(day: date, zone: ZoneInfo) -> datetime:
    """The Shanghai wall-clock moment of 09:00 on ``day`` in ``zone``: computed here, independently of the bot."""
    return datetime.combine(day, REMIND_AT, zone).astimezone(SHANGHAI)


def at(moment: datetime) -> str:
    return "!at " + moment.strftime("%Y-%m-%d %H:%M")


def test_reminders_come_at_each_owners_own_morning(console: ConsoleSlack) -> None:
    converse(console, [  # Li Wei reads Chinese
        ("!at 2026-11-23 10:05\n!as U0MANAGER\n!in C0OPS\n"
         "/action <@U0MARKET> by 11-26 Amy action due Thursday", ["A-1", "@Amy Lin"]),
        ("/action <@U0WAREHOUSE> by 11-26 Klaus action due Thursday", ["A-2", "@Klaus Becker"]),
        ("/action <@U0MANAGER> by 11-26 Li Wei action due Thursday", ["A-3", "@Li Wei"]),
        ("/action <@U0MARKET> by 11-30 Amy action due Monday", ["A-4", "@Amy Lin"]),
    ])
    wed, thu, fri, mon = date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 30)
    # Each owner's own day before and due day, at 09:00 their time. Thursday Nov 26 is Thanksgiving, Amy's day
    # off: her one reminder of A-1 comes on her Wednesday; and her weekend has none.
    expected = [
        ("U0MARKET", wed, "⏰ A-1 is due Nov 26, 2026."),
        ("U0WAREHOUSE", wed, "⏰ A-2 is due Nov 26, 2026."), ("U0WAREHOUSE", thu, "⏰ A-2 is due today."),
        ("U0MANAGER", wed, "⏰ A-3 将于 2026年11月26日 到期。"), ("U0MANAGER", thu, "⏰ A-3 今天到期。"),  # zh-CN
        ("U0MARKET", fri, "⏰ A-4 is due Nov 30, 2026."), ("U0MARKET", mon, "⏰ A-4 is due today."),
    ]
    for user, day, text in sorted(expected, key=lambda e: shanghai(e[1], OWNERS[e[0]])):
        moment = shanghai(day, OWNERS[user])
        seq = console.emulator.last_seq
        console.send(at(moment - timedelta(minutes=5)))
        assert reminders(console, seq) == [], f"nothing before {user}'s 09:00 on {day}"
        seq = console.emulator.last_seq
        console.send(at(moment + timedelta(minutes=5)))
        assert reminders(console, seq) == [(user, text)], f"{user} on {day} at 09:00 their time"
