"""Every launch morning: progress in the launch channel, each owner's DM of tasks due soon, the manager's gate
questions, the T+7 / T+14 reviews, and closing a launch whose last task and review are done."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import partial

from bot.blocks import launch as blocks
from bot.blocks.figures import summary_line
from bot.blocks.text import Mrkdwn
from bot.db import launch as store
from bot.db.audit import Audit
from bot.db.base import insert_ignore
from bot.flows.context import Context
from bot.flows.launch_checklist import LaunchChecklist, task_row
from bot.i18n import Translator, pick, translator
from bot.ops import launch as ops
from bot.ops.launch_playbook import LaunchPlaybooks, Reminders, reminder_time
from bot.ops.team import Role, Team
from bot.reports.queries import sku_summary
from bot.scheduler import ScheduledJob, daily

REVIEWS = ((7, "T+7"), (14, "T+14"))


class LaunchMornings:
    def __init__(self, ctx: Context, playbooks: LaunchPlaybooks, checklist: LaunchChecklist) -> None:
        self.ctx = ctx
        self.playbooks = playbooks
        self.checklist = checklist

    def jobs(self) -> list[ScheduledJob]:
        # The loader makes every playbook agree on the time, so each owner gets one DM a morning.
        at = time.fromisoformat(reminder_time(self.playbooks))
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
            playbook = self.checklist.playbook_of(launch)
            settings = playbook.reminders if playbook else Reminders()
            states = [t.as_state() for t in tasks]
            done = ops.progress(states, today)
            if team.calendar.is_workday(today) and done.done < done.total:
                by_key = {t.key: t for t in tasks}
                for state in ops.due_soon(states, today, settings.horizon_days):
                    owed[state.owner].append((launch.name, task_row(by_key[state.key], team.locale)))
                late = [task_row(by_key[t.key], team.locale)
                        for t in ops.overdue_by(states, today, settings.escalate_overdue_days)]
                tr = translator(team.locale)
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
            self.ctx.delivery.dm(owner, tr._("Your launch tasks due soon"), blocks.reminder_blocks(tr, items, today))

    def _close(self, team: Team, launch: store.Launch, fire: datetime) -> None:
        """Every task done and the last review posted: the launch leaves the morning round and /launch list."""
        with self.ctx.db.transaction() as session:
            finished = session.get(store.Launch, launch.id)
            assert finished is not None
            finished.state = "done"
            Audit(team.id, "opsbot", fire)(session, "launch", launch.slug, "active", "done")
            self.ctx.delivery.post(launch.channel, blocks.closed_text(translator(team.locale), launch.name))

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
                    others = [task_row(t, tr.locale) for t in tasks if t.state != ops.DONE and t.id != gate.id]
                    value = json.dumps({"launch": launch.id, "task": gate.id})
                    self.ctx.delivery.dm(
                        manager.user,
                        tr._("Go / no-go"),
                        blocks.gate_blocks(tr, launch.name, pick(gate.title, tr.locale), others, value, today),
                    )

    def _reviews(self, team: Team, launch: store.Launch, today: date) -> None:
        for days, label in REVIEWS:
            if today < launch.launch_date + timedelta(days=days):
                continue
            with self.ctx.db.transaction():
                if self._once(team, launch, f"review:{label}"):
                    tr = translator(team.locale)
                    lines = self._kpi_lines(team, launch, days, tr)
                    self.ctx.delivery.post(
                        launch.channel,
                        tr._("{label} review", label=label),
                        blocks.review_blocks(tr, launch.name, label, lines),
                    )

    def _kpi_lines(self, team: Team, launch: store.Launch, days: int, tr: Translator) -> list[Mrkdwn]:
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
