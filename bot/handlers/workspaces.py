"""Slack telling the app it was uninstalled from a workspace, that a token was revoked there, or that a user group
(which may give a role: team.yml's ``usergroups``) changed there."""

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

    # Who left a group that gives a role loses the role now, not when the list read an hour ago is read again
    # (bot/people_groups.py). Events run after their ack, where Slack may be asked. Other groups are not kept.
    def gives_a_role(group: str) -> bool:
        return any(group in team.usergroups.values() for team in ctx.teams.teams)

    @reg.event("subteam_members_changed")
    def group_members_changed(event: dict[str, Any]) -> None:
        group = str(event.get("subteam_id"))
        if gives_a_role(group):
            ctx.people.group_changed(group, added=[str(u) for u in event.get("added_users") or []],
                                     removed=[str(u) for u in event.get("removed_users") or []])

    @reg.event("subteam_updated")
    def group_updated(event: dict[str, Any]) -> None:
        group = event.get("subteam") or {}
        users = [] if group.get("date_delete") else group.get("users")  # a disabled group gives nobody a role
        if gives_a_role(str(group.get("id"))):
            listed = [str(u) for u in users] if isinstance(users, list) else None  # else read from Slack
            ctx.people.group_changed(str(group["id"]), users=listed)


FEATURE = Feature(
    name="workspaces", register=register,
    events=("app_uninstalled", "tokens_revoked", "subteam_members_changed", "subteam_updated"),
)
