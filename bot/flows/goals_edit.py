"""A manager sets, changes or removes a person's or a role's goal from Slack (``/goals set``, ``/goals remove``).

The edit is stored in the database (bot.db.goals.GoalEdit), so every replica reads it at once; goals.yml stays the
default a goal returns to only by another edit. Every edit is checked on the server and audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.audit import Audit
from bot.db.goals import GoalEdit
from bot.errors import N_, OpsError
from bot.flows.goals import GoalsFlow
from bot.flows.home import homes_changed
from bot.ops.goals_edit import check_id, edited_goal, parse_fields
from bot.ops.goals_playbook import Goal
from bot.ops.team import Role, Team

AUDITED = "goal-definition"


@dataclass(frozen=True)
class Edit:
    goal: Goal
    new: bool  # a goal that was not there before


class GoalEdits:
    def __init__(self, flow: GoalsFlow) -> None:
        self.flow, self.ctx = flow, flow.ctx

    def _manager(self, team: Team, user: str) -> None:
        if not self.ctx.has_role(team, user, Role.manager):
            raise OpsError(N_("Only a manager can set, change or remove goals. /goals shows yours."))

    def _current(self, team: Team, goal_id: str) -> Goal | None:
        playbook, _ = self.flow.team_playbook(team)
        return next((g for g in playbook.goals if g.id == goal_id and g.team in (None, team.id)), None)

    def set(self, team: Team, user: str, goal_id: str, typed: str) -> Edit:
        """``/goals set <goal> field=value ...``: a new goal, or the fields given changed on an existing one."""
        self._manager(team, user)
        goal_id = check_id(goal_id.lower())
        before = self._current(team, goal_id)
        goal = edited_goal(team, goal_id, before, parse_fields(typed))
        self._store(team, user, goal_id, before, goal)
        return Edit(goal, before is None)

    def remove(self, team: Team, user: str, goal_id: str) -> Goal:
        self._manager(team, user)
        before = self._current(team, goal_id.lower())
        if before is None:
            raise OpsError(N_("There is no goal {goal}. /goals team lists them with their ids."), goal=goal_id)
        self._store(team, user, before.id, before, None)
        return before

    def _store(self, team: Team, user: str, goal_id: str, before: Goal | None, after: Goal | None) -> None:
        now = self.ctx.clock.now()
        definition = after.model_dump_json(exclude_defaults=True) if after is not None else None
        with self.ctx.db.transaction() as session:
            session.add(GoalEdit(team_id=team.id, goal_id=goal_id, definition=definition, edited_by=user,
                                 edited_at=now))
            Audit(team.id, user, now)(session, AUDITED, goal_id, None if before is None else "set",
                                      "removed" if after is None else "set", note=definition)
        people = {*(self.flow.people(team, before) if before else ()), *(self.flow.people(team, after) if after
                                                                          else ())}
        homes_changed(self.ctx, team, tuple(sorted(people)))  # their "My goals" shows the goal as it is now
