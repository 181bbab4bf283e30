"""Slack telling the app it was uninstalled from a workspace, or that a token was revoked there."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot import installs
from bot.features import Feature, Registrar
from bot.services import Services


def register(reg: Registrar, services: Services) -> None:
    @reg.event("app_uninstalled")
    def app_uninstalled(context: BoltContext) -> None:
        installs.uninstalled(services, context.enterprise_id, context.team_id)

    @reg.event("tokens_revoked")
    def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        installs.tokens_revoked(services, context.enterprise_id, context.team_id, event.get("tokens") or {})


FEATURE = Feature(name="workspaces", register=register, events=("app_uninstalled", "tokens_revoked"))
