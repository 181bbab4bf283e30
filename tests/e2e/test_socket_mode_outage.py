"""Issue 17, a database that is down is an outage, not a crash — in Socket Mode (`opsbot run`), where there is no
HTTP 503 to make Slack deliver an event again.

An event whose envelope arrives while the database is away cannot be queued: it is kept in the replica's event
journal (``bot/outbox/event_journal.py``) and its envelope acknowledged once it is, and once the database is back it
is worked on, once, whatever Slack delivers again — nothing acknowledged is lost. A command still gets the outage
line, as its envelope's acknowledgement. Driven through slack_sdk's own Socket Mode client with its websocket
replaced by a recorder (``tests/e2e/test_socket_mode.py``), on PostgreSQL taken away
and given back (``tests/load/test_outage_events.py``).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest

from bot.app import OpsbotApp
from bot.console import payloads
from bot.console.emulator import SlackEmulator
from bot.outbox import work
from bot.socket_mode import QueuedSocketModeHandler
from tests.e2e.test_socket_mode import RecordedSocket, emulator, form, socket_replica
from tests.load.conftest import eventually
from tests.load.test_outage_events import OUTAGE_LINE, Outage, homes, outage, tracebacks

__all__ = ["emulator", "outage"]  # the fixtures, shared with the tests they come from


class Handled:
    """Counts the envelopes the handler has finished with (acknowledged or not): a barrier, not a clock."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        self._lock = threading.Lock()
        handle = QueuedSocketModeHandler.handle

        def counted(handler: QueuedSocketModeHandler, client: BaseSocketModeClient, req: SocketModeRequest) -> None:
            try:
                handle(handler, client, req)
            finally:
                with self._lock:
                    self.count += 1

        monkeypatch.setattr(QueuedSocketModeHandler, "handle", counted)


@pytest.fixture(autouse=True)
def event_journal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The replica's event journal: the test's own file, not one in the working directory."""
    journal = tmp_path / "opsbot-events.sqlite3"
    monkeypatch.setenv("OPSBOT_EVENT_JOURNAL", str(journal))
    return journal


@pytest.fixture
def handled(monkeypatch: pytest.MonkeyPatch) -> Handled:
    return Handled(monkeypatch)


@contextmanager
def socket_for(emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str) -> Iterator[RecordedSocket]:
    """`opsbot run` on PostgreSQL, its websocket a recorder, two work threads."""
    with socket_replica(emulator.api_url, playbooks_dir, postgres_url, work_threads=2) as (_, handler, recorded):
        handler.connect()
        yield recorded


@pytest.fixture
def socket(
    emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str, handled: Handled
) -> Iterator[RecordedSocket]:
    with socket_for(emulator, playbooks_dir, postgres_url) as recorded:
        yield recorded


def home_opened(event_id: str) -> dict[str, Any]:
    body = json.loads(payloads.event(team="T0DEMO", bot_user="U0OPSBOT", event_body={
        "type": "app_home_opened", "user": "U0BUYER", "channel": "D0BUYER", "tab": "home"}))
    body["event_id"] = event_id
    return dict(body)


@pytest.mark.postgres
def test_an_event_arriving_while_the_database_is_away_is_acknowledged_once_kept_and_worked_on_once_it_is_back(
    socket: RecordedSocket, emulator: SlackEmulator, outage: Outage, handled: Handled,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    outage.begin()
    socket.deliver("ev-1", "events_api", home_opened("Ev0OUTAGE1"))
    command = form(payloads.slash_command("/ops", "help", user="U0BUYER", channel="C0OPS", team="T0DEMO",
                                          response_url=emulator.new_response_url("C0OPS", "U0BUYER")))
    socket.deliver("cmd-1", "slash_commands", command)
    assert eventually(lambda: handled.count == 2)
    acks = {str(m["envelope_id"]): m for m in socket.sent}
    assert socket.acks().get("ev-1") == 1  # kept in the replica's journal: acknowledged, once
    # The command is told at once, as its envelope's acknowledgement.
    assert str(acks["cmd-1"]["payload"]["text"]).startswith("Opsbot can't reach its database right now")
    outage.end()
    # Back: the kept event is worked on with no new delivery; one of the same event after it (a new envelope) is
    # acknowledged and not worked on again.
    assert eventually(lambda: homes(emulator) == 1)
    socket.deliver("ev-2", "events_api", home_opened("Ev0OUTAGE1"))
    assert eventually(lambda: socket.acks().get("ev-2") == 1)
    socket.deliver("cmd-2", "slash_commands", form(payloads.slash_command(
        "/ops", "help", user="U0BUYER", channel="C0OPS", team="T0DEMO",
        response_url=emulator.new_response_url("C0OPS", "U0BUYER"))))
    assert eventually(lambda: any(r.kind == "ephemeral" and OUTAGE_LINE not in r.text for r in emulator.records))
    assert homes(emulator) == 1
    assert not [r for r in emulator.records if OUTAGE_LINE in r.text]  # no DM about the outage
    assert tracebacks(caplog) == []


@pytest.mark.postgres
def test_an_event_acknowledged_before_the_outage_is_worked_on_once_the_database_is_back(
    emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str, outage: Outage, handled: Handled,
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(work, "RETRY_AFTER", work.timedelta(seconds=0.2))
    arrived, go_on = threading.Event(), threading.Event()
    dispatch = OpsbotApp.dispatch

    def held(app: OpsbotApp, request: Any) -> Any:  # the work thread holds the event until the database is gone
        if not go_on.is_set():
            arrived.set()
            go_on.wait(30)
        return dispatch(app, request)

    monkeypatch.setattr(OpsbotApp, "dispatch", held)
    with socket_for(emulator, playbooks_dir, postgres_url) as recorded:
        recorded.deliver("ev-1", "events_api", home_opened("Ev0OUTAGE2"))
        assert eventually(lambda: recorded.acks().get("ev-1") == 1)  # acknowledged: it was queued
        assert arrived.wait(30)
        caplog.clear()
        caplog.set_level(logging.WARNING)
        outage.begin()
        go_on.set()  # its work meets the outage: kept in the queue, not lost
        assert eventually(lambda: any("database is unreachable" in r.getMessage()
                                      for r in caplog.records if r.name == "bot.outbox.work"))
        assert homes(emulator) == 0
        outage.end()
        assert eventually(lambda: homes(emulator) == 1)
        assert not [r for r in emulator.records if OUTAGE_LINE in r.text]
        assert tracebacks(caplog) == []
