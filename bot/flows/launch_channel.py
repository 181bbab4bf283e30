"""A new launch's own channel, after the form's answer: #launch-slug created (or the next free name), the owners
invited, the pinned checklist announced there and the person told in a DM — once, whatever the process does.

The step is stored with the launch, in the form's own transaction (``bot/db/launch_channels.py``), held under a
lease by the process that answered, which runs it right after the answer. A process killed meanwhile (kill -9, a
deploy) leaves it owed; once its lease has run out, a live replica's scheduler tick takes it over
(:meth:`LaunchChannel.take_over`, the launch feature's ``owed``): exactly one replica, by a conditional update,
as the scheduler takes over a dead replica's fire. The announcement and the step's "done" commit together, and
only while its runner still holds the step, so a holder back from a long pause after a takeover writes nothing.

Running the step again is safe wherever it stopped: a name Slack refuses as taken whose channel Opsbot's bot user
created and no launch is followed in is the one this step made before (the answer to conversations.create was
lost and the client asked again, or the process that asked died), and it is used rather than made again as
#launch-slug-2; owners invited twice are invited once. A Slack that does not answer at all leaves the step owed, to
be tried again by the next holder, until :data:`GIVE_UP_AFTER` holders have tried.
"""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass
from datetime import timedelta

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks import launch as blocks
from bot.blocks.launch import checklist_text
from bot.db import launch as store
from bot.db import launch_channels as steps
from bot.errors import ChannelNameTaken
from bot.flows.context import Context
from bot.flows.launch_checklist import LaunchChecklist
from bot.ops.team import Team
from bot.outbox import Receipt

log = logging.getLogger(__name__)
# #launch-slug, then #launch-slug-2 … while Slack has each name already (an archived launch's, someone's own).
NAMES_TRIED = 10
# How long the step's holder has before a live replica may take it over: the step takes seconds, a Slack
# rate-limiting conversations.create (tier 2) a minute or so; a holder that overruns it loses nothing (above).
LEASE = timedelta(minutes=2)
# Holders that found Slack not answering at all, after which the launch is followed where it was asked.
GIVE_UP_AFTER = 3


@dataclass(frozen=True)
class Made:
    """What Slack made of the launch's channel."""

    channel: str | None = None  # its id, once Slack created it (now, or for this step before)
    name: str = ""  # the name it has
    refused: str = ""  # why Slack created none
    answered: bool = True  # False: Slack did not answer at all, so it may be asked again later


