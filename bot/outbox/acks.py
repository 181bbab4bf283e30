"""Group commit for the ack path: one writer thread commits the rows of every ack waiting, together.

Each acknowledgement must be durable before Slack hears it: the signature remembered (the replay guard), the
delivery de-duplicated and the request queued in the ``work`` table, in one transaction. Committed one request
at a time, that is a commit (a WAL flush, a turn at SQLite's one write lock, a round trip to PostgreSQL) per
request, taken by threads that queue for the connection pool and the write lock: at a few hundred requests a
second the acks queued behind each other's commits. Here a single thread takes whatever acks have arrived,
writes them all in one transaction and commits once; each ack then answers Slack as soon as *its* batch is
committed. There is no timer: while one batch commits, the next gathers, so at low load a batch is one ack
and at high load a commit serves hundreds.

Nothing here runs a listener, calls Slack or waits for the work threads: the ack path's latency is this
thread's commit, whatever the backlog of work behind it.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import Enum

from sqlalchemy import Connection

from bot.db import Database
from bot.outbox.journal import Mover
from bot.outbox.work import WorkQueue, is_database_down
from bot.replays import ReplayGuard

log = logging.getLogger(__name__)

SLOW_COMMIT = 0.25  # seconds: a commit slower than this is logged (every ack in it waited that long)
MAX_BATCH = 500  # acks in one transaction: enough for a second of 400 requests/s, small enough to commit fast


class Outcome(Enum):
    QUEUED = "queued"  # remembered and queued: the work threads take it
    CHECKED = "checked"  # remembered, not queued: it runs before its answer (a view submission)
    REPEATED = "repeated"  # a delivery Slack sent before (a retry): acknowledged, nothing queued
    REPLAYED = "replayed"  # its signature was accepted before: refused
    DATABASE_DOWN = "database_down"  # nothing written: the caller says the database is away


@dataclass
class Ack:
    """What one acknowledgement writes. ``queue``: queue the request (else only remember its signature)."""

    signature: str
    timestamp: str | None
    team_id: str
    delivery_key: str | None
    body: str
    content_type: str
    queue: bool
    lane: int = 0
    future: Future[Outcome] = field(default_factory=Future)


class AckWriter:
    """The one thread that writes acks, started when first used."""

    def __init__(
        self,
        db: Database,
        guard: ReplayGuard,
        work: WorkQueue,
        *,
        mover: Mover | None = None,
        max_batch: int = MAX_BATCH,
    ) -> None:
        """``mover``: on SQLite, ``db`` is the ack journal, whose queued requests it moves into ``work``
        (``bot/outbox/journal.py``)."""
        self.db = db
        self.mover = mover
        self.guard = guard
        self.work = work
        self.max_batch = max_batch
        self._pending: queue.SimpleQueue[Ack | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.batches = 0  # how many commits, for the tests and the benchmark's curiosity
        self.written = 0

    def submit(self, ack: Ack) -> Future[Outcome]:
        """Queue an ack for the next commit; the future holds its outcome once that commit is done."""
        self._ensure_started()
        self._pending.put(ack)
        return ack.future

    def write_now(self, ack: Ack) -> Outcome:
        """:meth:`submit` and wait (for callers on a thread of their own)."""
        return self.submit(ack).result()

    def _ensure_started(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                if self.mover is not None:
                    self.mover.start()
                self._thread = threading.Thread(target=self._run, name="opsbot-ack-writer", daemon=True)
                self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._pending.put(None)
            self._thread.join(5)
            self._thread = None
        if self.mover is not None:
            self.mover.stop()

    def _run(self) -> None:
        while True:
            first = self._pending.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    more = self._pending.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._pending.put(None)  # stop after this batch
                    break
                batch.append(more)
            self._write(batch)

    def _write(self, batch: list[Ack]) -> None:
        started = time.perf_counter()
        try:
            with self.db.engine.begin() as connection:
                outcomes = [self._one(connection, ack) for ack in batch]
        except Exception as error:
            if is_database_down(error):
                for ack in batch:
                    _settle(ack, Outcome.DATABASE_DOWN)
            elif len(batch) > 1:
                # One ack's rows failed (a bug, not an outage): the others must not fail with it.
                for ack in batch:
                    self._write([ack])
            elif not batch[0].future.cancelled():
                batch[0].future.set_exception(error)
            return
        self.batches += 1
        self.written += len(batch)
        took = time.perf_counter() - started
        if took > SLOW_COMMIT:
            log.warning("acks: committing %s acks took %.0f ms (the database held them)", len(batch), took * 1000)
        if Outcome.QUEUED in outcomes:
            (self.mover.ready if self.mover is not None else self.work.wake).set()
        for ack, outcome in zip(batch, outcomes, strict=True):
            _settle(ack, outcome)

    def _one(self, connection: Connection, ack: Ack) -> Outcome:
        if not self.guard.remember(connection, ack.signature, ack.timestamp):
            return Outcome.REPLAYED
        if not ack.queue:
            return Outcome.CHECKED
        added = self.work.add_within(
            connection, ack.team_id, ack.delivery_key, ack.body, ack.content_type, lane=ack.lane
        )
        return Outcome.QUEUED if added else Outcome.REPEATED


def _settle(ack: Ack, outcome: Outcome) -> None:
    # The client may have gone (its waiting cancelled): what was written stays written, nobody is told.
    if not ack.future.cancelled():
        ack.future.set_result(outcome)
