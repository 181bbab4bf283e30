"""Issue 17, a database that is down is an outage, not a crash — for what nobody waits on: Slack's events.

An event is never answered with a DM about the outage (the DM itself would need the database, and nobody asked).
Arriving while the database is away, it is kept in the replica's event journal and run once the database is back
(``tests/load/test_outage_journal.py``); acknowledged and queued before, its work stays queued and runs once the
database is back — the person's App Home is then published. The log says so in one warning line, never with a traceback.

``opsbot serve`` under uvicorn on PostgreSQL, the work threads in this process (so the test can hold the Home's
listener at its start while the database is taken away: no timing involved).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, create_engine, text

from bot.app import OpsbotApp
from bot.blocks.launch_home import HOME_TICK
from bot.console import payloads
from bot.console.emulator import SlackEmulator
from bot.console.slack_state import BOT_USER_ID
from bot.outbox import work
from tests.load.conftest import Served, command, eventually

OUTAGE_LINE = "can't reach its database"


class Outage:
    """Takes the test's PostgreSQL database away (no new connections, the open ones cut) and gives it back."""

    def __init__(self, url: str) -> None:
        self.admin: Engine = create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        self.name = url.rsplit("/", 1)[1]

    def begin(self) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false'))
            connection.execute(
                text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{self.name}'")
            )

    def end(self) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true'))

    def close(self) -> None:
        self.end()
        self.admin.dispose()


@pytest.fixture
def outage(postgres_url: str) -> Iterator[Outage]:
    away = Outage(postgres_url)
    yield away
    away.close()


def event(event_body: dict[str, Any]) -> str:
    return payloads.event(team="T0DEMO", event_body=event_body, bot_user="U0OPSBOT")


def home_opened(user: str = "U0BUYER") -> str:
    return event({"type": "app_home_opened", "user": user, "channel": "D0BUYER", "tab": "home"})


def outage_dms(emulator: SlackEmulator) -> list[str]:
    return [r.text for r in emulator.records if r.kind == "message" and OUTAGE_LINE in r.text]


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.exc_info]


def homes(emulator: SlackEmulator, user: str = "U0BUYER") -> int:
    return sum(1 for r in emulator.records if r.kind == "home" and r.user == user)


def post_json(served: Served, body: str) -> int:
    return served.post(body, "application/json").status_code


