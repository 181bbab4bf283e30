"""Issue 16, item 13: one work calendar. Launch offsets in workdays count the days the team works as stand-ups do
(China's holidays and its make-up weekend workdays, 调休), a calendar-day playbook never puts a gate on a day
off, and each owner's morning DM arrives at their own morning, in their own time zone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.console.session import ConsoleSlack
from bot.handlers import launch
from bot.ops.standup import team_calendar
from tests.conftest import MONDAY_9AM_SHENZHEN, converse
from tests.launch.calendar import MADE_UP, workdays_back, works

CALENDAR_CHECK = """\
name: Calendar check
unit: workdays
phases:
  - id: prep
    title: Preparation
    tasks:
      - {id: ads, title: Ads built, role: marketing, due: T-9}
      - {id: listing, title: Listing checked, role: marketing, due: T-6, depends_on: [ads]}
      - {id: sign-off, title: Sign-off, role: manager, due: T-3, gate: true, depends_on: [listing]}
"""
QUICK = """\
name: Quick relaunch
unit: days
phases:
  - id: go
    title: Go
    tasks:
      - {id: stock, title: Stock check, role: warehouse, due: T-5}
      - {id: final-go, title: Final go, role: manager, due: T-2, gate: true, depends_on: [stock]}
"""


def console_at(playbooks_dir: Path, database_url: str, start: datetime) -> ConsoleSlack:
    (playbooks_dir / "launch" / "calendar-check.yml").write_text(CALENDAR_CHECK, encoding="utf-8")
    (playbooks_dir / "launch" / "quick.yml").write_text(QUICK, encoding="utf-8")
    return ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=start, features=(launch.FEATURE,))


@pytest.fixture
def before_national_day(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    slack = console_at(playbooks_dir, database_url, datetime(2026, 9, 1, 1, 0, tzinfo=UTC))  # Tue 09:00 Shanghai
    try:
        yield slack
    finally:
        slack.close()


@pytest.fixture
def november(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    slack = console_at(playbooks_dir, database_url, MONDAY_9AM_SHENZHEN)
    try:
        yield slack
    finally:
        slack.close()


def new_launch(console: ConsoleSlack, day: str, playbook: str, shown: list[str]) -> str:
    return converse(
        console,
        [
            ("!as U0SELECT\n/launch new", ["“New launch”"]),
            (
                f'!fill name="LED Desk Lamp" skus=LED-100 marketplaces=US launch_date={day} playbook="{playbook}" '
                'channel="Use this channel"\n'
                "!submit",
                shown,
            ),
        ],
    )


def test_workday_offsets_skip_national_day_and_count_the_make_up_saturday(before_national_day: ConsoleSlack) -> None:
    console = before_national_day
    launch_day = date(2026, 10, 19)
    ads, listing, sign_off = (workdays_back(launch_day, n) for n in (9, 6, 3))
    assert listing in MADE_UP and listing.weekday() == 5  # Sat Oct 10, worked in exchange for National Day
    new_launch(
        console,
        "2026-10-19",
        "Calendar check",
        [
            f"Ads built · @Amy Lin · {ads:%b} {ads.day}, 2026",
            f"Listing checked · @Amy Lin · {listing:%b} {listing.day}, 2026",
            f"🚦 Sign-off · @Li Wei · {sign_off:%b} {sign_off.day}, 2026",
        ],
    )
    # The same days as the stand-up's: every day from now to the launch.
    team = console.services.teams.teams[0]
    days = [date(2026, 9, 1) + timedelta(days=n) for n in range(60)]
    assert [team.calendar.is_workday(d) for d in days] == [team_calendar(team).is_workday(d) for d in days]
    assert [team.calendar.is_workday(d) for d in days] == [works(d) for d in days]
    # The launch channel hears from the team each workday: on the make-up Saturday, not in the holiday week.
    # Each progress line ends with T-n (calendar days to go), which says which morning it was posted on.
    mornings = console.send("!at 2026-10-10 09:00")
    posted_on = {
        launch_day - timedelta(days=int(n)) for n in re.findall(r"LED Desk Lamp: 0/3 done .*· T-(\d+)", mornings)
    }
    assert posted_on == {d for d in days if date(2026, 9, 1) < d <= date(2026, 10, 10) and works(d)}
    assert date(2026, 10, 10) in posted_on and date(2026, 10, 5) not in posted_on


def test_a_calendar_day_gate_never_falls_on_a_weekend(november: ConsoleSlack) -> None:
    launch_day = date(2026, 12, 7)  # a Monday: T-2 in calendar days is a Saturday
    gate = launch_day - timedelta(days=2)
    while not works(gate):
        gate -= timedelta(days=1)
    assert gate == date(2026, 12, 4)
    new_launch(
        november,
        "2026-12-07",
        "Quick relaunch",
        ["Stock check · @Klaus Becker · Dec 2, 2026", "🚦 Final go · @Li Wei · Dec 4, 2026"],
    )


def test_each_owner_hears_at_their_own_morning(november: ConsoleSlack) -> None:
    console = november
    # Ads built (Amy Lin, Los Angeles) is due Tue Nov 24: nine workdays before Mon Dec 7.
    assert workdays_back(date(2026, 12, 7), 9) == date(2026, 11, 24)
    new_launch(console, "2026-12-07", "Calendar check", ["Ads built · @Amy Lin · Nov 24, 2026"])
    assert "DM with Amy Lin" not in console.send("!at 2026-11-23 08:59 America/Los_Angeles")
    her_morning = console.send("!at 2026-11-23 09:00 America/Los_Angeles")  # 01:00 on Tuesday in Shanghai
    assert "── DM with Amy Lin · Opsbot\n  Your launch tasks due soon:" in her_morning
    assert "Ads built · @Amy Lin · Nov 24, 2026" in her_morning
    # Shanghai's 09:00 is 17:00 the evening before for her: no second DM then.
    assert "DM with Amy Lin" not in console.send("!at 2026-11-24 09:00")
