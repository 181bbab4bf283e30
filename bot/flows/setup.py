"""The bot in the channels team.yml gives it: it joins the public ones itself each morning, asks the manager to
invite it to a private one, and says what it will post when it is added."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from functools import partial

from slack_sdk.errors import SlackApiError

from bot.blocks.setup import invite_me_text, welcome_text
from bot.flows.context import Context
from bot.ops.team import Role, Team
from bot.scheduler import ScheduledJob, daily

log = logging.getLogger(__name__)
MORNING_CHECK = time(8, 0)  # before the 09:00 digest, so the digest finds the bot in its channel


class ChannelMembership:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def jobs(self) -> list[ScheduledJob]:
        return [
            daily(
                "setup.channels", team.id, team.zone, MORNING_CHECK, partial(self._fire, team), grace=timedelta(hours=1)
            )
            for team in self.ctx.teams.teams
        ]

    def _fire(self, team: Team, _fire: datetime) -> None:
        self.check(team)

    def check(self, team: Team) -> None:
        """Join each public channel the bot is not in; tell the managers about each private one."""
        for key, channel in team.channels.items():
            try:
                state, name = self.ctx.delivery.join(channel)
            except SlackApiError as exc:
                log.warning(
                    "cannot check channel %s (%s) of team %s: %s", channel, key, team.id, exc.response.get("error")
                )
                continue
            if state == "joined":
                log.info("joined #%s (%s) for team %s", name, key, team.id)
            if state != "private":
                continue
            with self.ctx.db.transaction():
                for manager in team.people_with(Role.manager):
                    tr = self.ctx.translator_for(manager.user, team)
                    self.ctx.delivery.dm(manager.user, invite_me_text(tr, key, name))

    def joined(self, channel: str, user: str, bot_user: str | None, workspace: str | None) -> None:
        """Someone joined a channel: when it is the bot, into a channel it uses, it says what it will post."""
        if user != bot_user:
            return
        for team in self.ctx.teams.teams:
            if workspace is not None and team.slack_team_id != workspace:
                continue
            for key, channel_id in team.channels.items():
                if channel_id == channel:
                    with self.ctx.db.transaction():
                        self.ctx.delivery.post(channel, welcome_text(self.ctx.translator_for(None, team), key))
                    return
