"""Slack telling the app it was uninstalled from a workspace, or that a token was revoked there."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.features import Feature, Registrar
from bot.flows.context import Context
from bot.flows.workspaces import WorkspaceLifecycle


def register(reg: Registrar, ctx: Context) -> None:
    lifecycle = WorkspaceLifecycle(ctx.delivery.workspaces, ctx.db, ctx.clock)

    @reg.event("app_uninstalled")
    def app_uninstalled(context: BoltContext) -> None:
        lifecycle.uninstalled(context.enterprise_id, context.team_id)

    @reg.event("tokens_revoked")
    def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
        lifecycle.tokens_revoked(context.enterprise_id, context.team_id, event.get("tokens") or {})


FEATURE = Feature(name="workspaces", register=register, events=("app_uninstalled", "tokens_revoked"))
