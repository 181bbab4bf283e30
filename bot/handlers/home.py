"""The App Home tab: published when a person opens it, made of every feature's declared section."""

from __future__ import annotations

from typing import Any

from bot.blocks.home import home_view
from bot.features import Feature, HomeReader, Registrar
from bot.flows.context import Context
from bot.handlers.help import ROLE_NAMES


def register(reg: Registrar, ctx: Context) -> None:

    @reg.event("app_home_opened")
    def home_opened(event: dict[str, Any], context: Any) -> None:
        if event.get("tab", "home") != "home":
            return
        user = event["user"]
        team = ctx.teams.for_user(user, context.team_id)
        tr = ctx.translator_for(user, team)
        member = team.member(user) if team else None
        roles = [tr._(ROLE_NAMES[r]) for r in member.roles] if member else []
        commands = tuple(f"{c.name} {tr._(c.usage_hint) if c.usage_hint else ''}".strip()
                         for f in reg.features for c in f.commands)
        reader = HomeReader(user=user, team=team, tr=tr, commands=commands,
                            timezone=ctx.people.profile(user).tz or (team.timezone if team else "UTC"))
        sections = [block for f in reg.features for section in f.home_sections for block in section(ctx, reader)]
        ctx.delivery.publish_home(user, home_view(
            tr, name=member.name if member else user, team_name=team.name if team else None, roles=roles,
            timezone=reader.timezone, sections=sections,
        ))


FEATURE = Feature(name="home", register=register, events=("app_home_opened",))
