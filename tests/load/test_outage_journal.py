"""Issue 17, "nothing acknowledged is lost" — for Slack's events through an outage longer than Slack's retries.

Slack delivers an event, retries it at once, after about a minute and after about five, then gives up (and turns
the app's events off after repeated failures). Answering 503 while the database is away therefore lost every event
of an outage longer than that: a report shared in the data channel, someone opening their App Home, Opsbot added to
a channel. Now the replica keeps such an event in a journal file of its own (``bot/outbox/event_journal.py``) and
acknowledges it; once the database answers, the journal's events are moved into the work queue — each once, by its
event id, however many of Slack's deliveries arrived before, during or after — and run in the order they came.

``opsbot serve`` under uvicorn on PostgreSQL taken away and given back (``tests/load/test_outage_events.py``), or
behind a proxy that hangs (``tests/load/test_outage_hang.py``). No clock: Slack's "later" is just another
delivery of the same event.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console.emulator import SlackEmulator
from bot.console.slack_state import BOT_USER_ID
from tests.load.conftest import Served, eventually
from tests.load.test_outage_events import (
    OUTAGE_LINE,
    Outage,
    event,
    home_opened,
    homes,
    outage_dms,
    the_next_command_is_answered,
    tracebacks,
    welcomes,
)
from tests.load.test_outage_hang import SLACK_GIVES_UP, hanging_database, timed
from tests.support.db_proxy import HangingDatabase

__all__ = ["hanging_database"]  # the fixture, shared with the test it comes from

SLACK_DELIVERIES = 4  # the delivery and Slack's three retries: at once, after ~1 min, after ~5 min


def deliver(served: Served, body: str, attempt: int = 0) -> int:
    """Slack's ``attempt``-th delivery of an event: the same body, signed anew (a later timestamp each time)."""
    stamp = int(time.time()) - SLACK_DELIVERIES + attempt
    return served.post(body, "application/json", timestamp=stamp).status_code


def joined() -> str:
    """Opsbot added to the team's #ops: it says there what it will post."""
    return event({"type": "member_joined_channel", "user": BOT_USER_ID, "channel": "C0OPS"})


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    return tmp_path / "replica-1-events.sqlite3"


@pytest.fixture
def outage(postgres_url: str) -> Iterator[Outage]:
    away = Outage(postgres_url)
    yield away
    away.close()


def journal_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.outbox.event_journal"]


