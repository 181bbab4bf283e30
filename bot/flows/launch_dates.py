"""Moving a launch date (the manager's call): its open tasks follow, a date that leaves too little time asks
whether to compress the plan or keep the date, and the same date changes nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.blocks import launch as blocks
from bot.db import launch as store
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.home import homes_changed, managers
from bot.flows.launch_checklist import LaunchChecklist
from bot.i18n import translator
from bot.ops import launch as ops
from bot.ops.launch import TightPlan
from bot.ops.team import Role, Team

log = logging.getLogger(__name__)
# How a move treats a date that leaves too little time: ask first, squeeze the open tasks in, or keep the plan.
Plan = Literal["ask", "compress", "keep"]


@dataclass(frozen=True)
class Unchanged:
    """A move to the date the launch already has."""

    launch: store.Launch


@dataclass(frozen=True)
class TooSoon:
    """A move to a date that leaves too little time, asked about before anything changes."""

    launch: store.Launch
    plan: TightPlan
    day: date  # the date asked for


# What a move comes to: the launch moved, a question first, or nothing to do.
Moved = store.Launch | TooSoon | Unchanged


class LaunchDates:
    def __init__(self, ctx: Context, checklist: LaunchChecklist) -> None:
        self.ctx = ctx
        self.checklist = checklist

    def _manager(self, team: Team, user: str) -> None:
        if not self.ctx.has_role(team, user, Role.manager):
            log.warning("launch: %s is not a manager", user)
            raise OpsError(N_("Only the manager can decide go / no-go or move a launch."))

    def move(
        self, user: str, name: str, new_date: date, field: str | None = None, plan: Plan = "ask", *, key: bool = False
    ) -> Moved:
        """Move the launch; TooSoon (nothing changed) when the date leaves too little time and ``plan`` asks.

        ``name`` is what someone typed, or with ``key`` the launch's own key (a button's, a decision's): a key is
        never taken for another launch whose name happens to read like it."""
        with self.ctx.db.transaction() as session:
            team = self.ctx.team_of(user)
            self._manager(team, user)
            launch = store.launch_keyed(session, team.id, name) if key else store.find_launch(session, team.id, name)
            if launch is None:
                raise OpsError(N_("No launch called {name}. /launch list shows them."), name=name)
            if launch.state != "active":
                raise OpsError(N_("{name} is closed: its dates stay as they were."), name=launch.name)
            if new_date == launch.launch_date:
                return Unchanged(launch)
            today = self.ctx.today(team)
            ops.check_launch_date(new_date, today, field, moving=True)
            tasks = store.tasks_of(session, launch.id)
            open_tasks = [t for t in tasks if t.state != ops.DONE]
            offsets = {t.key: t.offset for t in open_tasks}
            if plan == "compress":
                offsets = ops.compressed(
                    [(t.key, t.offset, ops.unit_of(t.unit)) for t in open_tasks], new_date, today, team.calendar
                )
            dues = {t.key: ops.moved_due(t.as_state(), offsets[t.key], t.unit, new_date, team) for t in open_tasks}
            tight = ops.tight_plan(
                [(t.key, t.offset, ops.unit_of(t.unit), dues[t.key]) for t in open_tasks],
                new_date,
                today,
                team.calendar,
            )
            if tight is not None and plan == "ask":
                return TooSoon(launch, tight, new_date)
            now = self.ctx.clock.now()
            before = launch.launch_date
            for task in open_tasks:
                task.offset, task.due = offsets[task.key], dues[task.key]
            launch.launch_date = new_date
            note = "moved, plan compressed" if plan == "compress" and tight is None else "moved"
            Audit(team.id, user, now)(session, "launch", launch.slug, before.isoformat(), new_date.isoformat(), note)
            tr = translator(team.locale)
            self.ctx.delivery.post(launch.channel, blocks.moved_text(tr, launch.name, before, new_date, user))
            self.checklist.refresh(team, launch.id)
            homes_changed(self.ctx, team, [user, *(t.owner for t in open_tasks), *managers(self.ctx, team)])
            return launch
