"""Which meeting is which: the team's meetings from meetings.yml on its calendar, each one's row made once."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from bot.db import meetings as store
from bot.errors import N_, OpsError
from bot.flows.context import AgendaPeriod, Context
from bot.i18n import Translator
from bot.ops import meetings as ops
from bot.ops.meeting_playbook import RHYTHMS, Meeting, MeetingsPlaybook, Rhythm, TeamMeetings
from bot.ops.team import Team


@dataclass(frozen=True)
class Planned:
    """One meeting on the calendar: its rhythm, day, hours and channel."""

    rhythm: Rhythm
    held_on: date
    starts_at: datetime
    ends_at: datetime
    channel: str | None

    @property
    def period(self) -> AgendaPeriod:
        start, end = ops.period_of(self.rhythm, self.held_on)
        return AgendaPeriod(self.rhythm, start, end, self.held_on)


def section_title(row: store.MeetingRow, key: str | None, tr: Translator | None = None) -> str | None:
    """An agenda section's title as it went out in this meeting's agenda (its key when it had none): in ``tr``'s
    language when the agenda went out in it too (each attendee's language is kept), else as the team read it."""
    if key is None:
        return None
    for part in json.loads(row.agenda_json or "[]"):
        if part["key"] == key:
            titles = part.get("titles") or {}
            if tr is None:
                return str(part["title"])
            return str(titles.get(tr.locale) or tr._(str(part["title"])))
    if key == "items":  # items that came after the agenda, or with none: the record shows them under this title
        return tr._("Items added") if tr else "Items added"
    return key


def agenda_line(row: store.MeetingRow, key: str | None, index: int | None) -> str | None:
    """The agenda line a decision or action was recorded on, as it went out (None: on none, or not there)."""
    if key is None or index is None:
        return None
    for part in json.loads(row.agenda_json or "[]"):
        if part["key"] == key and 0 <= index < len(part["lines"]):
            return str(part["lines"][index])
    return None


class MeetingCalendar:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def setting(self, team: Team) -> TeamMeetings | None:
        try:
            playbook = self.ctx.playbook(MeetingsPlaybook)
        except LookupError:
            return None
        return playbook.for_team(team.id)

    def required(self, team: Team) -> TeamMeetings:
        setting = self.setting(team)
        if setting is None:
            raise OpsError(N_("Team {team} holds no meetings in {file} yet."), team=team.name,
                           file=str(self.ctx.playbooks_dir / "meetings.yml"))
        return setting

    def planned(self, team: Team, rhythm: Rhythm, meeting: Meeting, held_on: date) -> Planned:
        start = ops.starts_at(meeting, held_on, team.zone)
        return Planned(rhythm, held_on, start, start + timedelta(minutes=meeting.length_minutes),
                       team.channel(meeting.channel))

    def between(self, team: Team, start: date, end: date, rhythm: Rhythm | None = None) -> list[Planned]:
        """The team's meetings held from ``start`` to ``end``, in order."""
        setting = self.setting(team)
        found: list[Planned] = []
        for each in RHYTHMS:
            meeting = setting.meeting(each) if setting else None
            if meeting is None or (rhythm is not None and each != rhythm):
                continue
            days = ops.held_between(team.calendar, meeting, start, end)
            found += [self.planned(team, each, meeting, d) for d in days]
        return sorted(found, key=lambda p: p.starts_at)

    def next_one(self, team: Team, now: datetime) -> Planned:
        """The next meeting not yet over: where an item added now goes."""
        today = now.astimezone(team.zone).date()
        coming = [p for p in self.between(team, today, today + timedelta(days=62)) if p.ends_at > now]
        if not coming:
            self.required(team)
            raise OpsError(N_("No meeting is planned in the next two months."))
        return coming[0]

    def not_begun(self, team: Team, now: datetime) -> Planned:
        """The next meeting that has not begun: where an item added now goes (one being held is under way)."""
        today = now.astimezone(team.zone).date()
        coming = [p for p in self.between(team, today, today + timedelta(days=62)) if p.starts_at > now]
        if not coming:
            self.required(team)
            raise OpsError(N_("No meeting is planned in the next two months."))
        return coming[0]

    def current(self, team: Team, now: datetime) -> Planned:
        """The meeting a decision or action recorded now belongs to: the latest one that has begun (a quarter of
        an hour early counts), until the next begins."""
        today = now.astimezone(team.zone).date()
        begun = [p for p in self.between(team, today - timedelta(days=62), today + timedelta(days=1))
                 if p.starts_at - timedelta(minutes=15) <= now]
        if not begun:
            self.required(team)
            raise OpsError(N_("No meeting has begun yet: decisions and actions are recorded in one."))
        return begun[-1]

    def previous(self, team: Team, planned: Planned) -> Planned | None:
        """The meeting of the same rhythm before this one."""
        earlier = self.between(team, planned.held_on - timedelta(days=62), planned.held_on - timedelta(days=1),
                               planned.rhythm)
        return earlier[-1] if earlier else None

    def row(self, session: Session, team: Team, planned: Planned) -> store.MeetingRow:
        period = planned.period
        return store.ensure_meeting(session, team.id, planned.rhythm, planned.held_on, starts_at=planned.starts_at,
                                    ends_at=planned.ends_at, channel=planned.channel, period_start=period.start,
                                    period_end=period.end)

    def of_row(self, row: store.MeetingRow) -> Planned:
        return Planned(row.rhythm, row.held_on, row.starts_at, row.ends_at, row.channel)  # type: ignore[arg-type]
