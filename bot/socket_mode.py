"""``opsbot run``: Socket Mode through the same ack path and work queue as ``opsbot serve``.

Bolt's own Socket Mode handler runs each listener in its thread runner and acknowledges when the listener
calls ``ack()``. A listener that acks and then raises (every refusal: an ``OpsError`` after the ack) races
with that runner: the envelope was answered with a 500 (which the adapter never sends: Slack waits, then
shows the action as failed) or not at all ("didn't call ack()"), on top of the explanation the error
handler sent. ``opsbot serve`` answered that with its front (``bot/front.py``): acknowledging only checks,
de-duplicates and queues, and the work threads run the listener to its end, errors included, later.

Here each envelope takes that same path. A command, a button, a shortcut or an event is queued in the ``work``
table and its envelope acknowledged once, at once (empty: the answer, or the refusal, comes privately through
its response_url, as under ``serve``); a view submission (its answer carries the field errors) and anything else
Bolt answers itself run first, on the app that finishes each request before answering, and their answer is the
acknowledgement — a view submission's without waiting on Slack: what its listener would send or publish is put
off to the front's after-answer threads (``bot/front.py``). Either way one acknowledgement per envelope, sent
after everything that decides it, by one thread. With the database away an event's envelope is acknowledged once the
front has kept the event in the replica's event journal (``bot/outbox/event_journal.py``), and left unacknowledged
(Slack delivers it again) only when the journal is full; :meth:`QueuedSocketModeHandler.connect` starts moving what
the journal holds. Socket Mode requests come over the connection Slack opened with
the app token and carry no signature: each envelope is given one of its own, so nothing is taken for a replay.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from slack_bolt import App
from slack_bolt.adapter.socket_mode.base_handler import BaseSocketModeHandler
from slack_bolt.adapter.socket_mode.internals import send_response
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.front import Front
from bot.outbox.work_threads import WorkWorker

log = logging.getLogger(__name__)

FORM = "application/x-www-form-urlencoded"
WORK_THREADS = 12  # as under `opsbot serve`, within the bot's connection pool with the outbox's senders


def as_http_body(req: SocketModeRequest) -> tuple[str, str] | None:
    """The body and content type Slack would have sent over HTTP for this envelope (what the work queue keeps
    and the work threads parse), or None for an envelope that is not a request."""
    payload: Any = req.payload
    if not isinstance(payload, dict):
        return None
    if req.type == "slash_commands":
        return urlencode({key: str(value) for key, value in payload.items()}), FORM
    if req.type == "interactive":
        return urlencode({"payload": json.dumps(payload)}), FORM
    if req.type == "events_api":
        return json.dumps(payload), "application/json"
    return None


class QueuedSocketModeHandler(BaseSocketModeHandler):
    """Bolt's Socket Mode handler, acknowledging through the front: one acknowledgement per envelope, never a
    race between a listener's ``ack()`` and the error handler."""

    def __init__(self, app: App, client: BaseSocketModeClient, *, work_threads: int = WORK_THREADS,
                 idle_seconds: float = 1.0) -> None:
        self.app = app
        self.client = client
        served: Front = app.front  # type: ignore[attr-defined]  # set by bot.app.build_app
        # The same work app as `serve`'s (made on first use): it finishes each request before returning.
        self.front = Front(served.ctx, lambda: served.app, queued=True, event_journal=served.event_journal,
                           event_journal_max=served.event_journal_max)
        self.worker: WorkWorker = self.front.worker(threads=work_threads, idle_seconds=idle_seconds)
        client.socket_mode_request_listeners.append(self.handle)

    def handle(self, client: BaseSocketModeClient, req: SocketModeRequest) -> None:
        started = time.time()
        shaped = as_http_body(req)
        if shaped is None:
            client.send_socket_mode_response({"envelope_id": req.envelope_id})
            return
        text, content_type = shaped
        # No signature comes over the socket: each envelope stands in with a signature of its own, so the ack
        # writer's replay guard never takes one request for another (a retry is still recognised by its delivery).
        headers: Mapping[str, str] = {"content-type": content_type,
                                      "x-slack-signature": f"socket-mode:{uuid.uuid4().hex}"}
        try:
            answer = asyncio.run(self.front.acknowledge(text.encode(), headers)) or self.front.inline(
                text.encode(), headers)
        except Exception:
            # Not acknowledged: Slack delivers it again (an event) or tells the person it failed.
            log.exception("socket mode: could not take a %s request", req.type)
            return
        if answer.status == 503:  # an event the database could not take: unacknowledged, Slack delivers it again
            log.info("socket mode: left envelope %s unacknowledged: the database is unreachable", req.envelope_id)
            return
        send_response(client, req, answer, started)

    def connect(self) -> None:
        self.worker.start()
        self.front.start_event_journal()  # events an outage left in this replica's journal, moved once it is back
        super().connect()  # type: ignore[no-untyped-call]

    def close(self) -> None:
        super().close()  # type: ignore[no-untyped-call]
        self.worker.stop()
        self.front.close()


def socket_mode_handler(app: App, app_token: str) -> QueuedSocketModeHandler:
    """``opsbot run``'s connection to Slack."""
    return QueuedSocketModeHandler(app, SocketModeClient(app_token=app_token, web_client=app.client))
