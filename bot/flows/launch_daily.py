"""Launch checklists kept current, the daily reminders, gate asks and the T+7 / T+14 reviews."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from bot.blocks import launch as blocks
from bot.blocks.figures import summary_line
from bot.db import launch as store
from bot.db.audit import record
from bot.db.base import insert_ignore
from bot.flows.context import Context
from bot.i18n import Translator, pick, translator
from bot.ops import launch as ops
from bot.ops.launch_playbook import LaunchPlaybook, LaunchPlaybooks, Reminders, reminder_time
from bot.ops.team import Role, Team
from bot.reports.queries import sku_summary
from bot.scheduler import ScheduledJob, daily

REVIEWS = ((7, "T+7"), (14, "T+14"))


class LaunchDaily:
    ctx: Context

    @staticmethod
    def pick(text: str | dict[str, str], locale: str) -> str:
        return pick(text, locale)

    def today(self, team: Team) -> date:
        return self.ctx.clock.now().astimezone(team.zone).date()

    def _team_tr(self, team: Team) -> Translator:
        return translator(team.locale)

    def _launch(self, launch_id: int) -> store.Launch:
        with self.ctx.db.transaction() as session:
            launch = session.get(store.Launch, launch_id)
        if launch is None:
            raise LookupError(f"launch {launch_id} is gone")
        return launch

    def _playbook(self, launch: store.Launch) -> LaunchPlaybook | None:
        return self.ctx.playbook(LaunchPlaybooks).playbooks.get(launch.playbook)

    def row(self, task: store.LaunchTask, locale: str) -> blocks.TaskRow:
        return blocks.TaskRow(
            task.id,
            self.pick(task.title, locale),
            task.owner,
            task.due,
            task.state,
            task.blocked_reason,
            task.stand_in,
            task.gate,
        )

    # -- the pinned checklist --------------------------------------------------------------------
    def checklist(self, team: Team, launch_id: int) -> list[dict[str, Any]]:
        launch, tr = self._launch(launch_id), self._team_tr(team)
        with self.ctx.db.transaction() as session:
            tasks = store.tasks_of(session, launch_id)
        playbook = self._playbook(launch)
        titles = {p.id: self.pick(p.title, tr.locale) for p in playbook.phases} if playbook else {}
        phases: dict[str, list[blocks.TaskRow]] = defaultdict(list)
        for task in tasks:
            phases[task.phase].append(self.row(task, tr.locale))
        today = self.today(team)
        done = ops.progress([t.as_state() for t in tasks], today)
        name = self.pick(playbook.name, tr.locale) if playbook else launch.playbook
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
        )

    def refresh_checklist(self, team: Team, launch_id: int) -> None:
        launch = self._launch(launch_id)
        if launch.checklist_ts:
            self.ctx.delivery.update(
                launch.channel, launch.checklist_ts, launch.name, self.checklist(team, launch_id)
            )

    # -- reading ---------------------------------------------------------------------------------
    def list_blocks(self, user: str) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user)
        tr, today = self.ctx.translator_for(user, team), self.today(team)
        lines = []
        with self.ctx.db.transaction() as session:
            for launch in store.active_launches(session, team.id):
                done = ops.progress([t.as_state() for t in store.tasks_of(session, launch.id)], today)
                lines.append(
                    tr._(
                        "*{name}* (`{slug}`) · {day} · <#{channel}> · {done}/{total} done · {overdue} overdue",
                        name=launch.name,
                        slug=launch.slug,
                        day=tr.date(launch.launch_date),
                        channel=launch.channel,
                        done=done.done,
                        total=done.total,
                        overdue=done.overdue,
                    )
                )
        return blocks.summary_blocks(tr, tr._("Launches"), lines)

    def status_blocks(self, user: str, name: str, channel: str) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user)
        tr, today = self.ctx.translator_for(user, team), self.today(team)
        with self.ctx.db.transaction() as session:
            launch = (
                store.find_launch(session, team.id, name)
                if name
                else store.launch_in_channel(session, team.id, channel)
            )
            if launch is None:
                return self.list_blocks(user)
            tasks = store.tasks_of(session, launch.id)
        waiting = ops.due_soon([t.as_state() for t in tasks], today, 10_000)
        by_key = {t.key: t for t in tasks}
        lines = [
            f"• {self.pick(by_key[t.key].title, tr.locale)} · <@{t.owner}> · {tr.date(t.due)}"
            + (" ⚠️" if t.due < today else "")
            for t in waiting
        ]
        done = ops.progress([t.as_state() for t in tasks], today)
        title = tr._(
            "{name}: {done}/{total} done, {open} open",
            name=launch.name,
            done=done.done,
            total=done.total,
            open=done.total - done.done,
        )
        return blocks.summary_blocks(tr, title, lines)

    # -- every morning ---------------------------------------------------------------------------
    def jobs(self) -> list[ScheduledJob]:
        # The loader makes every playbook agree on the time, so each owner gets one DM a morning.
        at = time.fromisoformat(reminder_time(self.ctx.playbook(LaunchPlaybooks)))
        return [daily("launch.morning", team.id, team.zone, at, partial(self.morning, team), grace=timedelta(hours=3))
                for team in self.ctx.teams.teams]

    def morning(self, team: Team, fire: datetime) -> None:
        today = fire.astimezone(team.zone).date()
        managers = [m.user for m in team.people_with(Role.manager)]
        owed: dict[str, list[tuple[str, blocks.TaskRow]]] = defaultdict(list)
        with self.ctx.db.transaction() as session:
            launches = [
                (launch, store.tasks_of(session, launch.id)) for launch in store.active_launches(session, team.id)
            ]
        for launch, tasks in launches:
            playbook = self._playbook(launch)
            settings = playbook.reminders if playbook else Reminders()
            states = [t.as_state() for t in tasks]
            done = ops.progress(states, today)
            if team.calendar.is_workday(today) and done.done < done.total:
                by_key = {t.key: t for t in tasks}
                for state in ops.due_soon(states, today, settings.horizon_days):
                    owed[state.owner].append((launch.name, self.row(by_key[state.key], team.locale)))
                late = [self.row(by_key[t.key], team.locale)
                        for t in ops.overdue_by(states, today, settings.escalate_overdue_days)]
                tr = self._team_tr(team)
                days_to_go = (launch.launch_date - today).days
                self.ctx.delivery.post(
                    launch.channel,
                    tr._("Launch progress"),
                    blocks.progress_blocks(tr, launch.name, done, days_to_go, managers, late, today),
                )
            self._ask_gates(team, launch, tasks, today)
            self._reviews(team, launch, today)
            if done.done == done.total and today >= launch.launch_date + timedelta(days=REVIEWS[-1][0]):
                self._close(team, launch, fire)
        for owner, items in owed.items():
            tr = self.ctx.translator_for(owner, team)
            self.ctx.delivery.dm(
                owner, tr._("Your launch tasks due soon"), blocks.reminder_blocks(tr, items, today)
            )

    def _close(self, team: Team, launch: store.Launch, fire: datetime) -> None:
        """Every task done and the last review posted: the launch leaves the morning round and /launch list."""
        with self.ctx.db.transaction() as session:
            finished = session.get(store.Launch, launch.id)
            assert finished is not None
            finished.state = "done"
            record(session, team_id=team.id, entity="launch", entity_id=launch.slug, actor="opsbot", at=fire,
                   from_state="active", to_state="done", note=None)
            tr = self._team_tr(team)
            self.ctx.delivery.post(
                launch.channel, tr._("🏁 {name}: every launch task is done; the launch is closed.", name=launch.name)
            )

    def _once(self, team: Team, launch: store.Launch, kind: str) -> bool:
        """True the first time: called in the transaction that posts it, so it is marked and posted together."""
        with self.ctx.db.transaction() as session:
            return insert_ignore(session, store.LaunchPost, team_id=team.id, launch_id=launch.id, kind=kind,
                                 posted_at=self.ctx.clock.now())

    def _ask_gates(self, team: Team, launch: store.Launch, tasks: list[store.LaunchTask], today: date) -> None:
        for gate in (t for t in tasks if t.gate and t.state != ops.DONE and t.due <= today):
            with self.ctx.db.transaction():
                if not self._once(team, launch, f"gate:{gate.key}:{gate.due.isoformat()}"):
                    continue
                for manager in team.people_with(Role.manager):
                    tr = self.ctx.translator_for(manager.user, team)
                    others = [self.row(t, tr.locale) for t in tasks if t.state != ops.DONE and t.id != gate.id]
                    value = json.dumps({"launch": launch.id, "task": gate.id})
                    self.ctx.delivery.dm(
                        manager.user,
                        tr._("Go / no-go"),
                        blocks.gate_blocks(tr, launch.name, self.pick(gate.title, tr.locale), others, value, today),
                    )

    def _reviews(self, team: Team, launch: store.Launch, today: date) -> None:
        for days, label in REVIEWS:
            if today < launch.launch_date + timedelta(days=days):
                continue
            with self.ctx.db.transaction():
                if self._once(team, launch, f"review:{label}"):
                    tr = self._team_tr(team)
                    lines = self._kpi_lines(team, launch, days, tr)
                    self.ctx.delivery.post(
                        launch.channel,
                        tr._("{label} review", label=label),
                        blocks.review_blocks(tr, launch.name, label, lines),
                    )

    def _kpi_lines(self, team: Team, launch: store.Launch, days: int, tr: Translator) -> list[str]:
        """The launch SKUs' KPIs since launch day, from the loaded report data."""
        lines = []
        with self.ctx.db.transaction() as session:
            for sku in launch.skus:
                found = sku_summary(
                    session, team.id, sku, launch.launch_date, launch.launch_date + timedelta(days=days - 1)
                )
                if found is None:
                    continue
                lines.append(summary_line(tr, sku, found))
        return lines
