"""The daily stand-up, pure: whose round is due when, who answered, blockers and their age.

A person's *round* is a workday in their own calendar (their time zone, their country's holidays);
they are prompted at the team's prompt time on their own clock. The team's summary, posted at the
team's cutoff, shows each person's latest round prompted since the previous summary — so Los Angeles
shows yesterday-evening-in-Shenzhen's round and Berlin its afternoon one, without anyone waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.errors import N_, OpsError
from bot.ops.standup_playbook import Question, TeamStandup
from bot.ops.team import Member, Team, WorkCalendar

ANSWER_LIMIT = 3000  # Slack's plain_text_input maximum
MAX_RANGE_DAYS = 366


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


def latest_round(person: Person, prompt_time: time, since: datetime, until: datetime) -> date | None:
    """The person's latest workday whose prompt fell in (since, until], or None (a day off for them)."""
    day = until.astimezone(person.zone).date()
    oldest = since.astimezone(person.zone).date() - timedelta(days=1)
    while day >= oldest:
        prompt = at_local(day, prompt_time, person.zone)
        if since < prompt <= until and person.calendar.is_workday(day):
            return day
        day -= timedelta(days=1)
    return None


def summary_window(team: Team, cfg: TeamStandup, summary_date: date) -> tuple[datetime, datetime]:
    """From the previous team workday's cutoff to this one's."""
    until = at_local(summary_date, cfg.cutoff_time, team.zone)
    previous = team_calendar(team).add_workdays(summary_date, -1)
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


def classify(
    people: list[Person],
    rounds: dict[str, date | None],
    entries: dict[tuple[str, date], Entry],
    away: dict[str, list[Away]],
) -> Roster:
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
        else:
            roster.missing.append(person.user)
    return roster


def blocker_age(calendar: WorkCalendar, raised_on: date, today: date) -> int:
    """Age in workdays: raised today is 0, raised the previous workday is 1."""
    return calendar.workdays_between(raised_on, today)


def blocker_lines(text: str) -> list[str]:
    """Each non-empty line of the blockers answer is one blocker; "none", "no", "无" and "-" mean none."""
    nothing = {"none", "no", "n/a", "na", "nothing", "-", "无", "没有", "暂无"}
    lines = [line.strip(" -•*\t") for line in text.splitlines()]
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
            raise OpsError(N_("Usage: /standup ooo YYYY-MM-DD..YYYY-MM-DD [note]"))
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
