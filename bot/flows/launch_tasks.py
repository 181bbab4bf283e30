"""A launch's tasks: an owner (or the manager) ticks, reopens or blocks one; anyone adds one to an active launch."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks import launch_modals as modals
from bot.db import launch as store
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.launch_checklist import LaunchChecklist, task_row
from bot.i18n import pick
from bot.ops import launch as ops
from bot.ops.launch_playbook import LaunchPlaybooks
from bot.ops.team import Role, Team

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskUpdate:
    """The task form: its new state (done, open or blocked) and, when blocked, why."""

    state: str
    reason: str = ""


@dataclass(frozen=True)
class NewTask:
    """The add-a-task form, as typed; its rules are checked by :meth:`LaunchTasks.add`."""

    launch_id: int
    title: str
    role: Role
    due: date | None


class LaunchTasks:
    def __init__(self, ctx: Context, playbooks: LaunchPlaybooks, checklist: LaunchChecklist) -> None:
        self.ctx = ctx
        self.playbooks = playbooks
        self.checklist = checklist

    def _task(self, user: str, task_id: int) -> tuple[Team, store.LaunchTask]:
        team = self.ctx.team_of(user)
        with self.ctx.db.transaction() as session:
            task = session.get(store.LaunchTask, task_id)
        if task is None or task.team_id != team.id:
            raise OpsError(N_("That task no longer exists."))
        if not ops.may_change(task.as_state(), user, self.ctx.has_role(team, user, Role.manager)):
            log.warning("launch: %s may not change task %s owned by %s", user, task_id, task.owner)
            raise OpsError(
                N_("Only <@{owner}> (the task's owner) or the manager can update this task."), owner=task.owner
            )
        return team, task

    def modal(self, user: str, task_id: int) -> dict[str, Any]:
        team, task = self._task(user, task_id)
        tr = self.ctx.translator_for(user, team)
        playbook = self.playbooks.playbooks.get(self.checklist.launch(task.launch_id).playbook)
        description = ""
        if playbook is not None:
            found = next((t for _, t in playbook.tasks() if t.id == task.key), None)
            description = pick(found.description, tr.locale) if found else ""
        return modals.task_modal(tr, task_row(task, tr.locale), description)

    def save(self, user: str, task_id: int, update: TaskUpdate, *, confirmed: bool) -> list[str]:
        """Apply a tick/reopen/block; returns the open dependencies' titles when a tick needs confirming."""
        team, task = self._task(user, task_id)
        tr = self.ctx.translator_for(user, team)
        state, reason = update.state, update.reason
        if state not in (ops.OPEN, ops.DONE, ops.BLOCKED):
            raise OpsError(N_("Choose done, not done yet or blocked."), field="state")
        if state == ops.BLOCKED and not reason.strip():
            raise OpsError(N_("Say what is blocking it, so others can help."), field="reason")
        with self.ctx.db.transaction() as session:
            siblings = {t.key: t for t in store.tasks_of(session, task.launch_id)}
        waiting = ops.open_dependencies(task.as_state(), {k: t.as_state() for k, t in siblings.items()})
        if state == ops.DONE and waiting and not confirmed:
            return [pick(siblings[k].title, tr.locale) for k in waiting]
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            current = session.get(store.LaunchTask, task_id)
            assert current is not None
            before = current.state
            current.state, current.blocked_reason = state, reason.strip() if state == ops.BLOCKED else None
            current.done_by, current.done_at = (user, now) if state == ops.DONE else (None, None)
            Audit(team.id, user, now)(session, "launch-task", str(task_id), before, state, reason or None)
            self.checklist.refresh(team, task.launch_id)
        return []

    # -- a task added from elsewhere (market feedback) ---------------------------------------------
    def add_modal(self, user: str, title: str, sku: str = "") -> dict[str, Any]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            active = store.active_launches(session, team.id)
        if not active:
            raise OpsError(N_("There is no active launch to add a task to. Start one with /launch new."))
        selling = next((launch.id for launch in active if sku.upper() in (s.upper() for s in launch.skus)), None)
        roles = [(role.value, role.value) for role in Role]
        launches = [(launch.id, launch.name) for launch in active]
        return modals.add_task_modal(tr, launches, title, roles, self.ctx.today(team), selling)

    def add(self, user: str, form: NewTask) -> None:
        with self.ctx.db.transaction() as session:
            team = self.ctx.team_of(user)
            title = form.title.strip()
            if not title:
                raise OpsError(N_("Say what needs doing."), field="title")
            if form.due is None:
                raise OpsError(N_("Choose the due date."), field="due")
            launch = self.checklist.launch(form.launch_id)
            if launch.team_id != team.id:
                raise OpsError(N_("That launch no longer exists."), field="launch")
            owner, stand_in = ops.owner_for(team, form.role)
            count = len(store.tasks_of(session, launch.id))
            session.add(
                store.LaunchTask(
                    team_id=team.id, launch_id=launch.id, key=f"extra-{count + 1}", phase="extra",
                    title_json=json.dumps(title, ensure_ascii=False), role=form.role.value, owner=owner,
                    stand_in=stand_in, offset=(form.due - launch.launch_date).days, unit="days", due=form.due,
                    state=ops.OPEN, depends_json="[]", gate=False,
                )
            )
            Audit(team.id, user, self.ctx.clock.now())(session, "launch", launch.slug, None, "task added", title)
            self.checklist.refresh(team, launch.id)
