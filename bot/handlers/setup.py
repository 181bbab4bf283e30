"""Setting a team up from Slack: the bot finds its way into the channels it needs."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.features import Feature, Registrar
from bot.flows.context import Context
from bot.flows.setup import ChannelMembership
from bot.scheduler import ScheduledJob


def register(reg: Registrar, ctx: Context) -> None:
    channels = ChannelMembership(ctx)

    @reg.event("member_joined_channel")
    def member_joined(event: dict[str, Any], context: BoltContext) -> None:
        channels.joined(str(event.get("channel")), str(event.get("user")), context.bot_user_id, context.team_id)


def jobs(ctx: Context) -> list[ScheduledJob]:
    return ChannelMembership(ctx).jobs()


FEATURE = Feature(
    name="setup",
    register=register,
    events=("member_joined_channel",),
    scopes=("channels:read", "groups:read", "channels:join"),
    jobs=jobs,
)
