"""`opsbot run` (Socket Mode) answers a form the same way as `opsbot serve` (issue 17): with every Slack call held,
a stand-up answer's envelope is acknowledged (the modal closes, or its field error shows), and the "saved" DM
and the Homes follow once Slack answers, once each."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

from bot.console import payloads
from bot.socket_mode import QueuedSocketModeHandler
from bot.wiring import Opsbot
from tests.e2e.test_form_answer_first import standup_form
from tests.e2e.test_socket_mode import RecordedSocket, socket_replica
from tests.load.conftest import TOKEN, eventually
from tests.support.held_slack import HeldSlack, held_slack


class Socket:
    def __init__(self, services: Opsbot, handler: QueuedSocketModeHandler, recorded: RecordedSocket) -> None:
        self.services, self.handler, self.recorded = services, handler, recorded

    def answer(self, envelope: str) -> dict[str, Any] | None:
        """What the envelope was acknowledged with (None while it is not)."""
        acks = [m for m in self.recorded.sent if m.get("envelope_id") == envelope]
        return dict(acks[0].get("payload") or {}) if acks else None


@pytest.fixture
def slack() -> Iterator[HeldSlack]:
    yield from held_slack(TOKEN)


@pytest.fixture
def socket(slack: HeldSlack, playbooks_dir: Path, database_url: str) -> Iterator[Socket]:
    with socket_replica(slack.api_url, playbooks_dir, database_url, work_threads=1, token=TOKEN) as (
        services, handler, recorded
    ):
        for member in services.context.teams.teams[0].members:  # who everyone is, read before Slack is held
            services.context.people.profile(member.user)
        handler.connect()
        try:
            yield Socket(services, handler, recorded)
        finally:
            slack.release()  # before the replica closes: its threads may be waiting on Slack

def test_a_stand_up_answer_over_the_socket_is_acknowledged_while_slack_is_held(
    socket: Socket, slack: HeldSlack
) -> None:
    good = standup_form(socket.services, "U0BUYER", yesterday="PO 4711 sent", today="Call the supplier")
    bad = standup_form(socket.services, "U0BUYER", yesterday="x" * 3001, today="Call the supplier")
    slack.hold()

    for envelope, view in (("bad", bad), ("good", good)):
        body = payloads.view_submission(user="U0BUYER", team="T0DEMO", view=view)
        socket.recorded.deliver(envelope, "interactive", json.loads(dict(parse_qsl(body))["payload"]))
    assert eventually(lambda: socket.answer("good") is not None and socket.answer("bad") is not None)
    assert socket.answer("good") == {}  # the modal closes, with Slack holding every call
    refused = socket.answer("bad")
    assert refused is not None and refused["response_action"] == "errors" and "3000" in refused["errors"]["yesterday"]
    assert not [r for r in slack.records if r.kind in ("message", "home")]

    slack.release()
    assert socket.handler.front.settle(timeout=60)
    assert socket.services.delivery.outbox.drain(timeout=60)
    saved = [r for r in slack.records if r.kind == "message" and r.channel == slack.dm_channel_of("U0BUYER")
             and "Stand-up saved" in f"{r.text}"]
    assert len(saved) == 1
    assert [r for r in slack.records if r.kind == "home" and r.user == "U0BUYER"]

