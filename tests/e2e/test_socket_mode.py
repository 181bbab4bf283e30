"""`opsbot run` (Socket Mode): a refused command or button press is acknowledged exactly once, and explained once.

Issue 17 (chaos, item 4): Bolt's thread runner raced a listener that acknowledged and then raised (every
refusal) against the error handler: the envelope got a 500 (never sent, so Slack showed the action failed)
or nothing ("didn't call ack()"), on top of the explanation. Socket Mode now goes through the same front and
work queue as `opsbot serve`. Driven here through slack_sdk's own Socket Mode client, with its websocket
replaced by a recorder: envelopes go in by the SDK's message queue and workers, exactly as from Slack.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest
from slack_sdk import WebClient
from slack_sdk.socket_mode.builtin import SocketModeClient

from bot.clock import FrozenClock
from bot.config import load_settings
from bot.console import payloads
from bot.console.emulator import SlackEmulator
from bot.socket_mode import QueuedSocketModeHandler
from bot.wiring import Opsbot, wire
from tests.conftest import MONDAY_9AM_SHENZHEN
from tests.load.conftest import eventually
from tests.support.serving import buyers_slack

TOKEN = "xoxb-socket-test"


class RecordedSocket(SocketModeClient):
    """slack_sdk's client with the websocket left out: what it would send to Slack is kept instead."""

    def __init__(self, web_client: WebClient) -> None:
        super().__init__(app_token="xapp-socket-test", web_client=web_client)
        self.sent: list[dict[str, Any]] = []
        self._sent_lock = threading.Lock()

    def connect(self) -> None:
        pass

    def disconnect(self) -> None:
        pass

    def send_message(self, message: str) -> None:
        with self._sent_lock:
            self.sent.append(json.loads(message))

    def deliver(self, envelope_id: str, kind: str, payload: dict[str, Any]) -> None:
        """An envelope as Slack sends it over the socket."""
        self.enqueue_message(json.dumps({"envelope_id": envelope_id, "type": kind, "payload": payload,
                                         "accepts_response_payload": kind != "events_api"}))

    def acks(self) -> Counter[str]:
        with self._sent_lock:
            return Counter(str(message.get("envelope_id")) for message in self.sent)


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    yield from buyers_slack(TOKEN)


@contextmanager
def socket_replica(
    api_url: str, playbooks_dir: Path, database_url: str, *, work_threads: int, token: str = TOKEN
) -> Iterator[tuple[Opsbot, QueuedSocketModeHandler, RecordedSocket]]:
    """`opsbot run`'s Socket Mode replica on ``database_url``, its websocket a recorder: not yet connected (the
    caller connects it), closed and its database let go afterwards."""
    settings = load_settings(SLACK_BOT_TOKEN=token, SLACK_APP_TOKEN="xapp-socket-test",
                             SLACK_SIGNING_SECRET="socket-test-secret", SLACK_API_URL=api_url,
                             DATABASE_URL=database_url, OPSBOT_PLAYBOOKS=playbooks_dir)
    client = WebClient(token=token, base_url=api_url)
    services = wire(settings, clock=FrozenClock(MONDAY_9AM_SHENZHEN), client=client)
    app, _ = services.bolt_app()  # production: acknowledged first, the work after
    recorded = RecordedSocket(client)
    handler = QueuedSocketModeHandler(app, recorded, work_threads=work_threads, idle_seconds=0.05)
    try:
        yield services, handler, recorded
    finally:
        handler.close()
        services.db.dispose()


@pytest.fixture
def socket(emulator: SlackEmulator, playbooks_dir: Path, database_url: str) -> Iterator[RecordedSocket]:
    with socket_replica(emulator.api_url, playbooks_dir, database_url, work_threads=4) as (_, handler, recorded):
        handler.connect()
        yield recorded

def ephemerals(emulator: SlackEmulator) -> list[str]:
    return [r.text for r in emulator.records if r.kind == "ephemeral"]


def form(body: str) -> dict[str, Any]:
    return dict(parse_qsl(body))


def test_twenty_refused_commands_are_each_acknowledged_once_and_explained_once(
    socket: RecordedSocket, emulator: SlackEmulator
) -> None:
    for n in range(20):
        url = emulator.new_response_url("C0OPS", "U0BUYER")
        body = payloads.slash_command("/restock", "NO-SUCH-SKU 40", user="U0BUYER", channel="C0OPS", team="T0DEMO",
                                      response_url=url)
        socket.deliver(f"cmd-{n}", "slash_commands", form(body))
    assert eventually(lambda: len(ephemerals(emulator)) == 20)
    assert eventually(lambda: len(socket.acks()) == 20)
    assert socket.acks() == Counter({f"cmd-{n}": 1 for n in range(20)})
    assert all("NO-SUCH-SKU" in reply for reply in ephemerals(emulator))
    assert not [reply for reply in ephemerals(emulator) if "went wrong" in reply]


def test_a_refused_button_press_is_acknowledged_once_and_explained_once(
    socket: RecordedSocket, emulator: SlackEmulator
) -> None:
    press = payloads.block_action(
        user="U0BUYER", team="T0DEMO", channel="C0OPS", response_url=emulator.new_response_url("C0OPS", "U0BUYER"),
        action={"type": "button", "action_id": "restock.use_orderable", "block_id": "b",
                "value": json.dumps({"id": 99, "quantity": 500})},
        container={"type": "message", "message_ts": "1.0", "channel_id": "C0OPS", "is_ephemeral": True},
    )
    socket.deliver("press-1", "interactive", json.loads(form(press)["payload"]))
    assert eventually(lambda: len(ephemerals(emulator)) == 1)
    assert eventually(lambda: socket.acks() == Counter({"press-1": 1}))
    assert ephemerals(emulator) == ["That restock request no longer exists."]


def test_a_command_delivered_twice_runs_once_and_each_delivery_is_acknowledged(
    socket: RecordedSocket, emulator: SlackEmulator
) -> None:
    body = form(payloads.slash_command("/ops", "help", user="U0BUYER", channel="C0OPS", team="T0DEMO",
                                       response_url=emulator.new_response_url("C0OPS", "U0BUYER")))
    socket.deliver("help-1", "slash_commands", body)
    socket.deliver("help-2", "slash_commands", body)  # the same trigger again (a reconnect redelivering it)
    assert eventually(lambda: socket.acks() == Counter({"help-1": 1, "help-2": 1}))
    assert eventually(lambda: len(ephemerals(emulator)) == 1)
