"""The manifest declares exactly what the app registers: no missing command, no stale one."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from bot.manifest import build_manifest
from bot.wiring import FEATURES


def test_every_registered_listener_is_declared_and_vice_versa(console: ConsoleSlack) -> None:
    manifest = build_manifest(FEATURES)
    declared_commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    declared_shortcuts = {s["callback_id"] for s in manifest["features"].get("shortcuts", [])}
    declared_events = {e for f in FEATURES for e in f.events}
    registered = console.registrar
    assert declared_commands == registered.commands
    assert declared_shortcuts == registered.shortcuts
    assert declared_events == registered.events
    # Each feature declares only what it registers (not merely the union).
    for feature in FEATURES:
        assert {c.name for c in feature.commands} <= registered.commands


def test_socket_mode_manifest_has_no_urls_and_http_points_everything_at_events() -> None:
    socket = build_manifest(FEATURES)
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "url" not in str(socket["features"]["slash_commands"])
    http = build_manifest(FEATURES, http_base_url="https://opsbot.example.com/")
    assert http["settings"]["socket_mode_enabled"] is False
    assert http["settings"]["interactivity"]["request_url"] == "https://opsbot.example.com/slack/events"
    assert {c["url"] for c in http["features"]["slash_commands"]} == {"https://opsbot.example.com/slack/events"}


def test_scopes_cover_what_the_bot_calls() -> None:
    scopes = set(build_manifest(FEATURES)["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "im:write", "users:read", "usergroups:read"} <= scopes


# Slack's bot events this app may need, as its Events API reference lists them, with the scope each needs
# (None: no scope). Written out here, independently of bot/manifest.py, so a name Slack would refuse fails.
SLACK_BOT_EVENTS = {
    "app_home_opened": None, "app_mention": "app_mentions:read", "app_uninstalled": None, "tokens_revoked": None,
    "message.channels": "channels:history", "message.groups": "groups:history", "message.im": "im:history",
    "message.mpim": "mpim:history", "member_joined_channel": "channels:read", "file_shared": "files:read",
    "reaction_added": "reactions:read", "team_join": "users:read", "user_change": "users:read",
}


def test_the_manifest_subscribes_to_events_by_slacks_own_names_with_their_scopes() -> None:
    """A bare "message" is Bolt's listener name, not a Slack event: creating the app from such a manifest is
    refused (invalid_manifest), and report files shared with the bot would never arrive."""
    manifest = build_manifest(FEATURES)
    events = manifest["settings"]["event_subscriptions"]["bot_events"]
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert "message" not in events
    assert {"message.channels", "message.groups", "message.im"} <= set(events)
    for event in events:
        assert event in SLACK_BOT_EVENTS, f"{event} is not one of Slack's bot events"
        needed = SLACK_BOT_EVENTS[event]
        assert needed is None or needed in scopes, f"{event} needs the {needed} scope"
