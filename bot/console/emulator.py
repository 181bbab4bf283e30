"""A local Slack Web API: the real WebClient talks to it over HTTP on 127.0.0.1 and it records
what a person would see (messages, edits, ephemerals, DMs, modals, files).

It implements the methods Opsbot calls, checks the bearer token like Slack does, and can be told
to misbehave as Slack does under load: 429 with Retry-After, 5xx, dropped connections, and
per-channel pacing of chat.postMessage.

Several workspaces: each bot token belongs to one workspace and every record notes the workspace
whose token made it. ``authorize`` plays the person approving an install on Slack's page and gives
the code that ``oauth.v2.access`` exchanges, once, for a new bot token; ``revoke`` ends a workspace's
tokens as an uninstall does.
"""

from __future__ import annotations

import base64
import itertools
import json
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BOT_USER_ID = "U0OPSBOT"
BOT_ID = "B0OPSBOT"


@dataclass
class Faults:
    """What fraction of Web API calls fail, and how. Seeded, so a run is repeatable."""

    rate_limited: float = 0.0  # answered 429 with Retry-After
    server_error: float = 0.0  # answered 500
    dropped: float = 0.0  # connection closed with no answer, the call not made
    lost_answers: float = 0.0  # the call made, then the connection closed before the answer: did it happen?
    lost_methods: frozenset[str] = frozenset()  # these methods always lose their answers (made, never answered)
    retry_after_seconds: int = 1
    pace_per_channel: float | None = None  # seconds between chat.postMessage calls to one channel
    latency_seconds: float = 0.0  # how long each call takes to answer (a process can be killed meanwhile)
    seed: int = 7


@dataclass
class User:
    id: str
    name: str
    tz: str = "UTC"
    locale: str = "en-US"
    is_bot: bool = False


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    user: str | None = None  # the person in a DM
    members: set[str] = field(default_factory=set)


@dataclass
class Record:
    """One thing that appeared (or changed) on somebody's screen."""

    seq: int
    kind: str  # message | update | ephemeral | view_open | view_update | view_push | home | file | pin | channel
    channel: str | None = None
    user: str | None = None  # ephemeral/modal/home: who sees it
    ts: str | None = None
    thread_ts: str | None = None
    text: str = ""
    blocks: list[dict[str, Any]] = field(default_factory=list)
    view: dict[str, Any] | None = None
    view_id: str | None = None
    file_name: str | None = None
    file_id: str | None = None
    edited: bool = False
    workspace: str | None = None  # the workspace whose bot token made the call (None: not a Web API call)
    metadata: dict[str, Any] | None = None  # a message's metadata (the outbox's key rides here)


@dataclass(frozen=True)
class Grant:
    """An install someone approved on Slack's page, waiting for the app to exchange its code."""

    team_id: str
    team_name: str
    installer: str
    scopes: tuple[str, ...]


