"""The one way out to Slack. Every post, update, ephemeral, DM, upload and view goes through here.

Features never call ``client.chat_*`` themselves. Messages — posts, DMs, edits, files, pins — go through
the outbox (``bot/outbox/``): written into the transaction open when they are asked for, so the change
and its announcement commit together, then sent once, at Slack's pace, whatever Slack or the process does
meanwhile. A message's ts is not known when it is written: a feature that keeps it names a receipt (a
:class:`bot.outbox.ReceiptHook` that the feature declares), and a message that follows another (a reply in
its thread, its edit, its pin) names the :class:`Outgoing` it follows.

Answers tied to the moment go straight to Slack: a modal (its trigger expires in 3 seconds), a reply
through a response_url or an ephemeral message (seen only by someone looking now), the App Home.

Each call goes to the workspace being served, with its bot token (see ``bot/workspaces.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.db import Database
from bot.errors import ChannelNameTaken
from bot.outbox import Outbox, Outgoing, Posted, Receipt, ReceiptHook, Target
from bot.workspaces import Workspaces, retry_handlers

log = logging.getLogger(__name__)
Blocks = Sequence[dict[str, Any]]

__all__ = ["Blocks", "Delivery", "Outgoing", "Posted", "Receipt", "Target"]


class Delivery:
    def __init__(
        self, client: WebClient, db: Database, *, workspaces: Workspaces | None = None, pace_seconds: float = 1.0,
        now: Callable[[], datetime] | None = None, receipts: Iterable[ReceiptHook] = (),
    ) -> None:
        client.retry_handlers.extend(retry_handlers())
        self.workspaces = workspaces or Workspaces(client)
        self.outbox = Outbox(db, self.workspaces, pace_seconds=pace_seconds, now=now, receipts=receipts)

    @property
    def client(self) -> WebClient:
        """The client of the workspace being served."""
        return self.workspaces.client()

    def _to(self, channel: str) -> WebClient:
        return self.workspaces.client(channel=channel)

    # -- messages, through the outbox ---------------------------------------------------------------
    def post(
        self, channel: str, text: str, blocks: Blocks | None = None, *, thread_ts: Target | None = None,
        receipt: Receipt | None = None,
    ) -> Outgoing:
        """A message in a channel (a user id: their DM), in a thread when ``thread_ts`` is given."""
        payload = {"text": text, "blocks": _blocks(blocks), **_ts("thread_ts", thread_ts)}
        return self.outbox.add(channel, "post", payload, after=_after(thread_ts), receipt=receipt)

    def dm(self, user: str, text: str, blocks: Blocks | None = None, *, receipt: Receipt | None = None) -> Outgoing:
        return self.post(user, text, blocks, receipt=receipt)

    def update(self, channel: str, ts: Target, text: str, blocks: Blocks | None = None) -> Outgoing:
        return self.outbox.add(channel, "update", {"text": text, "blocks": _blocks(blocks) or [], **_ts("ts", ts)},
                               after=_after(ts))

    def upload(
        self, channel: str, filename: str, content: bytes, *, title: str | None = None,
        comment: str | None = None, thread_ts: Target | None = None,
    ) -> Outgoing:
        """A file in a channel (a user id: their DM)."""
        payload = {"filename": filename, "title": title or filename, "comment": comment, **_ts("thread_ts", thread_ts)}
        return self.outbox.add(channel, "upload", payload, content=content, after=_after(thread_ts))

    def waiting(self, receipt: Receipt) -> Outgoing | None:
        """A card posted with ``receipt`` that is still waiting in the outbox (its ts not known yet): a reply
        in its thread or its edit names this, and follows it; an edit replaces what will be sent."""
        return self.outbox.waiting(receipt)

    def pin(self, channel: str, ts: Target) -> Outgoing:
        return self.outbox.add(channel, "pin", _ts("ts", ts), after=_after(ts))

    # -- answers tied to the moment, straight to Slack ------------------------------------------------
    def ephemeral(
        self, channel: str, user: str, text: str, blocks: Blocks | None = None, *, thread_ts: str | None = None
    ) -> None:
        self._to(channel).chat_postEphemeral(
            channel=channel, user=user, text=text, blocks=list(blocks) if blocks else None, thread_ts=thread_ts
        )

    def respond(
        self, response_url: str, text: str, blocks: Blocks | None = None, *, replace_original: bool = False
    ) -> None:
        """Reply through a command's or action's response_url: works in DMs the bot is not part of."""
        WebhookClient(response_url).send(
            text=text, blocks=list(blocks) if blocks else None, response_type="ephemeral",
            replace_original=replace_original,
        )

    def open_view(self, trigger_id: str, view: dict[str, Any]) -> str:
        response = self.client.views_open(trigger_id=trigger_id, view=view)
        return str(response["view"]["id"])

    def push_view(self, trigger_id: str, view: dict[str, Any]) -> str:
        response = self.client.views_push(trigger_id=trigger_id, view=view)
        return str(response["view"]["id"])

    def update_view(self, view_id: str, view: dict[str, Any]) -> None:
        self.client.views_update(view_id=view_id, view=view)

    def publish_home(self, user: str, view: dict[str, Any]) -> None:
        self.workspaces.client(user=user).views_publish(user_id=user, view=view)

    def file_info(self, file_id: str) -> dict[str, Any]:
        """A shared file as Slack describes it now: name, type, size and its private download link."""
        return dict(self.client.files_info(file=file_id).get("file") or {})

    def create_channel(self, name: str) -> str:
        """The new channel's id; :class:`ChannelNameTaken` when Slack has one by that name already."""
        try:
            response = self.client.conversations_create(name=name)
        except SlackApiError as exc:
            if exc.response.get("error") == "name_taken":
                raise ChannelNameTaken(name) from None
            raise
        return str(response["channel"]["id"])

    def own_channel(self, name: str) -> str | None:
        """The id of the unarchived channel called ``name`` if Opsbot's bot user created it, else None: Slack
        refusing a name as taken may be refusing a channel Opsbot itself just made (the answer to the
        conversations.create that made it was lost and the client asked again, or the process that asked died
        before keeping it), which is found and used, not made again under the next name."""
        client = self.client
        me = client.auth_test().get("user_id")
        for page in client.conversations_list(types="public_channel,private_channel", exclude_archived=True,
                                              limit=1000):
            for channel in page.get("channels", []):
                if channel.get("name") == name:
                    return str(channel["id"]) if me and channel.get("creator") == me else None
        return None

    def invite(self, channel: str, users: Sequence[str]) -> None:
        if users:
            self._to(channel).conversations_invite(channel=channel, users=",".join(users))

    def join(self, channel: str) -> tuple[str, str]:
        """Put the bot in a channel it needs, when it can: ("in" | "joined" | "private", the channel's name).
        A public channel it joins itself (channels:join); into a private one only a member can invite it."""
        client = self._to(channel)
        info = client.conversations_info(channel=channel)["channel"]
        name = str(info.get("name") or channel)
        if info.get("is_member"):
            return "in", name
        if info.get("is_private"):
            return "private", name
        client.conversations_join(channel=channel)
        return "joined", name

    def permalink(self, channel: str, ts: str) -> str:
        return str(self._to(channel).chat_getPermalink(channel=channel, message_ts=ts)["permalink"])


def _blocks(blocks: Blocks | None) -> list[dict[str, Any]] | None:
    return list(blocks) if blocks else None


def _ts(name: str, target: Target | None) -> dict[str, str]:
    return {name: target} if isinstance(target, str) else {}


def _after(target: Target | None) -> Outgoing | None:
    return target if isinstance(target, Outgoing) else None
