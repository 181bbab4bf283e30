"""Issue 17, a database that is down is an outage, not a crash — when it hangs rather than refuses.

A network split or a frozen database host refuses nothing: connections are accepted and nothing comes back. The
person's command must still be answered within Slack's 3 seconds, as an outage, and ``/readyz`` must say not ready
as fast; once the database answers again, a command it held that was answered as an outage is not done behind the
person's back (they were told to try again), and the next one works as usual.

``opsbot serve`` on PostgreSQL behind a proxy the test freezes (``tests/support/db_proxy.py``): the commit the ack
writer had in flight is held, and lands late when the database "thaws".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import event, select

from bot.console.emulator import SlackEmulator
from bot.db import Database
from bot.db.base import POSTGRES_TIMEOUTS, make_engine
from bot.db.outbox import WorkItem
from bot.outbox.acks import AckWriter, Outcome
from bot.outbox.work import WorkQueue
from tests.load.conftest import Served, command, eventually
from tests.load.test_ack_writer import HeldWriter, _ack, _queued
from tests.load.test_outage_events import OUTAGE_LINE, tracebacks
from tests.support.db_proxy import HangingDatabase

SLACK_GIVES_UP = 3.0  # seconds Slack waits for an answer (operation_timeout after that)


@pytest.fixture
def hanging_database(postgres_url: str) -> Iterator[HangingDatabase]:
    proxy = HangingDatabase(postgres_url)
    yield proxy
    proxy.close()


def answers(emulator: SlackEmulator) -> int:
    """What reached the person through their commands' response_urls (the commands' work)."""
    return sum(1 for r in emulator.records if r.kind == "ephemeral" and r.user == "U0BUYER")


def timed(call: object) -> tuple[httpx.Response, float]:
    assert callable(call)
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


@pytest.mark.postgres
def test_a_command_while_the_database_hangs_is_answered_as_an_outage_in_time_and_not_done_later(
    emulator: SlackEmulator, playbooks_dir: Path, hanging_database: HangingDatabase,
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = Served(emulator, playbooks_dir, hanging_database.url, work_threads=1, work_process=False)
    try:
        assert served.post(command("help", emulator.new_response_url("C0OPS", "U0BUYER"))).status_code == 200
        assert eventually(lambda: answers(emulator) == 1)
        caplog.clear()
        caplog.set_level(logging.WARNING)
        hanging_database.hang()
        # Two people's commands in a row: each answered as an outage before Slack gives up.
        for _ in range(2):
            answer, took = timed(lambda: served.post(command("help", emulator.new_response_url("C0OPS", "U0BUYER"))))
            assert took < SLACK_GIVES_UP
            assert answer.status_code == 200
            assert OUTAGE_LINE in str(answer.json()["text"])
        # /readyz says so as fast, and does not claim migrations are pending: it could not ask.
        ready, took = timed(lambda: httpx.get(f"{served.base}/readyz", timeout=10))
        assert took < SLACK_GIVES_UP
        assert ready.status_code == 503
        assert ready.json()["database"] is False
        assert ready.json()["migrations"] is None
        hanging_database.resume()
        # Back: the next command is worked on; the two answered as an outage were not, late, behind their backs.
        assert eventually(lambda: httpx.get(f"{served.base}/readyz", timeout=10).status_code == 200)
        assert served.post(command("help", emulator.new_response_url("C0OPS", "U0BUYER"))).status_code == 200
        assert eventually(lambda: answers(emulator) == 2)
        served.front.settle(10)
        assert served.post(command("help", emulator.new_response_url("C0OPS", "U0BUYER"))).status_code == 200
        assert eventually(lambda: answers(emulator) == 3)
        assert answers(emulator) == 3
        assert tracebacks(caplog) == []
    finally:
        hanging_database.resume()  # a failed test must not leave the server waiting on a frozen database
        served.stop()


# -- the writer's side: an ack the front gave up on is never done later -----------------------------------------
@pytest.fixture
def database(database_on_both: Database) -> Database:
    return database_on_both


def _bodies(database: Database) -> list[str]:
    with database.engine.connect() as connection:
        return list(connection.scalars(select(WorkItem.body).order_by(WorkItem.id)))


def test_an_ack_given_up_while_its_batch_was_written_is_rolled_back_and_slacks_retry_is_taken_as_new(
    database: Database,
) -> None:
    writer = HeldWriter(database, WorkQueue(database))
    try:
        given_up = _ack(1)
        writer.submit(given_up)
        assert writer.inside.wait(30)  # its rows are being written; the database "hangs" there
        assert given_up.give_up() is None  # the front's deadline passed: answered as an outage
        writer.release.set()
        assert writer.submit(_ack(2)).result(30) is Outcome.QUEUED  # the writer has moved on
        assert _queued(database) == 1  # only the second: the first is not done behind the person's back
        assert writer.submit(_ack(3, key="trigger:1")).result(30) is Outcome.QUEUED  # Slack's retry is new
    finally:
        writer.stop()


def when_the_commit_is_on_the_wire(database: Database, then: Callable[[], object]) -> None:
    """Call ``then`` once, as the ack writer's commit is sent (its answer comes after the front's deadline): on
    SQLite as the transaction commits; on PostgreSQL, where the batch is one statement committed by itself, as that
    statement has run."""
    if database.engine.dialect.name != "postgresql":
        event.listen(database.engine, "commit", lambda _connection: then(), once=True)
        return

    called: list[bool] = []

    def ran(_connection: object, _cursor: object, statement: str, *_rest: object) -> None:
        if "INSERT INTO work" in statement and not called:
            called.append(True)
            then()

    event.listen(database.engine, "after_cursor_execute", ran)


def test_an_ack_given_up_while_its_commit_was_on_the_wire_is_undone_once_it_lands(database: Database) -> None:
    writer = AckWriter(database, WorkQueue(database))
    given_up = _ack(1)
    when_the_commit_is_on_the_wire(database, given_up.give_up)
    try:
        writer.submit(given_up)
        assert writer.submit(_ack(2)).result(30) is Outcome.QUEUED
        # Slack's retry of the given-up delivery (one writer thread: written after the late commit was undone).
        assert writer.submit(_ack(3, key="trigger:1")).result(30) is Outcome.QUEUED  # its delivery was forgotten
        assert not given_up.future.done()  # nobody was told it was queued
        assert _bodies(database) == ["command=/ops&text=help&n=2", "command=/ops&text=help&n=3"]  # the first: gone
    finally:
        writer.stop()


def test_an_ack_whose_commit_landed_just_before_the_deadline_keeps_its_outcome(database: Database) -> None:
    writer = AckWriter(database, WorkQueue(database))
    try:
        ack = _ack(1)
        assert writer.submit(ack).result(30) is Outcome.QUEUED
        assert ack.give_up() is Outcome.QUEUED  # the front uses it: answered as queued, not as an outage
        assert _queued(database) == 1
    finally:
        writer.stop()


@pytest.mark.postgres
def test_postgresql_connections_give_up_on_a_silent_database_unless_the_url_says_otherwise(postgres_url: str) -> None:
    def settings(url: str) -> dict[str, str]:
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                return dict(connection.connection.dbapi_connection.info.get_parameters())  # type: ignore[union-attr]
        finally:
            engine.dispose()

    given = settings(postgres_url)
    assert {name: given.get(name) for name in POSTGRES_TIMEOUTS} == {
        "connect_timeout": "3", "keepalives": "1", "keepalives_idle": "10", "keepalives_interval": "3",
        "keepalives_count": "3", "tcp_user_timeout": "10000",
    }
    assert settings(f"{postgres_url}?connect_timeout=9")["connect_timeout"] == "9"  # the operator's word wins
