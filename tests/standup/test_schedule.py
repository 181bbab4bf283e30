"""Stand-up schedule math, by hand: own time zones, holidays, DST, summary windows, blocker age."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.errors import OpsError
from bot.ops import standup as ops
from bot.ops.standup_playbook import DEFAULT_QUESTIONS, QuietHours, TeamStandup
from bot.ops.team import Member, Team

SHANGHAI, LA, BERLIN = ZoneInfo("Asia/Shanghai"), ZoneInfo("America/Los_Angeles"), ZoneInfo("Europe/Berlin")
TEAM = Team(
    id="sz", name="SZ", timezone="Asia/Shanghai", holiday_countries=("CN",),
    members=(
        Member(user="U1", name="Chen", country="CN"),
        Member(user="U2", name="Amy", country="US"),
        Member(user="U3", name="Klaus", country="DE"),
    ),
)
CFG = TeamStandup()  # prompt 09:30, cutoff 11:00, escalate after 2 workdays


def person(user: str, tz: str) -> ops.Person:
    member = TEAM.member(user)
    assert member is not None
    return ops.person_for(TEAM, member, tz)


def test_each_person_is_prompted_on_their_own_clock() -> None:
    amy = person("U2", "America/Los_Angeles")
    assert ops.at_local(date(2026, 11, 23), CFG.prompt_time, amy.zone) == datetime(2026, 11, 23, 17, 30, tzinfo=UTC)


def test_an_unknown_slack_time_zone_falls_back_to_the_team() -> None:
    assert person("U1", "Not/AZone").zone == SHANGHAI
    assert person("U1", None).zone == SHANGHAI  # type: ignore[arg-type]


def test_the_summary_shows_each_persons_latest_round_since_the_last_summary() -> None:
    since, until = ops.summary_window(TEAM, CFG, date(2026, 11, 24))  # Tuesday 11:00 Shanghai
    assert since == datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)
    # Chen: Tuesday 09:30 Shanghai. Amy: Monday 09:30 LA (= Tue 01:30 Shanghai). Klaus: Monday 09:30 Berlin
    # (= Mon 16:30 Shanghai) — each the round they had between the two summaries.
    assert ops.latest_round(person("U1", "Asia/Shanghai"), CFG.prompt_time, since, until) == date(2026, 11, 24)
    assert ops.latest_round(person("U2", "America/Los_Angeles"), CFG.prompt_time, since, until) == date(2026, 11, 23)
    assert ops.latest_round(person("U3", "Europe/Berlin"), CFG.prompt_time, since, until) == date(2026, 11, 23)


def test_mondays_summary_window_starts_at_fridays_cutoff() -> None:
    since, _ = ops.summary_window(TEAM, CFG, date(2026, 11, 23))
    assert since == datetime(2026, 11, 20, 11, 0, tzinfo=SHANGHAI)


def test_china_national_day_week_has_no_rounds_in_china_but_berlin_works() -> None:
    # Summary on Thursday 8 October 2026 (first workday after the holiday week): the window runs from
    # Wednesday 30 September's cutoff. Chen's only round in it is 8 October; Klaus's latest is 7 October.
    since, until = ops.summary_window(TEAM, CFG, date(2026, 10, 8))
    assert since == datetime(2026, 9, 30, 11, 0, tzinfo=SHANGHAI)
    assert ops.latest_round(person("U1", "Asia/Shanghai"), CFG.prompt_time, since, until) == date(2026, 10, 8)
    assert ops.latest_round(person("U3", "Europe/Berlin"), CFG.prompt_time, since, until) == date(2026, 10, 7)
    chen = person("U1", "Asia/Shanghai")
    assert not chen.calendar.is_workday(date(2026, 10, 1))
    assert person("U3", "Europe/Berlin").calendar.is_workday(date(2026, 10, 1))  # not a holiday in Germany


def test_each_person_keeps_their_own_countrys_holidays() -> None:
    christmas, thanksgiving = date(2026, 12, 25), date(2026, 11, 26)
    assert not person("U3", "Europe/Berlin").calendar.is_workday(christmas)
    assert person("U1", "Asia/Shanghai").calendar.is_workday(christmas)
    assert not person("U2", "America/Los_Angeles").calendar.is_workday(thanksgiving)
    assert person("U3", "Europe/Berlin").calendar.is_workday(thanksgiving)


@pytest.mark.parametrize(
    ("zone", "day", "utc_hour"),
    [
        ("America/Los_Angeles", date(2026, 10, 30), 16),  # PDT: 09:30 = 16:30 UTC
        ("America/Los_Angeles", date(2026, 11, 2), 17),  # after 1 November: PST, 09:30 = 17:30 UTC
        ("Europe/Berlin", date(2026, 10, 23), 7),  # CEST: 09:30 = 07:30 UTC
        ("Europe/Berlin", date(2026, 10, 26), 8),  # after 25 October: CET, 09:30 = 08:30 UTC
    ],
)
def test_prompts_stay_at_0930_local_across_dst_changes(zone: str, day: date, utc_hour: int) -> None:
    prompt = ops.at_local(day, CFG.prompt_time, ZoneInfo(zone))
    assert prompt.astimezone(UTC).hour == utc_hour
    assert prompt.astimezone(ZoneInfo(zone)).time() == time(9, 30)


def test_quiet_hours_wrap_midnight_in_the_persons_own_time() -> None:
    cfg = TeamStandup(quiet_hours=QuietHours(start=time(20, 0), end=time(8, 0)))
    klaus = person("U3", "Europe/Berlin")
    assert ops.in_quiet_hours(cfg, klaus, datetime(2026, 11, 23, 21, 30, tzinfo=BERLIN))
    assert ops.in_quiet_hours(cfg, klaus, datetime(2026, 11, 23, 7, 59, tzinfo=BERLIN))
    assert not ops.in_quiet_hours(cfg, klaus, datetime(2026, 11, 23, 10, 30, tzinfo=BERLIN))


def test_blocker_age_counts_workdays_in_the_owners_calendar() -> None:
    chen = person("U1", "Asia/Shanghai")
    assert ops.blocker_age(chen.calendar, date(2026, 11, 20), date(2026, 11, 23)) == 1  # Fri -> Mon
    assert ops.blocker_age(chen.calendar, date(2026, 9, 30), date(2026, 10, 8)) == 1  # across National Day
    assert ops.blocker_age(chen.calendar, date(2026, 11, 23), date(2026, 11, 23)) == 0


def test_blocker_lines_ignore_none_in_either_language() -> None:
    assert ops.blocker_lines("none") == []
    assert ops.blocker_lines("无") == []
    assert ops.blocker_lines("- QC report late\n- 样品还没到\n") == ["QC report late", "样品还没到"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13-01", "is not a period I understand"),
        ("2026-11-30..2026-11-01", "ends before it starts"),
        ("2025-01-01..2026-11-01", "at most a year"),
        ("400d", "1d to 366d"),
    ],
)
def test_bad_periods_say_what_is_accepted(text: str, message: str) -> None:
    with pytest.raises(OpsError) as raised:
        ops.parse_range(text, date(2026, 11, 23))
    assert message in raised.value.message.format(**raised.value.params)


def test_periods_end_today_or_are_given_in_full() -> None:
    today = date(2026, 11, 23)
    assert ops.parse_range("7d", today) == (date(2026, 11, 17), today)
    assert ops.parse_range("2026-11-01..2026-11-05", today) == (date(2026, 11, 1), date(2026, 11, 5))


def test_commands_parse_and_unknown_ones_ask_for_usage() -> None:
    today = date(2026, 11, 23)
    assert ops.parse_command("", today).action == "open"
    assert ops.parse_command("skip dentist", today).reason == "dentist"
    away = ops.parse_command("ooo 2026-12-24..2027-01-02 Christmas", today)
    assert (away.start, away.end, away.reason) == (date(2026, 12, 24), date(2027, 1, 2), "Christmas")
    assert ops.parse_command("history <@U2|amy> 30d", today).user == "U2"
    assert ops.parse_command("reminders off", today).switch is False
    assert ops.parse_command("dance", today).action == "help"
    with pytest.raises(OpsError):
        ops.parse_command("ooo 2026-01-01..2026-01-02", today)  # already over


def test_answers_are_checked_per_field() -> None:
    questions = (*DEFAULT_QUESTIONS,)
    with pytest.raises(OpsError) as missing:
        ops.validate_answers(questions, {"yesterday": "x", "today": " "})
    assert missing.value.field == "today"
    with pytest.raises(OpsError) as too_long:
        ops.validate_answers(questions, {"yesterday": "x" * 3001, "today": "y"})
    assert too_long.value.field == "yesterday" and too_long.value.params["length"] == 3001
    answers = ops.validate_answers(questions, {"yesterday": "PO sent", "today": "QC", "blockers": None})
    assert answers.text == {"yesterday": "PO sent", "today": "QC"} and answers.mood is None
