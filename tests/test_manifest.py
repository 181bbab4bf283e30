"""The manifest declares exactly what the app registers: no missing command, no stale one."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from bot.manifest import build_manifest
from bot.wiring import FEATURES


def test_every_registered_listener_is_declared_and_vice_versa(console: ConsoleSlack) -> None:
    manifest = build_manifest(FEATURES)
    declared_commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    declared_shortcuts = {s["callback_id"] for s in manifest["features"].get("shortcuts", [])}
    declared_events = set(manifest["settings"].get("event_subscriptions", {}).get("bot_events", []))
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
