"""A meeting action's "Turn into…" menu (on its card, its reminder and App Home's My actions): the chosen form opens
prefilled; the restock, promotion and launch features file and link what it starts (bot/flows/meeting_follow_ups.py).
Registered by the meetings feature, whose cards carry the menu."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.blocks.meeting_follow_ups import TURN_INTO
from bot.features import Registrar
from bot.flows.context import Context
from bot.flows.meeting_follow_ups import MeetingFollowUps


def register(reg: Registrar, ctx: Context) -> None:
    follow_ups = MeetingFollowUps(ctx)

    @reg.action(TURN_INTO)
    def turn_into(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        chosen = body["actions"][0].get("selected_option") or {}
        view = follow_ups.form(body["user"]["id"], str(chosen.get("value") or ""))
        ctx.delivery.open_view(body["trigger_id"], view)
