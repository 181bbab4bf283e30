"""On PostgreSQL, Slack's events that arrive while the database is away wait in a local journal file of the replica's.

Slack delivers an event, retries it at once, after about a minute and after about five, then gives up — and turns
the app's events off after repeated failures. An event answered 503 for the length of an outage longer than that
was lost (issue 17: "nothing acknowledged is lost"; "a database that is down is an outage, not a crash"). So when
the ack writer cannot reach the database, an event (nobody waits on it: a command, a button or a form is still told
of the outage) is written to this journal, a SQLite file of this replica's, and acknowledged; the
:class:`EventJournal`'s thread moves the journal's events into the ``work`` table once the database answers, oldest
first, and the work threads run them as they run any event.

Each event is kept and moved by its delivery key (Slack's event id, ``event:Ev…``): the journal keeps one row per
event, however many of Slack's retries reach it; the move records the key in the database's
``processed_deliveries`` in the same transaction as the event's ``work`` row, as the ack writer does for a
delivery it queues. So an event queued directly (a retry after the database came back, or an ack whose commit was
held by a hanging database and landed late) is not queued again from the journal, nor the other way round, and a
crash between the move's commit and the journal's delete moves nothing twice. The ack path's replay guard (the
signatures it accepted) is not consulted: a replayed event carries the event id it was signed with, and is
recognised by it here and in the database.

What is kept is what the work queue keeps — the body as Slack signed it and its content type, all the work threads
need to dispatch it — in a file that should be on a disk that outlives the replica's restarts
(``OPSBOT_EVENT_JOURNAL``). It is bounded (``OPSBOT_EVENT_JOURNAL_MAX`` events): full, an event gets 503 again,
and the log says so once. Nothing of a body, a signature or a token is ever logged.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    event,
    func,
    insert,
    make_url,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from bot.db import Database
from bot.db.base import UTCDateTime
from bot.db.core import ProcessedDelivery
from bot.db.outbox import WorkItem
from bot.outbox.moving import MOVE_BATCH, Moving
from bot.outbox.work import is_database_down

log = logging.getLogger(__name__)

LIMIT = 10_000  # events kept at most: a few KB each, tens of MB on disk; a day's events of a large team

_metadata = MetaData()
# Never reusing an id (AUTOINCREMENT): the order the events came in is the order they are moved, and run.
KEPT = Table(
    "kept_events",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("team_id", String(32), nullable=False),
    Column("delivery_key", String(255), nullable=False),
    Column("body", Text, nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("lane", Integer, nullable=False),
    Column("received_at", UTCDateTime, nullable=False),
    UniqueConstraint("team_id", "delivery_key"),
    sqlite_autoincrement=True,
)


class Kept(Enum):
    KEPT = "kept"  # written: acknowledge it
    REPEATED = "repeated"  # the journal holds this event already (one of Slack's retries): acknowledge it
    FULL = "full"  # not written: the journal holds its limit (or cannot be written): 503, Slack delivers it again


def default_path(database_url: str) -> Path:
    """``opsbot-events-<database>.sqlite3`` in the working directory, like the SQLite default: named after the
    database it belongs to (its host, port and name; never a password), so a replica pointed at another database
    never moves one database's events into the other."""
    url = make_url(database_url)
    which = f"{url.host}:{url.port}/{url.database}"
    return Path(f"opsbot-events-{hashlib.sha256(which.encode()).hexdigest()[:12]}.sqlite3")


