"""The one way out to Slack. Every post, update, ephemeral, DM, upload and view goes through here.

Features never call ``client.chat_*`` themselves: keeping every outgoing call in one place is what
lets the production work make delivery durable and rate-aware without touching the features.

Each call goes to the workspace being served, with its bot token (see ``bot/workspaces.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.workspaces import Workspaces, retry_handlers

log = logging.getLogger(__name__)
Blocks = Sequence[dict[str, Any]]


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


class Delivery:
    def __init__(self, client: WebClient, *, workspaces: Workspaces | None = None) -> None:
        client.retry_handlers.extend(retry_handlers())
        self.workspaces = workspaces or Workspaces(client)
        self._dm_channels: dict[tuple[str, str], str] = {}  # (workspace, user) -> DM channel

    @property
    def client(self) -> WebClient:
        """The client of the workspace being served."""
        return self.workspaces.client()

    def _to(self, channel: str) -> WebClient:
        return self.workspaces.client(channel=channel)

    def post(
        self, channel: str, text: str, blocks: Blocks | None = None, *, thread_ts: str | None = None
    ) -> Posted:
        response = self._to(channel).chat_postMessage(
            channel=channel, text=text, blocks=list(blocks) if blocks else None, thread_ts=thread_ts,
            unfurl_links=False, unfurl_media=False,
        )
        return Posted(channel=str(response["channel"]), ts=str(response["ts"]))

    def update(self, channel: str, ts: str, text: str, blocks: Blocks | None = None) -> None:
        self._to(channel).chat_update(channel=channel, ts=ts, text=text, blocks=list(blocks) if blocks else [])

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

    def dm_channel(self, user: str) -> str:
        key = (self.workspaces.resolve(user=user), user)
        if key not in self._dm_channels:
            response = self.workspaces.client_for(key[0]).conversations_open(users=user)
            self._dm_channels[key] = str(response["channel"]["id"])
        return self._dm_channels[key]

    def dm(self, user: str, text: str, blocks: Blocks | None = None) -> Posted:
        return self.post(self.dm_channel(user), text, blocks)

    def upload(
        self, channel: str, filename: str, content: bytes, *, title: str | None = None,
        comment: str | None = None, thread_ts: str | None = None,
    ) -> None:
        self._to(channel).files_upload_v2(
            channel=channel, filename=filename, content=content, title=title or filename,
            initial_comment=comment, thread_ts=thread_ts,
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

    def pin(self, channel: str, ts: str) -> None:
        self._to(channel).pins_add(channel=channel, timestamp=ts)

    def create_channel(self, name: str) -> str:
        response = self.client.conversations_create(name=name)
        return str(response["channel"]["id"])

    def invite(self, channel: str, users: Sequence[str]) -> None:
        if users:
            self._to(channel).conversations_invite(channel=channel, users=",".join(users))

    def permalink(self, channel: str, ts: str) -> str:
        return str(self._to(channel).chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
