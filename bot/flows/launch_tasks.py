"""A launch's tasks: an owner (or the manager) ticks, reopens, blocks, reassigns, re-dates or removes one; anyone in
the team adds one to a phase of an active launch, owned by a person they pick."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bot.blocks import launch as blocks
from bot.blocks import launch_modals as modals
from bot.db import launch as store
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows import links
from bot.flows.context import Context
from bot.flows.home import homes_changed, managers
from bot.flows.launch_checklist import LaunchChecklist, task_row
from bot.i18n import Translator, pick
from bot.ops import launch as ops
from bot.ops.launch_playbook import LaunchPlaybooks
from bot.ops.links import LinkState, Ref, source_metadata
from bot.ops.team import Role, Team

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskUpdate:
    """The task form: its new state (done, open or blocked) and, when blocked, why; its owner and due date
    (None: unchanged); whether to take it off the checklist."""

    state: str
    reason: str = ""
    owner: str | None = None
    due: date | None = None
    remove: bool = False


@dataclass(frozen=True)
class NewTask:
    """The add-a-task form, as typed; its rules are checked by :meth:`LaunchTasks.add`."""

    launch_id: int
    title: str
    phase: str  # "<launch id>:<phase id>", as the phase menu offers it
    owner: str
    due: date | None
    source: Ref | None = None  # what it was added from (F-12 or A-7 → T), when it was


def people_of(team: Team) -> list[tuple[str, str]]:
    """Whom a task can go to: the team's active members, by name."""
    return [(m.user, m.name) for m in team.members if m.active]


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
        return modals.task_modal(tr, task_row(task, tr.locale), description, people_of(team))

    def save(self, user: str, task_id: int, update: TaskUpdate, *, confirmed: bool) -> list[str]:
        """Apply a tick/reopen/block; returns the open dependencies' titles when a tick needs confirming."""
        team, task = self._task(user, task_id)
        tr = self.ctx.translator_for(user, team)
        state, reason = update.state, update.reason
        if state not in (ops.OPEN, ops.DONE, ops.BLOCKED):
            raise OpsError(N_("Choose done, not done yet or blocked."), field="state")
        if update.remove:
            self._remove(user, team, task)
            return []
        if state == ops.BLOCKED and not reason.strip():
            raise OpsError(N_("Say what is blocking it, so others can help."), field="reason")
        owner = update.owner or task.owner
        if owner != task.owner and owner not in {user for user, _ in people_of(team)}:
            raise OpsError(N_("Pick someone in the team."), field="owner")
        due = update.due or task.due
        if due != task.due and due < self.ctx.today(team):
            raise OpsError(N_("Pick today or a later date."), field="due")
        with self.ctx.db.transaction() as session:
            siblings = {t.key: t for t in store.tasks_of(session, task.launch_id)}
            asked = task.gate and state != task.state and store.asks_of(session, task.id)
        if asked:  # its go / no-go is the decision, final until a manager reopens it there
            raise OpsError(N_("This gate is decided with Go / No-go in its question, not here."), field="state")
        waiting = ops.open_dependencies(task.as_state(), {k: t.as_state() for k, t in siblings.items()})
        if state == ops.DONE and task.state != ops.DONE and waiting and not confirmed:
            return [pick(siblings[k].title, tr.locale) for k in waiting]
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            current = session.get(store.LaunchTask, task_id)
            assert current is not None
            audit = Audit(team.id, user, now)
            if state != current.state or (state == ops.BLOCKED and reason.strip() != current.blocked_reason):
                audit(session, "launch-task", str(task_id), current.state, state, reason or None)
                current.state, current.blocked_reason = state, reason.strip() if state == ops.BLOCKED else None
                current.done_by, current.done_at = (user, now) if state == ops.DONE else (None, None)
            if due != current.due:
                launch = self.checklist.launch(current.launch_id)
                audit(session, "launch-task", str(task_id), current.due.isoformat(), due.isoformat(), "re-dated")
                # A date a person chose is kept in calendar days from launch day: a move keeps its distance.
                current.due, current.offset, current.unit = due, (due - launch.launch_date).days, "days"
            if owner != current.owner:
                audit(session, "launch-task", str(task_id), current.owner, owner, "reassigned")
                current.owner, current.stand_in = owner, False
                launch = self.checklist.launch(current.launch_id)
                told = self.ctx.translator_for(owner, team)
                self.ctx.delivery.dm(
                    owner, blocks.assigned_text(told, launch.name, pick(current.title, told.locale), current.due, user)
                )
            self.checklist.refresh(team, task.launch_id)
        homes_changed(self.ctx, team, [task.owner, owner, user, *managers(self.ctx, team)])
        links.moved(self.ctx, Ref("launch_task", task_id))  # the feedback it came from shows it ticked
        return []

    def _remove(self, user: str, team: Team, task: store.LaunchTask) -> None:
        with self.ctx.db.transaction() as session:
            current = session.get(store.LaunchTask, task.id)
            assert current is not None
            store.remove_task(session, current)
            Audit(team.id, user, self.ctx.clock.now())(
                session, "launch-task", str(task.id), current.state, "removed", pick(current.title, "en")
            )
            self.checklist.refresh(team, task.launch_id)
        homes_changed(self.ctx, team, [task.owner, *managers(self.ctx, team)])
        links.moved(self.ctx, Ref("launch_task", task.id))

    # -- a task added from the checklist or from elsewhere (market feedback, a meeting action) ------------
    def add_modal(
        self, user: str, title: str, sku: str = "", launch_id: int | None = None, source: Ref | None = None
    ) -> dict[str, Any]:
        """``source``: what it is added from (F-12, A-7), linked to the task once it is added."""
        team = self.ctx.team_of(user)
        if source is not None:
            links.check_source(self.ctx, user, source)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            active = store.active_launches(session, team.id)
            phases = [(launch.name, self._phases(session, launch, tr.locale)) for launch in active]
        if not active:
            raise OpsError(N_("There is no active launch to add a task to. Start one with /launch new."))
        selling = next((launch.id for launch in active if sku.upper() in (s.upper() for s in launch.skus)), None)
        chosen = launch_id if launch_id in {launch.id for launch in active} else selling
        launches = [(launch.id, launch.name) for launch in active]
        return modals.add_task_modal(tr, launches, title, people_of(team), phases, self.ctx.today(team), chosen,
                                     metadata=json.dumps(source_metadata(source)) if source else "")

    def _phases(self, session: Session, launch: store.Launch, locale: str) -> list[tuple[str, str]]:
        """A launch's phases as the add-a-task menu offers them: the playbook's, then any others its tasks have."""
        playbook = self.checklist.playbook_of(launch)
        titles = {p.id: pick(p.title, locale) for p in playbook.phases} if playbook else {}
        for task in store.tasks_of(session, launch.id):
            titles.setdefault(task.phase, task.phase)
        return [(f"{launch.id}:{key}", title) for key, title in titles.items()]

    def add(self, user: str, form: NewTask) -> None:
        added = None
        if form.source is not None:  # asked again on submit: still open to this person (its feature says)
            links.check_source(self.ctx, user, form.source)
        with self.ctx.db.transaction() as session:
            team = self.ctx.team_of(user)
            title = form.title.strip()
            if not title:
                raise OpsError(N_("Say what needs doing."), field="title")
            if form.due is None:
                raise OpsError(N_("Choose the due date."), field="due")
            launch = session.get(store.Launch, form.launch_id)
            if launch is None or launch.team_id != team.id or launch.state != "active":
                raise OpsError(N_("That launch no longer exists."), field="launch")
            phases = dict(self._phases(session, launch, "en"))
            if form.phase not in phases:
                raise OpsError(N_("Pick one of {name}'s phases."), field="phase", name=launch.name)
            if form.owner not in {user for user, _ in people_of(team)}:
                raise OpsError(N_("Pick someone in the team."), field="owner")
            member = team.member(form.owner)
            assert member is not None
            keys = {t.key for t in store.tasks_of(session, launch.id)}
            key = next(f"added-{n}" for n in range(1, len(keys) + 2) if f"added-{n}" not in keys)
            added = store.LaunchTask(
                    team_id=team.id,
                    launch_id=launch.id,
                    key=key,
                    phase=form.phase.split(":", 1)[1],
                    title_json=json.dumps(title, ensure_ascii=False),
                    role=(member.roles[0] if member.roles else Role.manager).value,
                    owner=form.owner,
                    stand_in=False,
                    offset=(form.due - launch.launch_date).days,
                    unit="days",
                    due=form.due,
                    state=ops.OPEN,
                    depends_json="[]",
                    gate=False,
                )
            session.add(added)
            session.flush()
            Audit(team.id, user, self.ctx.clock.now())(session, "launch", launch.slug, None, "task added", title)
            if form.source is not None:
                links.link(self.ctx, team.id, form.source, Ref("launch_task", added.id), by=user)
            self.checklist.refresh(team, launch.id)
        homes_changed(self.ctx, team, [form.owner, *managers(self.ctx, team)])
        if form.source is not None:
            links.moved(self.ctx, Ref("launch_task", added.id))  # the source's card shows T-n it started


def describe_task(ctx: Context, ref: Ref, tr: Translator) -> LinkState | None:
    """T-40 as a feedback card shows it: its title and owner, open / blocked / done."""
    with ctx.db.transaction() as session:
        task = session.get(store.LaunchTask, ref.id)
    if task is None:
        return None
    team = ctx.teams.by_id(task.team_id)
    member = team.member(task.owner) if team else None
    title = f"{pick(task.title, tr.locale)} ({member.name if member else task.owner})"
    return LinkState(ref, title, tr._(TASK_STATES.get(task.state, task.state)), finished=task.state == ops.DONE)


# A task's state as a feedback card names it.
TASK_STATES = {ops.OPEN: N_("to do"), ops.DONE: N_("done"), ops.BLOCKED: N_("blocked")}