@pytest.mark.postgres
def test_an_event_arriving_while_the_database_is_away_is_kept_and_worked_on_once_it_is_back_with_no_dm(
    emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str, outage: Outage,
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = Served(emulator, playbooks_dir, postgres_url, work_threads=2, work_process=False)
    try:
        outage.begin()
        caplog.clear()
        caplog.set_level(logging.WARNING)
        # Opening the Home, a one-liner in a channel, someone joining a channel: each kept in the replica's event
        # journal and acknowledged (tests/load/test_outage_journal.py has the rest of that story).
        for body in (
            home_opened(),
            event({"type": "message", "user": "U0BUYER", "channel": "C0OPS", "text": "feedback: the lid cracks",
                   "ts": "1763859600.000100"}),
            event({"type": "member_joined_channel", "user": "U0BUYER", "channel": "C0OPS"}),
        ):
            assert post_json(served, body) == 200
        # Nothing was answered: no "answered a request with 'database unreachable'" line for an event.
        assert not [r for r in caplog.records if "answered a request" in r.getMessage()]
        outage.end()
        # Back: the Home event is worked on as usual, with no delivery from Slack.
        assert eventually(lambda: homes(emulator) == 1)
        assert outage_dms(emulator) == []
        assert tracebacks(caplog) == []
    finally:
        served.stop()


def held_work(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """The work thread holds the first request it takes until the test says go on (the database is gone by
    then): ``arrived`` once it holds one; and work put back is tried again after 0.2 s, not 5 s."""
    monkeypatch.setattr(work, "RETRY_AFTER", work.timedelta(seconds=0.2))
    arrived, go_on = threading.Event(), threading.Event()
    dispatch = OpsbotApp.dispatch

    def held(app: OpsbotApp, request: Any) -> Any:
        if not go_on.is_set():
            arrived.set()
            go_on.wait(30)
        return dispatch(app, request)

    monkeypatch.setattr(OpsbotApp, "dispatch", held)
    return arrived, go_on


def welcomes(emulator: SlackEmulator) -> int:
    return sum(1 for r in emulator.records if r.kind == "message" and r.channel == "C0OPS")


# What each event does once it is worked on: the person's Home published; Opsbot, added to the team's #ops,
# says there what it will post.
QUEUED_EVENTS = {
    "app_home_opened": (home_opened, homes),
    "member_joined_channel": (
        lambda: event({"type": "member_joined_channel", "user": BOT_USER_ID, "channel": "C0OPS"}),
        welcomes,
    ),
}


@pytest.mark.postgres
@pytest.mark.parametrize("kind", QUEUED_EVENTS)
def test_an_event_queued_before_the_database_went_away_is_worked_on_once_it_is_back_with_no_dm(
    kind: str, emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str, outage: Outage,
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    body, done = QUEUED_EVENTS[kind]
    arrived, go_on = held_work(monkeypatch)
    served = Served(emulator, playbooks_dir, postgres_url, work_threads=2, work_process=False)
    try:
        before = done(emulator)
        assert post_json(served, body()) == 200  # acknowledged and queued: the database was there
        assert arrived.wait(30)
        caplog.clear()
        caplog.set_level(logging.WARNING)
        outage.begin()
        go_on.set()  # the listener now meets the outage
        assert eventually(lambda: any("kept in the queue" in r.getMessage() or "requests wait" in r.getMessage()
                                      for r in caplog.records if r.name == "bot.outbox.work"))
        assert done(emulator) == before  # nothing half-made either (a Home without its sections)
        outage.end()
        # Back: the queued event runs again, and does what it does (once).
        assert eventually(lambda: done(emulator) == before + 1)
        assert outage_dms(emulator) == []
        assert not [r for r in emulator.records if OUTAGE_LINE in r.text]  # no ephemeral, no DM: nobody asked
        assert tracebacks(caplog) == []
        # One line from the work threads for the outage (saying so for this request, or for all that wait).
        work_lines = [r.getMessage() for r in caplog.records if r.name == "bot.outbox.work"]
        assert len(work_lines) == 1 and "database is unreachable" in work_lines[0], work_lines
    finally:
        served.stop()


def press(response_url: str) -> str:
    """A button whose work reads the database (a launch task's "Done", value: the task's id)."""
    return payloads.block_action(
        user="U0BUYER", team="T0DEMO", action={"action_id": HOME_TICK, "type": "button", "value": "7"},
        container={"type": "message"}, response_url=response_url, channel="C0OPS",
    )


def told(emulator: SlackEmulator) -> list[str]:
    return [r.text for r in emulator.records if OUTAGE_LINE in r.text]


def ready(served: Served) -> int:
    return httpx.get(f"{served.base}/readyz", timeout=10).status_code


def the_next_command_is_answered(served: Served, emulator: SlackEmulator) -> bool:
    """A barrier: whatever the outage left to say has been said once a command after it is answered."""
    before = sum(1 for r in emulator.records if r.kind == "ephemeral")
    assert served.post(command("help", emulator.new_response_url("C0OPS", "U0BUYER"))).status_code == 200
    return eventually(lambda: sum(1 for r in emulator.records if r.kind == "ephemeral") == before + 1)


@pytest.mark.postgres
def test_a_button_pressed_while_the_database_is_away_is_told_once_through_its_response_url_and_readyz_follows(
    emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str, outage: Outage,
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = Served(emulator, playbooks_dir, postgres_url, work_threads=2, work_process=False)
    try:
        assert ready(served) == 200
        caplog.clear()
        caplog.set_level(logging.WARNING)
        outage.begin()
        assert ready(served) == 503
        assert served.post(press(emulator.new_response_url("C0OPS", "U0BUYER"))).status_code == 200
        assert eventually(lambda: len(told(emulator)) == 1)
        outage.end()
        assert ready(served) == 200
        assert the_next_command_is_answered(served, emulator)
        replies = [r for r in emulator.records if OUTAGE_LINE in r.text]
        assert [(r.kind, r.user) for r in replies] == [("ephemeral", "U0BUYER")]  # its response_url, no DM
        assert replies[0].text.startswith("Opsbot can't reach its database right now; try again in a minute (ref ")
        assert tracebacks(caplog) == []
    finally:
        served.stop()


@pytest.mark.postgres
def test_a_button_whose_work_meets_the_outage_is_told_once_through_its_response_url_and_not_done_later(
    emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str, outage: Outage,
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    arrived, go_on = held_work(monkeypatch)
    served = Served(emulator, playbooks_dir, postgres_url, work_threads=2, work_process=False)
    try:
        assert served.post(press(emulator.new_response_url("C0OPS", "U0BUYER"))).status_code == 200  # queued
        assert arrived.wait(30)
        caplog.clear()
        caplog.set_level(logging.WARNING)
        outage.begin()
        go_on.set()
        # The person pressing waits on an answer: told through the button's response_url (no DM), and the press
        # is not done behind their back later — they press again once it is back.
        assert eventually(lambda: len(told(emulator)) == 1)
        outage.end()
        assert the_next_command_is_answered(served, emulator)
        assert [(r.kind, r.user) for r in emulator.records if OUTAGE_LINE in r.text] == [("ephemeral", "U0BUYER")]
        assert not [r for r in emulator.records if r.kind == "ephemeral" and "no longer exists" in r.text]
        assert tracebacks(caplog) == []
    finally:
        served.stop()
