"""A new launch: the playbook turned into owned, dated tasks, its channel, and its pinned checklist."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from bot.answering import after_answer
from bot.blocks import launch as blocks
from bot.blocks import launch_modals as modals
from bot.db import launch as store
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.launch_channel import LaunchChannel, announce
from bot.flows.launch_checklist import LaunchChecklist
from bot.i18n import Translator, pick
from bot.ops import launch as ops
from bot.ops.launch import TightPlan
from bot.ops.launch_playbook import LaunchPlaybooks
from bot.ops.team import Team


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
    asked_in_dm: bool = False  # the form was opened in a DM or a group DM (what the command said of its channel)

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
                "dm": self.asked_in_dm,
            }
        )


# A new launch, or how many of its tasks would start overdue (nothing created; the form asks what to do).
Created = store.Launch | TightPlan


class LaunchSetup:
    def __init__(self, ctx: Context, playbooks: LaunchPlaybooks, checklist: LaunchChecklist) -> None:
        self.ctx = ctx
        self.playbooks = playbooks
        self.checklist = checklist
        self.channel = LaunchChannel(ctx, checklist)  # a new launch's own channel, owed after the form's answer

    def new_modal(self, user: str, channel: str, channel_name: str = "") -> dict[str, Any]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        # The standard playbook first: it is what most launches use.
        ordered = sorted(self.playbooks.playbooks.items(), key=lambda item: (item[0] != "standard", item[0]))
        names = {key: pick(p.name, tr.locale) for key, p in ordered}
        in_dm = ops.is_dm(channel, channel_name)
        return modals.new_launch_modal(tr, names, channel, self.ctx.today(team), in_dm=in_dm)

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
        if not form.new_channel and (form.asked_in_dm or ops.is_dm(channel)):
            # The team's launch in someone's DM: its checklist, progress and go/no-go would reach nobody else.
            raise OpsError(
                N_(
                    "A DM is not a team channel, so the other owners could not follow the launch here: choose "
                    "“Create a #launch- channel”, or start /launch new in a team channel."
                ),
                field="channel",
            )
        with self.ctx.db.transaction() as session:
            # Only the same name is refused; another name whose key is taken gets the next free one (below).
            same = store.launch_named(session, team.id, name)
            if same is not None:
                raise OpsError(
                    N_("A launch called {name} exists already; pick another name."), field="name", name=same.name
                )
        today = self.ctx.today(team)
        planned = ops.plan(playbook, team, launch_day, compress_from=today if form.plan == "compress" else None)
        tight = ops.tight_plan(
            [(p.key, p.offset, ops.unit_of(p.unit), p.due) for p in planned], launch_day, today, team.calendar
        )
        if tight is not None and form.plan == "ask":
            return tight
        now = self.ctx.clock.now()
        titles = {task.id: task.title for _, task in playbook.tasks()}
        with self.ctx.db.transaction() as session:
            slug = ops.unique_slug(ops.slug(name, skus[0]), store.slugs_of(session, team.id))
            # Followed where it was asked until its own channel exists (or if Slack will not create one).
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
            if form.new_channel:
                # Owed with the launch, so that a process dying before it is done leaves it to a live one.
                self.channel.owe(session, launch)
            else:
                # Announced in the same transaction: the launch exists with its pinned checklist, or not at all.
                told = blocks.set_up_text(self._tr(user, team), name, channel)
                announce(self.ctx, self.checklist, team, launch, user, told)
        if form.new_channel:
            # Its channel is Slack's to create, which a form's answer does not wait for (``bot/answering.py``):
            # created after the answer, then the invitations, the checklist and the DM follow
            # (``bot/flows/launch_channel.py``).
            opening = partial(self.channel.open, team, launch.id)
            if not after_answer(opening):
                opening()
        return launch

    def _tr(self, user: str, team: Team) -> Translator:
        return self.ctx.translator_for(user, team)