class LaunchChannel:
    def __init__(self, ctx: Context, checklist: LaunchChecklist) -> None:
        self.ctx = ctx
        self.checklist = checklist
        # Unique per runner, not per process: two in one process (the tests' replicas) are two holders.
        self.node = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"

    def owe(self, session: Session, launch: store.Launch) -> None:
        """The step, owed and held by this runner, in the transaction that creates the launch."""
        now = self.ctx.clock.now()
        steps.owe(session, launch, self.node, now, now + LEASE)

    def take_over(self, team: Team) -> None:
        """Run the team's steps whose holder's lease ran out (it died, or Slack did not answer it), each taken
        by exactly one replica."""
        with self.ctx.db.transaction() as session:
            owed = steps.left_behind(session, team.id, self.ctx.clock.now())
        for launch_id in owed:
            now = self.ctx.clock.now()
            with self.ctx.db.transaction() as session:
                attempt = steps.take_over(session, launch_id, self.node, now, now + LEASE)
            if attempt is None:
                continue  # another replica took it between the two statements
            log.warning("launch %s: its channel step taken over (attempt %s): the process before did not finish it "
                        "within its lease", launch_id, attempt)
            self.open(team, launch_id, attempt)

    def open(self, team: Team, launch_id: int, attempt: int = 1) -> None:
        """Run the step this runner holds: the launch's own channel, or, if Slack creates none, the launch stays
        where it was asked and the person is told why."""
        with self.ctx.db.transaction() as session:
            launch = session.get(store.Launch, launch_id)
            if launch is None or not steps.hold(session, launch_id, self.node, self.ctx.clock.now() + LEASE):
                return  # done, or taken over from this runner while it was away
            wanted, asked_in, name, user = f"launch-{launch.slug}", launch.channel, launch.name, launch.created_by
            owners = sorted({task.owner for task in store.tasks_of(session, launch_id)} | {user})
        made = self._create(wanted)
        if not made.answered and attempt < GIVE_UP_AFTER:
            log.warning("launch %s: Slack did not answer conversations.create (%s); the channel step is tried again "
                        "once its lease runs out", launch_id, made.refused)
            return
        if made.channel is not None:
            self._invite(launch_id, made.channel, owners)  # before "done": a holder taking over invites again
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            launch = session.get(store.Launch, launch_id)
            if launch is None or not steps.finish(session, launch_id, self.node, self.ctx.clock.now()):
                return  # taken over meanwhile: its new holder announces the launch
            if made.channel is None:
                log.warning("launch %s: no channel created (%s); followed in the channel it was asked in",
                            launch_id, made.refused)
                told = blocks.set_up_here_text(tr, name, asked_in, wanted, made.refused)
            else:
                launch.channel = made.channel
                told = (
                    blocks.set_up_text(tr, name, made.channel)
                    if made.name == wanted
                    else blocks.set_up_renamed_text(tr, name, made.channel, wanted)
                )
            announce(self.ctx, self.checklist, team, launch, user, told)

    def _create(self, wanted: str) -> Made:
        """The channel Slack created — ``wanted``, else ``wanted-2``, ``-3``… — or why none."""
        try:
            for number in range(1, NAMES_TRIED + 1):
                name = wanted if number == 1 else f"{wanted}-{number}"  # a slug has at most 60 characters: Slack 80
                channel = self._named(name)
                if channel is not None:
                    return Made(channel, name)
        except SlackApiError as exc:
            return Made(refused=str(exc.response.get("error") or "error"))
        except OSError as exc:  # Slack did not answer
            return Made(refused=type(exc).__name__, answered=False)
        return Made(refused="name_taken")

    def _named(self, name: str) -> str | None:
        """The channel called ``name`` for this launch: created now, or by this step before; None when the name
        is someone else's (a person's channel, another launch's)."""
        try:
            return self.ctx.delivery.create_channel(name)
        except ChannelNameTaken:
            pass
        try:
            found = self.ctx.delivery.own_channel(name)
        except SlackApiError as exc:  # whose it is cannot be asked (a scope not granted): the next name, then
            log.warning("launch channel #%s: Slack has it, and whose it is could not be asked (%s)", name,
                        exc.response.get("error"))
            return None
        if found is None:
            return None
        with self.ctx.db.transaction() as session:
            return None if steps.channel_in_use(session, found) else found

    def _invite(self, launch_id: int, channel: str, owners: list[str]) -> None:
        try:
            self.ctx.delivery.invite(channel, owners)
        except (SlackApiError, OSError) as exc:  # the launch is set up: who joins its channel can be fixed by hand
            log.warning("launch %s: inviting its owners failed (%s)", launch_id, type(exc).__name__)


def announce(
    ctx: Context, checklist: LaunchChecklist, team: Team, launch: store.Launch, user: str, told: str
) -> None:
    """The pinned checklist in the launch's channel and the DM saying where it is, in the open transaction."""
    posted = ctx.delivery.post(
        launch.channel,
        checklist_text(launch.name),
        checklist.blocks(team, launch.id),
        receipt=checklist_receipt(launch.id),
    )
    ctx.delivery.pin(launch.channel, posted)
    ctx.delivery.dm(user, told)


def checklist_receipt(launch_id: int) -> Receipt:
    return Receipt("launch.checklist", str(launch_id))