class EventJournal(Moving):
    """The replica's journal of events the database could not take, and the thread that moves them into ``work``.

    The file is made when the first event is kept; a replica started on a file a previous run left moves what it
    holds as soon as the database answers, with no request from Slack to wake it.
    """

    thread_name = "opsbot-event-journal"

    def __init__(self, path: Path, main_url: str, *, limit: int, wake: Callable[[], None]) -> None:
        super().__init__()
        self.path, self.main_url, self.limit, self.wake = path, main_url, limit, wake
        self._journal: Database | None = None
        self._main: Database | None = None
        self._lock = threading.Lock()
        self._told_full = False

    # -- keeping, on the ack path (a thread of its own: a local commit) -----------------------------------
    def keep(self, team_id: str, delivery_key: str, body: str, content_type: str, lane: int) -> Kept:
        """Write one event to the journal, durably, unless it is there already or the journal is full."""
        try:
            with self._db().engine.begin() as connection:
                held = connection.scalar(select(func.count()).select_from(KEPT)) or 0
                if held >= self.limit:
                    there = connection.scalar(select(KEPT.c.id).where(
                        KEPT.c.team_id == team_id, KEPT.c.delivery_key == delivery_key))
                    return Kept.REPEATED if there is not None else self._full()
                self._told_full = False  # room again: moved meanwhile (perhaps by the work process)
                written = connection.execute(
                    sqlite.insert(KEPT)
                    .values(team_id=team_id, delivery_key=delivery_key, body=body, content_type=content_type,
                            lane=lane, received_at=datetime.now(UTC))
                    .on_conflict_do_nothing()
                    .returning(KEPT.c.id)
                ).first()
        except (SQLAlchemyError, OSError) as error:  # the disk itself: Slack keeps the event, as before
            log.warning("events: could not write an event to the journal %s (%s); it gets 503",
                        self.path, type(error).__name__)
            return Kept.FULL
        if written is None:
            return Kept.REPEATED
        if held == 0:  # the first of an outage (the journal is emptied when it is moved): one line, saying where
            log.warning("events: the database is unreachable; events are kept in the journal %s until it is back",
                        self.path)
        self.ready.set()
        return Kept.KEPT

    def _full(self) -> Kept:
        if not self._told_full:  # once until the journal is moved: then 503 per event, silently
            self._told_full = True
            log.warning("events: the journal %s is full (%s event%s): events get 503 until the database is back",
                        self.path, self.limit, "" if self.limit == 1 else "s")
        return Kept.FULL

    def waiting(self) -> tuple[int, datetime | None]:
        """How many events wait in the journal, and when the oldest arrived (UTC)."""
        if self._journal is None and not self.path.exists():
            return 0, None
        with self._db().engine.connect() as connection:
            count, oldest = connection.execute(select(func.count(), func.min(KEPT.c.received_at))).one()
        return int(count or 0), oldest

    # -- moving, on a thread of its own (``Moving``) ----------------------------------------------------------
    def after_fork(self) -> None:
        """In a forked process: the parent's connections are the parent's (and its thread did not come along)."""
        self.forget_thread()
        for db in (self._journal, self._main):
            if db is not None:
                db.engine.dispose(close=False)

    def close(self) -> None:
        self.stop()
        for db in (self._journal, self._main):
            if db is not None:
                db.dispose()

    def pass_failed(self, error: SQLAlchemyError) -> None:
        if not is_database_down(error):  # down: they wait in the journal, tried again in a second, silently
            log.warning("events: could not move the journal's events into the work queue (%s)",
                        type(error).__name__)

    def move(self, limit: int = MOVE_BATCH) -> int:
        """Move up to ``limit`` events into the work queue, oldest first; how many the journal held."""
        if self._journal is None and not self.path.exists():
            return 0
        with self._db().engine.connect() as connection:
            rows = connection.execute(select(KEPT).order_by(KEPT.c.id).limit(limit)).all()
        if not rows:
            return 0
        main = self._main_db()
        upsert = postgresql.insert if main.engine.dialect.name == "postgresql" else sqlite.insert
        with main.engine.begin() as connection:
            fresh = {
                (str(team), str(key))
                for team, key in connection.execute(
                    upsert(ProcessedDelivery)
                    .values([{"team_id": r.team_id, "key": r.delivery_key, "received_at": r.received_at} for r in rows])
                    .on_conflict_do_nothing()
                    .returning(ProcessedDelivery.team_id, ProcessedDelivery.key)
                )
            }
            moved = [r for r in rows if (r.team_id, r.delivery_key) in fresh]
            if moved:
                connection.execute(insert(WorkItem), [
                    {"team_id": r.team_id, "body": r.body, "content_type": r.content_type,
                     "received_at": r.received_at, "attempts": 0, "lane": r.lane}
                    for r in moved
                ])
        with self._db().engine.begin() as connection:
            connection.execute(delete(KEPT).where(KEPT.c.id <= rows[-1].id))
        log.info("events: moved %s event%s kept during the outage into the work queue (%s there already)",
                 len(moved), "" if len(moved) == 1 else "s", len(rows) - len(moved))
        self.wake()
        return len(rows)

    def _db(self) -> Database:
        with self._lock:
            if self._journal is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._journal = Database(f"sqlite:///{self.path}")
                event.listen(self._journal.engine, "connect", _flushed)
                _create(self._journal.engine)
            return self._journal

    def _main_db(self) -> Database:
        """A small pool of the mover's own, on the main database (made when there is something to move)."""
        with self._lock:
            if self._main is None:
                self._main = Database(self.main_url)
            return self._main


def _flushed(dbapi_connection: Any, _record: Any) -> None:
    # Each event is acknowledged once its commit is here, and Slack will not send it again: on the disk, not only
    # in the log a power cut would lose (the database's own files say NORMAL; an outage's events are few).
    dbapi_connection.execute("PRAGMA synchronous=FULL")


def _create(engine: Engine) -> None:
    try:
        _metadata.create_all(engine)
    except SQLAlchemyError:  # two processes opening it together (the replica and its work process)
        _metadata.create_all(engine)


__all__ = ["KEPT", "LIMIT", "EventJournal", "Kept", "default_path"]
