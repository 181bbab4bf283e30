"""What the pretend Slack holds: the workspace's people and channels, every message as it stands now,
the modals and files, and a ``Record`` of each thing that appeared on somebody's screen, in order.

The Web API (``web_api.py``) and the console write it; the renderer and the tests read it. One lock
guards all of it, because the HTTP server answers calls on several threads at once.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

BOT_USER_ID = "U0OPSBOT"
BOT_ID = "B0OPSBOT"


@dataclass
class User:
    id: str
    name: str
    tz: str = "UTC"
    locale: str = "en-US"
    is_bot: bool = False
    email: str | None = None  # users.lookupByEmail finds a person by it


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_im: bool = False
    user: str | None = None  # the person in a DM
    members: set[str] = field(default_factory=set)
    bot_in: bool = True  # is the bot a member? Not: chat.postMessage there is refused with not_in_channel
    creator: str = ""  # who created it (conversations.create's caller); "" for someone outside the test's view


@dataclass
class Record:
    """One thing that appeared (or changed) on somebody's screen."""

    seq: int
    # message | update | ephemeral | view_open | view_update | view_push | home | file | pin | channel | invite
    kind: str
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


class SlackState:
    def __init__(self) -> None:
        self.users: dict[str, User] = {BOT_USER_ID: User(BOT_USER_ID, "Opsbot", is_bot=True)}
        self.channels: dict[str, Channel] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.records: list[Record] = []
        self.messages: dict[tuple[str, str], Record] = {}  # (channel, ts) -> latest state
        self.views: dict[str, Record] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.response_urls: dict[str, tuple[str, str, str | None]] = {}  # id -> (channel, user, message ts)
        self.calls: list[tuple[str, dict[str, Any]]] = []  # calls answered normally
        self.workspace_calls: list[tuple[str, str]] = []  # (workspace, method) of each of those calls
        self.attempts: list[str] = []  # every Web API request, including those answered with a fault
        self.lock = threading.RLock()
        self._changed = threading.Condition(self.lock)
        self._seq = itertools.count(1)
        self._ts = itertools.count(1)
        # One counter for every kind of id (files, views, channels, response URLs), so each is unique.
        self._ids = itertools.count(1)

    # -- the workspace ---------------------------------------------------------------------------
    def add_user(self, user: User) -> None:
        self.users[user.id] = user

    def add_channel(self, channel: Channel) -> None:
        self.channels[channel.id] = channel

    def channel(self, channel_id: str) -> Channel:
        with self.lock:
            if channel_id not in self.channels:
                self.channels[channel_id] = Channel(channel_id, channel_id.lower())
            return self.channels[channel_id]

    def dm_channel_of(self, user: str) -> str:
        with self.lock:
            for channel in self.channels.values():
                if channel.is_im and channel.user == user:
                    return channel.id
            channel_id = f"D{user[1:]}"
            self.channels[channel_id] = Channel(channel_id, f"dm-{user}", is_im=True, user=user)
            return channel_id

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):06d}"

    def new_ts(self) -> str:
        # Like Slack's: the time of posting, unique within the workspace (history is read "since" a time).
        return f"{int(time.time()) + next(self._ts)}.000100"

    # -- what was seen ---------------------------------------------------------------------------
    def record(self, **fields: Any) -> Record:
        """Note something that appeared on a screen, and wake whoever waits for it."""
        with self._changed:
            record = Record(seq=next(self._seq), **fields)
            self.records.append(record)
            self._changed.notify_all()
        return record

    def wait_for(self, seen: Callable[[list[Record]], bool], timeout: float = 10.0) -> bool:
        """Block until ``seen(records)`` holds (a listener still working after its ack), or give up."""
        with self._changed:
            return self._changed.wait_for(lambda: seen(self.records), timeout)

    def since(self, seq: int) -> list[Record]:
        with self.lock:
            return [r for r in self.records if r.seq > seq]

    @property
    def last_seq(self) -> int:
        with self.lock:
            return self.records[-1].seq if self.records else 0

    def channel_messages(self, channel: str) -> list[Record]:
        with self.lock:
            return [m for (c, _), m in self.messages.items() if c == channel]

    def count_calls(self, method: str) -> int:
        with self.lock:
            return sum(1 for m, _ in self.calls if m == method)
