"""Who is due, answered, missing, away or off; China's make-up workdays; the summary's limits; the CSV."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from bot.blocks import standup as blocks
from bot.i18n import translator
from bot.ops import standup as ops
from bot.ops.csv_cells import safe_cell
from bot.ops.standup_export import ExportRow, standup_csv
from bot.ops.standup_playbook import Question, TeamStandup
from bot.ops.team import Member, Team, WorkCalendar

TEAM = Team(
    id="sz", name="SZ", timezone="Asia/Shanghai", holiday_countries=("CN",),
    members=(
        Member(user="U1", name="Chen", country="CN"),
        Member(user="U2", name="Amy", country="US"),
        Member(user="U3", name="Klaus", country="DE"),
        Member(user="U4", name="Wang", country="CN"),
        Member(user="U5", name="Liu", country="CN"),
    ),
)
MONDAY = date(2026, 11, 23)


def people() -> list[ops.Person]:
    return [ops.person_for(TEAM, m, None) for m in TEAM.members]


def test_each_person_lands_in_exactly_one_group() -> None:
    rounds: dict[str, date | None] = {"U1": MONDAY, "U2": None, "U3": MONDAY, "U4": MONDAY, "U5": MONDAY}
    entries = {
        ("U1", MONDAY): ops.Entry("U1", MONDAY, "answered", {"today": "QC"}),
        ("U3", MONDAY): ops.Entry("U3", MONDAY, "skipped", note="dentist"),
    }
    away = {"U5": [ops.Away(date(2026, 11, 20), date(2026, 11, 27), "leave")]}
    roster = ops.classify(people(), rounds, entries, away)
    assert roster.answered == ["U1"]
    assert roster.off == ["U2"]  # no round of theirs since the last summary
    assert roster.skipped == ["U3"]
    assert roster.missing == ["U4"]
    assert roster.away == ["U5"]


def test_an_answer_counts_even_on_a_day_marked_away() -> None:
    rounds: dict[str, date | None] = {"U5": MONDAY}
    entries = {("U5", MONDAY): ops.Entry("U5", MONDAY, "answered", {"today": "x"})}
    away = {"U5": [ops.Away(MONDAY, MONDAY)]}
    assert ops.classify(people()[4:], rounds, entries, away).answered == ["U5"]


def test_chinas_make_up_saturday_after_national_day_is_a_workday_in_china_only() -> None:
    chen, klaus = people()[0], people()[2]
    china, germany = chen.calendar, klaus.calendar
    saturday = date(2026, 10, 10)  # 调休: worked in exchange for 7 October
    assert china.is_workday(saturday) and not germany.is_workday(saturday)
    assert ops.team_calendar(TEAM).is_workday(saturday)
    assert not WorkCalendar(countries=("CN",)).is_workday(saturday)  # other features keep weekdays only
    assert not china.is_workday(date(2026, 10, 7)) and germany.is_workday(date(2026, 10, 7))
    # A blocker raised on 30 September is 3 workdays old on Saturday 10 October in China (the 8th, 9th
    # and 10th count, the holiday week does not) and 7 in Germany (1st, 2nd, 5th to 9th).
    assert ops.blocker_age(china, date(2026, 9, 30), saturday) == 3
    assert ops.blocker_age(germany, date(2026, 9, 30), saturday) == 7


def test_a_company_day_off_beats_a_make_up_workday() -> None:
    calendar = WorkCalendar(countries=("CN",), extra_holidays=(date(2026, 10, 10),), make_up_workdays=True)
    assert not calendar.is_workday(date(2026, 10, 10))


def test_a_300_person_summary_with_40_blockers_fits_slacks_limits() -> None:
    tr = translator("en")
    users = [f"U{n:04d}" for n in range(300)]
    roster = ops.Roster(answered=users[:100], missing=users[100:250], away=users[250:280], skipped=users[280:])
    rounds: dict[str, date | None] = dict.fromkeys(users, MONDAY)
    lines = [blocks.BlockerLine(n, "waiting for the factory " * 200, users[n], 3, ("U0MANAGER",)) for n in range(40)]
    summary = blocks.summary_blocks(tr, MONDAY, roster, lines, rounds)
    assert len(summary) <= 50
    texts = [b["text"]["text"] for b in summary if "text" in b and isinstance(b["text"], dict)]
    texts += [e["text"] for b in summary for e in b.get("elements", []) if isinstance(e, dict) and "text" in e
              and isinstance(e["text"], str)]
    assert texts and all(len(t) <= 3000 for t in texts)
    assert "…and 25 more open blockers" in str(summary)
    assert "✅ 100 answered · ⏭ 20 skipped · 🌴 30 away · ❔ 150 missing" in str(summary)


def test_the_export_is_excel_safe_and_keeps_chinese() -> None:
    row = ExportRow(MONDAY, "U1", "陈杰", "answered", {"today": "=HYPERLINK(\"x\")", "blockers": "- 样品还没到"},
                    4, "", datetime(2026, 11, 23, 1, 40, tzinfo=UTC), None)
    text = standup_csv(["today", "blockers"], [row]).decode("utf-8-sig").splitlines()
    assert text[0] == "date,user_id,name,status,today,blockers,mood,note,submitted_at,edited_at"
    assert text[1] == ("2026-11-23,U1,陈杰,answered,\"'=HYPERLINK(\"\"x\"\")\",'- 样品还没到,4,,"
                       "2026-11-23T01:40:00+00:00,")
    assert safe_cell("-1+2") == "'-1+2" and safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell("ok") == "ok"


def test_who_is_due_goes_by_their_own_date_calendar_and_time_away() -> None:
    chen, liu = people()[0], people()[4]
    amy = ops.person_for(TEAM, TEAM.members[1], "America/Los_Angeles")
    klaus = ops.person_for(TEAM, TEAM.members[2], "Europe/Berlin")
    national_day = datetime(2026, 10, 1, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
    assert ops.due_round(chen, national_day, []) is None
    assert ops.due_round(klaus, datetime(2026, 10, 1, 7, 30, tzinfo=UTC), []) == date(2026, 10, 1)
    # 09:30 Monday in Los Angeles is already Tuesday in Shenzhen: Amy's stand-up day is her Monday.
    assert ops.due_round(amy, datetime(2026, 11, 23, 17, 30, tzinfo=UTC), []) == MONDAY
    assert ops.due_round(liu, datetime(2026, 11, 23, 1, 30, tzinfo=UTC), [ops.Away(MONDAY, MONDAY)]) is None
    assert ops.due_round(liu, datetime(2026, 11, 24, 1, 30, tzinfo=UTC), [ops.Away(MONDAY, MONDAY)]) == date(
        2026, 11, 24)


def test_a_playbook_with_too_many_questions_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="at most 20"):
        TeamStandup(questions=tuple(Question(id=f"q{n}", text="?") for n in range(21)))
