"""The work queue: a Slack request is acknowledged at once, and its work is done afterwards, by any replica.

Acknowledging writes one ``work`` row (with the delivery's de-duplication row, in one transaction) and
answers Slack; nothing on that path waits on Slack or on a feature's work. The work threads of every replica
take rows oldest first under a lease, run the feature's listener on the request and delete the row. So
beyond what the threads can do at once, requests are still acknowledged in time and wait here, durably:
a restart finds them, and a replica killed mid-work leaves its lease to run out, after which a live one
takes the request over. Work done again writes the same outbox keys, so nothing reaches Slack twice.

A row taken :data:`GIVE_UP_AFTER_ATTEMPTS` times without finishing (its work killed the process each time)
is given up and logged, so one poisonous request cannot take a replica down for ever.

Work that meets a database outage and has nobody to tell (an event: Slack was answered long ago, nobody waits
on a response_url) is not lost either: the app's error handler calls :func:`retry_later`, and the request
goes back to the queue, taken again :data:`RETRY_AFTER` later — or once the database is back, whichever is
later — without the outage counting as one of its attempts.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, Connection, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.db import Database
from bot.db.core import ProcessedDelivery
from bot.db.outbox import WorkItem

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)  # renewed while the work runs: only a dead replica's lease runs out
GIVE_UP_AFTER_ATTEMPTS = 3
OTHER, TRIGGER = 0, 1  # the lanes: a request carrying a trigger_id (it may open a form), and the rest
# Slack's trigger_id opens a form within 3 s of the request: the trigger threads only take requests younger
# than this (older ones' forms can no longer open; the other threads take them in their turn).
TRIGGER_LIFE = timedelta(seconds=3)
# Work put back because the database went away while it ran: taken again no sooner than this.
RETRY_AFTER = timedelta(seconds=5)
# The lane of work the bot queues itself, never a Slack request: an App Home to build and publish again, asked
# while a form was being answered. Only :meth:`WorkQueue.add_home_within` writes it (the ack path writes
# TRIGGER or OTHER), so nothing from Slack's side can ask for it; taken after Slack's requests (a Home is
# freshness, a request is someone waiting).
HOME = -1
HOME_CONTENT_TYPE = "application/x-opsbot-home"
# How many requests a claim tries at most: enough to step past those another replica takes meanwhile.
_CANDIDATES = 5
# While no lease has run out, a work thread looks for one no more often than this (a dead replica's lease is a
# minute, a request put back waits RETRY_AFTER: a second more is nothing to them, a query less every claim is).
EXPIRED_EVERY = timedelta(seconds=1)


def _received(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite gives back naive UTC


def is_database_down(error: BaseException) -> bool:
    """The database cannot be reached (refused, gone, pool exhausted), as opposed to a bug in a query."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


# The work queue, while a form is answered by a process whose queued work runs in another one (``opsbot serve``'s
# work process): what the answer puts off that is heavy (an App Home's build) is queued there, not run here.
_elsewhere: ContextVar[WorkQueue | None] = ContextVar("opsbot_work_elsewhere", default=None)


@contextmanager
def working_elsewhere(queue: WorkQueue | None) -> Iterator[None]:
    """While the body runs, :func:`work_elsewhere` gives ``queue`` (None: put-off work stays in this process)."""
    token = _elsewhere.set(queue)
    try:
        yield
    finally:
        _elsewhere.reset(token)


def work_elsewhere() -> WorkQueue | None:
    """The queue whose work another process runs, when a form is being answered here and there is one."""
    return _elsewhere.get()


class _Attempt:
    """The request a work thread is running: whether its listener asked for it to be done again later."""

    def __init__(self) -> None:
        self.again: BaseException | None = None


# Set by the work thread around each request; the listener runs in a copy of this context (the app copies it
# for every dispatch, the listener pool carries it), which shares the one mutable attempt.
_attempt: ContextVar[_Attempt | None] = ContextVar("opsbot_work_attempt", default=None)


def retry_later(error: BaseException) -> bool:
    """Ask for the request being worked on to be put back in the queue and done again later (the database
    went away under it, and nobody waits for its answer). False outside a work thread: nothing to put back."""
    attempt = _attempt.get()
    if attempt is None:
        return False
    attempt.again = error
    return True


@dataclass(frozen=True)
class Request:
    """A request taken from the queue: its body as Slack sent it."""

    id: int
    body: str
    content_type: str
    attempts: int
    lane: int = OTHER


