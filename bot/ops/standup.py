"""The daily stand-up, pure: whose round is due when, who answered, blockers and their age.

A person's *round* is a workday in their own calendar (their time zone, their country's holidays);
they are prompted at the team's prompt time on their own clock. The team's summary, posted at the
team's cutoff, shows each person's rounds prompted since the previous summary — so Los Angeles
shows yesterday-evening-in-Shenzhen's round and Berlin its afternoon one, without anyone waiting.

A summary is posted on every day that is a workday for anyone on the team: China's National Day week
is a holiday in Shenzhen but not in Berlin or Los Angeles, and their answers must still reach the channel.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import N_, OpsError
from bot.ops.standup_playbook import Question, TeamStandup
from bot.ops.team import Member, Team, WorkCalendar

ANSWER_LIMIT = 3000  # Slack's plain_text_input maximum
MAX_RANGE_DAYS = 366
MAX_AWAY_WORKDAYS = 260
# How alike a restated blocker must be to an open one of the same person to be that blocker (0..1):
# "Waiting on the QC report from the factory" restated as "waiting for QC report from factory".
SAME_BLOCKER_RATIO = 0.8


@dataclass(frozen=True)
class Person:
    user: str
    name: str
    zone: ZoneInfo
    calendar: WorkCalendar


def person_for(team: Team, member: Member, slack_tz: str | None) -> Person:
    """The member's own clock (playbook override, else Slack profile, else the team's) and calendar."""
    zone_name = member.timezone or slack_tz or team.timezone
    try:
        zone = ZoneInfo(zone_name)
    except (KeyError, ValueError):
        zone = team.zone
    countries = (member.country,) if member.country else team.holiday_countries
    calendar = WorkCalendar(team.workdays, countries, team.extra_holidays, make_up_workdays=True)
    return Person(member.user, member.name, zone, calendar)


def team_calendar(team: Team) -> WorkCalendar:
    """The team's days for its summary: like each person's, China's make-up weekend workdays (调休) count."""
    return WorkCalendar(team.workdays, team.holiday_countries, team.extra_holidays, make_up_workdays=True)


def at_local(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=zone)


def local_today(person: Person, now: datetime) -> date:
    return now.astimezone(person.zone).date()


def due_round(person: Person, moment: datetime, away: list[Away]) -> date | None:
    """The person's round at ``moment`` (their own date), or None on their day off or while away."""
    day = local_today(person, moment)
    if not person.calendar.is_workday(day) or any(a.covers(day) for a in away):
        return None
    return day


def next_round(person: Person, today: date) -> date:
    """The person's stand-up day from ``today`` on: today when it is a workday for them, else the next one."""
    day = today
    while not person.calendar.is_workday(day):
        day += timedelta(days=1)
    return day


def next_workdays(person: Person, today: date, count: int) -> tuple[date, date]:
    """The first and last of the person's next ``count`` workdays, today included when it is one."""
    first = next_round(person, today)
    return first, person.calendar.add_workdays(first, count - 1) if count > 1 else first


def rounds_between(person: Person, prompt_time: time, since: datetime, until: datetime) -> list[date]:
    """Every workday of the person's whose prompt fell in (since, until], oldest first."""
    day = since.astimezone(person.zone).date() - timedelta(days=1)
    last = until.astimezone(person.zone).date()
    found: list[date] = []
    while day <= last:
        prompt = at_local(day, prompt_time, person.zone)
        if since < prompt <= until and person.calendar.is_workday(day):
            found.append(day)
        day += timedelta(days=1)
    return found


def latest_round(person: Person, prompt_time: time, since: datetime, until: datetime) -> date | None:
    """The person's latest workday whose prompt fell in (since, until], or None (a day off for them)."""
    found = rounds_between(person, prompt_time, since, until)
    return found[-1] if found else None


def is_summary_day(team: Team, people: list[Person], day: date) -> bool:
    """A day the team's summary is posted: a workday for the team or for anyone on it."""
    return team_calendar(team).is_workday(day) or any(p.calendar.is_workday(day) for p in people)


def previous_summary_day(team: Team, people: list[Person], day: date) -> date:
    previous = day - timedelta(days=1)
    for _ in range(MAX_RANGE_DAYS):
        if is_summary_day(team, people, previous):
            return previous
        previous -= timedelta(days=1)
    return previous


def summary_window(
    team: Team, cfg: TeamStandup, summary_date: date, people: list[Person] | None = None
) -> tuple[datetime, datetime]:
    """From the previous summary day's cutoff to this one's (summary days: anyone's workday)."""
    until = at_local(summary_date, cfg.cutoff_time, team.zone)
    previous = previous_summary_day(team, people or [], summary_date)
    return at_local(previous, cfg.cutoff_time, team.zone), until


def in_quiet_hours(cfg: TeamStandup, person: Person, moment: datetime) -> bool:
    return cfg.quiet_hours is not None and cfg.quiet_hours.contains(moment.astimezone(person.zone).time())


