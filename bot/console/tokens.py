"""The pretend Slack's bot tokens: which workspace each belongs to, the OAuth install that issues a new
one, and the uninstall that revokes them.

``authorize`` plays the person approving an install on Slack's page and gives the code that
``oauth.v2.access`` (``exchange``) trades, once, for a new bot token.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass
from typing import Any

from bot.console.slack_state import BOT_USER_ID


@dataclass(frozen=True)
class Grant:
    """An install someone approved on Slack's page, waiting for the app to exchange its code."""

    team_id: str
    team_name: str
    installer: str
    scopes: tuple[str, ...]


class BotTokens:
    def __init__(self, token: str | None, team_id: str) -> None:
        self.team_id = team_id
        # Bot token -> its workspace; None is ``team_id``, whatever it is set to later.
        self.workspaces: dict[str, str | None] = {token: None} if token else {}
        self.revoked: set[str] = set()
        self.oauth_client: tuple[str, str] | None = None  # the app's client id and secret
        self._grants: dict[str, Grant] = {}
        self._lock = threading.Lock()

    def workspace_of(self, token: str | None) -> str | None:
        """The workspace a bot token belongs to; None for an unknown or revoked token."""
        if not token or token not in self.workspaces:
            return None
        return self.workspaces[token] or self.team_id

    def add(self, token: str, team_id: str) -> None:
        self.workspaces[token] = team_id

    def authorize(self, team_id: str, team_name: str, *, installer: str, scopes: list[str] | tuple[str, ...]) -> str:
        """Someone approves the install on Slack's page: the code Slack hands to the app's redirect URL."""
        code = f"{team_id}.{secrets.token_hex(8)}"
        with self._lock:
            self._grants[code] = Grant(team_id, team_name, installer, tuple(scopes))
        return code

    def revoke(self, team_id: str) -> None:
        """The app is uninstalled from a workspace: its tokens stop working."""
        with self._lock:
            for token in [t for t in self.workspaces if self.workspace_of(t) == team_id]:
                del self.workspaces[token]
                self.revoked.add(token)

    def exchange(self, args: dict[str, Any], basic_auth: tuple[str, str] | None) -> dict[str, Any]:
        """oauth.v2.access: the app's client id and secret (HTTP Basic or form fields) and a code, used once."""
        client = basic_auth or (str(args.get("client_id", "")), str(args.get("client_secret", "")))
        if self.oauth_client is None or client[0] != self.oauth_client[0]:
            return {"ok": False, "error": "invalid_client_id"}
        if client[1] != self.oauth_client[1]:
            return {"ok": False, "error": "bad_client_secret"}
        with self._lock:
            grant = self._grants.pop(str(args.get("code", "")), None)
            if grant is None:
                return {"ok": False, "error": "invalid_code"}
            token = f"xoxb-{grant.team_id.lower()}-{secrets.token_hex(12)}"
            self.workspaces[token] = grant.team_id
        return {
            "ok": True,
            "app_id": "A0OPSBOT",
            "authed_user": {"id": grant.installer},
            "scope": ",".join(grant.scopes),
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": BOT_USER_ID,
            "team": {"id": grant.team_id, "name": grant.team_name},
            "enterprise": None,
            "is_enterprise_install": False,
        }