class WorkQueue:
    def __init__(
        self,
        db: Database,
        *,
        lease: timedelta = LEASE,
        now: Callable[[], datetime] | None = None,
        wake: threading.Event | None = None,
    ) -> None:
        self.db = db
        self.lease = lease
        self.now = now or (lambda: datetime.now(UTC))  # leases are real seconds, whatever the business clock
        self.node = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.wake = wake or threading.Event()  # set when a request is queued: an idle work thread takes it
        self._look_for_expired: datetime | None = None  # the next claim at or after it looks for expired leases

    def first_time(self, team_id: str, delivery_key: str) -> bool:
        """Record a delivery that is run before answering; False when it was seen before (Slack retrying)."""
        try:
            with self.db.engine.begin() as connection:
                connection.execute(
                    insert(ProcessedDelivery).values(team_id=team_id, key=delivery_key, received_at=self.now())
                )
        except IntegrityError:
            log.info("ignoring a repeated delivery %s", delivery_key)
            return False
        return True

    def add(self, team_id: str, delivery_key: str | None, body: str, content_type: str, *, lane: int = OTHER) -> bool:
        """Queue a request; False when this delivery was queued before (Slack retrying it): nothing is added."""
        with self.db.engine.begin() as connection:  # a bare connection: the ack path stays small
            added = self.add_within(connection, team_id, delivery_key, body, content_type, lane=lane)
        if added:
            self.wake.set()
        return added

    def add_within(
        self,
        connection: Connection,
        team_id: str,
        delivery_key: str | None,
        body: str,
        content_type: str,
        *,
        lane: int = OTHER,
        received_at: datetime | None = None,
    ) -> bool:
        """:meth:`add` in the caller's transaction (which then sets :attr:`wake` once it commits).
        ``received_at``: when Slack sent it, if it waited elsewhere first (the SQLite ack journal)."""
        now = received_at or self.now()
        if delivery_key is not None:
            upsert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
            seen = connection.execute(
                upsert(ProcessedDelivery)
                .values(team_id=team_id, key=delivery_key, received_at=now)
                .on_conflict_do_nothing()
                .returning(ProcessedDelivery.id)  # a row back when it was new (rowcount is not portable)
            ).first()
            if seen is None:
                log.info("ignoring a repeated delivery %s", delivery_key)
                return False
        connection.execute(
            insert(WorkItem).values(
                team_id=team_id, body=body, content_type=content_type, received_at=now, attempts=0, lane=lane
            )
        )
        return True

    def add_home_within(self, connection: Connection, team_id: str, body: str) -> bool:
        """Queue an App Home refresh (``body`` says whose) in the caller's transaction, so it commits with the
        change that asked for it; False when the same refresh already waits, unclaimed: that one builds the Home
        when it runs, so it shows this change too. (The caller sets :attr:`wake` once it commits.)"""
        waiting = connection.execute(
            select(WorkItem.id).where(WorkItem.lane == HOME, WorkItem.owner.is_(None), WorkItem.body == body).limit(1)
        ).first()
        if waiting is not None:
            return False
        connection.execute(
            insert(WorkItem).values(
                team_id=team_id,
                body=body,
                content_type=HOME_CONTENT_TYPE,
                received_at=self.now(),
                attempts=0,
                lane=HOME,
            )
        )
        return True

    def claim(
        self, finished: Request | None = None, *, fresh_triggers: bool = False, homes: bool = True
    ) -> Request | None:
        """The request nobody holds (or whose holder's lease ran out) to do next, now held by this replica:
        the oldest in the trigger lane, else the oldest. ``fresh_triggers`` (the trigger threads): only a
        trigger-lane request whose trigger can still open a form, the newest first — under a backlog the
        newest are those whose 3 seconds are not yet spent.
        ``finished``: the request this thread has just done, deleted in the same transaction (one commit a
        request, not two: on SQLite every commit is a turn at the one write lock)."""
        now = self.now()
        free = or_(WorkItem.owner.is_(None), WorkItem.lease_until < now)
        with self.db.engine.begin() as connection:
            if finished is not None:
                connection.execute(delete(WorkItem).where(WorkItem.id == finished.id, WorkItem.owner == self.node))
            for candidate in self._candidates(connection, now, fresh_triggers=fresh_triggers, homes=homes):
                held = connection.execute(
                    update(WorkItem)
                    .where(WorkItem.id == candidate, free)
                    .values(owner=self.node, lease_until=now + self.lease, attempts=WorkItem.attempts + 1)
                    .returning(
                        WorkItem.body, WorkItem.content_type, WorkItem.attempts, WorkItem.received_at, WorkItem.lane
                    )
                ).first()
                if held is None:
                    continue  # another replica took it between the two statements
                if held.attempts > GIVE_UP_AFTER_ATTEMPTS:
                    log.error(
                        "work: giving up request %s, taken %s times without finishing (received %s)",
                        candidate,
                        held.attempts - 1,
                        held.received_at,
                    )
                    connection.execute(delete(WorkItem).where(WorkItem.id == candidate))
                    continue
                return Request(candidate, held.body, held.content_type, held.attempts, held.lane)
        return None

    def _candidates(
        self, connection: Connection, now: datetime, *, fresh_triggers: bool, homes: bool
    ) -> Iterator[int]:
        """The ids a claim tries, in turn: a request whose holder's lease ran out (a replica killed mid-work, or a
        request put back :meth:`later`), which has waited longest; then those nobody holds, the trigger lane's
        first, then the rest, then the Home refreshes, oldest first in each (``fresh_triggers``: the trigger
        lane's newest, younger than TRIGGER_LIFE).

        Both are read through an index, a row or a few at a time, so a claim costs the same however long the
        backlog: the free requests lane by lane through ``ix_work_free`` (only they), the expired leases through
        ``ix_work_lease``, looked for at most every :data:`EXPIRED_EVERY` while none is found (there are at most as
        many as there were work threads). On PostgreSQL each row read is locked, skipping those another thread is
        claiming: twelve threads claiming at once each take a different row instead of queueing on the same one's
        lock, and none holds rows it will not take (which the others would skip, taking a Home refresh while
        Slack's requests wait). SQLite has one writer at a time: there a few are read and tried in turn."""
        locking = connection.dialect.name == "postgresql"
        limit = 1 if locking else _CANDIDATES
        if not fresh_triggers and (self._look_for_expired is None or now >= self._look_for_expired):
            expired = connection.execute(
                select(WorkItem.id)
                .where(WorkItem.owner.is_not(None), WorkItem.lease_until < now)
                .order_by(WorkItem.lease_until)
                .limit(_CANDIDATES)
            ).scalars().all()
            self._look_for_expired = None if expired else now + EXPIRED_EVERY
            yield from expired
        lanes: list[tuple[int, ColumnElement[int]]]
        if fresh_triggers:
            lanes = [(TRIGGER, WorkItem.id.desc())]
        else:
            lanes = [(lane, WorkItem.id.asc()) for lane in ((TRIGGER, OTHER, HOME) if homes else (TRIGGER, OTHER))]
        for lane, order in lanes:
            wanted = (
                select(WorkItem.id, WorkItem.received_at)
                .where(WorkItem.lane == lane, WorkItem.owner.is_(None))
                .order_by(order)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
            for _ in range(_CANDIDATES):
                rows = connection.execute(wanted).all()
                for row in rows:
                    if fresh_triggers and _received(row.received_at) <= now - TRIGGER_LIFE:
                        # The newest queued are the youngest (a request waits in the ack journal a moment at
                        # most): once one is too old to open a form, so are those queued before it.
                        return
                    yield row.id
                if not locking or not rows:
                    break  # (PostgreSQL: a row given up was deleted; the next read finds the one after it)

    def done(self, request: Request) -> None:
        with self.db.engine.begin() as connection:
            connection.execute(delete(WorkItem).where(WorkItem.id == request.id, WorkItem.owner == self.node))

    def later(self, request: Request) -> None:
        """Put a request this replica holds back in the queue, to be taken again :data:`RETRY_AFTER` from now
        (an outage is not the request's fault: the attempt is not counted)."""
        with self.db.engine.begin() as connection:
            connection.execute(
                update(WorkItem)
                .where(WorkItem.id == request.id, WorkItem.owner == self.node)
                .values(lease_until=self.now() + RETRY_AFTER, attempts=WorkItem.attempts - 1)
            )

    def renew(self, ids: list[int]) -> None:
        """Keep holding what this replica is working on."""
        if not ids:
            return
        with self.db.engine.begin() as connection:
            connection.execute(
                update(WorkItem)
                .where(WorkItem.id.in_(ids), WorkItem.owner == self.node)
                .values(lease_until=self.now() + self.lease)
            )

    def depth(self) -> tuple[int, float]:
        """How many requests wait (or are being worked on), and how many seconds the oldest has waited."""
        with self.db.engine.connect() as connection:
            count, oldest = connection.execute(select(func.count(), func.min(WorkItem.received_at))).one()
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        return int(count or 0), (self.now() - oldest).total_seconds() if oldest is not None else 0.0
