"""A new launch: the playbook turned into owned, dated tasks, its channel, and its pinned checklist."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from bot.answering import after_answer
from bot.blocks import launch_modals as modals
from bot.blocks.launch import checklist_text
from bot.db import launch as store
from bot.db.audit import Audit
from bot.errors import N_, ChannelNameTaken, OpsError
from bot.flows.context import Context
from bot.flows.launch_checklist import LaunchChecklist
from bot.i18n import pick
from bot.ops import launch as ops
from bot.ops.launch import TightPlan
from bot.ops.launch_playbook import LaunchPlaybooks
from bot.outbox import Receipt


@dataclass(frozen=True)
class NewLaunch:
    """The new-launch form, as typed; its rules are checked by :meth:`LaunchSetup.create`."""

    name: str
    skus: str
    marketplaces: tuple[str, ...]
    launch_date: date | None
    playbook: str
    new_channel: bool  # a #launch- channel with the owners invited, rather than the channel it was asked in
    plan: str = "ask"  # a date that leaves too little time: ask, compress the plan, or keep it

    def as_json(self, channel: str) -> str:
        """The form as the short-time step carries it to its own submission."""
        return json.dumps(
            {
                "channel": channel,
                "name": self.name,
                "skus": self.skus,
                "marketplaces": list(self.marketplaces),
                "launch_date": self.launch_date.isoformat() if self.launch_date else None,
                "playbook": self.playbook,
                "new_channel": self.new_channel,
            }
        )


# A new launch, or how many of its tasks would start overdue (nothing created; the form asks what to do).
Created = store.Launch | TightPlan


class LaunchSetup:
    def __init__(self, ctx: Context, playbooks: LaunchPlaybooks, checklist: LaunchChecklist) -> None:
        self.ctx = ctx
        self.playbooks = playbooks
        self.checklist = checklist

    def new_modal(self, user: str, channel: str) -> dict[str, Any]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        # The standard playbook first: it is what most launches use.
        ordered = sorted(self.playbooks.playbooks.items(), key=lambda item: (item[0] != "standard", item[0]))
        names = {key: pick(p.name, tr.locale) for key, p in ordered}
        return modals.new_launch_modal(tr, names, channel, self.ctx.today(team))

    def create(self, user: str, channel: str, form: NewLaunch) -> Created:
        """The launch, created; or, when its date would start tasks overdue and the form has not said what to do,
        how many (nothing is created)."""
        team = self.ctx.team_of(user)
        name = form.name.strip()
        skus = ops.validate_new(name, form.skus, list(form.marketplaces), form.launch_date, self.ctx.today(team))
        launch_day = form.launch_date
        assert launch_day is not None
        playbook = self.playbooks.playbooks.get(form.playbook)
        if playbook is None:
            raise OpsError(N_("Choose one of the playbooks."), field="playbook")
        slug = ops.slug(name, skus[0])
        with self.ctx.db.transaction() as session:
            if store.find_launch(session, team.id, slug) or store.find_launch(session, team.id, name):
                raise OpsError(N_("A launch called {name} exists already; pick another name."), field="name", name=name)
        today = self.ctx.today(team)
        planned = ops.plan(playbook, team, launch_day, compress_from=today if form.plan == "compress" else None)
        tight = ops.tight_plan(
            [(p.key, p.offset, ops.unit_of(p.unit), p.due) for p in planned], launch_day, today, team.calendar
        )
        if tight is not None and form.plan == "ask":
            return tight
        if form.new_channel:
            # Before the form's answer: whether Slack has a channel by this name already is a field error.
            channel = self._new_channel(slug)
            # Who is in it is not: after the answer, when a form is being answered (``bot/answering.py``).
            invite = partial(self.ctx.delivery.invite, channel, sorted({p.owner for p in planned} | {user}))
            if not after_answer(invite):
                invite()
        now = self.ctx.clock.now()
        titles = {task.id: task.title for _, task in playbook.tasks()}
        with self.ctx.db.transaction() as session:
            launch = store.Launch(
                team_id=team.id,
                slug=slug,
                name=name,
                skus_json=json.dumps(skus),
                marketplaces_json=json.dumps(list(form.marketplaces)),
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
            Audit(team.id, user, now)(session, "launch", slug, None, "active", f"{playbook.key} {launch_day}")
            # Announced in the same transaction: the launch exists with its pinned checklist, or not at all.
            posted = self.ctx.delivery.post(
                channel,
                checklist_text(name),
                self.checklist.blocks(team, launch.id),
                receipt=Receipt("launch.checklist", str(launch.id)),
            )
            self.ctx.delivery.pin(channel, posted)
        return launch

    def _new_channel(self, slug: str) -> str:
        try:
            return self.ctx.delivery.create_channel(f"launch-{slug}")
        except ChannelNameTaken:
            raise OpsError(
                N_(
                    "Slack already has a channel called #launch-{slug}: follow the launch in this channel, "
                    "or give it another name."
                ),
                field="channel",
                slug=slug,
            ) from None
