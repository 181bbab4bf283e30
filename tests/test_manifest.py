"""The manifest declares exactly what the app registers: no missing command, no stale one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from bot.cli import cli
from bot.console.session import ConsoleSlack
from bot.manifest import build_manifest
from bot.wiring import FEATURES

runner = CliRunner()


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
    "app_home_opened": None,
    "app_mention": "app_mentions:read",
    "app_uninstalled": None,
    "tokens_revoked": None,
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "message.im": "im:history",
    "message.mpim": "mpim:history",
    "member_joined_channel": "channels:read",
    "file_shared": "files:read",
    "reaction_added": "reactions:read",
    "team_join": "users:read",
    "user_change": "users:read",
    "subteam_members_changed": "usergroups:read",
    "subteam_updated": "usergroups:read",
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


def _edited(tmp_path: Path, change: Callable[[dict[str, Any]], None], **kwargs: Any) -> Path:
    manifest = build_manifest(FEATURES, **kwargs)
    change(manifest)
    path = tmp_path / "manifest.yml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return path


def test_manifest_check_passes_on_the_manifest_opsbot_prints(tmp_path: Path) -> None:
    printed = runner.invoke(cli, ["manifest", "--socket"]).output
    path = tmp_path / "manifest.yml"
    path.write_text(printed, encoding="utf-8")
    result = runner.invoke(cli, ["manifest", "--check", str(path)])
    assert result.exit_code == 0, result.output
    assert "has everything Opsbot needs" in result.output


def test_manifest_check_lists_every_difference_from_what_opsbot_needs(tmp_path: Path) -> None:
    def edit(manifest: dict[str, Any]) -> None:
        manifest["oauth_config"]["scopes"]["bot"].remove("im:write")
        manifest["features"]["slash_commands"] = [
            c for c in manifest["features"]["slash_commands"] if c["command"] != "/restock"
        ] + [{"command": "/weather", "description": "not ours"}]
        manifest["settings"]["event_subscriptions"]["bot_events"].remove("message.im")
        manifest["features"]["shortcuts"] = []
        manifest["settings"]["interactivity"] = {"is_enabled": False}

    result = runner.invoke(cli, ["manifest", "--check", str(_edited(tmp_path, edit))])
    assert result.exit_code == 1
    shortcuts = sorted(s.callback_id for f in FEATURES for s in f.shortcuts)
    assert shortcuts, "Opsbot declares at least one shortcut"
    lines = result.output.splitlines()
    assert "missing bot scope im:write" in "\n".join(lines)
    assert any("missing slash command /restock" in line for line in lines)
    assert any("/weather" in line and "Opsbot does not answer it" in line for line in lines)
    assert any("missing bot event message.im" in line for line in lines)
    for callback_id in shortcuts:
        assert any(f"missing shortcut {callback_id}" in line for line in lines)
    assert any("interactivity is off" in line for line in lines)
    assert result.output.count("•") == 5 + len(shortcuts)  # one line per difference, nothing else


def test_manifest_check_in_http_mode_names_a_url_pointing_elsewhere(tmp_path: Path) -> None:
    def edit(manifest: dict[str, Any]) -> None:
        manifest["settings"]["interactivity"]["request_url"] = "https://old.example.com/slack/events"

    path = _edited(tmp_path, edit, http_base_url="https://ops.example.com")
    result = runner.invoke(cli, ["manifest", "--check", str(path)])
    assert result.exit_code == 1
    assert (
        "interactivity request URL is https://old.example.com/slack/events, "
        "Opsbot listens at https://ops.example.com/slack/events"
    ) in " ".join(result.output.split())


def test_manifest_check_on_a_file_that_is_not_a_manifest_says_so(tmp_path: Path) -> None:
    path = tmp_path / "manifest.yml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    result = runner.invoke(cli, ["manifest", "--check", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "not a Slack app manifest" in result.output
    missing = runner.invoke(cli, ["manifest", "--check", str(tmp_path / "nope.yml")])
    assert missing.exit_code == 2 and "file not found" in missing.output
