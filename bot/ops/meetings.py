"""When meetings are held (the team's calendar: a holiday moves a meeting to the next workday), what each one's
agenda covers, and what people type to record in one: pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.errors import N_, OpsError
from bot.ops.meeting_playbook import Meeting, MonthlyReview, Rhythm, TeamMeetings, WeeklyMeeting
from bot.ops.team import WEEKDAYS, WorkCalendar

ActionState = Literal["open", "done", "blocked"]
ACTION_STATES: tuple[ActionState, ...] = ("open", "done", "blocked")


def _next_workday(calendar: WorkCalendar, day: date) -> date:
    return day if calendar.is_workday(day) else calendar.add_workdays(day, 1)


def monthly_day(calendar: WorkCalendar, review: MonthlyReview, year: int, month: int) -> date:
    """The review's day in a month: its ``workday``-th workday (from the end when negative)."""
    first = date(year, month, 1)
    if review.workday > 0:
        start = first - timedelta(days=1)
        return calendar.add_workdays(start, review.workday)
    after = date(year + month // 12, month % 12 + 1, 1)
    return calendar.add_workdays(after, review.workday)


def held_between(calendar: WorkCalendar, meeting: Meeting, start: date, end: date) -> list[date]:
    """The days the meeting is held from ``start`` to ``end`` (inclusive), holidays moved to the next workday."""
    days: set[date] = set()
    if isinstance(meeting, WeeklyMeeting):
        weekday = WEEKDAYS.index(meeting.day)
        day = start - timedelta(days=14)  # a meeting planned before ``start`` may move into the range
        while day <= end:
            if day.weekday() == weekday:
                days.add(_next_workday(calendar, day))
            day += timedelta(days=1)
    elif isinstance(meeting, MonthlyReview):
        year, month = start.year, start.month
        while date(year, month, 1) <= end:
            days.add(monthly_day(calendar, meeting, year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        previous = (start.year - 1, 12) if start.month == 1 else (start.year, start.month - 1)
        days.add(monthly_day(calendar, meeting, *previous))
    return sorted(d for d in days if start <= d <= end)


def period_of(rhythm: Rhythm, held_on: date) -> tuple[date, date]:
    """What an agenda covers: the seven days before a weekly meeting, the month before a monthly review."""
    if rhythm == "weekly":
        return held_on - timedelta(days=7), held_on - timedelta(days=1)
    end = held_on.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def starts_at(meeting: Meeting, held_on: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(held_on, meeting.time, tzinfo=zone)


def agenda_time(setting: TeamMeetings, meeting: Meeting) -> time:
    return setting.agenda.time or meeting.time


def end_time(meeting: Meeting) -> time:
    end = datetime.combine(date(2000, 1, 1), meeting.time) + timedelta(minutes=meeting.length_minutes)
    return end.time()


# What people type -------------------------------------------------------------------------------------------

_MENTION = re.compile(r"^<@([UW][A-Z0-9_]+)(?:\|[^>]*)?>$|^@([UW][A-Z0-9_]+)$")
_SECTION = re.compile(r"^#([a-z][a-z_]*)$")
_DAY_WORDS = {"today": 0, "tomorrow": 1, "今天": 0, "明天": 1}
_CHINESE_WEEKDAYS = {"周一": 0, "周二": 1, "周三": 2, "周四": 3, "周五": 4, "周六": 5, "周日": 6,
                     "週一": 0, "週二": 1, "週三": 2, "週四": 3, "週五": 4, "週六": 5, "週日": 6}


def mention(word: str) -> str | None:
    found = _MENTION.match(word)
    return (found.group(1) or found.group(2)) if found else None


def parse_day(word: str, today: date) -> date:
    """A due date as typed: YYYY-MM-DD, MM-DD, today, tomorrow, or a weekday (mon, 周五) — the next one after today."""
    text = word.strip().lower()
    if text in _DAY_WORDS:
        return today + timedelta(days=_DAY_WORDS[text])
    weekday = WEEKDAYS.index(text[:3]) if text[:3] in WEEKDAYS and text.isalpha() else _CHINESE_WEEKDAYS.get(text)
    if weekday is not None:
        return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            year, month, day = (int(p) for p in text.split("-"))
            return date(year, month, day)
        if re.fullmatch(r"\d{1,2}-\d{1,2}", text):
            month, day = (int(p) for p in text.split("-"))
            found = date(today.year, month, day)
            return found if found >= today else date(today.year + 1, month, day)
    except ValueError:
        pass
    raise OpsError(N_("{text} is not a date I understand: use YYYY-MM-DD, MM-DD, tomorrow or a weekday such as fri."),
                   text=word)


@dataclass(frozen=True)
class Recorded:
    """An item, decision or action as typed: its text, owner, due date and the agenda section it is about."""

    text: str
    owner: str | None = None
    due: date | None = None
    section: str | None = None


_SAY_DECISION = N_("Say what it is, e.g. /decision Keep the DE price at 29.99 until the new stock lands.")
_SAY_ITEM = N_("Say what to put on the agenda: /agenda add [@owner] text, e.g. /agenda add @Amy Photos for the DE "
               "listing.")


def _section_and_text(words: list[str], usage: str = _SAY_DECISION) -> tuple[str | None, str]:
    """``usage``: the hint of the command typed, when no text follows (each command names its own)."""
    section = None
    if words and (found := _SECTION.match(words[0])):
        section, words = found.group(1), words[1:]
    text = " ".join(words).strip()
    if not text:
        raise OpsError(usage)
    return section, text


def parse_action(text: str, today: date) -> Recorded:
    """``@owner by DATE [#section] text`` — the owner and the date are what make it an action."""
    words = text.split()
    owner = mention(words[0]) if words else None
    if owner is None or len(words) < 3 or words[1].lower() != "by":
        raise OpsError(N_("Write it as /action @owner by DATE text, e.g. /action @Amy by fri Lower the DE bids."))
    due = parse_day(words[2], today)
    if due < today:
        raise OpsError(N_("{text} has passed: an action's date is today or later."), text=words[2])
    section, rest = _section_and_text(words[3:], N_(
        "Write it as /action @owner by DATE text, e.g. /action @Amy by fri Lower the DE bids."))
    return Recorded(rest, owner=owner, due=due, section=section)


def parse_decision(text: str) -> Recorded:
    section, rest = _section_and_text(text.split())
    return Recorded(rest, section=section)


def parse_item(text: str) -> Recorded:
    """``[@owner] text``: an item for the next agenda, optionally someone's to speak to."""
    words = text.split()
    owner = mention(words[0]) if words else None
    if owner is not None:
        words = words[1:]
    section, rest = _section_and_text(words, _SAY_ITEM)
    return Recorded(rest, owner=owner, section=section)


def overdue(state: str, due: date | None, today: date) -> bool:
    return state != "done" and due is not None and due < today


def _workday_on_or_before(calendar: WorkCalendar, day: date) -> date:
    return day if calendar.is_workday(day) else calendar.add_workdays(day, -1)


def reminder_kind(calendar: WorkCalendar, due: date, today: date, days_before: int) -> Literal["due", "before"] | None:
    """Which reminder of an action due on ``due`` goes out ``today``: each on the last workday on or before its
    day (the due date; ``days_before`` earlier), so none falls on a weekend or holiday; ``before`` only when it
    is a different day from the due one."""
    on_day = _workday_on_or_before(calendar, due)
    if today == on_day:
        return "due"
    before = _workday_on_or_before(calendar, due - timedelta(days=days_before))
    return "before" if days_before and today == before and before < on_day else None
