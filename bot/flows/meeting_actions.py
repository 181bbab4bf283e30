"""Actions get done: each owner's open actions in App Home (a manager also sees the team's overdue ones), a
reminder the day(s) before and on the due date, and how an action reads on another feature's card (A-7)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any

from bot.blocks import meetings as blocks
from bot.blocks.meeting_lines import Line, action_menu
from bot.blocks.text import Mrkdwn
from bot.db import meetings as store
from bot.flows.context import Context, HomeReader
from bot.flows.meeting_calendar import MeetingCalendar
from bot.flows.meeting_follow_ups import MeetingFollowUps
from bot.i18n import Translator
from bot.ops.links import LinkState, Ref
from bot.ops.meetings import overdue, reminder_kind
from bot.ops.standup import Person, person_for
from bot.ops.team import Role, Team
from bot.scheduler import ScheduledJob, daily


class MeetingActions:
    def __init__(self, ctx: Context, calendar: MeetingCalendar) -> None:
        self.ctx = ctx
        self.calendar = calendar

    def jobs(self) -> list[ScheduledJob]:
        """One job per member at ``remind_at`` in their own zone (as goals' reminders), so "due today" comes on the
        owner's own due day; the team's job, in its zone, covers owners who are not active members."""
        jobs = []
        for team in self.ctx.teams.teams:
            setting = self.calendar.setting(team)
            if setting is None:
                continue
            team_person = Person("", team.name, team.zone, team.calendar)
            jobs.append(daily("meetings.remind", team.id, team.zone, setting.remind_at,
                              partial(self.remind, team, None, team_person), grace=timedelta(hours=6)))
            for member in (m for m in team.members if m.active):
                person = person_for(team, member, self.ctx.people.profile(member.user).tz)
                jobs.append(daily("meetings.remind", team.id, person.zone, setting.remind_at,
                                  partial(self.remind, team, member.user, person), grace=timedelta(hours=6),
                                  key=member.user))
        return jobs

    def remind(self, team: Team, owner: str | None, person: Person, fire: datetime) -> None:
        """One reminder ``remind_days_before`` the due date and one on it, to the owner, each sent once, on the
        owner's own days: ``owner`` None is the team's job, for owners who are not active members."""
        setting = self.calendar.required(team)
        today = fire.astimezone(person.zone).date()
        if not person.calendar.is_workday(today):
            return  # reminders go out on workdays: a day off's come on the workday before
        members = {m.user for m in team.members if m.active}
        with self.ctx.db.transaction() as session:
            for action in store.open_actions(session, team.id):
                if action.owner is None or action.due is None:
                    continue
                if action.owner != owner and (owner is not None or action.owner in members):
                    continue
                tr = self.ctx.translator_for(action.owner, team)
                label = Ref("action", action.id).label
                kind = reminder_kind(person.calendar, action.due, today, setting.remind_days_before)
                if kind == "due" and action.reminded_on != action.due:
                    action.reminded_on = action.due
                    text = (tr._("⏰ {label} is due today.", label=label) if action.due == today
                            else tr._("⏰ {label} is due {day}.", label=label, day=tr.date(action.due)))
                elif kind == "before" and action.reminded_before != action.due:
                    action.reminded_before = action.due
                    text = tr._("⏰ {label} is due {day}.", label=label, day=tr.date(action.due))
                else:
                    continue
                line = _line(tr, action, today)
                follow_ups = MeetingFollowUps(self.ctx).for_card(action, action.owner, tr)
                self.ctx.delivery.dm(action.owner, text, [blocks.notice(text), *blocks.action_card(
                    tr, line, action.id, action.state, follow_ups)])

    def home(self, ctx: Context, reader: HomeReader) -> list[dict[str, Any]]:
        team = reader.team
        if team is None or self.calendar.setting(team) is None:
            return []
        today = ctx.today(team)
        with ctx.db.transaction() as session:
            own = [a for a in store.open_actions(session, team.id) if a.owner == reader.user]
            mine = [(_line(reader.tr, a, today), a.id, a.state) for a in own]
            follow_ups = {a.id: MeetingFollowUps(ctx).for_card(a, reader.user, reader.tr) for a in own[:10]}
            late: list[Line] = []
            if ctx.has_role(team, reader.user, Role.manager):  # the manager may change anyone's: each has a menu
                late = [(_line(reader.tr, a, today), action_menu(reader.tr, a.id))
                        for a in store.open_actions(session, team.id) if overdue(a.state, a.due, today)]
        return blocks.home_blocks(reader.tr, mine, late, follow_ups)

    def describe(self, ctx: Context, ref: Ref, tr: Translator) -> LinkState | None:
        with ctx.db.transaction() as session:
            action = store.action_by_id(session, ref.id)
        if action is None:
            return None
        return LinkState(ref, action.text, tr.pgettext("action", blocks.STATE_NAMES.get(action.state, "open")),
                         finished=action.state == "done")


def _line(tr: Translator, action: store.MeetingEntry, today: Any) -> Mrkdwn:
    return blocks.action_line(tr, Ref("action", action.id).label, action.owner, action.due, action.state, action.text,
                              overdue=overdue(action.state, action.due, today), note=action.note)
