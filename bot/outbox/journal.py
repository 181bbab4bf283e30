"""On SQLite, the ack path writes to a journal file of its own, and a mover carries the requests into ``work``.

SQLite has one write lock per file. Every work thread takes it to claim a request and to delete it when done,
listeners take it to write, and a waiter backs off for up to 100 ms between tries: with a backlog, the twelve
claiming threads kept the ack writer away from the lock for seconds (measured: 400 requests/s, p50 5.9 s).
So the ack writer commits into ``<database>-acks`` — the replay guard, the retry de-duplication and the
queued requests — a file only the ack path's threads write, and a mover thread moves what was queued into
the database's ``work`` table in batches, off the ack path: if it has to wait for the lock, requests wait in
the journal, durably, and the acks do not. (PostgreSQL locks rows, not the database: there the ack writer
writes ``work`` directly.)

Moving is exactly once: each journal row's move is recorded in ``processed_deliveries`` in the same
transaction as its ``work`` row (keyed by the journal's own id and the row's), so a crash between the move's
commit and the journal's delete moves nothing twice.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Engine, MetaData, String, Table, delete, event, func, insert, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import SQLAlchemyError

from bot.db import Database
from bot.db.base import Base
from bot.db.core import AcceptedSignature, ProcessedDelivery
from bot.db.outbox import WorkItem
from bot.outbox.moving import MOVE_BATCH, Moving
from bot.outbox.work import is_database_down

log = logging.getLogger(__name__)

CHECKPOINT_EVERY = 1.0  # seconds between the mover's checkpoints of the journal's WAL


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


_metadata = MetaData()
for _model in (AcceptedSignature, ProcessedDelivery):
    _table(_model).to_metadata(_metadata)
# Never reusing an id (AUTOINCREMENT): a moved row's id is its key in processed_deliveries.
JOURNAL_WORK = _table(WorkItem).to_metadata(_metadata)
JOURNAL_WORK.dialect_options["sqlite"]["autoincrement"] = True
IDENTITY = Table("journal_identity", _metadata, Column("id", String(40), primary_key=True))


def journal_url(url: str) -> str | None:
    """The journal next to a SQLite database file; None for PostgreSQL or a database in memory."""
    if not url.startswith("sqlite:///") or url.endswith((":memory:", "sqlite://")):
        return None
    return f"{url.split('?')[0]}-acks"


def open_journal(url: str) -> tuple[Database, str]:
    """The journal database (made if new) and its identity."""
    journal = Database(url)
    # SQLite checkpoints a WAL inside whichever commit takes it past 1,000 pages — here the ack writer's, and a
    # checkpoint copies the log into the file and waits for the disk: every few seconds at 400 requests/s, one
    # batch of acks waited for an fsync. The mover checkpoints instead (Mover.checkpoint), off the ack path.
    event.listen(journal.engine, "connect", _no_automatic_checkpoint)
    _create(journal.engine)
    with journal.engine.begin() as connection:
        connection.execute(sqlite.insert(IDENTITY).values(id=uuid.uuid4().hex).on_conflict_do_nothing())
        identity = str(connection.scalar(select(IDENTITY.c.id).limit(1)))
    return journal, identity


def _no_automatic_checkpoint(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def _create(engine: Engine) -> None:
    try:
        _metadata.create_all(engine)
    except SQLAlchemyError:  # two replicas starting together: the other made them first
        _metadata.create_all(engine)


class Mover(Moving):
    """The thread that moves queued requests from the journal into the database's ``work`` table."""

    thread_name = "opsbot-ack-mover"

    def __init__(self, journal: Database, identity: str, main: Database, wake: Callable[[], None]) -> None:
        super().__init__()  # ``ready`` is set by the ack writer when it committed a queued request
        self.journal, self.identity, self.main, self.wake = journal, identity, main, wake
        self._told_down = False
        self._checkpointed = 0.0  # time.monotonic() of the last checkpoint

    def waiting(self) -> tuple[int, datetime | None]:
        """How many requests wait in the journal, and when the oldest was received."""
        with self.journal.engine.connect() as connection:
            count, oldest = connection.execute(
                select(func.count(), func.min(JOURNAL_WORK.c.received_at)).select_from(JOURNAL_WORK)
            ).one()
        return int(count or 0), oldest

    def after_pass(self) -> None:
        self._told_down = False
        if time.monotonic() - self._checkpointed >= CHECKPOINT_EVERY:
            self.checkpoint()

    def pass_failed(self, error: SQLAlchemyError) -> None:
        if not self._told_down:  # one line per outage: the requests wait in the journal meanwhile
            self._told_down = True
            log.warning(
                "acks: could not move requests into the work queue (%s); they wait in the journal",
                "database unreachable" if is_database_down(error) else type(error).__name__,
            )

    def checkpoint(self) -> None:
        """Copy the journal's WAL into its file. PASSIVE: it neither waits for nor blocks the ack writer, which
        goes on appending; the WAL starts again from its beginning at the first commit after a whole copy."""
        with self.journal.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        self._checkpointed = time.monotonic()

    def move(self, limit: int = MOVE_BATCH) -> int:
        """Move up to ``limit`` requests, oldest first; how many were in the journal."""
        with self.journal.engine.connect() as connection:
            rows = connection.execute(select(JOURNAL_WORK).order_by(JOURNAL_WORK.c.id).limit(limit)).all()
        if not rows:
            return 0
        # Two statements for the whole batch (a statement per row held the ack process's interpreter lock).
        keys = {f"journal:{self.identity}:{row.id}": row for row in rows}  # moved before (a crash): not again
        with self.main.engine.begin() as connection:
            fresh = set(
                connection.execute(
                    sqlite.insert(ProcessedDelivery)
                    .values([{"team_id": row.team_id, "key": key, "received_at": row.received_at}
                             for key, row in keys.items()])
                    .on_conflict_do_nothing()
                    .returning(ProcessedDelivery.key)
                ).scalars()
            )
            if fresh:
                connection.execute(
                    insert(WorkItem),
                    [
                        {
                            "team_id": row.team_id,
                            "body": row.body,
                            "content_type": row.content_type,
                            "received_at": row.received_at,
                            "attempts": 0,
                            "lane": row.lane,
                        }
                        for key, row in keys.items()
                        if key in fresh
                    ],
                )
        with self.journal.engine.begin() as connection:
            connection.execute(delete(JOURNAL_WORK).where(JOURNAL_WORK.c.id <= rows[-1].id))
        self.wake()
        return len(rows)


__all__ = ["JOURNAL_WORK", "Mover", "journal_url", "open_journal"]
