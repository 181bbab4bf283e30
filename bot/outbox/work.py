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

from sqlalchemy import Connection, delete, func, insert, or_, select, update
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
        if fresh_triggers:
            wanted = (
                select(WorkItem.id)
                .where(free, WorkItem.lane == TRIGGER, WorkItem.received_at > now - TRIGGER_LIFE)
                .order_by(WorkItem.id.desc())
            )
        else:
            wanted = select(WorkItem.id).where(free).order_by(WorkItem.lane.desc(), WorkItem.id)
            if not homes:  # this replica's Home builds are all busy: the refreshes wait (and gather) unclaimed
                wanted = wanted.where(WorkItem.lane != HOME)
        with self.db.engine.begin() as connection:
            if finished is not None:
                connection.execute(delete(WorkItem).where(WorkItem.id == finished.id, WorkItem.owner == self.node))
            for row in connection.execute(wanted.limit(5)).all():
                taken = connection.execute(
                    update(WorkItem)
                    .where(WorkItem.id == row.id, free)
                    .values(owner=self.node, lease_until=now + self.lease, attempts=WorkItem.attempts + 1)
                )
                if getattr(taken, "rowcount", 0) != 1:
                    continue  # another replica took it between the two statements
                held = connection.execute(
                    select(
                        WorkItem.body, WorkItem.content_type, WorkItem.attempts, WorkItem.received_at, WorkItem.lane
                    ).where(WorkItem.id == row.id)
                ).one()
                if held.attempts > GIVE_UP_AFTER_ATTEMPTS:
                    log.error(
                        "work: giving up request %s, taken %s times without finishing (received %s)",
                        row.id,
                        held.attempts - 1,
                        held.received_at,
                    )
                    connection.execute(delete(WorkItem).where(WorkItem.id == row.id))
                    continue
                return Request(row.id, held.body, held.content_type, held.attempts, held.lane)
        return None

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
