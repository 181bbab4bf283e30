"""Slack request payloads as Slack sends them, signed with the signing secret.

Used by the console and the e2e tests to drive the real Bolt app through its real request
verification, and by the HTTP tests and the load benchmark to drive ``opsbot serve``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import secrets
import time
from typing import Any
from urllib.parse import urlencode

_counter = itertools.count(1)


def sign(signing_secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """Headers Slack would send: X-Slack-Signature = v0= + HMAC-SHA256(v0:{ts}:{body})."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(signing_secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {
        "x-slack-request-timestamp": stamp,
        "x-slack-signature": f"v0={digest}",
        "content-type": "application/x-www-form-urlencoded",
    }


def trigger_id(user: str) -> str:
    """Unique per interaction; carries the user so the emulator knows whose screen a modal opens on."""
    return f"{next(_counter)}.{user}.{secrets.token_hex(4)}"


def slash_command(
    command: str, text: str, *, user: str, channel: str, team: str, response_url: str, channel_name: str = ""
) -> str:
    return urlencode({
        "token": "deprecated-verification-token", "team_id": team, "team_domain": "opsbot-demo",
        "channel_id": channel, "channel_name": channel_name or channel.lower(), "user_id": user,
        "user_name": user.lower(), "command": command, "text": text, "api_app_id": "A0OPSBOT",
        "is_enterprise_install": "false", "response_url": response_url, "trigger_id": trigger_id(user),
    })


def _interactive(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


def block_action(
    *, user: str, team: str, action: dict[str, Any], container: dict[str, Any], response_url: str | None,
    message: dict[str, Any] | None = None, view: dict[str, Any] | None = None, channel: str | None = None,
) -> str:
    payload: dict[str, Any] = {
        "type": "block_actions", "team": {"id": team, "domain": "opsbot-demo"},
        "user": {"id": user, "username": user.lower(), "team_id": team}, "api_app_id": "A0OPSBOT",
        "trigger_id": trigger_id(user), "container": container, "actions": [action],
    }
    if channel:
        payload["channel"] = {"id": channel, "name": channel.lower()}
    if message is not None:
        payload["message"] = message
    if view is not None:
        payload["view"] = view
    if response_url:
        payload["response_url"] = response_url
    return _interactive(payload)


def view_submission(*, user: str, team: str, view: dict[str, Any]) -> str:
    return _interactive({
        "type": "view_submission", "team": {"id": team, "domain": "opsbot-demo"},
        "user": {"id": user, "username": user.lower(), "team_id": team}, "api_app_id": "A0OPSBOT",
        "trigger_id": trigger_id(user), "view": view, "response_urls": [],
    })


def message_shortcut(
    *, callback_id: str, user: str, team: str, channel: str, message: dict[str, Any], response_url: str
) -> str:
    return _interactive({
        "type": "message_action", "callback_id": callback_id, "team": {"id": team, "domain": "opsbot-demo"},
        "user": {"id": user, "name": user.lower()}, "channel": {"id": channel, "name": channel.lower()},
        "message": message, "message_ts": message.get("ts"), "response_url": response_url,
        "trigger_id": trigger_id(user), "action_ts": str(time.time()),
    })


def event(*, team: str, event_body: dict[str, Any], bot_user: str) -> str:
    return json.dumps({
        "token": "deprecated-verification-token", "team_id": team, "api_app_id": "A0OPSBOT",
        "event": event_body, "type": "event_callback", "event_id": f"Ev{next(_counter):08d}",
        "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": bot_user, "is_bot": True}],
    })
