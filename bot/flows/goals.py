"""Goals: a person's own targets and the team's, measured from the reports or reported by their owner."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.db.audit import Audit
from bot.db.goals import GoalReport, latest_edits, latest_report
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.home import homes_changed
from bot.flows.kpi import KpiFlow
from bot.ops.goals import Attainment, GoalPeriod, Measured, Shape, attainment, goals_of, period_for, team_goals
from bot.ops.goals_edit import Edited, merged
from bot.ops.goals_playbook import Goal, GoalsPlaybook
from bot.ops.team import Member, Role, Team
from bot.reports.goals import measure

_NUMBER = re.compile(r"^([-+]?\d[\d,]*(?:\.\d+)?)\s*(%?)$")


@dataclass(frozen=True)
class GoalLine:
    """A goal's attainment and whose goal it is: its owner, or everyone holding its role."""

    attainment: Attainment
    people: tuple[str, ...]
    edited: Edited | None = None  # set or changed in Slack: by whom and when


class GoalsFlow:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.kpi = KpiFlow(ctx)

    def playbook(self) -> GoalsPlaybook:
        """goals.yml as loaded: the default each team's goals start from (``goals_of`` adds Slack's edits)."""
        try:
            return self.ctx.playbook(GoalsPlaybook)
        except LookupError:
            return GoalsPlaybook()

    def team_playbook(self, team: Team) -> tuple[GoalsPlaybook, dict[str, Edited]]:
        """The team's goals now: goals.yml's with the edits made in Slack in their place (read from the database
        each time, so an edit on one replica holds on every other at once), and which goals were edited."""
        with self.ctx.db.transaction() as session:
            edits = {goal_id: (e.definition, Edited(e.edited_by, e.edited_at))
                     for goal_id, e in latest_edits(session, team.id).items()}
        return merged(self.playbook(), edits)

    def zone(self, team: Team, user: str | None) -> ZoneInfo:
        """The reader's own zone: team.yml's for them, else their Slack profile's, else the team's."""
        member = team.member(user) if user else None
        if member is not None and member.timezone:
            return ZoneInfo(member.timezone)
        profile = self.ctx.people.profile(user).tz if user else None
        try:
            return ZoneInfo(profile) if profile else team.zone
        except (ValueError, KeyError):
            return team.zone

    def today(self, team: Team, user: str | None) -> date:
        return self.ctx.clock.now().astimezone(self.zone(team, user)).date()

    def roles_of(self, team: Team, user: str) -> set[str]:
        return {str(role) for role in Role if self.ctx.has_role(team, user, role)}

    def people(self, team: Team, goal: Goal) -> tuple[str, ...]:
        if goal.role is not None:
            return tuple(m.user for m in team.people_with(goal.role))
        return tuple(m.user for m in team.members if goal.owned_by(m))

    def attain(self, team: Team, goal: Goal, period: GoalPeriod, until: date | None = None) -> Attainment:
        """``until``: measured up to that day (a review looking back on a month within a quarter)."""
        if goal.kpi == "reported":
            with self.ctx.db.transaction() as session:
                found = latest_report(session, team.id, goal.id, period.key)
                value, at = (found.value, found.reported_at) if found else (None, None)
            through = at.astimezone(team.zone).date() if at else None
            shape: Shape = "sum" if goal.accrues else "rate"
            return attainment(goal, period, Measured(value, through, shape))
        kpi = self.kpi.playbook()
        upto = period if until is None or until >= period.end else \
            GoalPeriod(period.kind, period.start, until, period.key)
        with self.ctx.db.transaction() as session:
            measured = measure(session, team.id, goal, upto, team.base_currency, self.kpi.currencies(), kpi.rate,
                               lambda sku: self.kpi.lead_days(sku, period.end))
        return attainment(goal, period, measured)

    def lines(self, team: Team, goals: list[Goal], day: date, until: date | None = None,
              edited: dict[str, Edited] | None = None) -> list[GoalLine]:
        out = []
        for goal in goals:
            period = period_for(goal, day)
            if period is not None:
                out.append(GoalLine(self.attain(team, goal, period, until), self.people(team, goal),
                                    (edited or {}).get(goal.id)))
        return out

    def team_goals(self, team: Team) -> tuple[list[Goal], dict[str, Edited]]:
        playbook, edited = self.team_playbook(team)
        return team_goals(playbook, team.id, team.members), edited

    def mine(self, team: Team, user: str) -> list[GoalLine]:
        """``/goals``: the reader's own goals in the period that holds today, in their zone."""
        playbook, edited = self.team_playbook(team)
        goals = goals_of(playbook, team.id, team.member(user), self.roles_of(team, user))
        return self.lines(team, goals, self.today(team, user), edited=edited)

    def everyone(self, team: Team, user: str) -> list[GoalLine]:
        """``/goals team``: every goal of the team, for a manager only."""
        if not self.ctx.has_role(team, user, Role.manager):
            raise OpsError(N_("Only a manager can see everyone's goals. /goals shows yours."))
        goals, edited = self.team_goals(team)
        return self.lines(team, goals, self.today(team, user), edited=edited)

    def report(self, team: Team, user: str, goal_id: str, typed: str) -> Attainment:
        """``/goals report <goal> <value>``: the owner's number for the period that holds today."""
        goals, _ = self.team_goals(team)
        goal = next((g for g in goals if g.id == goal_id.lower()), None)
        if goal is None:
            raise OpsError(N_("There is no goal {goal}. /goals lists yours with their ids."), goal=goal_id)
        if goal.kpi != "reported":
            raise OpsError(N_("Goal {goal} is computed from the reports; there is nothing to report for it."),
                           goal=goal.id)
        member: Member | None = team.member(user)
        owner = (member is not None and goal.owned_by(member)) or (
            goal.role is not None and self.ctx.has_role(team, user, goal.role))
        if not owner:
            raise OpsError(N_("Only the owner of goal {goal} can report its number."), goal=goal.id)
        value = parse_value(typed)
        period = period_for(goal, self.today(team, user))
        if period is None:
            raise OpsError(N_("Goal {goal} is not for this period; nothing was recorded."), goal=goal.id)
        now: datetime = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            before = latest_report(session, team.id, goal.id, period.key)
            session.add(GoalReport(team_id=team.id, goal_id=goal.id, period=period.key, value=value,
                                   reported_by=user, reported_at=now))
            Audit(team.id, user, now)(session, "goal", f"{goal.id}/{period.key}",
                                      None if before is None else repr(before.value), repr(value))
        homes_changed(self.ctx, team, self.people(team, goal))  # their "My goals" shows the new number
        return self.attain(team, goal, period)


def parse_value(typed: str) -> float:
    match = _NUMBER.match(typed.strip())
    if match is None:
        raise OpsError(N_("{value} is not a number. Write it as 42, 1,250.5 or 12%."), value=typed.strip())
    number = float(match.group(1).replace(",", ""))
    return number / 100 if match.group(2) else number
