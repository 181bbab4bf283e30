"""The App Home tab: published when a person opens it, made of every feature's declared section."""

from __future__ import annotations

from typing import Any

from bot.features import Feature, Registrar
from bot.flows.context import Context
from bot.flows.home import publish_home


def register(reg: Registrar, ctx: Context) -> None:

    @reg.event("app_home_opened")
    def home_opened(event: dict[str, Any], context: Any) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(ctx, event["user"], context.team_id)


FEATURE = Feature(name="home", register=register, events=("app_home_opened",))