def reminder_time(cfg: TeamStandup) -> time:
    minutes = cfg.prompt_time.hour * 60 + cfg.prompt_time.minute + cfg.reminder_after_minutes
    return time((minutes // 60) % 24, minutes % 60)


@dataclass(frozen=True)
class Away:
    start: date
    end: date
    note: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Entry:
    user: str
    round_date: date
    status: str  # "answered" | "skipped"
    answers: dict[str, str] = field(default_factory=dict)
    mood: int | None = None
    note: str = ""


@dataclass
class Roster:
    answered: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    away: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    off: list[str] = field(default_factory=list)  # no round since the last summary: weekend or holiday for them
    # A round they were never prompted for (before Opsbot was installed, or before they joined): not "missing".
    unprompted: list[str] = field(default_factory=list)


def classify(
    people: list[Person],
    rounds: dict[str, date | None],
    entries: dict[tuple[str, date], Entry],
    away: dict[str, list[Away]],
    prompted: set[tuple[str, date]] | None = None,
) -> Roster:
    """Each person's group for their round; with ``prompted``, no answer to a round never prompted is missing."""
    roster = Roster()
    for person in people:
        day = rounds.get(person.user)
        if day is None:
            roster.off.append(person.user)
            continue
        entry = entries.get((person.user, day))
        if entry is not None and entry.status == "answered":
            roster.answered.append(person.user)
        elif any(a.covers(day) for a in away.get(person.user, [])):
            roster.away.append(person.user)
        elif entry is not None:
            roster.skipped.append(person.user)
        elif prompted is not None and (person.user, day) not in prompted:
            roster.unprompted.append(person.user)
        else:
            roster.missing.append(person.user)
    return roster


def day_statuses(
    calendar: WorkCalendar,
    start: date,
    end: date,
    entries: dict[date, Entry],
    away: list[Away],
    prompted: set[date],
) -> list[tuple[date, str]]:
    """A person's record over a period, oldest first: answered, skipped, away, or missed (prompted, no answer).

    A workday they were never prompted for and did not answer is left out: it is not theirs to have missed.
    """
    record: list[tuple[date, str]] = []
    day = start
    while day <= end:
        entry = entries.get(day)
        if entry is not None:
            record.append((day, entry.status))
        elif calendar.is_workday(day) and any(a.covers(day) for a in away):
            record.append((day, "away"))
        elif day in prompted:
            record.append((day, "missed"))
        day += timedelta(days=1)
    return record


def _blocker_key(text: str) -> str:
    return " ".join(text.casefold().split())


def _codes(text: str) -> set[str]:
    """Words with a digit (SKU-101, PO 4711, pallet 7): two blockers naming different ones are different."""
    return {word.strip(".,;:!?()") for word in text.split() if any(ch.isdigit() for ch in word)}


def same_blocker(new: str, existing: str) -> bool:
    """A restated blocker: the same words give or take case, spacing and a few small changes — but never
    one naming another SKU, order or number."""
    a, b = _blocker_key(new), _blocker_key(existing)
    if a == b:
        return True
    return _codes(a) == _codes(b) and difflib.SequenceMatcher(None, a, b).ratio() >= SAME_BLOCKER_RATIO


def mention_missing(missing: list[str], mentioned_this_week: set[str]) -> set[str]:
    """Whom a summary @-mentions as missing: only those not already mentioned for it in the past week."""
    return {user for user in missing if user not in mentioned_this_week}


def blocker_age(calendar: WorkCalendar, raised_on: date, today: date) -> int:
    """Age in workdays: raised today is 0, raised the previous workday is 1."""
    return calendar.workdays_between(raised_on, today)


# A list marker the person typed before a blocker: "-", "•" or "*" followed by a space. Only that goes; a sign
# or star that is part of the words ("-20% price cut", "-2+3", "*urgent*") is what they typed and stays.
_BULLET = re.compile(r"^[-•*][ \t]+")


def blocker_lines(text: str) -> list[str]:
    """Each non-empty line of the blockers answer is one blocker; "none", "no", "无" and "-" mean none."""
    nothing = {"none", "no", "n/a", "na", "nothing", "-", "无", "没有", "暂无"}
    lines = [_BULLET.sub("", line.strip(" \t")).strip(" \t") for line in text.splitlines()]
    return [line for line in lines if line and line.lower() not in nothing]


@dataclass(frozen=True)
class Answers:
    """A submitted stand-up form, checked: answers as text by question id, and the mood."""

    text: dict[str, str]
    mood: int | None = None


def validate_answers(questions: tuple[Question, ...], values: dict[str, str | None]) -> Answers:
    """The form's values checked against the team's questions; a bad field raises OpsError naming it."""
    answers: dict[str, str] = {}
    mood: int | None = None
    for question in questions:
        raw = (values.get(question.id) or "").strip()
        if question.required and not raw:
            raise OpsError(N_("Please answer this question."), field=question.id)
        if len(raw) > ANSWER_LIMIT:
            raise OpsError(
                N_("Please keep this under {limit} characters (it has {length})."),
                field=question.id,
                limit=ANSWER_LIMIT,
                length=len(raw),
            )
        if question.kind == "mood" and raw:
            if raw not in {"1", "2", "3", "4", "5"}:
                raise OpsError(N_("Mood is a number from 1 to 5."), field=question.id)
            mood = int(raw)
        elif raw:
            answers[question.id] = raw
    return Answers(answers, mood)


def parse_range(text: str, today: date) -> tuple[date, date]:
    """``7d``, ``30d`` (ending today) or ``YYYY-MM-DD..YYYY-MM-DD``, at most a year."""
    text = text.strip().lower()
    if text.endswith("d") and text[:-1].isdigit():
        days = int(text[:-1])
        if not 1 <= days <= MAX_RANGE_DAYS:
            raise OpsError(N_("A period is 1d to 366d, or YYYY-MM-DD..YYYY-MM-DD."))
        return today - timedelta(days=days - 1), today
    start_text, separator, end_text = text.partition("..")
    try:
        start = date.fromisoformat(start_text)
        end = date.fromisoformat(end_text) if separator else start
    except ValueError as exc:
        raise OpsError(
            N_("{text} is not a period I understand: use 7d, 30d or YYYY-MM-DD..YYYY-MM-DD."), text=text
        ) from exc
    if end < start:
        # The period as it was typed (ISO, like the command takes it), so the typo is plain to see.
        raise OpsError(
            N_("The period ends before it starts: {start}..{end}."), start=start.isoformat(), end=end.isoformat()
        )
    if (end - start).days >= MAX_RANGE_DAYS:
        raise OpsError(N_("A period can be at most a year long."))
    return start, end


@dataclass(frozen=True)
class StandupCommand:
    action: str  # open | skip | ooo | back | status | history | export | reminders | help
    reason: str = ""
    start: date | None = None
    end: date | None = None
    user: str | None = None
    switch: bool | None = None
    count: int | None = None  # ooo Nd: the next N workdays; ooo cancel N: the Nth leave of ooo list


_MENTION_PREFIXES = ("<@",)


def parse_command(text: str, today: date) -> StandupCommand:
    words = text.strip().split()
    if not words:
        return StandupCommand("open")
    verb, rest = words[0].lower(), words[1:]
    if verb == "skip":
        return StandupCommand("skip", reason=" ".join(rest))
    if verb == "ooo":
        if not rest:
            raise OpsError(N_("Usage: /standup ooo YYYY-MM-DD..YYYY-MM-DD [note] · /standup ooo 3d [note] · "
                              "/standup ooo list · /standup ooo cancel N"))
        first = rest[0].lower()
        if first == "list" and len(rest) == 1:
            return StandupCommand("ooo-list")
        if first == "cancel":
            if len(rest) != 2 or not rest[1].isdigit() or int(rest[1]) < 1:
                raise OpsError(N_("Usage: /standup ooo cancel N, with N a number from /standup ooo list."))
            return StandupCommand("ooo-cancel", count=int(rest[1]))
        if first.endswith("d") and first[:-1].isdigit():
            count = int(first[:-1])
            if not 1 <= count <= MAX_AWAY_WORKDAYS:
                raise OpsError(N_("Time away is 1d to {most}d (workdays), or YYYY-MM-DD..YYYY-MM-DD."),
                               most=MAX_AWAY_WORKDAYS)
            return StandupCommand("ooo", count=count, reason=" ".join(rest[1:]))
        start, end = parse_range(rest[0], today)
        if end < today:
            raise OpsError(N_("That time away is already over; give dates from today on."))
        return StandupCommand("ooo", start=start, end=end, reason=" ".join(rest[1:]))
    if verb == "back" and not rest:
        return StandupCommand("back")
    if verb == "status" and not rest:
        return StandupCommand("status")
    if verb == "history":
        user = None
        if rest and rest[0].startswith(_MENTION_PREFIXES):
            user = rest.pop(0).strip("<@>").split("|")[0]
        start, end = parse_range(rest[0] if rest else "7d", today)
        if len(rest) > 1:
            raise OpsError(N_("Usage: /standup history [@person] [7d|30d|YYYY-MM-DD..YYYY-MM-DD]"))
        return StandupCommand("history", user=user, start=start, end=end)
    if verb == "export":
        start, end = parse_range(rest[0] if rest else "30d", today)
        return StandupCommand("export", start=start, end=end)
    if verb == "reminders" and len(rest) == 1 and rest[0].lower() in ("on", "off"):
        return StandupCommand("reminders", switch=rest[0].lower() == "on")
    return StandupCommand("help")
