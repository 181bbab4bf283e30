"""The manager's go / no-go at a gate: asked once per due date on every copy (each manager's DM and the launch
channel), decided once (a second click, even a simultaneous one, is told what was decided), shown on every copy
in place of the buttons, and final until a manager reopens it."""

from __future__ import annotations

import json
import logging
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.blocks import launch as blocks
from bot.blocks import launch_modals as modals
from bot.db import launch as store
from bot.db.audit import Audit
from bot.db.base import insert_ignore
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.home import homes_changed, managers
from bot.flows.launch_checklist import LaunchChecklist, task_row
from bot.flows.launch_dates import LaunchDates, Moved
from bot.i18n import Translator, pick, translator
from bot.ops import launch as ops
from bot.ops.standup import person_for
from bot.ops.team import Role, Team
from bot.outbox import Receipt, ReceiptHook

log = logging.getLogger(__name__)
# Where each copy of a gate's ask landed, so the decision can replace its buttons.
RECEIPTS = (ReceiptHook("launch.gate", store.GateCopy, ts="ts", channel="channel"),)


def ask_value(ask_id: int) -> str:
    return json.dumps({"ask": ask_id})


class LaunchDecisions:
    def __init__(self, ctx: Context, checklist: LaunchChecklist, dates: LaunchDates) -> None:
        self.ctx = ctx
        self.checklist = checklist
        self.dates = dates

    # -- asking ----------------------------------------------------------------------------------
    def ask(self, team: Team, launch: store.Launch, tasks: list[store.LaunchTask], today: date) -> None:
        """Each gate due by today and not done is asked once per due date: a DM per manager, a copy in the
        launch channel."""
        asked = False
        for gate in (t for t in tasks if t.gate and t.state != ops.DONE and t.due <= today):
            with self.ctx.db.transaction() as session:
                if not insert_ignore(
                    session,
                    store.GateAsk,
                    team_id=team.id,
                    launch_id=launch.id,
                    task_id=gate.id,
                    due=gate.due,
                    asked_at=self.ctx.clock.now(),
                ):
                    continue
                asked = True
                ask = store.ask_for(session, gate.id, gate.due)
                readers = [m.user for m in team.people_with(Role.manager)] + [""]
                for reader in readers:
                    copy = store.GateCopy(team_id=team.id, ask_id=ask.id, reader=reader)
                    session.add(copy)
                    session.flush()
                    tr = self.ctx.translator_for(reader, team) if reader else translator(team.locale)
                    shown = self._ask_blocks(tr, launch, gate, tasks, ask.id, today)
                    receipt = Receipt("launch.gate", str(copy.id))
                    if reader:
                        self.ctx.delivery.dm(reader, tr._("Go / no-go"), shown, receipt=receipt)
                    else:
                        self.ctx.delivery.post(launch.channel, tr._("Go / no-go"), shown, receipt=receipt)
        if asked:
            homes_changed(self.ctx, team, managers(self.ctx, team))  # a gate now waits in their Homes

    def _ask_blocks(
        self,
        tr: Translator,
        launch: store.Launch,
        gate: store.LaunchTask,
        tasks: list[store.LaunchTask],
        ask_id: int,
        today: date,
    ) -> list[dict[str, Any]]:
        by_key = {t.key: t for t in tasks}
        waiting = ops.upstream_open(gate.as_state(), {k: t.as_state() for k, t in by_key.items()})
        rows = [task_row(by_key[k], tr.locale) for k in waiting]
        return blocks.gate_blocks(tr, launch.name, pick(gate.title, tr.locale), rows, ask_value(ask_id), today)

    # -- deciding --------------------------------------------------------------------------------
    def _open_ask(self, user: str, value: str) -> tuple[Team, store.GateAsk]:
        """The ask a button names, for a manager of its team, still undecided; else an OpsError saying why."""
        team = self.ctx.team_of(user)
        if not self.ctx.has_role(team, user, Role.manager):
            log.warning("launch: %s is not a manager", user)
            raise OpsError(N_("Only the manager can decide go / no-go or move a launch."))
        try:
            ask_id = int(json.loads(value)["ask"])
        except (ValueError, TypeError, KeyError):
            raise OpsError(N_("That go / no-go question no longer exists.")) from None
        with self.ctx.db.transaction() as session:
            ask = session.get(store.GateAsk, ask_id)
        if ask is None or ask.team_id != team.id:
            raise OpsError(N_("That go / no-go question no longer exists."))
        if ask.decision is not None:
            self._already(user, team, ask)
        return team, ask

    def _already(self, user: str, team: Team, ask: store.GateAsk) -> None:
        tr = self.ctx.translator_for(user, team)
        when = self._when(tr, ask.decided_at, self._zone(team, user))
        if ask.decision == ops.GO:
            raise OpsError(N_("Already decided: go, by <@{who}> on {when}."), who=ask.decided_by, when=when)
        raise OpsError(
            N_("Already decided: no-go, by <@{who}> on {when}: {reason}"),
            who=ask.decided_by,
            when=when,
            reason=ask.reason or "",
        )

    def go(self, user: str, value: str, *, confirmed: bool) -> list[str]:
        """Go at a gate; returns its open dependencies' titles when that needs confirming first, as a tick does."""
        team, ask = self._open_ask(user, value)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            tasks = {t.key: t for t in store.tasks_of(session, ask.launch_id)}
        gate = next(t for t in tasks.values() if t.id == ask.task_id)
        waiting = ops.upstream_open(gate.as_state(), {k: t.as_state() for k, t in tasks.items()})
        if waiting and not confirmed:
            return [pick(tasks[k].title, tr.locale) for k in waiting]
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            if not store.claim_decision(session, ask.id, ops.GO, user, now, None):
                self._already(user, team, self._fresh(session, ask.id))
            current = session.get(store.LaunchTask, ask.task_id)
            assert current is not None
            before = current.state
            current.state, current.blocked_reason, current.done_by, current.done_at = ops.DONE, None, user, now
            audit = Audit(team.id, user, now)
            audit(session, "launch-task", str(current.id), before, ops.DONE, "go")
            launch = self.checklist.launch(ask.launch_id)
            audit(session, "launch", launch.slug, "active", "go", pick(current.title, "en"))
            self.ctx.delivery.post(launch.channel, blocks.go_text(translator(team.locale), launch.name, user))
            self.checklist.refresh(team, launch.id)
            self._show_on_copies(team, ask.id)
        homes_changed(self.ctx, team, [user, current.owner, *managers(self.ctx, team)])
        return []

    def no_go_modal(self, user: str, value: str) -> dict[str, Any]:
        """The manager's reason and new date; anyone else, or a decided gate, is answered before a modal opens."""
        team, ask = self._open_ask(user, value)
        launch = self.checklist.launch(ask.launch_id)
        return modals.no_go_modal(self.ctx.translator_for(user, team), ask_value(ask.id), launch.launch_date)

    def no_go(self, user: str, value: str, reason: str, new_date: date | None) -> Moved | None:
        """Record a no-go; with a new date, move the launch (a date too soon comes back as TooSoon, to ask)."""
        team, ask = self._open_ask(user, value)
        if not reason.strip():
            raise OpsError(N_("Say why it is a no-go."), field="reason")
        launch = self.checklist.launch(ask.launch_id)
        moving = new_date is not None and new_date != launch.launch_date
        if new_date is not None and moving:  # checked before anything is recorded or posted
            ops.check_launch_date(new_date, self.ctx.today(team), "new_date", moving=True)
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            if not store.claim_decision(session, ask.id, ops.NO_GO, user, now, reason.strip()):
                self._already(user, team, self._fresh(session, ask.id))
            Audit(team.id, user, now)(session, "launch", launch.slug, "active", "no-go", reason.strip())
            self.ctx.delivery.post(
                launch.channel, blocks.no_go_text(translator(team.locale), launch.name, user, reason)
            )
            self._show_on_copies(team, ask.id)
            moved = (
                self.dates.move(user, launch.slug, new_date, field="new_date", key=True)
                if new_date and moving
                else None
            )
        homes_changed(self.ctx, team, [user, *managers(self.ctx, team)])
        return moved

    def reopen(self, user: str, value: str) -> None:
        """A manager takes a decision back: the gate is open again and every copy shows the buttons again."""
        team = self.ctx.team_of(user)
        if not self.ctx.has_role(team, user, Role.manager):
            log.warning("launch: %s is not a manager", user)
            raise OpsError(N_("Only the manager can reopen a go / no-go decision."))
        try:
            ask_id = int(json.loads(value)["ask"])
        except (ValueError, TypeError, KeyError):
            raise OpsError(N_("That go / no-go question no longer exists.")) from None
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            ask = session.get(store.GateAsk, ask_id)
            if ask is None or ask.team_id != team.id:
                raise OpsError(N_("That go / no-go question no longer exists."))
            if ask.decision is None:
                raise OpsError(N_("That go / no-go question is open already."))
            gate = session.get(store.LaunchTask, ask.task_id)
            assert gate is not None
            launch = self.checklist.launch(ask.launch_id)
            audit = Audit(team.id, user, now)
            audit(session, "launch", launch.slug, ask.decision, "reopened", pick(gate.title, "en"))
            if ask.decision == ops.GO and gate.state == ops.DONE:
                audit(session, "launch-task", str(gate.id), ops.DONE, ops.OPEN, "reopened")
                gate.state, gate.done_by, gate.done_at = ops.OPEN, None, None
            ask.decision, ask.decided_by, ask.decided_at, ask.reason = None, None, None, None
            session.flush()
            tr = translator(team.locale)
            self.ctx.delivery.post(
                launch.channel, blocks.reopened_text(tr, launch.name, pick(gate.title, tr.locale), user)
            )
            self.checklist.refresh(team, launch.id)
            self._show_on_copies(team, ask.id)
        homes_changed(self.ctx, team, [user, *managers(self.ctx, team)])

    @staticmethod
    def _fresh(session: Session, ask_id: int) -> store.GateAsk:
        """The ask as another manager's simultaneous decision left it (the claim lost to it)."""
        ask = session.get(store.GateAsk, ask_id, populate_existing=True)
        assert ask is not None
        return ask

    # -- every copy shows what is decided ---------------------------------------------------------
    def _show_on_copies(self, team: Team, ask_id: int) -> None:
        """Each copy in its reader's language and time zone: the decision and who, or the buttons again."""
        with self.ctx.db.transaction() as session:
            ask = session.get(store.GateAsk, ask_id)
            assert ask is not None
            launch = self.checklist.launch(ask.launch_id)
            tasks = store.tasks_of(session, ask.launch_id)
            gate = next(t for t in tasks if t.id == ask.task_id)
            for copy in store.copies_of(session, ask.id):
                if not copy.channel or not copy.ts:
                    continue  # not on Slack yet: it is sent as it is now
                tr = self.ctx.translator_for(copy.reader, team) if copy.reader else translator(team.locale)
                if ask.decision is None:
                    shown = self._ask_blocks(tr, launch, gate, tasks, ask.id, self.ctx.today(team))
                else:
                    when = self._when(tr, ask.decided_at, self._zone(team, copy.reader))
                    shown = blocks.decided_blocks(
                        tr,
                        launch.name,
                        pick(gate.title, tr.locale),
                        ask.decision,
                        ask.decided_by or "",
                        when,
                        ask.reason or "",
                        ask_value(ask.id),
                    )
                self.ctx.delivery.update(copy.channel, copy.ts, tr._("Go / no-go"), shown)

    def _zone(self, team: Team, user: str) -> ZoneInfo:
        member = team.member(user) if user else None
        if member is None:
            return team.zone
        return person_for(team, member, self.ctx.people.profile(user).tz).zone

    @staticmethod
    def _when(tr: Translator, moment: datetime | None, zone: ZoneInfo) -> str:
        return tr.datetime(moment.astimezone(zone), "short") if moment else ""
