"""meetings.yml validated with clear errors; meetings on the team's calendar (holidays move them); what people type."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.errors import ConfigError, OpsError
from bot.ops.meeting_playbook import MonthlyReview, WeeklyMeeting, load_playbook
from bot.ops.meetings import held_between, monthly_day, parse_action, parse_day, parse_item, period_of
from bot.ops.team import WorkCalendar

WEEKLY = WeeklyMeeting(day="mon", time="10:00", sections=("actions",))


def test_the_shipped_playbook_loads() -> None:
    playbook = load_playbook(Path(__file__).resolve().parents[2] / "playbooks")
    team = playbook.for_team("shenzhen-ops")
    assert team is not None and team.weekly is not None and team.monthly is not None
    assert team.agenda.days_before == 1 and team.weekly.sections[0] == "actions"


@pytest.mark.parametrize(("text", "problem"), [
    ("teams: {t: {weekly: {day: someday, time: '10:00', sections: [kpis]}}}", "teams.t.weekly.day: Input should be"),
    ("teams: {t: {weekly: {time: '25:00', sections: [kpis]}}}", "teams.t.weekly.time"),
    ("teams: {t: {weekly: {time: '10:00', sections: []}}}", "teams.t.weekly.sections"),
    ("teams: {t: {weekly: {time: '10:00', sections: [kpis, kpis]}}}", "sections listed twice: ['kpis']"),
    ("teams: {t: {monthly: {workday: 0, time: '10:00', sections: [kpis]}}}", "workday is 1 for the first"),
    ("teams: {t: {attendees: [boss]}}", "teams.t.attendees.0"),
    ("teams: {t: {agenda: {days_before: -1}}}", "teams.t.agenda.days_before"),
    ("teams: {t: {wekly: {}}}", "teams.t.wekly: Extra inputs are not permitted"),
])
def test_a_bad_playbook_names_the_file_and_the_field(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "meetings.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_playbook(tmp_path)
    assert any(str(tmp_path / "meetings.yml") in p and problem in p for p in error.value.problems), error.value.problems


def test_a_holiday_moves_the_weekly_meeting_to_the_next_workday() -> None:
    calendar = WorkCalendar(extra_holidays=(date(2026, 12, 7),))
    assert held_between(calendar, WEEKLY, date(2026, 11, 30), date(2026, 12, 20)) == [
        date(2026, 11, 30), date(2026, 12, 8), date(2026, 12, 14)]


def test_chinas_national_day_moves_the_meeting_past_the_whole_holiday() -> None:
    calendar = WorkCalendar(countries=("CN",), make_up_workdays=True)
    found = held_between(calendar, WEEKLY, date(2026, 10, 1), date(2026, 10, 10))
    monday = date(2026, 10, 5)  # inside the 1-7 October holiday
    assert not calendar.is_workday(monday)
    assert found and found[0] > monday and calendar.is_workday(found[0])
    assert all(calendar.is_workday(d) for d in found)


def test_the_monthly_review_is_the_nth_workday() -> None:
    calendar = WorkCalendar(countries=("CN",))
    first = MonthlyReview(workday=1, time="15:00", sections=("kpis",))
    last = MonthlyReview(workday=-1, time="15:00", sections=("kpis",))
    assert monthly_day(calendar, first, 2026, 12) == date(2026, 12, 1)  # a Tuesday
    assert monthly_day(calendar, first, 2026, 11) == date(2026, 11, 2)  # the 1st is a Sunday
    assert monthly_day(calendar, last, 2026, 11) == date(2026, 11, 30)
    october = [date(2026, 10, d) for d in range(1, 32)]
    after_national_day = next(d for d in october if calendar.is_workday(d))
    assert after_national_day > date(2026, 10, 7)
    assert monthly_day(calendar, first, 2026, 10) == after_national_day


def test_periods() -> None:
    assert period_of("weekly", date(2026, 11, 30)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert period_of("monthly", date(2027, 1, 4)) == (date(2026, 12, 1), date(2026, 12, 31))


def test_what_people_type() -> None:
    today = date(2026, 11, 30)  # a Monday
    assert parse_day("fri", today) == date(2026, 12, 4)
    assert parse_day("mon", today) == date(2026, 12, 7)
    assert parse_day("周五", today) == date(2026, 12, 4)
    assert parse_day("12-03", today) == date(2026, 12, 3)
    assert parse_day("01-05", today) == date(2027, 1, 5)
    action = parse_action("<@U0BUYER|chen> by tomorrow #restock Confirm the PO", today)
    assert (action.owner, action.due, action.section, action.text) == ("U0BUYER", date(2026, 12, 1), "restock",
                                                                       "Confirm the PO")
    assert parse_item("<@U0BUYER> PO for LED-100").owner == "U0BUYER"
    for wrong in ("Confirm the PO", "<@U0BUYER> Confirm the PO", "<@U0BUYER> by someday Confirm"):
        with pytest.raises(OpsError):
            parse_action(wrong, today)
    with pytest.raises(OpsError, match="has passed"):
        parse_action("<@U0BUYER> by 2026-11-01 late", today)
