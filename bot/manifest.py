"""The Slack app manifest, built from what the features declare (``opsbot manifest``)."""

from __future__ import annotations

from typing import Any

import yaml

from bot.features import Feature

# The *:history scopes let the outbox look in a conversation for a message whose send it could not confirm
# (the answer was lost, or the sender died), so it is never posted twice.
BASE_SCOPES = ("commands", "chat:write", "im:write", "users:read", "usergroups:read",
               "channels:history", "groups:history", "im:history", "mpim:history")


# Bolt listens to "message"; Slack subscribes an app to messages per kind of conversation. Report files are
# shared in the team's data channel (public or private) or in a DM with the bot.
SUBSCRIPTIONS = {"message": ("message.channels", "message.groups", "message.im")}


def bot_events(features: tuple[Feature, ...]) -> list[str]:
    """The events the app subscribes to, by Slack's names, for the listeners the features declare."""
    return sorted({name for f in features for e in f.events for name in SUBSCRIPTIONS.get(e, (e,))})


def bot_scopes(features: tuple[Feature, ...]) -> list[str]:
    """The bot scopes the features declare: what the manifest lists and what the install flow asks for."""
    return sorted({*BASE_SCOPES, *(s for f in features for s in f.scopes)})


def build_manifest(
    features: tuple[Feature, ...], *, http_base_url: str | None = None, redirect_url: str | None = None
) -> dict[str, Any]:
    """Socket Mode when ``http_base_url`` is None (no URLs), else HTTP with every URL pointing at it.

    ``redirect_url`` (HTTP only) is where Slack sends an installer back to in the OAuth install flow.
    """
    events_url = f"{http_base_url.rstrip('/')}/slack/events" if http_base_url else None
    scopes = bot_scopes(features)
    commands = []
    for feature in features:
        for command in feature.commands:
            entry: dict[str, Any] = {"command": command.name, "description": command.description,
                                     "should_escape": False}
            if command.usage_hint:
                entry["usage_hint"] = command.usage_hint
            if events_url:
                entry["url"] = events_url
            commands.append(entry)
    shortcuts = [
        {"name": s.name, "type": s.type, "callback_id": s.callback_id, "description": s.description}
        for f in features for s in f.shortcuts
    ]
    events = bot_events(features)
    settings: dict[str, Any] = {
        "interactivity": {"is_enabled": True},
        "org_deploy_enabled": False,
        "socket_mode_enabled": http_base_url is None,
        "token_rotation_enabled": False,
    }
    if events_url:
        settings["interactivity"]["request_url"] = events_url
    if events:
        settings["event_subscriptions"] = {"bot_events": events}
        if events_url:
            settings["event_subscriptions"]["request_url"] = events_url
    features_block: dict[str, Any] = {
        "app_home": {"home_tab_enabled": "app_home_opened" in events, "messages_tab_enabled": True,
                     "messages_tab_read_only_enabled": False},
        "bot_user": {"display_name": "Opsbot", "always_online": True},
        "slash_commands": commands,
    }
    if shortcuts:
        features_block["shortcuts"] = shortcuts
    oauth_config: dict[str, Any] = {"scopes": {"bot": scopes}}
    if redirect_url and http_base_url:
        oauth_config = {"redirect_urls": [redirect_url], **oauth_config}
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "Opsbot",
            "description": "Stand-ups, KPI digests, restock requests, launch checklists and market feedback",
            "background_color": "#1f3a5f",
        },
        "features": features_block,
        "oauth_config": oauth_config,
        "settings": settings,
    }


def manifest_yaml(
    features: tuple[Feature, ...], *, http_base_url: str | None = None, redirect_url: str | None = None
) -> str:
    manifest = build_manifest(features, http_base_url=http_base_url, redirect_url=redirect_url)
    return yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True)
