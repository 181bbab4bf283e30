"""ConsoleSlack: the real Bolt app, driven the way a person drives Slack, in one process.

A typed ``/restock ...`` becomes a correctly signed slash-command request dispatched to the app;
the app's Web API calls go to the emulator, which records them; ``render`` shows them.

With ``several_workspaces`` the app has no bot token: it is installed into each team's workspace
through the real OAuth flow (``install``), and whoever speaks does so from their team's workspace.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import shlex
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import yaml
from slack_bolt import BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.app import build_app
from bot.clock import FrozenClock
from bot.config import load_settings
from bot.console import payloads
from bot.console.emulator import SlackEmulator
from bot.console.faults import Faults
from bot.console.render import Clickable, Renderer
from bot.console.slack_state import BOT_USER_ID, Channel, Record, User
from bot.features import Feature
from bot.ops.team import ChannelKey, Role, Team
from bot.services import build_services

WORKSPACE_FILE = Path(__file__).parent / "workspace.yml"
CONSOLE_TOKEN = "xoxb-console-0000-not-a-real-token"
CONSOLE_CLIENT_ID = "1000.0000opsbotconsole"


class ConsoleError(Exception):
    """A console line that cannot be carried out; the message says what is accepted."""


@dataclass
class ModalState:
    view_id: str
    filled: dict[str, dict[str, Any]] = field(default_factory=dict)  # block_id -> element state


class ConsoleSlack:
    def __init__(
        self,
        *,
        playbooks_dir: Path,
        database_url: str,
        start: datetime,
        workspace_file: Path = WORKSPACE_FILE,
        faults: Faults | None = None,
        features: tuple[Feature, ...] | None = None,
        as_user: str | None = None,
        in_channel: str | None = None,
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
        self.services = build_services(
            settings,
            clock=self.clock,
            client=WebClient(token=None if several_workspaces else CONSOLE_TOKEN, base_url=self.emulator.api_url),
            features=features,
        )
        team = self.services.teams.teams[0]
        self._first_team = team
        self.emulator.team_id = team.slack_team_id
        self._seed_workspace(workspace_file)
        self.app, self.registrar = build_app(settings, self.services, process_before_response=True)
        if several_workspaces:
            for workspace in dict.fromkeys(t.slack_team_id for t in self.services.teams.teams):
                self.install(workspace)
        managers = team.people_with(Role.manager)
        self.user = as_user or (managers[0].user if managers else team.members[0].user)
        self.channel = in_channel or team.channels.get(ChannelKey.ops, "C0OPS")
        self.renderer = Renderer(self.emulator.state)
        self.modals: dict[str, list[ModalState]] = {}
        self._seen = 0
        self._said = 0

    # -- set-up ----------------------------------------------------------------------------------
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

    @property
    def team(self) -> Team:
        """The team of whoever speaks now (their workspace is where their lines come from)."""
        user = getattr(self, "user", None)
        return (self.services.teams.for_user(user) if user else None) or self._first_team

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

    # -- dispatch --------------------------------------------------------------------------------
    def dispatch(self, body: str, content_type: str = "application/x-www-form-urlencoded") -> BoltResponse:
        headers: dict[str, str | Sequence[str]] = {**payloads.sign(self.signing_secret, body)}
        headers["content-type"] = content_type
        response = self.app.dispatch(BoltRequest(body=body, headers=headers))
        self.services.delivery.outbox.drain()  # what the request committed, sent (waiting out any Retry-After)
        return response

    def _new_output(self) -> str:
        self.services.delivery.outbox.drain()
        records = self.emulator.since(self._seen)
        if records:
            self._seen = records[-1].seq
        self._track_modals(records)
        return self.renderer.render(records)

    def _track_modals(self, records: Iterable[Record]) -> None:
        for record in records:
            if not record.user or not record.view_id:
                continue
            stack = self.modals.setdefault(record.user, [])
            if record.kind == "view_open":
                stack[:] = [ModalState(record.view_id)]
            elif record.kind == "view_push":
                stack.append(ModalState(record.view_id))

    # -- one line of console input ---------------------------------------------------------------
    def send(self, line: str) -> str:
        """Carry out one console line and return what appeared, rendered."""
        line = line.strip()
        if not line or line.startswith("#"):
            return ""
        if line.startswith("/"):
            command, _, text = line.partition(" ")
            return self.command(command, text.strip())
        verb, _, rest = line.partition(" ")
        actions: dict[str, Callable[[str], str]] = {
            "!click": self.click,
            "!fill": self.fill,
            "!submit": lambda _: self.submit(),
            "!close": lambda _: self.close_modal(),
            "!shortcut": self.shortcut,
            "!upload": self.upload,
            "!as": self.switch_user,
            "!in": self.switch_channel,
            "!at": self.at,
            "!say": self.say,
            "!home": lambda _: self.home(),
        }
        if verb not in actions:
            raise ConsoleError(
                f"unknown console line {line!r}: use /command, !click, !fill, !submit, !close, !shortcut, "
                "!upload, !say, !home, !as, !in, !at or # comment"
            )
        return actions[verb](rest.strip())

    def command(self, command: str, text: str) -> str:
        response_url = self.emulator.new_response_url(self.channel, self.user)
        body = payloads.slash_command(
            command, text, user=self.user, channel=self.channel, team=self.team.slack_team_id, response_url=response_url
        )
        response = self.dispatch(body)
        if response.status == 404:
            raise ConsoleError(f"{command} is not a command this app knows")
        self._ack_text(response)
        return self._new_output()

    def _ack_text(self, response: BoltResponse) -> None:
        """Text passed to ack() shows to the person as an ephemeral reply, as in Slack."""
        if response.body and response.status == 200:
            try:
                data = json.loads(response.body)
            except json.JSONDecodeError:
                data = {"text": response.body}
            if isinstance(data, dict) and (data.get("text") or data.get("blocks")):
                self.emulator.state.record(
                    kind="ephemeral",
                    channel=self.channel,
                    user=self.user,
                    text=str(data.get("text", "")),
                    blocks=list(data.get("blocks") or []),
                )

    def _visible(self, record: Record) -> bool:
        if record.kind == "ephemeral":
            return record.user == self.user
        if record.kind in ("view_open", "view_push", "view_update", "home"):
            return record.user == self.user
        channel = self.emulator.channel(record.channel or "")
        return not channel.is_im or channel.user == self.user

    def _find_clickable(self, target: str) -> Clickable:
        renderer = Renderer(self.emulator.state)
        candidates: list[Record] = []
        for state in reversed(self.modals.get(self.user, [])[-1:]):
            view = self.emulator.views.get(state.view_id)
            if view:
                candidates.append(view)
        latest: dict[tuple[str | None, str | None], Record] = {}
        for record in self.emulator.records:
            if record.kind in ("message", "update"):
                latest[(record.channel, record.ts)] = record
        messages = [r for r in latest.values() if self._visible(r)]
        ephemerals = [r for r in self.emulator.records if r.kind == "ephemeral" and self._visible(r)]
        candidates += sorted(messages + ephemerals, key=lambda r: r.seq, reverse=True)
        wanted = target.strip().strip('"').lower()
        if wanted.isdigit():
            number = int(wanted)
            found = [c for c in self.renderer.clickables if c.number == number]
            if found:
                return found[0]
            raise ConsoleError(f"no button number {number} in the last output")
        for record in candidates:
            renderer.render([record])
            for clickable in renderer.clickables:
                if clickable.label.lower() == wanted:
                    return clickable
        raise ConsoleError(f"no button or menu option labelled {target!r} is visible to {self.user}")

    def click(self, target: str) -> str:
        if not target:
            raise ConsoleError("!click needs a button's text (or its number from the last output)")
        clickable = self._find_clickable(target)
        record, element = clickable.record, clickable.element
        action: dict[str, Any] = {
            "type": element.get("type"),
            "action_id": element.get("action_id"),
            "block_id": clickable.block_id,
            "action_ts": f"{self.clock.now().timestamp():.6f}",
        }
        if clickable.option is not None:
            action["selected_option"] = clickable.option
        else:
            action["text"] = element.get("text")
            action["value"] = element.get("value")
        if record.view is not None:
            body = payloads.block_action(
                user=self.user,
                team=self.team.slack_team_id,
                action=action,
                response_url=None,
                container={"type": "view", "view_id": record.view_id},
                view=self._view_with_state(record),
            )
        else:
            channel = record.channel or self.channel
            is_ephemeral = record.kind == "ephemeral"
            message = (
                None
                if is_ephemeral
                else {
                    "type": "message",
                    "ts": record.ts,
                    "text": record.text,
                    "blocks": record.blocks,
                    "user": BOT_USER_ID,
                    **({"thread_ts": record.thread_ts} if record.thread_ts else {}),
                }
            )
            body = payloads.block_action(
                user=self.user,
                team=self.team.slack_team_id,
                action=action,
                channel=channel,
                message=message,
                response_url=self.emulator.new_response_url(channel, self.user, None if is_ephemeral else record.ts),
                container={
                    "type": "message",
                    "message_ts": record.ts,
                    "channel_id": channel,
                    "is_ephemeral": is_ephemeral,
                },
            )
        confirm = element.get("confirm")
        prefix = f"(confirmed “{confirm.get('title', {}).get('text', '')}”)\n" if confirm else ""
        self.dispatch(body)
        return prefix + self._new_output()

    # -- modals ----------------------------------------------------------------------------------
    def _top_modal(self) -> tuple[ModalState, Record]:
        stack = self.modals.get(self.user) or []
        if not stack:
            raise ConsoleError(f"no modal is open for {self.user}; open one with a command or a button first")
        state = stack[-1]
        return state, self.emulator.views[state.view_id]

    def fill(self, assignments: str) -> str:
        state, record = self._top_modal()
        assert record.view is not None
        inputs = {b.get("block_id"): b for b in record.view.get("blocks", []) if b.get("type") == "input"}
        try:
            pairs = shlex.split(assignments)
        except ValueError as exc:
            raise ConsoleError(f"!fill could not read {assignments!r}: {exc}") from exc
        for pair in pairs:
            name, sep, value = pair.partition("=")
            if not sep:
                raise ConsoleError(f"!fill takes field=value pairs; {pair!r} has no '='")
            block = _find_input(inputs, name)
            if block is None:
                labels = ", ".join(repr(b.get("label", {}).get("text", k)) for k, b in inputs.items())
                raise ConsoleError(f"the modal has no field {name!r}; its fields are {labels}")
            state.filled[str(block["block_id"])] = _element_state(block["element"], value)
        return ""

    def _view_with_state(self, record: Record) -> dict[str, Any]:
        assert record.view is not None
        stack = self.modals.get(self.user) or []
        filled = next((s.filled for s in stack if s.view_id == record.view_id), {})
        values: dict[str, dict[str, Any]] = {}
        for block in record.view.get("blocks", []):
            if block.get("type") != "input":
                continue
            element = block.get("element", {})
            block_id = str(block.get("block_id"))
            values[block_id] = {str(element.get("action_id")): filled.get(block_id) or _initial_state(element)}
        view = dict(record.view)
        view["state"] = {"values": values}
        view.setdefault("hash", f"h{record.seq}")
        return view

    def submit(self) -> str:
        state, record = self._top_modal()
        body = payloads.view_submission(
            user=self.user, team=self.team.slack_team_id, view=self._view_with_state(record)
        )
        response = self.dispatch(body)
        answer: dict[str, Any] = {}
        if response.body:
            try:
                answer = json.loads(response.body)
            except json.JSONDecodeError:
                answer = {}
        action = answer.get("response_action")
        stack = self.modals[self.user]
        if action == "errors":
            errors = "\n".join(f"  ✗ {k}: {v}" for k, v in answer.get("errors", {}).items())
            return (
                self._new_output()
                + ("\n" if self.emulator.since(self._seen) else "")
                + f"── modal “{record.text}” not submitted:\n{errors}"
            )
        if action == "update":
            update = {"view_id": state.view_id, "view": answer["view"]}
            self.emulator.web_api.open_view("view_update", update, self.user)
        elif action == "push":
            self.emulator.web_api.open_view("view_push", {"view": answer["view"]}, self.user)
        elif action == "clear":
            stack.clear()
        elif stack and stack[-1] is state:
            stack.pop()
        return self._new_output()

    def close_modal(self) -> str:
        stack = self.modals.get(self.user) or []
        if stack:
            stack.pop()
        return "(modal closed)"

    # -- other gestures --------------------------------------------------------------------------
    def say(self, text: str) -> str:
        """Post a message as the current person (something to shortcut on, or a file's comment)."""
        self._said += 1
        ts = f"{1_600_000_000 + self._said}.000200"
        record = self.emulator.state.record(
            kind="message",
            channel=self.channel,
            ts=ts,
            text=text,
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        )
        record.user = self.user
        self.emulator.messages[(self.channel, ts)] = record
        self._seen = max(self._seen, record.seq)  # shown below; not again as the bot's
        return (
            f"── #{self.emulator.channel(self.channel).name} · {self.renderer.name_of(self.user)} (ts {ts})\n  {text}"
        )

    def shortcut(self, rest: str) -> str:
        callback_id, _, ts = rest.partition(" ")
        ts = ts.strip() or self._last_human_ts()
        found = self.emulator.messages.get((self.channel, ts))
        if found is None:
            raise ConsoleError(f"no message with ts {ts} in this channel; !say one first")
        message = {"type": "message", "ts": ts, "text": found.text, "user": found.user or BOT_USER_ID}
        body = payloads.message_shortcut(
            callback_id=callback_id,
            user=self.user,
            team=self.team.slack_team_id,
            channel=self.channel,
            message=message,
            response_url=self.emulator.new_response_url(self.channel, self.user),
        )
        self.dispatch(body)
        return self._new_output()

    def _last_human_ts(self) -> str:
        for record in reversed(self.emulator.records):
            if record.kind == "message" and record.channel == self.channel and record.user not in (None, BOT_USER_ID):
                return str(record.ts)
        raise ConsoleError("!shortcut needs a callback id and a message ts")

    def upload(self, rest: str) -> str:
        """Share a file; ``key=value`` after the path overrides what Slack says about it (tests of forged shares)."""
        path, overrides = _upload_args(rest)
        shared = self.emulator.share_file(path.name, path.read_bytes())
        unknown = set(overrides) - set(shared)
        if unknown:
            raise ConsoleError(f"!upload can override {', '.join(sorted(shared))}, not {', '.join(sorted(unknown))}")
        shared.update({k: int(v) if k == "size" and v.isdigit() else v for k, v in overrides.items()})
        self._said += 1
        ts = f"{1_600_000_000 + self._said}.000300"
        channel = self.emulator.channel(self.channel)
        event = {
            "type": "message",
            "subtype": "file_share",
            "user": self.user,
            "text": "",
            "ts": ts,
            "channel": self.channel,
            "channel_type": "im" if channel.is_im else "channel",
            "files": [shared],
        }
        self.dispatch(
            payloads.event(team=self.team.slack_team_id, event_body=event, bot_user=BOT_USER_ID), "application/json"
        )
        return f"── #{channel.name} · {self.renderer.name_of(self.user)} shared {path.name}\n" + self._new_output()

    def home(self) -> str:
        event = {
            "type": "app_home_opened",
            "user": self.user,
            "channel": self.emulator.dm_channel_of(self.user),
            "tab": "home",
            "event_ts": f"{self.clock.now().timestamp():.6f}",
        }
        self.dispatch(
            payloads.event(team=self.team.slack_team_id, event_body=event, bot_user=BOT_USER_ID), "application/json"
        )
        return self._new_output()

    def switch_user(self, user: str) -> str:
        if not user or user not in self.emulator.users:
            raise ConsoleError(
                f"!as needs a user id from the workspace, e.g. {', '.join(list(self.emulator.users)[1:4])}"
            )
        self.user = user
        return f"(you are now {self.renderer.name_of(user)})"

    def switch_channel(self, channel: str) -> str:
        if not channel:
            raise ConsoleError("!in needs a channel id such as C0OPS")
        self.channel = self.emulator.dm_channel_of(channel) if channel.startswith("U") else channel
        return f"(you are now in {self.renderer.channel_label(self.channel)})"

    def at(self, when: str) -> str:
        """Move the clock forward to ``YYYY-MM-DD HH:MM [Area/City]`` and run every job that fell due."""
        parts = when.split()
        try:
            zone = ZoneInfo(parts[2]) if len(parts) > 2 else self.team.zone
            target = datetime.strptime(" ".join(parts[:2]), "%Y-%m-%d %H:%M").replace(tzinfo=zone)
        except (ValueError, KeyError) as exc:
            raise ConsoleError(
                "!at takes YYYY-MM-DD HH:MM and optionally a time zone, e.g. !at 2026-11-23 09:00"
            ) from exc
        if target < self.clock.now():
            raise ConsoleError("the clock only moves forward")
        self.services.scheduler.advance_to(self.clock, target)
        local = target.strftime("%a %Y-%m-%d %H:%M %Z")
        output = self._new_output()
        return f"⏰ {local}" + ("\n" + output if output else "")

    def run_script(self, lines: Iterable[str], echo: bool = True) -> str:
        out: list[str] = []
        for line in lines:
            if echo and line.strip():
                out.append(("» " if not line.startswith("#") else "") + line.rstrip())
            result = self.send(line)
            if result:
                out.append(result)
        return "\n".join(out)


def _upload_args(rest: str) -> tuple[Path, dict[str, str]]:
    whole = Path(rest).expanduser()
    if whole.is_file():  # a path with spaces in it, and nothing else
        return whole, {}
    try:
        words = shlex.split(rest)
    except ValueError as exc:
        raise ConsoleError(f"!upload could not read {rest!r}: {exc}") from exc
    path = Path(words[0]).expanduser() if words else Path()
    if not words or not path.is_file():
        raise ConsoleError(f"!upload: no file at {path}")
    pairs = [word.partition("=") for word in words[1:]]
    if any(not sep for _, sep, _ in pairs):
        raise ConsoleError("!upload takes a path, then optional key=value pairs such as size=1000")
    return path, {key: value for key, _, value in pairs}


def _find_input(inputs: dict[Any, dict[str, Any]], name: str) -> dict[str, Any] | None:
    wanted = name.strip().lower()
    for block_id, block in inputs.items():
        label = str(block.get("label", {}).get("text", "")).lower()
        if wanted in (str(block_id).lower(), str(block.get("element", {}).get("action_id", "")).lower(), label):
            return block
    return None


def _element_state(element: dict[str, Any], value: str) -> dict[str, Any]:
    kind = element.get("type")
    options = list(element.get("options", [])) + [o for g in element.get("option_groups", []) for o in g["options"]]

    def option(text: str) -> dict[str, Any]:
        for candidate in options:
            if text.lower() in (str(candidate["value"]).lower(), str(candidate["text"]["text"]).lower()):
                return dict(candidate)
        if kind in ("external_select", "multi_external_select"):
            return {"text": {"type": "plain_text", "text": text}, "value": text}
        choices = ", ".join(str(o["text"]["text"]) for o in options)
        raise ConsoleError(f"{text!r} is not one of the choices: {choices}")

    if kind in ("static_select", "external_select", "radio_buttons"):
        return {"type": kind, "selected_option": option(value)}
    if kind in ("multi_static_select", "multi_external_select"):
        return {"type": kind, "selected_options": [option(v.strip()) for v in value.split(",") if v.strip()]}
    if kind == "checkboxes":
        if value.lower() in ("yes", "true", "on") and len(options) == 1:
            return {"type": kind, "selected_options": options}
        chosen = [] if value.lower() in ("no", "false", "off", "") else [option(v.strip()) for v in value.split(",")]
        return {"type": kind, "selected_options": chosen}
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": [v.strip() for v in value.split(",") if v.strip()]}
    if kind in ("conversations_select", "channels_select"):
        return {"type": kind, "selected_conversation": value, "selected_channel": value}
    return {"type": kind or "plain_text_input", "value": value}


def _initial_state(element: dict[str, Any]) -> dict[str, Any]:
    kind = element.get("type")
    if kind in ("static_select", "external_select", "radio_buttons"):
        return {"type": kind, "selected_option": element.get("initial_option")}
    if kind in ("multi_static_select", "multi_external_select", "checkboxes"):
        return {"type": kind, "selected_options": element.get("initial_options", [])}
    if kind == "datepicker":
        return {"type": kind, "selected_date": element.get("initial_date")}
    if kind == "users_select":
        return {"type": kind, "selected_user": element.get("initial_user")}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": element.get("initial_users", [])}
    return {"type": kind or "plain_text_input", "value": element.get("initial_value")}
