"""Every launch morning: progress in the launch channel, the manager's gate questions, the T+7 / T+14 reviews,
closing a launch whose last task and review are done; and each owner's DM of tasks due soon, at their own
morning in their own time zone."""

from __future__ import annotations

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
from bot.flows.launch_decisions import LaunchDecisions
from bot.i18n import Translator, translator
from bot.ops import launch as ops
from bot.ops.launch_playbook import LaunchPlaybooks, Reminders, reminder_time
from bot.ops.standup import person_for
from bot.ops.team import Member, Role, Team
from bot.reports.queries import sku_summary
from bot.scheduler import ScheduledJob, daily

REVIEWS = ((7, "T+7"), (14, "T+14"))


class LaunchMornings:
    def __init__(
        self, ctx: Context, playbooks: LaunchPlaybooks, checklist: LaunchChecklist, decisions: LaunchDecisions
    ) -> None:
        self.ctx = ctx
        self.playbooks = playbooks
        self.checklist = checklist
        self.decisions = decisions

    def jobs(self) -> list[ScheduledJob]:
        # The loader makes every playbook agree on the time, so each owner gets one DM a morning.
        at, grace = time.fromisoformat(reminder_time(self.playbooks)), timedelta(hours=3)
        jobs = []
        for team in self.ctx.teams.teams:
            jobs.append(daily("launch.morning", team.id, team.zone, at, partial(self.morning, team), grace=grace))
            for member in (m for m in team.members if m.active):
                zone = person_for(team, member, self.ctx.people.profile(member.user).tz).zone
                jobs.append(
                    daily(
                        "launch.owner",
                        team.id,
                        zone,
                        at,
                        partial(self.owner_morning, team, member),
                        grace=grace,
                        key=member.user,
                    )
                )
        return jobs

    def owner_morning(self, team: Team, member: Member, fire: datetime) -> None:
        """One DM at the owner's own morning: their tasks due soon or overdue, across launches."""
        person = person_for(team, member, self.ctx.people.profile(member.user).tz)
        today = fire.astimezone(person.zone).date()
        if not person.calendar.is_workday(today):
            return
        tr = self.ctx.translator_for(member.user, team)
        owed: list[tuple[str, blocks.TaskRow]] = []
        with self.ctx.db.transaction() as session:
            launches = [
                (launch, store.tasks_of(session, launch.id)) for launch in store.active_launches(session, team.id)
            ]
        for launch, tasks in launches:
            playbook = self.checklist.playbook_of(launch)
            settings = playbook.reminders if playbook else Reminders()
            by_key = {t.key: t for t in tasks}
            owed += [
                (launch.name, task_row(by_key[state.key], tr.locale))
                for state in ops.due_soon([t.as_state() for t in tasks], today, settings.horizon_days)
                if state.owner == member.user
            ]
        if owed:
            self.ctx.delivery.dm(
                member.user, tr._("Your launch tasks due soon"), blocks.reminder_blocks(tr, owed, today)
            )

    def morning(self, team: Team, fire: datetime) -> None:
        today = fire.astimezone(team.zone).date()
        managers = [m.user for m in team.people_with(Role.manager)]
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
                late = [
                    task_row(by_key[t.key], team.locale)
                    for t in ops.overdue_by(states, today, settings.escalate_overdue_days)
                ]
                tr = translator(team.locale)
                days_to_go = (launch.launch_date - today).days
                self.ctx.delivery.post(
                    launch.channel,
                    tr._("Launch progress"),
                    blocks.progress_blocks(tr, launch.name, done, days_to_go, managers, late, today),
                )
            self.decisions.ask(team, launch, tasks, today)
            self._reviews(team, launch, today)
            if done.done == done.total and today >= launch.launch_date + timedelta(days=REVIEWS[-1][0]):
                self._close(team, launch, fire)

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
            return insert_ignore(
                session,
                store.LaunchPost,
                team_id=team.id,
                launch_id=launch.id,
                kind=kind,
                posted_at=self.ctx.clock.now(),
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
