"""A launch's checklist: the pinned message kept current as tasks move, and what /launch list and status show."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any

from bot.blocks import launch as blocks
from bot.blocks.common import section
from bot.db import launch as store
from bot.db import links as stored_links
from bot.flows.context import Context
from bot.i18n import pick, translator
from bot.ops import launch as ops
from bot.ops.launch_playbook import LaunchPlaybook, LaunchPlaybooks
from bot.ops.links import Ref
from bot.ops.team import Team
from bot.outbox import ReceiptHook

# The pinned checklist, edited as tasks move.
RECEIPTS = (ReceiptHook("launch.checklist", store.Launch, ts="checklist_ts"),)


def task_row(task: store.LaunchTask, locale: str) -> blocks.TaskRow:
    return blocks.TaskRow(
        task.id,
        pick(task.title, locale),
        task.owner,
        task.due,
        task.state,
        task.blocked_reason,
        task.stand_in,
        task.gate,
    )


class LaunchChecklist:
    def __init__(self, ctx: Context, playbooks: LaunchPlaybooks) -> None:
        self.ctx = ctx
        self.playbooks = playbooks

    def launch(self, launch_id: int) -> store.Launch:
        with self.ctx.db.transaction() as session:
            launch = session.get(store.Launch, launch_id)
        if launch is None:
            raise LookupError(f"launch {launch_id} is gone")
        return launch

    def playbook_of(self, launch: store.Launch) -> LaunchPlaybook | None:
        return self.playbooks.playbooks.get(launch.playbook)

    # -- the pinned checklist --------------------------------------------------------------------
    def blocks(self, team: Team, launch_id: int) -> list[dict[str, Any]]:
        launch, tr = self.launch(launch_id), translator(team.locale)
        with self.ctx.db.transaction() as session:
            tasks = store.tasks_of(session, launch_id)
            # Only an added task can have come from elsewhere (feedback, a meeting action): "from A-7" on its line.
            sources = {t.id: stored_links.sources(session, Ref("launch_task", t.id)) for t in tasks
                       if t.key.startswith("added-")}
        playbook = self.playbook_of(launch)
        titles = {p.id: pick(p.title, tr.locale) for p in playbook.phases} if playbook else {}
        phases: dict[str, list[blocks.TaskRow]] = defaultdict(list)
        for task in tasks:
            came_from = sources.get(task.id)
            row = task_row(task, tr.locale)
            phases[task.phase].append(replace(row, source=came_from[0].label) if came_from else row)
        today = self.ctx.today(team)
        done = ops.progress([t.as_state() for t in tasks], today)
        name = pick(playbook.name, tr.locale) if playbook else launch.playbook
        return blocks.checklist_blocks(
            tr,
            launch.name,
            launch.launch_date,
            name,
            launch.skus,
            launch.marketplaces,
            [(titles.get(k, k), rows) for k, rows in phases.items()],
            done,
            today,
            launch_id,
        )

    def refresh(self, team: Team, launch_id: int) -> None:
        launch = self.launch(launch_id)
        if launch.checklist_ts:
            self.ctx.delivery.update(
                launch.channel, launch.checklist_ts, blocks.checklist_text(launch.name), self.blocks(team, launch_id)
            )

    # -- reading ---------------------------------------------------------------------------------
    def list_blocks(self, user: str, closed: bool = False) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user)
        tr, today = self.ctx.translator_for(user, team), self.ctx.today(team)
        lines = []
        with self.ctx.db.transaction() as session:
            if closed:
                lines = [
                    blocks.closed_line(tr, launch.name, launch.slug, launch.launch_date, launch.channel)
                    for launch in store.closed_launches(session, team.id)
                ]
                return blocks.summary_blocks(tr, tr._("Closed launches"), lines, tr._("No closed launches yet."))
            for launch in store.active_launches(session, team.id):
                done = ops.progress([t.as_state() for t in store.tasks_of(session, launch.id)], today)
                lines.append(blocks.launch_line(tr, launch.name, launch.slug, launch.launch_date, launch.channel, done))
        return blocks.summary_blocks(tr, tr._("Launches"), lines)

    def status_blocks(self, user: str, name: str, channel: str) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user)
        tr, today = self.ctx.translator_for(user, team), self.ctx.today(team)
        with self.ctx.db.transaction() as session:
            launch = (
                store.find_launch(session, team.id, name)
                if name
                else store.launch_in_channel(session, team.id, channel)
            )
            if launch is None and name:
                known = [found.slug for found in store.all_launches(session, team.id)]
                return [section(blocks.unknown_launch_text(tr, name, ops.close_names(name, known)))]
            if launch is None:
                return self.list_blocks(user)
            tasks = store.tasks_of(session, launch.id)
        by_key = {t.key: t for t in tasks}
        lines = [
            blocks.status_line(tr, pick(by_key[t.key].title, tr.locale), t.owner, t.due, today)
            for t in ops.due_soon([t.as_state() for t in tasks], today, 10_000)
        ]
        done = ops.progress([t.as_state() for t in tasks], today)
        title = blocks.status_title(tr, launch.name, done, closed=launch.state != "active")
        return blocks.summary_blocks(tr, title, lines, tr._("Every task is done."))
