"""The manager's calls on a launch: go or no-go at a gate, and moving the launch date (its open tasks follow)."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from bot.blocks import launch as blocks
from bot.blocks import launch_modals as modals
from bot.db import launch as store
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.launch_checklist import LaunchChecklist
from bot.flows.launch_tasks import LaunchTasks, TaskUpdate
from bot.i18n import translator
from bot.ops import launch as ops
from bot.ops.team import Role, Team

log = logging.getLogger(__name__)


class LaunchDecisions:
    def __init__(self, ctx: Context, checklist: LaunchChecklist, tasks: LaunchTasks) -> None:
        self.ctx = ctx
        self.checklist = checklist
        self.tasks = tasks

    def _manager(self, team: Team, user: str) -> None:
        if not self.ctx.has_role(team, user, Role.manager):
            log.warning("launch: %s is not a manager", user)
            raise OpsError(N_("Only the manager can decide go / no-go or move a launch."))

    def go(self, user: str, launch_id: int, task_id: int) -> None:
        with self.ctx.db.transaction():
            team = self.ctx.team_of(user)
            self._manager(team, user)
            self.tasks.save(user, task_id, TaskUpdate(ops.DONE), confirmed=True)
            launch = self.checklist.launch(launch_id)
            self.ctx.delivery.post(launch.channel, blocks.go_text(translator(team.locale), launch.name, user))

    def no_go_modal(self, user: str, value: str) -> dict[str, Any]:
        """The manager's reason and new date; anyone else is refused before a modal opens."""
        team = self.ctx.team_of(user)
        self._manager(team, user)
        launch = self.checklist.launch(int(json.loads(value)["launch"]))
        return modals.no_go_modal(self.ctx.translator_for(user, team), value, launch.launch_date)

    def no_go(self, user: str, launch_id: int, reason: str, new_date: date | None) -> None:
        with self.ctx.db.transaction() as session:
            team = self.ctx.team_of(user)
            self._manager(team, user)
            if not reason.strip():
                raise OpsError(N_("Say why it is a no-go."), field="reason")
            launch = self.checklist.launch(launch_id)
            moving = new_date is not None and new_date != launch.launch_date
            if new_date is not None and moving:  # checked before anything is recorded or posted
                ops.check_launch_date(new_date, self.ctx.today(team), "new_date", moving=True)
            Audit(team.id, user, self.ctx.clock.now())(session, "launch", launch.slug, "active", "no-go",
                                                       reason.strip())
            tr = translator(team.locale)
            self.ctx.delivery.post(launch.channel, blocks.no_go_text(tr, launch.name, user, reason))
            if new_date is not None and moving:
                self.move(user, launch.slug, new_date, field="new_date")

    def move(self, user: str, name: str, new_date: date, field: str | None = None) -> store.Launch:
        with self.ctx.db.transaction() as session:
            team = self.ctx.team_of(user)
            self._manager(team, user)
            ops.check_launch_date(new_date, self.ctx.today(team), field, moving=True)
            now = self.ctx.clock.now()
            launch = store.find_launch(session, team.id, name)
            if launch is None:
                raise OpsError(N_("No launch called {name}. /launch list shows them."), name=name)
            before = launch.launch_date
            for task in store.tasks_of(session, launch.id):
                task.due = ops.moved_due(task.as_state(), task.offset, task.unit, new_date, team)
            launch.launch_date = new_date
            Audit(team.id, user, now)(session, "launch", launch.slug, before.isoformat(), new_date.isoformat(),
                                      "moved")
            tr = translator(team.locale)
            self.ctx.delivery.post(launch.channel, blocks.moved_text(tr, launch.name, before, new_date, user))
            self.checklist.refresh(team, launch.id)
            return launch
