"""The App Home tab: published when a person opens it, made of every feature's declared section; and the buttons
that exist only there (a launch task's "Done")."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack

from bot.blocks.launch_home import HOME_TICK
from bot.features import Feature, Registrar
from bot.flows.context import Context
from bot.flows.home import publish_home
from bot.flows.launch_home import tick


def register(reg: Registrar, ctx: Context) -> None:

    @reg.event("app_home_opened")
    def home_opened(event: dict[str, Any], context: Any) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(ctx, event["user"], context.team_id)

    @reg.action(HOME_TICK)
    def ticked(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        asked = tick(ctx, body["user"]["id"], str(body["actions"][0].get("value") or ""))
        if asked is not None:
            ctx.delivery.open_view(body["trigger_id"], asked)


FEATURE = Feature(name="home", register=register, events=("app_home_opened",))
