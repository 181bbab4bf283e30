"""A local Slack: the real WebClient talks to it over HTTP on 127.0.0.1 and it records what a person
would see (messages, edits, ephemerals, DMs, modals, files).

``SlackEmulator`` is the one object tests and the console hold. It answers each request as Slack
does: the bearer token checked, then the Web API method carried out. It can be told to misbehave as
Slack does under load: 429 with Retry-After, 5xx, dropped connections, lost answers, and per-channel
pacing of chat.postMessage. Its parts, each in its own module:

- ``slack_state.py``  what Slack holds: users, channels, messages, views, files, every ``Record``
- ``web_api.py``      the Web API methods (chat.*, conversations.*, views.*, files.*, users.*, pins…)
- ``canvases.py``     canvases.create / canvases.edit / conversations.canvases.create, and the workspace's plan
- ``tokens.py``       bot tokens and their workspaces; the OAuth install and the uninstall
- ``faults.py``       ``Faults``: how often and how calls fail
- ``http_server.py``  the HTTP side: reads requests, writes answers

Several workspaces: each bot token belongs to one workspace and every record notes the workspace
whose token made it. ``authorize`` plays the person approving an install on Slack's page and gives
the code that ``oauth.v2.access`` exchanges, once, for a new bot token; ``revoke`` ends a workspace's
tokens as an uninstall does.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bot.console.canvases import METHODS as CANVAS_METHODS
from bot.console.canvases import CanvasApi
from bot.console.faults import FaultInjector, Faults
from bot.console.http_server import Answer, EmulatorServer, basic_credentials, bearer_token
from bot.console.slack_state import BOT_USER_ID, Channel, Record, SlackState, User
from bot.console.tokens import BotTokens
from bot.console.web_api import WebApi

# Faults lives in faults.py; the benchmarks still import it from here.
__all__ = ["Faults", "SlackEmulator"]


class SlackEmulator:
    def __init__(self, token: str | None, team_id: str = "T0DEMO", faults: Faults | None = None) -> None:
        self.token = token
        self.state = SlackState()
        self.bot_tokens = BotTokens(token, team_id)
        self.fault_injector = FaultInjector(faults or Faults())
        self._server = EmulatorServer(self)
        self.web_api = WebApi(self.state, self._server.url)
        # What Slack holds, by the names tests and the console read it (the state's own objects, never rebound).
        state = self.state
        self.users, self.channels, self.usergroups = state.users, state.channels, state.usergroups
        self.records, self.messages, self.views, self.files = state.records, state.messages, state.views, state.files
        self.calls, self.workspace_calls, self.attempts = state.calls, state.workspace_calls, state.attempts
        self.tokens, self.revoked = self.bot_tokens.workspaces, self.bot_tokens.revoked
        # The bot scopes Slack says the token was granted (the x-oauth-scopes header); None: not said.
        self.granted_scopes: tuple[str, ...] | None = None
        # Canvases (canvases.py): the workspace's plan and the documents made.
        self.canvases = CanvasApi(self.state, lambda: self.granted_scopes)

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return self._server.url

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def start(self) -> SlackEmulator:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    # -- settings tests and the console change after start ---------------------------------------
    @property
    def faults(self) -> Faults:
        return self.fault_injector.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        self.fault_injector.faults = faults

    @property
    def team_id(self) -> str:
        """The workspace of the token given at start."""
        return self.bot_tokens.team_id

    @team_id.setter
    def team_id(self, team_id: str) -> None:
        self.bot_tokens.team_id = team_id

    @property
    def oauth_client(self) -> tuple[str, str] | None:
        """The app's client id and secret, for oauth.v2.access."""
        return self.bot_tokens.oauth_client

    @oauth_client.setter
    def oauth_client(self, client: tuple[str, str] | None) -> None:
        self.bot_tokens.oauth_client = client

    # -- the workspace ---------------------------------------------------------------------------
    def add_user(self, user: User) -> None:
        self.state.add_user(user)

    def add_channel(self, channel: Channel) -> None:
        self.state.add_channel(channel)

    def channel(self, channel_id: str) -> Channel:
        return self.state.channel(channel_id)

    def dm_channel_of(self, user: str) -> str:
        return self.state.dm_channel_of(user)

    def new_response_url(self, channel: str, user: str, message_ts: str | None = None) -> str:
        return self.web_api.new_response_url(channel, user, message_ts)

    def share_file(self, name: str, content: bytes) -> dict[str, Any]:
        return self.web_api.share_file(name, content)

    # -- several workspaces ----------------------------------------------------------------------
    def workspace_of(self, token: str | None) -> str | None:
        """The workspace a bot token belongs to; None for an unknown or revoked token."""
        return self.bot_tokens.workspace_of(token)

    def add_token(self, token: str, team_id: str) -> None:
        self.bot_tokens.add(token, team_id)

    def authorize(self, team_id: str, team_name: str, *, installer: str, scopes: list[str] | tuple[str, ...]) -> str:
        """Someone approves the install on Slack's page: the code Slack hands to the app's redirect URL."""
        return self.bot_tokens.authorize(team_id, team_name, installer=installer, scopes=scopes)

    def revoke(self, team_id: str) -> None:
        """The app is uninstalled from a workspace: its tokens stop working."""
        self.bot_tokens.revoke(team_id)

    def exchange(self, args: dict[str, Any], basic_auth: tuple[str, str] | None) -> dict[str, Any]:
        """oauth.v2.access: the app's client id and secret and a code, used once, for a new bot token."""
        answer = self.bot_tokens.exchange(args, basic_auth)
        if answer["ok"]:
            with self.state.lock:
                self.calls.append(("oauth.v2.access", {"code": args.get("code")}))
        return answer

    # -- what was seen ---------------------------------------------------------------------------
    def since(self, seq: int) -> list[Record]:
        return self.state.since(seq)

    @property
    def last_seq(self) -> int:
        return self.state.last_seq

    def channel_messages(self, channel: str) -> list[Record]:
        return self.state.channel_messages(channel)

    def count_calls(self, method: str) -> int:
        return self.state.count_calls(method)

    def wait_for(self, seen: Callable[[list[Record]], bool], timeout: float = 10.0) -> bool:
        """Block until ``seen(records)`` holds (a listener still working after its ack), or give up."""
        return self.state.wait_for(seen, timeout)

    # -- answering requests ----------------------------------------------------------------------
    def call(self, method: str, args: dict[str, Any], workspace: str | None = None, by: str = "") -> dict[str, Any]:
        """Carry out a Web API method for a workspace (by default the start token's), made by ``by`` (the bot user
        when its token calls; a test's own call is someone else's, e.g. a channel a person created)."""
        if method in CANVAS_METHODS:
            return self.canvases.call(method, args)
        return self.web_api.call(method, args, workspace or self.team_id, by)

    # Tests post and create straight into Slack, past the HTTP side and the token check.
    def _api_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.web_api.api_chat_postMessage(args)

    def _api_conversations_create(self, args: dict[str, Any]) -> dict[str, Any]:
        return self.web_api.api_conversations_create(args)

    def answer(self, method: str, args: dict[str, Any], authorization: str) -> Answer | None:
        """One Web API request as Slack meets it: a fault first if one is due, then the token, then the call.
        None: the connection closes with no answer."""
        self.attempts.append(method)
        if self.faults.latency_seconds:
            time.sleep(self.faults.latency_seconds)
        fault = self.fault_injector.fault_for(method, args)
        if fault == "drop":
            return None
        if fault == "lose":  # Slack did it; the answer never arrives
            token = bearer_token(authorization) or args.get("token")
            if self.workspace_of(token) is not None:
                self.call(method, args, self.workspace_of(token), BOT_USER_ID)
            return None
        if isinstance(fault, tuple):
            return fault
        if method == "oauth.v2.access":
            return 200, self.exchange(args, basic_credentials(authorization)), {}
        token = bearer_token(authorization) or args.get("token")
        workspace = self.workspace_of(token)
        if workspace is None:
            error = "token_revoked" if token in self.revoked else "invalid_auth"
            return 200, {"ok": False, "error": error}, {}
        headers = {"x-oauth-scopes": ",".join(self.granted_scopes)} if self.granted_scopes is not None else {}
        return 200, self.call(method, args, workspace, BOT_USER_ID), headers

    def download(self, file_id: str, authorization: str) -> Answer:
        """A file's bytes, only for a valid bot token (as Slack's file host)."""
        if self.workspace_of(bearer_token(authorization)) is None:
            return 403, {"ok": False, "error": "not_authed"}, {}
        found = self.files.get(file_id)
        return (200, found[1], {}) if found else (404, {"ok": False, "error": "file_not_found"}, {})

    def upload(self, file_id: str, content: bytes) -> None:
        name, _ = self.files.get(file_id, ("file", b""))
        self.files[file_id] = (name, content)

    def respond(self, key: str, payload: dict[str, Any]) -> bool:
        return self.web_api.respond(key, payload)
