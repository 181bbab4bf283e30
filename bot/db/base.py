"""Engine, sessions and the declarative base every feature's tables share."""

from __future__ import annotations

import contextlib
import os
import select
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, create_engine, event, exc, inspect, make_url
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always hands back aware UTC (SQLite forgets the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}  # noqa: RUF012 - SQLAlchemy reads it as a class attribute


def insert_ignore(session: Session, table: type[Base], **values: Any) -> bool:
    """Insert a row unless one with the same unique key exists; True when inserted. Unlike catching an
    IntegrityError, it leaves the transaction usable, so it can be part of a larger one.

    Whether it was inserted is read from the row ``RETURNING`` gives back (none on a conflict), not from the
    cursor's rowcount, which a driver may leave at -1 (psycopg after some statements; DBAPI allows it)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    key = inspect(table).primary_key
    statement = insert(table).values(**values).on_conflict_do_nothing().returning(*key)
    return session.execute(statement).first() is not None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the scheduler thread read while a listener writes; busy_timeout waits for the lock
    # instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode NORMAL writes each commit to the log without waiting for the disk: a crash of the process
    # (kill -9) loses nothing committed; only a power cut can lose the last moments. Waiting for the disk on
    # every commit put a flush on each Slack request's path (its de-duplication and replay rows).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # 30 s, not 5: on a loaded 2-core machine (CI beside other jobs) a listener's commit can be descheduled
    # while it holds the one write lock, and the scheduler's claim then failed with "database is locked" after
    # 5 s (the demo and month-long transcripts, stop 24's CI). A claim that waits is late; one that fails is lost.
    cursor.execute("PRAGMA busy_timeout=30000")
    # 64 MB of page cache (SQLite's default is 2 MB): a year of daily facts keeps its indexes in memory
    # while a report loads, instead of re-reading pages for every row.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


# How long a PostgreSQL client waits on a database that answers nothing (a network split, a frozen host), as libpq
# settings; any of them given in DATABASE_URL's query wins. Without them a new connection waited forever for the
# server's first word, and a socket whose peer vanished waited for the kernel's retransmissions (15 minutes): the
# ack writer, the work threads and the scheduler's tick stood still until the database came back ("skipped: maximum
# number of running instances reached" every 15 s). connect_timeout: a new connection fails after 3 s (libpq's
# floor is 2). Keepalives (idle 10 s, then 3 probes 3 s apart) and tcp_user_timeout (10 s of data unacknowledged):
# a socket whose peer is gone fails in about 20 s instead, and the pool opens a fresh one. A host that is frozen
# yet still acknowledges packets is not caught by any of these: the ack path has its own deadline (bot/front.py).
POSTGRES_TIMEOUTS: dict[str, int] = {
    "connect_timeout": 3,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 3,
    "keepalives_count": 3,
    "tcp_user_timeout": 10_000,  # milliseconds
}


def sessions_at_this_priority(engine: Engine) -> None:
    """Each new PostgreSQL session of ``engine`` runs at this process's CPU priority, when PostgreSQL runs on this
    machine and the operating system lets this process say so (root, or the same user): the work process runs at a
    lower priority so that the acks come first when cores are short, and the queries it sends (a month's KPI facts,
    a restock list) are its work too — done by PostgreSQL's own processes, which would otherwise compete with the
    acks' commits at full priority. Elsewhere (another host, or not allowed) nothing changes."""
    if engine.dialect.name != "postgresql" or engine.url.host not in (None, "", "localhost", "127.0.0.1", "::1"):
        return
    mine = os.getpriority(os.PRIO_PROCESS, 0)

    @event.listens_for(engine, "connect")
    def _lower(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("SELECT pg_backend_pid()")
            backend = int(cursor.fetchone()[0])
        finally:
            cursor.close()
        with contextlib.suppress(OSError):  # not allowed, or in another container's process space
            os.setpriority(os.PRIO_PROCESS, backend, mine)


def _gone_when_idle(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A pooled PostgreSQL connection the server has closed, found without a round trip: an idle connection has
    nothing to read, so one that has (the server's "terminating connection" notice, or the end of the stream
    after a restart or a closed proxy) is dropped and the pool opens a fresh one (SQLAlchemy's
    DisconnectionError at checkout). Anything else readable (a NOTIFY nobody listens for) costs a reconnect."""
    closed = getattr(dbapi_connection, "closed", False) or getattr(dbapi_connection, "broken", False)
    if closed or select.select([dbapi_connection.fileno()], [], [], 0)[0]:
        raise exc.DisconnectionError("the server closed this connection while it was idle")


def make_engine(url: str, *, ping: bool = True) -> Engine:
    """``ping`` (PostgreSQL): each connection taken from the pool is first asked ``SELECT 1`` — a round trip, which
    on a busy machine waits for a PostgreSQL process to get a core. Without it (the ack path, where that wait is in
    every ack), a connection the server closed while it was idle is still never used: seen on its socket."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    given = make_url(url).query
    timeouts = {name: value for name, value in POSTGRES_TIMEOUTS.items() if name not in given}
    engine = create_engine(url, pool_pre_ping=ping, connect_args=timeouts)
    if not ping:
        event.listen(engine, "checkout", _gone_when_idle)
    return engine


@dataclass
class _Open:
    """The transaction open in this context: its database, thread, session and what runs once it commits."""

    database: Database
    thread: int
    session: Session
    after_commit: dict[object, Callable[[], None]] = field(default_factory=dict)
    closed: bool = False


_open: ContextVar[_Open | None] = ContextVar("opsbot_transaction", default=None)


class Database:
    """One per process. ``transaction()`` commits on success and rolls back on any error.

    A ``transaction()`` opened inside another one (of the same database, in the same thread) joins it: a
    use case that changes something and announces it — the announcement being an outbox row — commits
    both together or neither, however many helpers it calls that open a transaction of their own.
    """

    def __init__(self, url: str, *, ping: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url, ping=ping)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        current = self.current()
        if current is not None:
            yield current.session
            return
        with self._sessions.begin() as session:
            opened = _Open(self, threading.get_ident(), session)
            token = _open.set(opened)
            try:
                yield session
            finally:
                opened.closed = True  # a context copied into another thread while it was open must not join it
                _open.reset(token)
        for callback in opened.after_commit.values():  # reached only once the commit succeeded
            callback()

    def current(self) -> _Open | None:
        """The transaction of this database open in this thread, if any (a copied context may carry another
        thread's: that one is never joined)."""
        opened = _open.get()
        if opened is None or opened.closed or opened.database is not self or opened.thread != threading.get_ident():
            return None
        return opened

    def after_commit(self, callback: Callable[[], None], *, once: object = None) -> bool:
        """Run ``callback`` once the open transaction commits, in the order registered; a second callback
        with the same ``once`` key is dropped. False when no transaction is open (nothing registered)."""
        current = self.current()
        if current is None:
            return False
        current.after_commit.setdefault(once if once is not None else object(), callback)
        return True

    def dispose(self) -> None:
        self.engine.dispose()
