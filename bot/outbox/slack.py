"""How one outbox message becomes calls to Slack's Web API, and what Slack's answer means for it."""

from __future__ import annotations

import http.client
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.request import Request, urlopen

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.observability import DELIVERIES_RETRIED
from bot.outbox.messages import Posted
from bot.workspaces import NotInstalled, Workspaces, token_gone

log = logging.getLogger(__name__)

METADATA_TYPE = "opsbot_message"
LOOK_BACK = timedelta(minutes=2)  # clocks differ a little between us and Slack


@dataclass(frozen=True)
class Job:
    """A row being sent, read in the transaction that took its lane."""

    id: int
    key: str
    workspace: str
    lane: str
    kind: str
    channel: str | None
    payload: dict[str, Any]
    content: bytes | None
    target_ts: str | None  # the ts of the message it follows (thread parent, message to edit or pin)
    uncertain: bool
    attempts: int
    created_at: datetime


@dataclass(frozen=True)
class Outcome:
    posted: Posted | None = None  # sent (or found already sent)
    retry_in: timedelta | None = None  # try again then
    uncertain: bool = False  # the call may have reached Slack
    error: str | None = None  # given up
    reached_slack: bool = True  # counts against the conversation's pace


class SlackCalls:
    """Sends a message the outbox hands it; never raises for what Slack or the network does."""

    def __init__(self, workspaces: Workspaces, *, file_uploaded: Callable[[Job, str], None]) -> None:
        self.workspaces = workspaces
        self.file_uploaded = file_uploaded  # keeps an upload's file id before it is shared
        self._dm_channels: dict[tuple[str, str], str] = {}  # (workspace, user) -> DM channel
        self._dm_lock = threading.Lock()

    def send(self, job: Job) -> Outcome:
        try:
            client = self.workspaces.sender(job.workspace)
            channel = job.channel or self._dm_channel(client, job.workspace, job.lane)
            if job.uncertain and job.kind in ("post", "upload"):
                found = self._find(client, job, channel)
                if found is not None:
                    log.info("outbox: message %s had reached Slack already; not sent again", job.key)
                    return Outcome(posted=Posted(channel, found), reached_slack=False)
            return Outcome(posted=self._call(client, job, channel))
        except SlackApiError as error:
            return self._refused(job, error)
        except NotInstalled:
            return Outcome(error="not_installed", reached_slack=False)
        except (OSError, http.client.HTTPException) as error:  # dropped, reset, timed out: did Slack get it?
            DELIVERIES_RETRIED.labels(reason="connection").inc()
            log.info("outbox: connection failed sending %s (%s); trying again", job.key, type(error).__name__)
            return Outcome(retry_in=backoff(job.attempts), uncertain=True)

    def _refused(self, job: Job, error: SlackApiError) -> Outcome:
        status = error.response.status_code
        code = str(error.response.get("error") or status)
        if status == 429:
            DELIVERIES_RETRIED.labels(reason="rate_limited").inc()
            wait = float(error.response.headers.get("Retry-After", error.response.headers.get("retry-after", 1)))
            return Outcome(retry_in=timedelta(seconds=max(wait, 0.0)))
        if status >= 500:
            DELIVERIES_RETRIED.labels(reason="server_error").inc()
            return Outcome(retry_in=backoff(job.attempts), uncertain=True)
        if code == "already_pinned":
            return Outcome(posted=Posted(job.channel or job.lane, job.target_ts or ""))
        return Outcome(error=token_gone(error) or code)

    def _call(self, client: WebClient, job: Job, channel: str) -> Posted:
        body = job.payload
        blocks = body.get("blocks") or None
        if job.kind == "post":
            response = client.chat_postMessage(
                channel=channel, text=body["text"], blocks=blocks, thread_ts=job.target_ts or body.get("thread_ts"),
                unfurl_links=False, unfurl_media=False,
                metadata={"event_type": METADATA_TYPE, "event_payload": {"key": job.key}},
            )
            return Posted(str(response["channel"]), str(response["ts"]))
        if job.kind == "update":
            ts = job.target_ts or body["ts"]
            client.chat_update(channel=channel, ts=ts, text=body["text"], blocks=blocks or [])
            return Posted(channel, ts)
        if job.kind == "pin":
            ts = job.target_ts or body["ts"]
            client.pins_add(channel=channel, timestamp=ts)
            return Posted(channel, ts)
        if job.kind == "upload":
            # Slack's three steps, so the file's id is known (and kept) before it is shared: the share is
            # what shows, and whether it happened can be asked of Slack by that id.
            file_id = body.get("file_id")
            if file_id is None:
                content = job.content or b""
                slot = client.files_getUploadURLExternal(filename=body["filename"], length=len(content))
                with urlopen(Request(str(slot["upload_url"]), data=content, method="POST"),
                             timeout=client.timeout, context=client.ssl) as answer:
                    answer.read()
                file_id = str(slot["file_id"])
                self.file_uploaded(job, file_id)
            client.files_completeUploadExternal(
                files=[{"id": file_id, "title": body.get("title") or body["filename"]}], channel_id=channel,
                initial_comment=body.get("comment"), thread_ts=job.target_ts or body.get("thread_ts"),
            )
            return Posted(channel, "")
        raise ValueError(f"outbox: unknown kind {job.kind}")

    def _find(self, client: WebClient, job: Job, channel: str) -> str | None:
        """The ts of the message (or file) with this key, if an earlier attempt did reach Slack."""
        if job.kind == "upload":
            file_id = job.payload.get("file_id")
            if file_id is None:
                return None  # never uploaded, so never shared
            shared: dict[str, Any] = client.files_info(file=file_id).get("file") or {}
            places = {*shared.get("channels", []), *shared.get("groups", []), *shared.get("ims", [])}
            return "" if channel in places else None
        oldest = (job.created_at - LOOK_BACK).timestamp()
        thread = job.target_ts or job.payload.get("thread_ts")
        cursor = None
        for _ in range(10):
            common: dict[str, Any] = {"channel": channel, "oldest": f"{oldest:.6f}", "include_all_metadata": True,
                                      "limit": 200, "cursor": cursor}
            page = (client.conversations_replies(ts=thread, **common) if thread
                    else client.conversations_history(**common))
            messages: list[dict[str, Any]] = page.get("messages", [])
            for message in messages:
                if ((message.get("metadata") or {}).get("event_payload") or {}).get("key") == job.key:
                    return str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def _dm_channel(self, client: WebClient, workspace: str, user: str) -> str:
        """The DM channel with a person (opened once, then remembered)."""
        with self._dm_lock:
            known = self._dm_channels.get((workspace, user))
        if known is None:
            known = str(client.conversations_open(users=user)["channel"]["id"])
            with self._dm_lock:
                self._dm_channels[(workspace, user)] = known
        return known


def backoff(attempts: int) -> timedelta:
    """How long after a failed attempt to try again: doubling from half a second, a minute at most."""
    return timedelta(seconds=min(60.0, 0.5 * 2**attempts))
