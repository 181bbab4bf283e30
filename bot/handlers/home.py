"""The App Home tab: published when a person opens it."""

from __future__ import annotations

from typing import Any

from bot.blocks.home import home_view
from bot.features import Feature, Registrar
from bot.handlers.help import ROLE_NAMES
from bot.services import Services


def register(reg: Registrar, services: Services) -> None:
    @reg.event("app_home_opened")
    def home_opened(event: dict[str, Any], context: Any) -> None:
        if event.get("tab", "home") != "home":
            return
        user = event["user"]
        team = services.teams.for_user(user, context.team_id)
        tr = services.translator_for(user, team)
        member = team.member(user) if team else None
        roles = [tr._(ROLE_NAMES[r]) for r in member.roles] if member else []
        timezone = services.people.profile(user).tz or (team.timezone if team else "UTC")
        commands = [f"{c.name} {c.usage_hint}".strip() for f in services.features for c in f.commands]
        services.delivery.publish_home(user, home_view(
            tr, name=member.name if member else user, team_name=team.name if team else None, roles=roles,
            timezone=timezone, commands=commands,
        ))


FEATURE = Feature(name="home", register=register, events=("app_home_opened",))