@pytest.mark.postgres
def test_events_through_an_outage_longer_than_slacks_retries_are_kept_and_each_runs_once_when_the_database_is_back(
    emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str, outage: Outage, journal: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = Served(emulator, playbooks_dir, postgres_url, work_threads=2, work_process=False, event_journal=journal)
    try:
        caplog.set_level(logging.INFO)
        outage.begin()
        home, added = home_opened(), joined()
        # Every one of Slack's deliveries is acknowledged: Slack has nothing to give up on, nor to turn off.
        assert [deliver(served, home, attempt) for attempt in range(SLACK_DELIVERIES)] == [200] * SLACK_DELIVERIES
        assert deliver(served, added) == 200
        assert homes(emulator) == 0 and welcomes(emulator) == 0  # kept, not run: the database is away
        outage.end()
        # Back, with no delivery from Slack at all: each event runs, once.
        assert eventually(lambda: homes(emulator) == 1 and welcomes(emulator) == 1)
        # A delivery of the same event after the database is back (Slack's last retry, late): not run again.
        assert deliver(served, home, SLACK_DELIVERIES) == 200
        assert the_next_command_is_answered(served, emulator)
        assert homes(emulator) == 1 and welcomes(emulator) == 1
        assert outage_dms(emulator) == []  # nobody asked: no DM about the outage
        assert not [r for r in emulator.records if OUTAGE_LINE in r.text]
        assert tracebacks(caplog) == []
        # The log says where they waited and that they were moved; never a body or a signature.
        lines = journal_lines(caplog)
        assert any("kept" in line and str(journal) in line for line in lines), lines
        assert any("moved 2 events" in line for line in lines), lines
        logged = " ".join(r.getMessage() for r in caplog.records)
        assert "v0=" not in logged and "app_home_opened" not in logged
    finally:
        served.stop()


@pytest.mark.postgres
def test_a_full_journal_answers_503_so_slack_delivers_the_event_again_and_says_so_once(
    emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str, outage: Outage, journal: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = Served(emulator, playbooks_dir, postgres_url, work_threads=2, work_process=False, event_journal=journal,
                    event_journal_max=1)
    try:
        caplog.set_level(logging.WARNING)
        outage.begin()
        home, added = home_opened(), joined()
        assert deliver(served, home) == 200  # kept: the journal holds one event
        assert deliver(served, added) == 503  # full: Slack delivers it again later, as before the journal
        assert deliver(served, added, 1) == 503
        assert deliver(served, home, 1) == 200  # a retry of the one kept is still acknowledged
        full = [line for line in journal_lines(caplog) if "is full" in line]
        assert len(full) == 1 and "1 event" in full[0], full
        outage.end()
        assert eventually(lambda: homes(emulator) == 1)
        assert deliver(served, added, 2) == 200  # Slack's next delivery of the refused one, now the database is back
        assert eventually(lambda: welcomes(emulator) == 1)
        assert the_next_command_is_answered(served, emulator)
        assert homes(emulator) == 1
        assert tracebacks(caplog) == []
    finally:
        served.stop()


@pytest.mark.postgres
def test_a_replica_restarted_during_the_outage_moves_the_events_its_journal_kept(
    emulator: SlackEmulator, playbooks_dir: Path, postgres_url: str, outage: Outage, journal: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    first = Served(emulator, playbooks_dir, postgres_url, work_threads=2, work_process=False, event_journal=journal)
    outage.begin()
    try:
        assert deliver(first, home_opened()) == 200
        assert deliver(first, joined()) == 200
    finally:
        first.stop()  # the replica goes away with the events in its journal file
    # Started again on the same journal (its own work process, as `opsbot serve` runs) once the database is back
    # (a replica's start upgrades the schema, so it needs the database: bot/wiring.py): the events kept before the
    # restart run, each once, with no new delivery from Slack to wake the replica.
    outage.end()
    second = Served(emulator, playbooks_dir, postgres_url, work_threads=2, event_journal=journal)
    try:
        assert eventually(lambda: homes(emulator) == 1 and welcomes(emulator) == 1)
        assert the_next_command_is_answered(second, emulator)
        assert homes(emulator) == 1 and welcomes(emulator) == 1
        assert tracebacks(caplog) == []
    finally:
        second.stop()


@pytest.mark.postgres
def test_an_event_while_the_database_hangs_is_acknowledged_in_time_and_runs_once_after_the_late_commit_lands(
    emulator: SlackEmulator, playbooks_dir: Path, hanging_database: HangingDatabase, journal: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = Served(emulator, playbooks_dir, hanging_database.url, work_threads=2, work_process=False,
                    event_journal=journal)
    try:
        home = home_opened()
        assert the_next_command_is_answered(served, emulator)  # the ack writer's connection is open
        hanging_database.hang()
        # The ack writer's commit hangs (it lands when the database thaws); the event is kept in the journal.
        answer, took = timed(lambda: served.post(home, "application/json"))
        assert took < SLACK_GIVES_UP and answer.status_code == 200
        assert deliver(served, home, 1) == 200  # Slack's retry during the hang
        hanging_database.resume()
        # The late commit and the journal both hold it: it runs once.
        assert eventually(lambda: homes(emulator) == 1)
        assert eventually(lambda: served.front.depth()[0] == 0)
        assert the_next_command_is_answered(served, emulator)
        assert homes(emulator) == 1
        assert tracebacks(caplog) == []
    finally:
        served.stop()