class SlackEmulator:
    def __init__(self, token: str | None, team_id: str = "T0DEMO", faults: Faults | None = None) -> None:
        self.token = token
        self.team_id = team_id
        # Bot token -> its workspace; None is ``team_id``, whatever it is set to later.
        self.tokens: dict[str, str | None] = {token: None} if token else {}
        self.revoked: set[str] = set()
        self.oauth_client: tuple[str, str] | None = None  # the app's client id and secret
        self._grants: dict[str, Grant] = {}
        self._caller: str | None = None  # the workspace of the call being answered
        self.faults = faults or Faults()
        self.users: dict[str, User] = {BOT_USER_ID: User(BOT_USER_ID, "Opsbot", is_bot=True)}
        self.channels: dict[str, Channel] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.records: list[Record] = []
        self.messages: dict[tuple[str, str], Record] = {}  # (channel, ts) -> latest state
        self.views: dict[str, Record] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.calls: list[tuple[str, dict[str, Any]]] = []  # calls answered normally
        self.workspace_calls: list[tuple[str, str]] = []  # (workspace, method) of each of those calls
        self.attempts: list[str] = []  # every Web API request, including those answered with a fault
        self.response_urls: dict[str, tuple[str, str, str | None]] = {}  # id -> (channel, user, message ts)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._seq = itertools.count(1)
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._random = random.Random(self.faults.seed)
        self._last_post: dict[str, float] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="slack-emulator", daemon=True)

    # -- lifecycle -------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def start(self) -> SlackEmulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- workspace -------------------------------------------------------------------------------
    def add_user(self, user: User) -> None:
        self.users[user.id] = user

    def add_channel(self, channel: Channel) -> None:
        self.channels[channel.id] = channel

    def channel(self, channel_id: str) -> Channel:
        with self._lock:
            if channel_id not in self.channels:
                self.channels[channel_id] = Channel(channel_id, channel_id.lower())
            return self.channels[channel_id]

    def dm_channel_of(self, user: str) -> str:
        with self._lock:
            for channel in self.channels.values():
                if channel.is_im and channel.user == user:
                    return channel.id
            channel_id = f"D{user[1:]}"
            self.channels[channel_id] = Channel(channel_id, f"dm-{user}", is_im=True, user=user)
            return channel_id

    def new_response_url(self, channel: str, user: str, message_ts: str | None = None) -> str:
        key = f"R{next(self._ids):06d}"
        self.response_urls[key] = (channel, user, message_ts)
        return f"{self.url}/response/{key}"

    def share_file(self, name: str, content: bytes) -> dict[str, Any]:
        file_id = f"F{next(self._ids):06d}"
        self.files[file_id] = (name, content)
        return {
            "id": file_id,
            "name": name,
            "title": name,
            "size": len(content),
            "url_private": f"{self.url}/files/{file_id}/{name}",
            "url_private_download": f"{self.url}/files/{file_id}/{name}",
            "filetype": name.rsplit(".", 1)[-1].lower() if "." in name else "text",
        }

    # -- several workspaces ----------------------------------------------------------------------
    def workspace_of(self, token: str | None) -> str | None:
        """The workspace a bot token belongs to; None for an unknown or revoked token."""
        if not token or token not in self.tokens:
            return None
        return self.tokens[token] or self.team_id

    def add_token(self, token: str, team_id: str) -> None:
        self.tokens[token] = team_id

    def authorize(self, team_id: str, team_name: str, *, installer: str, scopes: list[str] | tuple[str, ...]) -> str:
        """Someone approves the install on Slack's page: the code Slack hands to the app's redirect URL."""
        code = f"{team_id}.{secrets.token_hex(8)}"
        with self._lock:
            self._grants[code] = Grant(team_id, team_name, installer, tuple(scopes))
        return code

    def revoke(self, team_id: str) -> None:
        """The app is uninstalled from a workspace: its tokens stop working."""
        with self._lock:
            for token in [t for t in self.tokens if self.workspace_of(t) == team_id]:
                del self.tokens[token]
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
            self.tokens[token] = grant.team_id
            self.calls.append(("oauth.v2.access", {"code": args.get("code")}))
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

    # -- what was seen ---------------------------------------------------------------------------
    def since(self, seq: int) -> list[Record]:
        with self._lock:
            return [r for r in self.records if r.seq > seq]

    @property
    def last_seq(self) -> int:
        with self._lock:
            return self.records[-1].seq if self.records else 0

    def channel_messages(self, channel: str) -> list[Record]:
        with self._lock:
            return [m for (c, _), m in self.messages.items() if c == channel]

    def count_calls(self, method: str) -> int:
        with self._lock:
            return sum(1 for m, _ in self.calls if m == method)

    # -- the Web API -----------------------------------------------------------------------------
    def _record(self, **kwargs: Any) -> Record:
        with self._changed:
            kwargs.setdefault("workspace", self._caller)
            record = Record(seq=next(self._seq), **kwargs)
            self.records.append(record)
            self._changed.notify_all()
        return record

    def wait_for(self, seen: Callable[[list[Record]], bool], timeout: float = 10.0) -> bool:
        """Block until ``seen(records)`` holds (a listener still working after its ack), or give up."""
        with self._changed:
            return self._changed.wait_for(lambda: seen(self.records), timeout)

    def _new_ts(self) -> str:
        # Like Slack's: the time of posting, unique within the workspace (history is read "since" a time).
        return f"{int(time.time()) + next(self._ts)}.000100"

    def _fault(self, method: str, args: dict[str, Any]) -> tuple[int, dict[str, Any], dict[str, str]] | str | None:
        faults = self.faults
        if method == "chat.postMessage" and faults.pace_per_channel:
            channel = str(args.get("channel"))
            now = time.monotonic()
            last = self._last_post.get(channel)
            if last is not None and now - last < faults.pace_per_channel:
                wait = max(1, round(faults.pace_per_channel - (now - last)))
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)}
            self._last_post[channel] = now
        if method in faults.lost_methods:
            return "lose"
        roll = self._random.random()
        if roll < faults.dropped:
            return "drop"
        roll -= faults.dropped
        if roll < faults.lost_answers:
            return "lose"
        roll -= faults.lost_answers
        if roll < faults.rate_limited:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(faults.retry_after_seconds)}
        roll -= faults.rate_limited
        if roll < faults.server_error:
            return 500, {"ok": False, "error": "internal_error"}, {}
        return None

    def call(self, method: str, args: dict[str, Any], workspace: str | None = None) -> dict[str, Any]:
        with self._lock:
            self.calls.append((method, args))
            self.workspace_calls.append((workspace or self.team_id, method))
            handler = getattr(self, "_api_" + method.replace(".", "_"), None)
            if handler is None:
                return {"ok": False, "error": "unknown_method"}
            self._caller = workspace or self.team_id
            try:
                result: dict[str, Any] = handler(args)
            finally:
                self._caller = None
            return result

    def _api_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://opsbot-demo.slack.com/",
            "team": "Opsbot Demo",
            "user": "opsbot",
            "team_id": self._caller or self.team_id,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
        }

    def _message_args(self, args: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        blocks = args.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        return str(args.get("text") or ""), list(blocks)

    def _api_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel_id = str(args.get("channel") or "")
        if channel_id.startswith(("U", "W")):
            channel_id = self.dm_channel_of(channel_id)
        if not channel_id:
            return {"ok": False, "error": "channel_not_found"}
        text, blocks = self._message_args(args)
        if not text and not blocks:
            return {"ok": False, "error": "no_text"}
        if len(blocks) > 50:
            return {"ok": False, "error": "invalid_blocks"}
        self.channel(channel_id)
        ts = self._new_ts()
        thread_ts = args.get("thread_ts") or None
        metadata = args.get("metadata")
        metadata = json.loads(metadata) if isinstance(metadata, str) else metadata
        record = self._record(kind="message", channel=channel_id, ts=ts, thread_ts=thread_ts, text=text, blocks=blocks,
                              metadata=metadata or None)
        self.messages[(channel_id, ts)] = record
        return {
            "ok": True,
            "channel": channel_id,
            "ts": ts,
            "message": {"text": text, "blocks": blocks, "ts": ts, "user": BOT_USER_ID},
        }

    def _api_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel_id, ts = str(args.get("channel")), str(args.get("ts"))
        current = self.messages.get((channel_id, ts))
        if current is None:
            return {"ok": False, "error": "message_not_found"}
        text, blocks = self._message_args(args)
        if len(blocks) > 50:
            return {"ok": False, "error": "invalid_blocks"}
        record = self._record(
            kind="update",
            channel=channel_id,
            ts=ts,
            thread_ts=current.thread_ts,
            text=text or current.text,
            blocks=blocks,
            edited=True,
        )
        self.messages[(channel_id, ts)] = record
        return {"ok": True, "channel": channel_id, "ts": ts}

    def _api_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        text, blocks = self._message_args(args)
        self._record(
            kind="ephemeral",
            channel=str(args.get("channel")),
            user=str(args.get("user")),
            thread_ts=args.get("thread_ts"),
            text=text,
            blocks=blocks,
        )
        return {"ok": True, "message_ts": self._new_ts()}

    def _api_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel"), str(args.get("message_ts"))
        return {"ok": True, "permalink": f"https://opsbot-demo.slack.com/archives/{channel}/p{ts.replace('.', '')}"}

    def _api_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        user = str(args.get("users", "")).split(",")[0]
        return {"ok": True, "channel": {"id": self.dm_channel_of(user)}}

    def _api_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages since ``oldest``, newest first; metadata only with include_all_metadata."""
        return self._history(args, lambda m: m.thread_ts is None or m.thread_ts == m.ts)

    def _api_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        thread = str(args.get("ts"))
        return self._history(args, lambda m: m.ts == thread or m.thread_ts == thread)

    def _history(self, args: dict[str, Any], chosen: Callable[[Record], bool]) -> dict[str, Any]:
        channel = self.channel(str(args.get("channel"))).id
        oldest = float(args.get("oldest") or 0)
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        found = sorted(
            (m for (c, ts), m in self.messages.items() if c == channel and float(ts) >= oldest and chosen(m)),
            key=lambda m: float(m.ts or 0), reverse=True,
        )
        messages = [{"type": "message", "ts": m.ts, "text": m.text, "thread_ts": m.thread_ts, "user": BOT_USER_ID,
                     **({"metadata": m.metadata} if with_metadata and m.metadata else {})} for m in found]
        return {"ok": True, "messages": messages, "has_more": False, "response_metadata": {"next_cursor": ""}}

    def _api_files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = str(args.get("file"))
        if file_id not in self.files:
            return {"ok": False, "error": "file_not_found"}
        shared = [r.channel for r in self.records if r.kind == "file" and r.file_id == file_id and r.channel]
        return {"ok": True, "file": {"id": file_id, "name": self.files[file_id][0], "channels": shared}}

    def _api_conversations_create(self, args: dict[str, Any]) -> dict[str, Any]:
        name = str(args.get("name"))
        if any(c.name == name for c in self.channels.values()):
            return {"ok": False, "error": "name_taken"}
        channel_id = f"C{next(self._ids):06d}"
        self.channels[channel_id] = Channel(channel_id, name, is_private=bool(args.get("is_private")))
        self._record(kind="channel", channel=channel_id, text=name)
        return {"ok": True, "channel": {"id": channel_id, "name": name}}

    def _api_conversations_invite(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channel(str(args.get("channel")))
        channel.members.update(str(args.get("users", "")).split(","))
        return {"ok": True, "channel": {"id": channel.id}}

    def _api_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self.channel(str(args.get("channel")))
        return {
            "ok": True,
            "channel": {
                "id": channel.id,
                "name": channel.name,
                "is_private": channel.is_private,
                "is_im": channel.is_im,
            },
        }

    def _api_pins_add(self, args: dict[str, Any]) -> dict[str, Any]:
        self._record(kind="pin", channel=str(args.get("channel")), ts=str(args.get("timestamp")))
        return {"ok": True}

    def _api_reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    def _api_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        data: dict[str, Any] = {
            "id": user.id,
            "name": user.name.lower().replace(" ", "."),
            "real_name": user.name,
            "tz": user.tz,
            "is_bot": user.is_bot,
        }
        if str(args.get("include_locale", "")).lower() in ("1", "true"):
            data["locale"] = user.locale
        return {"ok": True, "user": data}

    def _api_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        """Everyone, ``limit`` a page, with a cursor to the next page (as Slack paginates)."""
        people = sorted(self.users.values(), key=lambda u: u.id)
        start, limit = int(args.get("cursor") or 0), int(args.get("limit") or 200)
        page = [self._api_users_info({"user": u.id, "include_locale": args.get("include_locale", "")})["user"]
                for u in people[start:start + limit]]
        following = str(start + limit) if start + limit < len(people) else ""
        return {"ok": True, "members": page, "response_metadata": {"next_cursor": following}}

    def _api_usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "users": self.usergroups.get(str(args.get("usergroup")), [])}

    def _open_view(self, kind: str, args: dict[str, Any], user: str | None) -> dict[str, Any]:
        view = args.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        if len(view.get("blocks", [])) > 100 or len(view.get("title", {}).get("text", "")) > 24:
            return {"ok": False, "error": "invalid_arguments"}
        view_id = str(args.get("view_id") or f"V{next(self._ids):06d}")
        view["id"] = view_id
        record = self._record(
            kind=kind, user=user, view=view, view_id=view_id, text=view.get("title", {}).get("text", "")
        )
        self.views[view_id] = record
        return {"ok": True, "view": view}

    def _api_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._open_view("view_open", args, self._trigger_user(args))

    def _api_views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._open_view("view_push", args, self._trigger_user(args))

    def _api_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        current = self.views.get(str(args.get("view_id")))
        if current is None:
            return {"ok": False, "error": "not_found"}
        return self._open_view("view_update", args, current.user)

    def _api_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        view = json.loads(view) if isinstance(view, str) else dict(view or {})
        self._record(kind="home", user=str(args.get("user_id")), view=view, blocks=view.get("blocks", []))
        return {"ok": True, "view": view}

    def _trigger_user(self, args: dict[str, Any]) -> str | None:
        trigger = str(args.get("trigger_id", ""))
        return trigger.split(".")[1] if trigger.count(".") >= 2 else None

    def _api_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ids):06d}"
        self.files[file_id] = (str(args.get("filename")), b"")
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _api_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files")
        files = json.loads(files) if isinstance(files, str) else files or []
        channel = args.get("channel_id")
        for item in files:
            name, _content = self.files.get(item["id"], (item.get("title", "file"), b""))
            self._record(
                kind="file",
                channel=channel,
                thread_ts=args.get("thread_ts"),
                text=str(args.get("initial_comment") or ""),
                file_name=name,
                file_id=item["id"],
            )
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    def respond(self, key: str, payload: dict[str, Any]) -> bool:
        with self._lock:
            target = self.response_urls.get(key)
            if target is None:
                return False
            channel, user, message_ts = target
            text = str(payload.get("text") or "")
            blocks = list(payload.get("blocks") or [])
            if payload.get("replace_original") and message_ts and (channel, message_ts) in self.messages:
                record = self._record(
                    kind="update", channel=channel, ts=message_ts, text=text, blocks=blocks, edited=True
                )
                self.messages[(channel, message_ts)] = record
            elif payload.get("response_type") == "in_channel":
                self._api_chat_postMessage({"channel": channel, "text": text, "blocks": blocks})
            else:
                self._record(kind="ephemeral", channel=channel, user=user, text=text, blocks=blocks)
            return True


def _handler_for(emulator: SlackEmulator) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return  # the transcript is the log

        def _send(self, status: int, body: dict[str, Any] | bytes, headers: dict[str, str] | None = None) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header(
                "Content-Type", "application/json" if isinstance(body, dict) else "application/octet-stream"
            )
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _bearer(self) -> str | None:
            value = self.headers.get("Authorization", "")
            return value.removeprefix("Bearer ") if value.startswith("Bearer ") else None

        def _basic(self) -> tuple[str, str] | None:
            value = self.headers.get("Authorization", "")
            if not value.startswith("Basic "):
                return None
            client_id, _, secret = base64.b64decode(value.removeprefix("Basic ")).decode().partition(":")
            return client_id, secret

        def _authorized(self) -> bool:
            return emulator.workspace_of(self._bearer()) is not None

        def do_GET(self) -> None:
            if urlparse(self.path).path.startswith("/api/"):  # conversations.history, files.list…
                self._api(urlparse(self.path).path.removeprefix("/api/"), _parse_args("", b"", self.path))
                return
            parts = urlparse(self.path).path.strip("/").split("/")
            if len(parts) >= 2 and parts[0] == "files":
                if not self._authorized():
                    self._send(403, {"ok": False, "error": "not_authed"})
                    return
                found = emulator.files.get(parts[1])
                self._send(200 if found else 404, found[1] if found else {"ok": False, "error": "file_not_found"})
                return
            self._send(404, {"ok": False, "error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            path = urlparse(self.path).path
            if path.startswith("/response/"):
                ok = emulator.respond(path.rsplit("/", 1)[-1], json.loads(raw or b"{}"))
                self._send(200 if ok else 404, b"ok" if ok else b"no_such_response_url")
                return
            if path.startswith("/upload/"):
                file_id = path.rsplit("/", 1)[-1]
                name, _ = emulator.files.get(file_id, ("file", b""))
                emulator.files[file_id] = (name, raw)
                self._send(200, b"OK")
                return
            if not path.startswith("/api/"):
                self._send(404, {"ok": False, "error": "not_found"})
                return
            self._api(path.removeprefix("/api/"), _parse_args(self.headers.get("Content-Type", ""), raw, self.path))

        def _api(self, method: str, args: dict[str, Any]) -> None:
            emulator.attempts.append(method)
            if emulator.faults.latency_seconds:
                time.sleep(emulator.faults.latency_seconds)
            fault = emulator._fault(method, args)
            if fault == "drop":
                self.close_connection = True
                self.connection.close()
                return
            if fault == "lose":  # Slack did it; the answer never arrives
                token = self._bearer() or args.get("token")
                if emulator.workspace_of(token) is not None:
                    emulator.call(method, args, emulator.workspace_of(token))
                self.close_connection = True
                self.connection.close()
                return
            if isinstance(fault, tuple):
                self._send(*fault)
                return
            if method == "oauth.v2.access":
                self._send(200, emulator.exchange(args, self._basic()))
                return
            token = self._bearer() or args.get("token")
            workspace = emulator.workspace_of(token)
            if workspace is None:
                error = "token_revoked" if token in emulator.revoked else "invalid_auth"
                self._send(200, {"ok": False, "error": error})
                return
            self._send(200, emulator.call(method, args, workspace))

    return Handler


def _parse_args(content_type: str, raw: bytes, path: str) -> dict[str, Any]:
    args: dict[str, Any] = {k: v[0] for k, v in parse_qs(urlparse(path).query).items()}
    if "application/json" in content_type:
        args.update(json.loads(raw or b"{}"))
    elif raw:
        args.update({k: v[0] for k, v in parse_qs(raw.decode("utf-8")).items()})
    return args
