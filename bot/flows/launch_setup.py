"""A new launch: the playbook turned into owned, dated tasks, its channel, and its pinned checklist."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.answering import after_answer
from bot.blocks import launch as blocks
from bot.blocks import launch_modals as modals
from bot.blocks.launch import checklist_text
from bot.db import launch as store
from bot.db.audit import Audit
from bot.errors import N_, ChannelNameTaken, OpsError
from bot.flows.context import Context
from bot.flows.launch_checklist import LaunchChecklist
from bot.i18n import Translator, pick
from bot.ops import launch as ops
from bot.ops.launch import TightPlan
from bot.ops.launch_playbook import LaunchPlaybooks
from bot.ops.team import Team
from bot.outbox import Receipt

log = logging.getLogger(__name__)
# #launch-slug, then #launch-slug-2 … while Slack has each name already (an archived launch's, someone's own).
NAMES_TRIED = 10


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
        owners = sorted({p.owner for p in planned} | {user})
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
            if not form.new_channel:
                # Announced in the same transaction: the launch exists with its pinned checklist, or not at all.
                self._announce(team, launch, user, blocks.set_up_text(self._tr(user, team), name, channel))
        if form.new_channel:
            # Its channel is Slack's to create, which a form's answer does not wait for (``bot/answering.py``):
            # created after the answer, then the checklist, the invitations and the DM follow.
            opening = partial(self._open_channel, team, launch.id, owners, user)
            if not after_answer(opening):
                opening()
        return launch

    def _open_channel(self, team: Team, launch_id: int, owners: list[str], user: str) -> None:
        """The launch's own channel, after the form's answer: #launch-slug, or the next free name when Slack has
        that one; if Slack creates none, the launch stays where it was asked, and the person is told why."""
        with self.ctx.db.transaction() as session:
            launch = session.get(store.Launch, launch_id)
            if launch is None:
                return
            wanted, asked_in, name = f"launch-{launch.slug}", launch.channel, launch.name
        created, refused = _create(self.ctx, wanted)
        tr = self._tr(user, team)
        with self.ctx.db.transaction() as session:
            launch = session.get(store.Launch, launch_id)
            if launch is None:
                return
            if created is None:
                log.warning(
                    "launch %s: no channel created (%s); followed in the channel it was asked in", launch_id, refused
                )
                self._announce(team, launch, user, blocks.set_up_here_text(tr, name, asked_in, wanted, refused))
                return
            channel, taken_as = created
            launch.channel = channel
            told = (
                blocks.set_up_text(tr, name, channel)
                if taken_as == wanted
                else blocks.set_up_renamed_text(tr, name, channel, wanted)
            )
            self._announce(team, launch, user, told)
        try:
            self.ctx.delivery.invite(channel, owners)
        except (SlackApiError, OSError) as exc:  # the launch is set up: who joins its channel can be fixed by hand
            log.warning("launch %s: inviting its owners failed (%s)", launch_id, type(exc).__name__)

    def _announce(self, team: Team, launch: store.Launch, user: str, told: str) -> None:
        """The pinned checklist in the launch's channel and the DM saying where it is, in the open transaction."""
        posted = self.ctx.delivery.post(
            launch.channel,
            checklist_text(launch.name),
            self.checklist.blocks(team, launch.id),
            receipt=_receipt(launch.id),
        )
        self.ctx.delivery.pin(launch.channel, posted)
        self.ctx.delivery.dm(user, told)

    def _tr(self, user: str, team: Team) -> Translator:
        return self.ctx.translator_for(user, team)


def _receipt(launch_id: int) -> Receipt:
    return Receipt("launch.checklist", str(launch_id))


def _create(ctx: Context, wanted: str) -> tuple[tuple[str, str] | None, str]:
    """(its id, its name) of the channel Slack created — ``wanted``, else ``wanted-2``, ``-3``… — or None and why."""
    for number in range(1, NAMES_TRIED + 1):
        name = wanted if number == 1 else f"{wanted}-{number}"  # a slug has at most 60 characters: Slack takes 80
        try:
            return (ctx.delivery.create_channel(name), name), ""
        except ChannelNameTaken:
            continue
        except SlackApiError as exc:
            return None, str(exc.response.get("error") or "error")
        except OSError as exc:  # Slack did not answer
            return None, type(exc).__name__
    return None, "name_taken"
