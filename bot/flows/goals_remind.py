"""A reported number missing before the monthly review: its owner gets a DM on their last workday morning before the
review's agenda goes out (in their zone and language, never on their day off), so the agenda has the number."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial

from bot.blocks.goals import owed_blocks
from bot.db.goals import latest_report
from bot.flows.context import Context
from bot.flows.goals import GoalsFlow
from bot.flows.meeting_calendar import MeetingCalendar, Planned
from bot.ops import meetings as meeting_ops
from bot.ops.goals import GoalPeriod, goals_of, month_of, period_for
from bot.ops.goals_playbook import Goal
from bot.ops.standup import Person, person_for
from bot.ops.team import Member, Team
from bot.scheduler import ScheduledJob, daily

# How far ahead a review is looked for: a month's review is never further than this from a morning before it.
LOOKAHEAD_DAYS = 45


class GoalReminders:
    def __init__(self, ctx: Context) -> None:
        self.ctx, self.flow, self.calendar = ctx, GoalsFlow(ctx), MeetingCalendar(ctx)

    def at(self) -> time:
        return time.fromisoformat(self.flow.playbook().remind_at)

    def jobs(self) -> list[ScheduledJob]:
        jobs = []
        for team in self.ctx.teams.teams:
            if self.calendar.setting(team) is None:
                continue
            for member in (m for m in team.members if m.active):
                zone = self._person(team, member).zone
                jobs.append(daily("goals.remind", team.id, zone, self.at(), partial(self.morning, team, member),
                                  grace=timedelta(hours=3), key=member.user))
        return jobs

    def _person(self, team: Team, member: Member) -> Person:
        return person_for(team, member, self.ctx.people.profile(member.user).tz)

    def next_review(self, team: Team, now: datetime) -> tuple[Planned, datetime] | None:
        """The next monthly review whose agenda has not gone out, and when it goes out."""
        setting = self.calendar.setting(team)
        meeting = setting.meeting("monthly") if setting else None
        if setting is None or meeting is None:
            return None
        today = now.astimezone(team.zone).date()
        for planned in self.calendar.between(team, today, today + timedelta(days=LOOKAHEAD_DAYS), "monthly"):
            out = datetime.combine(planned.held_on - timedelta(days=setting.agenda.days_before),
                                   meeting_ops.agenda_time(setting, meeting), team.zone)
            if out > now:
                return planned, out
        return None

    def _last_morning(self, person: Person, before: datetime) -> date | None:
        """The person's last workday whose morning comes before ``before``."""
        day = before.astimezone(person.zone).date()
        for _ in range(LOOKAHEAD_DAYS):
            if person.calendar.is_workday(day) and datetime.combine(day, self.at(), person.zone) < before:
                return day
            day -= timedelta(days=1)
        return None

    def owed(self, team: Team, member: Member, month: GoalPeriod) -> list[tuple[Goal, GoalPeriod]]:
        """The member's reported goals with no number for the period the review looks back on."""
        playbook, _ = self.flow.team_playbook(team)
        found = []
        for goal in goals_of(playbook, team.id, member, self.flow.roles_of(team, member.user)):
            period = period_for(goal, month.end)
            if goal.kpi != "reported" or period is None:
                continue
            with self.ctx.db.transaction() as session:
                if latest_report(session, team.id, goal.id, period.key) is None:
                    found.append((goal, period))
        return found

    def morning(self, team: Team, member: Member, fire: datetime) -> None:
        person = self._person(team, member)
        review = self.next_review(team, fire)
        if review is None:
            return
        planned, out = review
        if self._last_morning(person, out) != fire.astimezone(person.zone).date():
            return  # not yet, or a day off: the last workday morning before the agenda is the one
        owed = self.owed(team, member, month_of(planned.period.start))
        if owed:
            tr = self.ctx.translator_for(member.user, team)
            text, blocks = owed_blocks(tr, owed, out.astimezone(person.zone))
            self.ctx.delivery.dm(member.user, text, blocks)
