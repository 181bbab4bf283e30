"""The Slack app manifest, built from what the features declare (``opsbot manifest``)."""

from __future__ import annotations

from typing import Any

import yaml

from bot.features import Feature

# The *:history scopes let the outbox look in a conversation for a message whose send it could not confirm
# (the answer was lost, or the sender died), so it is never posted twice.
BASE_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "users:read",
    "usergroups:read",
    "channels:history",
    "groups:history",
    "im:history",
    "mpim:history",
)


# Bolt listens to "message"; Slack subscribes an app to messages per kind of conversation. Report files are
# shared in the team's data channel (public or private) or in a DM with the bot.
# Scopes a workspace may decline: Opsbot works without them (canvases: the meeting then stays in messages).
OPTIONAL_SCOPES = ("canvases:write",)

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
            entry: dict[str, Any] = {
                "command": command.name,
                "description": command.description,
                "should_escape": False,
            }
            if command.usage_hint:
                entry["usage_hint"] = command.usage_hint
            if events_url:
                entry["url"] = events_url
            commands.append(entry)
    shortcuts = [
        {"name": s.name, "type": s.type, "callback_id": s.callback_id, "description": s.description}
        for f in features
        for s in f.shortcuts
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
        "app_home": {
            "home_tab_enabled": "app_home_opened" in events,
            "messages_tab_enabled": True,
            "messages_tab_read_only_enabled": False,
        },
        "bot_user": {"display_name": "Opsbot", "always_online": True},
        "slash_commands": commands,
    }
    if shortcuts:
        features_block["shortcuts"] = shortcuts
    oauth_config: dict[str, Any] = {"scopes": {"bot": scopes, "bot_optional": list(OPTIONAL_SCOPES)}}
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


def manifest_differences(edited: dict[str, Any], wanted: dict[str, Any]) -> list[str]:
    """What an app's manifest (e.g. one a user edited in Slack) lacks of what Opsbot needs, one line each.

    Extra scopes and events are harmless and not listed; a slash command Opsbot does not answer is, because the
    person typing it would get Slack's "dispatch_failed".
    """
    differences: list[str] = []
    have_scopes = set(_get(edited, "oauth_config", "scopes", "bot") or ())
    differences += [
        f"missing bot scope {s}" for s in _get(wanted, "oauth_config", "scopes", "bot") if s not in have_scopes
    ]
    have_commands = {
        c.get("command"): c for c in _get(edited, "features", "slash_commands") or () if isinstance(c, dict)
    }
    wanted_commands = {c["command"]: c for c in _get(wanted, "features", "slash_commands")}
    for name, command in wanted_commands.items():
        if name not in have_commands:
            differences.append(f"missing slash command {name} ({command['description']})")
        elif command.get("url") and have_commands[name].get("url") != command["url"]:
            differences.append(
                f"slash command {name} points at {have_commands[name].get('url') or 'no URL'}, "
                f"Opsbot listens at {command['url']}"
            )
    differences += [
        f"slash command {name} is not Opsbot's: Opsbot does not answer it (remove it)"
        for name in have_commands
        if name not in wanted_commands
    ]
    have_events = set(_get(edited, "settings", "event_subscriptions", "bot_events") or ())
    differences += [
        f"missing bot event {e}"
        for e in _get(wanted, "settings", "event_subscriptions", "bot_events")
        if e not in have_events
    ]
    have_shortcuts = {s.get("callback_id") for s in _get(edited, "features", "shortcuts") or () if isinstance(s, dict)}
    differences += [
        f"missing shortcut {s['callback_id']} ({s['name']})"
        for s in _get(wanted, "features", "shortcuts") or ()
        if s["callback_id"] not in have_shortcuts
    ]
    interactivity = _get(edited, "settings", "interactivity") or {}
    wanted_url = _get(wanted, "settings", "interactivity", "request_url")
    if not interactivity.get("is_enabled"):
        differences.append("interactivity is off: buttons and forms would do nothing (turn it on)")
    elif wanted_url and interactivity.get("request_url") != wanted_url:
        differences.append(
            f"interactivity request URL is {interactivity.get('request_url') or 'not set'}, "
            f"Opsbot listens at {wanted_url}"
        )
    socket = bool(_get(edited, "settings", "socket_mode_enabled"))
    if socket != bool(_get(wanted, "settings", "socket_mode_enabled")):
        differences.append(
            "Socket Mode is on: for HTTP, turn it off"
            if socket
            else "Socket Mode is off: `opsbot run` needs it on (or check with --http BASE_URL)"
        )
    return differences


def http_base_url_of(edited: dict[str, Any]) -> str | None:
    """The public base URL an HTTP-mode manifest points at (from its events URL), None in Socket Mode."""
    if _get(edited, "settings", "socket_mode_enabled"):
        return None
    url = _get(edited, "settings", "event_subscriptions", "request_url") or ""
    return url.removesuffix("/slack/events") if isinstance(url, str) and url.endswith("/slack/events") else None


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
