"""Launch use cases: create from a playbook, update tasks, decide gates, move the date."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from bot.blocks import launch as blocks
from bot.db import launch as store
from bot.db.audit import record
from bot.errors import N_, ChannelNameTaken, OpsError
from bot.flows.context import Context
from bot.flows.launch_daily import LaunchDaily
from bot.ops import launch as ops
from bot.ops.launch_playbook import LaunchPlaybook, LaunchPlaybooks
from bot.ops.team import Role, Team
from bot.outbox import Receipt, ReceiptHook

log = logging.getLogger(__name__)


class LaunchFlow(LaunchDaily):
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def playbooks(self) -> dict[str, LaunchPlaybook]:
        return self.ctx.playbook(LaunchPlaybooks).playbooks

    # -- a new launch ----------------------------------------------------------------------------
    def new_modal(self, user: str, channel: str) -> dict[str, Any]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        # The standard playbook first: it is what most launches use.
        ordered = sorted(self.playbooks().items(), key=lambda item: (item[0] != "standard", item[0]))
        names = {key: self.pick(p.name, tr.locale) for key, p in ordered}
        return blocks.new_launch_modal(tr, names, channel, self.today(team))

    def create(self, user: str, channel: str, values: dict[str, Any]) -> store.Launch:
        team = self.ctx.team_of(user)
        launch_day = date.fromisoformat(values["launch_date"]) if values.get("launch_date") else None
        name = (values.get("name") or "").strip()
        skus = ops.validate_new(
            name, values.get("skus") or "", values.get("marketplaces") or [], launch_day, self.today(team)
        )
        assert launch_day is not None
        playbook = self.playbooks().get(values.get("playbook") or "")
        if playbook is None:
            raise OpsError(N_("Choose one of the playbooks."), field="playbook")
        slug = ops.slug(name, skus[0])
        with self.ctx.db.transaction() as session:
            if store.find_launch(session, team.id, slug) or store.find_launch(session, team.id, name):
                raise OpsError(N_("A launch called {name} exists already; pick another name."), field="name", name=name)
        planned = ops.plan(playbook, team, launch_day)
        if values.get("channel") == "create":
            channel = self._new_channel(slug)
            self.ctx.delivery.invite(channel, sorted({p.owner for p in planned} | {user}))
        now = self.ctx.clock.now()
        titles = {task.id: task.title for _, task in playbook.tasks()}
        with self.ctx.db.transaction() as session:
            launch = store.Launch(
                team_id=team.id,
                slug=slug,
                name=name,
                skus_json=json.dumps(skus),
                marketplaces_json=json.dumps(values["marketplaces"]),
                launch_date=launch_day,
                playbook=playbook.key,
                channel=channel,
                created_by=user,
                created_at=now,
            )
            session.add(launch)
            session.flush()
            for task in planned:
                session.add(
                    store.LaunchTask(
                        team_id=team.id,
                        launch_id=launch.id,
                        key=task.key,
                        phase=task.phase,
                        title_json=json.dumps(titles[task.key], ensure_ascii=False),
                        role=task.role.value,
                        owner=task.owner,
                        stand_in=task.owner_is_stand_in,
                        offset=task.offset,
                        unit=task.unit,
                        due=task.due,
                        state=ops.OPEN,
                        depends_json=json.dumps(list(task.depends_on)),
                        gate=task.gate,
                    )
                )
            record(
                session,
                team_id=team.id,
                entity="launch",
                entity_id=slug,
                actor=user,
                at=now,
                from_state=None,
                to_state="active",
                note=f"{playbook.key} {launch_day}",
            )
            # Announced in the same transaction: the launch exists with its pinned checklist, or not at all.
            posted = self.ctx.delivery.post(channel, name, self.checklist(team, launch.id),
                                                 receipt=Receipt("launch.checklist", str(launch.id)))
            self.ctx.delivery.pin(channel, posted)
        return launch

    def _new_channel(self, slug: str) -> str:
        try:
            return self.ctx.delivery.create_channel(f"launch-{slug}")
        except ChannelNameTaken:
            raise OpsError(N_("Slack already has a channel called #launch-{slug}: follow the launch in this channel, "
                              "or give it another name."), field="channel", slug=slug) from None

    # -- tasks -----------------------------------------------------------------------------------
    def _task(self, user: str, task_id: int) -> tuple[Team, store.LaunchTask]:
        team = self.ctx.team_of(user)
        with self.ctx.db.transaction() as session:
            task = session.get(store.LaunchTask, task_id)
        if task is None or task.team_id != team.id:
            raise OpsError(N_("That task no longer exists."))
        if not ops.may_change(task.as_state(), user, self.ctx.has_role(team, user, Role.manager)):
            log.warning("launch: %s may not change task %s owned by %s", user, task_id, task.owner)
            raise OpsError(
                N_("Only {owner} (the task's owner) or the manager can update this task."), owner=f"<@{task.owner}>"
            )
        return team, task

    def task_modal(self, user: str, task_id: int) -> dict[str, Any]:
        team, task = self._task(user, task_id)
        tr = self.ctx.translator_for(user, team)
        playbook = self.playbooks().get(self._launch(task.launch_id).playbook)
        description = ""
        if playbook is not None:
            found = next((t for _, t in playbook.tasks() if t.id == task.key), None)
            description = self.pick(found.description, tr.locale) if found else ""
        return blocks.task_modal(tr, self.row(task, tr.locale), description)

    def save_task(self, user: str, task_id: int, state: str, reason: str, *, confirmed: bool) -> list[str]:
        """Apply a tick/reopen/block; returns the open dependencies' titles when a tick needs confirming."""
        team, task = self._task(user, task_id)
        tr = self.ctx.translator_for(user, team)
        if state not in (ops.OPEN, ops.DONE, ops.BLOCKED):
            raise OpsError(N_("Choose done, not done yet or blocked."), field="state")
        if state == ops.BLOCKED and not reason.strip():
            raise OpsError(N_("Say what is blocking it, so others can help."), field="reason")
        with self.ctx.db.transaction() as session:
            siblings = {t.key: t for t in store.tasks_of(session, task.launch_id)}
        waiting = ops.open_dependencies(task.as_state(), {k: t.as_state() for k, t in siblings.items()})
        if state == ops.DONE and waiting and not confirmed:
            return [self.pick(siblings[k].title, tr.locale) for k in waiting]
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            current = session.get(store.LaunchTask, task_id)
            assert current is not None
            before = current.state
            current.state, current.blocked_reason = state, reason.strip() if state == ops.BLOCKED else None
            current.done_by, current.done_at = (user, now) if state == ops.DONE else (None, None)
            record(
                session,
                team_id=team.id,
                entity="launch-task",
                entity_id=str(task_id),
                actor=user,
                at=now,
                from_state=before,
                to_state=state,
                note=reason or None,
            )
            self.refresh_checklist(team, task.launch_id)
        return []

    # -- go / no-go and moving the date ------------------------------------------------------------
    def _manager(self, team: Team, user: str) -> None:
        if not self.ctx.has_role(team, user, Role.manager):
            log.warning("launch: %s is not a manager", user)
            raise OpsError(N_("Only the manager can decide go / no-go or move a launch."))

    def go(self, user: str, launch_id: int, task_id: int) -> None:
        with self.ctx.db.transaction():
            team = self.ctx.team_of(user)
            self._manager(team, user)
            self.save_task(user, task_id, ops.DONE, "", confirmed=True)
            launch = self._launch(launch_id)
            tr = self._team_tr(team)
            self.ctx.delivery.post(
                launch.channel, tr._("🟢 Go for {name}, decided by {who}.", name=launch.name, who=f"<@{user}>")
            )

    def no_go_modal(self, user: str, value: str) -> dict[str, Any]:
        """The manager's reason and new date; anyone else is refused before a modal opens."""
        team = self.ctx.team_of(user)
        self._manager(team, user)
        launch = self._launch(int(json.loads(value)["launch"]))
        return blocks.no_go_modal(self.ctx.translator_for(user, team), value, launch.launch_date)

    def no_go(self, user: str, launch_id: int, reason: str, new_date: date | None) -> None:
        with self.ctx.db.transaction() as session:
            team = self.ctx.team_of(user)
            self._manager(team, user)
            if not reason.strip():
                raise OpsError(N_("Say why it is a no-go."), field="reason")
            launch = self._launch(launch_id)
            moving = new_date is not None and new_date != launch.launch_date
            if new_date is not None and moving:  # checked before anything is recorded or posted
                ops.check_launch_date(new_date, self.today(team), "new_date", moving=True)
            record(
                session,
                team_id=team.id,
                entity="launch",
                entity_id=launch.slug,
                actor=user,
                at=self.ctx.clock.now(),
                from_state="active",
                to_state="no-go",
                note=reason.strip(),
            )
            tr = self._team_tr(team)
            self.ctx.delivery.post(
                launch.channel,
                tr._("🔴 No-go for {name}, decided by {who}: {reason}",
                     name=launch.name, who=f"<@{user}>", reason=reason),
            )
            if new_date is not None and moving:
                self.move(user, launch.slug, new_date, field="new_date")

    def move(self, user: str, name: str, new_date: date, field: str | None = None) -> store.Launch:
        with self.ctx.db.transaction() as session:
            team = self.ctx.team_of(user)
            self._manager(team, user)
            ops.check_launch_date(new_date, self.today(team), field, moving=True)
            now = self.ctx.clock.now()
            launch = store.find_launch(session, team.id, name)
            if launch is None:
                raise OpsError(N_("No launch called {name}. /launch list shows them."), name=name)
            before = launch.launch_date
            for task in store.tasks_of(session, launch.id):
                task.due = ops.moved_due(task.as_state(), task.offset, task.unit, new_date, team)
            launch.launch_date = new_date
            record(
                session,
                team_id=team.id,
                entity="launch",
                entity_id=launch.slug,
                actor=user,
                at=now,
                from_state=before.isoformat(),
                to_state=new_date.isoformat(),
                note="moved",
            )
            tr = self._team_tr(team)
            self.ctx.delivery.post(
                launch.channel,
                tr._(
                    "📅 {name} moved from {before} to {after} by {who}; open tasks moved with it.",
                    name=launch.name,
                    before=tr.date(before),
                    after=tr.date(new_date),
                    who=f"<@{user}>",
                ),
            )
            self.refresh_checklist(team, launch.id)
            return launch

    # -- a task added from elsewhere (market feedback) ---------------------------------------------
    def add_task_modal(self, user: str, title: str, sku: str = "") -> dict[str, Any]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            active = store.active_launches(session, team.id)
        if not active:
            raise OpsError(N_("There is no active launch to add a task to. Start one with /launch new."))
        selling = next((launch.id for launch in active if sku.upper() in (s.upper() for s in launch.skus)), None)
        roles = [(role.value, role.value) for role in Role]
        launches = [(launch.id, launch.name) for launch in active]
        return blocks.add_task_modal(tr, launches, title, roles, self.today(team), selling)

    def add_task(self, user: str, values: dict[str, Any]) -> None:
        with self.ctx.db.transaction() as session:
            team = self.ctx.team_of(user)
            title = (values.get("title") or "").strip()
            if not title:
                raise OpsError(N_("Say what needs doing."), field="title")
            if not values.get("due"):
                raise OpsError(N_("Choose the due date."), field="due")
            due = date.fromisoformat(values["due"])
            launch = self._launch(int(values["launch"]))
            if launch.team_id != team.id:
                raise OpsError(N_("That launch no longer exists."), field="launch")
            owner, stand_in = ops.owner_for(team, Role(values["role"]))
            now = self.ctx.clock.now()
            count = len(store.tasks_of(session, launch.id))
            session.add(
                store.LaunchTask(
                    team_id=team.id,
                    launch_id=launch.id,
                    key=f"extra-{count + 1}",
                    phase="extra",
                    title_json=json.dumps(title, ensure_ascii=False),
                    role=values["role"],
                    owner=owner,
                    stand_in=stand_in,
                    offset=(due - launch.launch_date).days,
                    unit="days",
                    due=due,
                    state=ops.OPEN,
                    depends_json="[]",
                    gate=False,
                )
            )
            record(
                session,
                team_id=team.id,
                entity="launch",
                entity_id=launch.slug,
                actor=user,
                at=now,
                from_state=None,
                to_state="task added",
                note=title,
            )
            self.refresh_checklist(team, launch.id)


# The pinned checklist, edited as tasks move.
RECEIPTS = (ReceiptHook("launch.checklist", store.Launch, ts="checklist_ts"),)
