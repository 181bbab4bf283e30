"""Group commit: the acks that arrive while one commit runs are written together by the next, each answered
once its own commit is done; a replay or a retry inside one batch is still recognised."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, create_engine, event, func, select, text
from sqlalchemy.pool import NullPool

from bot.db import Database
from bot.db.migrate import upgrade
from bot.db.outbox import WorkItem
from bot.outbox.acks import Ack, AckWriter, Outcome, ack_database
from bot.outbox.work import OTHER, TRIGGER, TRIGGER_LIFE, WorkQueue


class HeldWriter(AckWriter):
    """The ack writer, its first batch held inside its transaction until the test lets it go."""

    def __init__(self, db: Database, work: WorkQueue) -> None:
        super().__init__(db, work)
        self.inside, self.release = threading.Event(), threading.Event()

    def _rows(self, connection: Connection, batch: list[Ack]) -> list[Outcome]:
        if not self.inside.is_set():
            self.inside.set()
            assert self.release.wait(30)
        return super()._rows(connection, batch)


@pytest.fixture
def database(database_on_both: Database) -> Database:
    return database_on_both


def _ack(n: int, *, signature: str | None = None, key: str | None = None, queue: bool = True) -> Ack:
    return Ack(
        signature=signature or f"v0=sig{n}",
        timestamp="1795000000",
        team_id="T0DEMO",
        delivery_key=key or f"trigger:{n}",
        body=f"command=/ops&text=help&n={n}",
        content_type="application/x-www-form-urlencoded",
        queue=queue,
        lane=TRIGGER,
    )


def _queued(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(WorkItem)) or 0)


def test_acks_arriving_during_a_commit_are_written_together_by_the_next(database: Database) -> None:
    writer = HeldWriter(database, WorkQueue(database))
    guard = writer
    try:
        first = writer.submit(_ack(0))
        assert guard.inside.wait(30)  # the first commit is under way (held)
        later = [writer.submit(_ack(n)) for n in range(1, 11)]
        later.append(writer.submit(_ack(11, signature="v0=sig1")))  # a replay of the second, in the same batch
        later.append(writer.submit(_ack(12, key="trigger:2")))  # Slack retrying the third, in the same batch
        later.append(writer.submit(_ack(13, queue=False)))  # a view submission: remembered, run before answering
        assert not any(f.done() for f in [first, *later])  # nobody is answered before their commit
        guard.release.set()
        assert first.result(30) is Outcome.QUEUED
        outcomes = [f.result(30) for f in later]
        assert outcomes == [Outcome.QUEUED] * 10 + [Outcome.REPLAYED, Outcome.REPEATED, Outcome.CHECKED]
        assert (writer.batches, writer.written) == (2, 14)  # two commits for fourteen acks
        assert _queued(database) == 11
    finally:
        writer.stop()


def test_the_writer_answers_after_its_commit_so_an_answered_ack_is_in_the_queue(database: Database) -> None:
    queue = WorkQueue(database)
    writer = AckWriter(database, queue)
    try:
        for n in range(20):
            assert writer.write_now(_ack(n)) is Outcome.QUEUED
            assert _queued(database) == n + 1  # committed before it was answered
        assert queue.wake.is_set()
    finally:
        writer.stop()


def test_trigger_threads_take_only_fresh_triggers_newest_first_and_the_others_take_triggers_first(
    database: Database,
) -> None:
    at = [datetime(2026, 11, 23, 1, 0, tzinfo=UTC)]
    queue = WorkQueue(database, now=lambda: at[0])
    queue.add("T0DEMO", "event:1", "an event", "application/json", lane=OTHER)
    queue.add("T0DEMO", "trigger:old", "an old command", "form", lane=TRIGGER)
    at[0] += TRIGGER_LIFE  # its form can no longer open
    queue.add("T0DEMO", "trigger:a", "command a", "form", lane=TRIGGER)
    queue.add("T0DEMO", "trigger:b", "command b", "form", lane=TRIGGER)
    taken = [queue.claim(fresh_triggers=True) for _ in range(3)]
    assert [r.body if r else None for r in taken] == ["command b", "command a", None]
    others = [queue.claim() for _ in range(3)]
    assert [r.body if r else None for r in others] == ["an old command", "an event", None]


def _unpinged(postgres_url: str) -> Database:
    """The ack path's pool as the front makes it: no ``SELECT 1`` before each use."""
    database = ack_database(postgres_url)
    upgrade(database.engine)
    return database


@pytest.mark.postgres
def test_an_ack_is_one_statement_on_the_wire_with_no_ping_before_it(postgres_url: str) -> None:
    # On a busy machine each round trip waits for a PostgreSQL process to get a core: a ping before every batch
    # doubled what an ack waited for.
    database = _unpinged(postgres_url)
    statements: list[str] = []
    pinged: list[object] = []
    event.listen(database.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    ping = database.engine.dialect.do_ping
    database.engine.dialect.do_ping = lambda c: pinged.append(c) or ping(c)  # type: ignore[method-assign]
    writer = AckWriter(database, WorkQueue(database))
    try:
        assert writer.write_now(_ack(1)) is Outcome.QUEUED
        statements.clear()
        assert [writer.write_now(_ack(n)) for n in range(2, 5)] == [Outcome.QUEUED] * 3
        assert len(statements) == 3 and pinged == []
    finally:
        writer.stop()
        database.dispose()


@pytest.mark.postgres
def test_an_ack_after_the_server_closed_its_idle_connection_is_written_on_a_fresh_one(postgres_url: str) -> None:
    # A PostgreSQL restart, or an outage that closed every session, while the ack path's pool was idle: the first
    # ack after it must be queued, not answered as an outage on a connection that is gone.
    database = _unpinged(postgres_url)
    writer = AckWriter(database, WorkQueue(database))
    try:
        assert writer.write_now(_ack(1)) is Outcome.QUEUED
        admin = create_engine(postgres_url, poolclass=NullPool)
        with admin.connect() as connection:
            closed = connection.scalar(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid()"))
        admin.dispose()
        assert closed >= 1  # the pool's idle connections
        assert writer.write_now(_ack(2)) is Outcome.QUEUED
        assert _queued(database) == 2
    finally:
        writer.stop()
        database.dispose()
