"""The real Opsbot, set up for the console and torn down again: its settings, services and Bolt app,
built by the same functions production uses, with the WebClient pointed at a fresh Slack emulator
seeded with the pretend workspace (``workspace.yml`` and the teams in ``team.yml``).

With ``several_workspaces`` the app has no bot token: it is installed into each team's workspace
through Bolt's real OAuth flow (``install``), as a person installs it from Slack's page.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml
from slack_bolt import BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.clock import FrozenClock
from bot.config import load_settings
from bot.console import payloads
from bot.console.emulator import SlackEmulator
from bot.console.errors import ConsoleError
from bot.console.faults import Faults
from bot.console.slack_state import Channel, User
from bot.features import Feature
from bot.ops.team import Role, Team
from bot.slack_requests import bolt_request
from bot.wiring import wire

WORKSPACE_FILE = Path(__file__).parent / "workspace.yml"
CONSOLE_TOKEN = "xoxb-console-0000-not-a-real-token"
CONSOLE_CLIENT_ID = "1000.0000opsbotconsole"


class RealApp:
    def __init__(
        self,
        *,
        playbooks_dir: Path,
        database_url: str,
        start: datetime,
        workspace_file: Path = WORKSPACE_FILE,
        faults: Faults | None = None,
        features: tuple[Feature, ...] | None = None,
        several_workspaces: bool = False,
    ) -> None:
        self.clock = FrozenClock(start)
        self.signing_secret = secrets.token_hex(16)
        client_secret = secrets.token_hex(16)
        # Explicit either way: a client id and secret in the developer's environment never switch modes here.
        credentials: dict[str, str | None] = (
            {"SLACK_CLIENT_ID": CONSOLE_CLIENT_ID, "SLACK_CLIENT_SECRET": client_secret, "SLACK_BOT_TOKEN": None}
            if several_workspaces else {"SLACK_BOT_TOKEN": CONSOLE_TOKEN, "SLACK_CLIENT_ID": None,
                                        "SLACK_CLIENT_SECRET": None}
        )
        settings = load_settings(
            **credentials,
            SLACK_SIGNING_SECRET=self.signing_secret,
            SLACK_API_URL="http://127.0.0.1:1/api/",
            DATABASE_URL=database_url,
            OPSBOT_PLAYBOOKS=playbooks_dir,
            # The emulator takes messages as fast as they come, unless told to pace them like Slack does.
            OPSBOT_PACE_SECONDS=str(faults.pace_per_channel if faults and faults.pace_per_channel else 0),
        )
        self.emulator = SlackEmulator(None if several_workspaces else CONSOLE_TOKEN, faults=faults).start()
        if several_workspaces:
            self.emulator.oauth_client = (CONSOLE_CLIENT_ID, client_secret)
        settings = settings.model_copy(update={"slack_api_url": self.emulator.api_url})
        self.settings = settings
        self.services = wire(
            settings,
            clock=self.clock,
            client=WebClient(token=None if several_workspaces else CONSOLE_TOKEN, base_url=self.emulator.api_url),
            features=features,
        )
        team = self.services.teams.teams[0]
        self.first_team = team
        self.emulator.team_id = team.slack_team_id
        self._seed_workspace(workspace_file)
        self.app, self.registrar = self.services.bolt_app(process_before_response=True)
        if several_workspaces:
            for workspace in dict.fromkeys(t.slack_team_id for t in self.services.teams.teams):
                self.install(workspace)

    def _seed_workspace(self, workspace_file: Path) -> None:
        data = yaml.safe_load(workspace_file.read_text(encoding="utf-8")) or {}
        for user in data.get("users", []):
            self.emulator.add_user(User(user["id"], user["name"], user.get("tz", "UTC"), user.get("locale", "en-US")))
        for channel in data.get("channels", []):
            self.emulator.add_channel(Channel(channel["id"], channel["name"], bool(channel.get("private"))))
        for team in self.services.teams.teams:
            for member in team.members:
                if member.user not in self.emulator.users:
                    self.emulator.add_user(User(member.user, member.name, member.timezone or team.timezone))
            for key, channel_id in team.channels.items():
                if channel_id not in self.emulator.channels:
                    self.emulator.add_channel(Channel(channel_id, key.value))

    def close(self) -> None:
        self.emulator.stop()
        self.services.db.dispose()

    def team_of(self, user: str | None) -> Team:
        """A person's team (their workspace is where their lines come from); the first team for nobody."""
        return (self.services.teams.for_user(user) if user else None) or self.first_team

    def install(self, workspace: str, installer: str | None = None) -> str:
        """Install the app into a workspace the way a person does: the install page, Slack's approval, the
        redirect back with code and state. Returns the page the installer ends on."""
        flow = self.app.oauth_flow
        if flow is None:
            raise ConsoleError("this console runs with one bot token; start it with several_workspaces=True")
        page = flow.handle_installation(BoltRequest(body="", query={}, headers={}))
        cookie = str(page.headers["set-cookie"][0]).split(";")[0]
        found = re.search(r'<a href="([^"]+)"', str(page.body))
        if found is None:
            raise ConsoleError("the install page has no Add to Slack link")
        authorize_url = html.unescape(found.group(1))
        query = parse_qs(urlparse(authorize_url).query)
        team = next(t for t in self.services.teams.teams if t.slack_team_id == workspace)
        managers = team.people_with(Role.manager)
        code = self.emulator.authorize(
            workspace, team.name, installer=installer or (managers[0].user if managers else team.members[0].user),
            scopes=query["scope"][0].split(","),
        )
        back = flow.handle_callback(BoltRequest(
            body="", query={"code": code, "state": query["state"][0]}, headers={"cookie": cookie},
        ))
        if back.status != 200:
            raise ConsoleError(f"installing into {workspace} failed: HTTP {back.status}")
        return str(back.body)

    def dispatch(self, body: str, content_type: str = "application/x-www-form-urlencoded") -> BoltResponse:
        """Hand the app a request signed as Slack signs it, then send what it committed."""
        headers: dict[str, str | Sequence[str]] = {**payloads.sign(self.signing_secret, body)}
        headers["content-type"] = content_type
        response = self.app.dispatch(bolt_request(body, headers))
        self.services.delivery.outbox.drain()  # what the request committed, sent (waiting out any Retry-After)
        return response
