"""The event journal on its own (``bot/outbox/event_journal.py``): each event moved once, in the order it came,
whether Slack's retry reached the database first, the move was interrupted, or the ack's commit landed late."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.outbox import WorkItem
from bot.outbox.acks import Ack, AckWriter, Outcome
from bot.outbox.event_journal import KEPT, EventJournal, Kept, default_path
from bot.outbox.work import OTHER, WorkQueue
from tests.load.test_outage_hang import when_the_commit_is_on_the_wire


@pytest.fixture
def database(database_on_both: Database) -> Database:
    return database_on_both


def _event(n: int, *, signature: str | None = None) -> Ack:
    return Ack(
        signature=signature or f"v0=sig{n}", timestamp="1795000000", team_id="T0DEMO", delivery_key=f"event:Ev{n}",
        body=f'{{"event_id": "Ev{n}"}}', content_type="application/json", queue=True, lane=OTHER, keep_if_late=True,
    )


def _keep(journal: EventJournal, ack: Ack) -> Kept:
    assert ack.delivery_key is not None
    return journal.keep(ack.team_id, ack.delivery_key, ack.body, ack.content_type, ack.lane)


def _bodies(database: Database) -> list[str]:
    with database.engine.connect() as connection:
        return list(connection.scalars(select(WorkItem.body).order_by(WorkItem.id)))


@pytest.fixture
def journal(tmp_path: Path, database: Database) -> Iterator[EventJournal]:
    kept = EventJournal(tmp_path / "events.sqlite3", database.url, limit=3, wake=lambda: None)
    yield kept
    kept.close()


def test_events_are_moved_once_each_in_the_order_they_came_even_when_a_move_is_interrupted(
    journal: EventJournal, database: Database
) -> None:
    assert [_keep(journal, _event(n)) for n in (3, 1, 2)] == [Kept.KEPT] * 3
    assert _keep(journal, _event(1, signature="v0=retry")) is Kept.REPEATED  # Slack's retry: kept once
    assert _keep(journal, _event(4)) is Kept.FULL  # the limit: 503, Slack delivers it again
    # Slack's retry of Ev2 reached the database directly once it was back (the ack writer queued it).
    writer = AckWriter(database, WorkQueue(database))
    try:
        assert writer.write_now(_event(2, signature="v0=direct")) is Outcome.QUEUED
    finally:
        writer.stop()
    with journal._db().engine.connect() as connection:  # what the journal holds, to put back after the move
        held = [dict(row._mapping) for row in connection.execute(select(KEPT))]
    assert journal.waiting()[0] == 3
    assert journal.move() == 3
    assert _bodies(database) == ['{"event_id": "Ev2"}', '{"event_id": "Ev3"}', '{"event_id": "Ev1"}']
    # A crash between the move's commit and the journal's delete: moved again, nothing doubles.
    with journal._db().engine.begin() as connection:
        connection.execute(KEPT.insert(), held)
    assert journal.move() == 3
    assert len(_bodies(database)) == 3
    assert journal.waiting() == (0, None)
    assert _keep(journal, _event(4)) is Kept.KEPT  # room again


def test_an_event_whose_commit_landed_after_the_front_kept_it_in_the_journal_runs_once(
    journal: EventJournal, database: Database
) -> None:
    writer = AckWriter(database, WorkQueue(database))
    late = _event(1)

    def deadline_passes() -> None:  # the commit is sent; its answer comes after the deadline
        late.give_up()
        assert _keep(journal, late) is Kept.KEPT  # the front keeps it in the journal and answers 200

    when_the_commit_is_on_the_wire(database, deadline_passes)
    try:
        writer.submit(late)
        assert writer.submit(_event(2)).result(30) is Outcome.QUEUED  # the late commit is behind us
        assert journal.move() == 1
        # Kept where it landed (not undone: its event id is recorded), and not moved in again from the journal.
        assert _bodies(database) == ['{"event_id": "Ev1"}', '{"event_id": "Ev2"}']
    finally:
        writer.stop()


def test_the_default_journal_is_named_after_its_database_without_its_password() -> None:
    one = default_path("postgresql+psycopg://opsbot:s3cret@db.internal:5432/opsbot")
    assert one == default_path("postgresql+psycopg://opsbot:other@db.internal:5432/opsbot")
    assert one != default_path("postgresql+psycopg://opsbot:s3cret@db.internal:5432/staging")
    assert "s3cret" not in str(one) and one.suffix == ".sqlite3"
