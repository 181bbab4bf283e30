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

A database that hangs (a network split, a frozen host) would hold that commit, and every ack behind it, for as
long as it hangs: the front waits at most ``ACK_DEADLINE`` (``bot/front.py``) and then answers the request as an
outage and *gives up* its ack (:meth:`Ack.give_up`). A given-up ack must not be done later behind the person's back
(they were told to try again), so the writer never writes one that was given up before its batch commits: it drops
it when it takes the batch, and checks again just before the commit (a batch with one given up is rolled back and
written again without it). An ack given up while its commit was on the wire (it landed late) is undone right after
that commit, before the work threads are woken: its queued request deleted if nobody has taken it yet, its
delivery forgotten so that Slack's retry of an event is taken as new. What is left is a request taken by another
replica's idle poll in the moment between that late commit and its undoing: logged, never silent. An event is
the exception: nobody was told anything, and it comes again by its event id (Slack's retry, or the copy the front kept
in the event journal, ``bot/outbox/event_journal.py``), which its late commit recorded — so it is kept, and runs once.
"""

from __future__ import annotations

import hashlib
import logging
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import Connection, and_, delete, insert, text
from sqlalchemy.dialects import sqlite

from bot.db import Database
from bot.db.core import AcceptedSignature, ProcessedDelivery
from bot.db.outbox import WorkItem
from bot.outbox.journal import Mover
from bot.outbox.work import WorkQueue, is_database_down
from bot.replays import KEEP, PRUNE_EVERY

log = logging.getLogger(__name__)

# The ack path's one statement on PostgreSQL: the batch arrives as arrays (one row an ack, numbered from 1); the
# signatures are remembered, then the deliveries of the acks whose signature was new (Slack retrying one already
# taken is not), then the requests of those queued — each step sees what the one before it wrote. The statement is
# its own transaction; each ack's row says whether its signature and its delivery were new.
AT_ONCE = text("""
WITH batch AS (
    SELECT * FROM unnest(
        CAST(:hash AS text[]), CAST(:signed_at AS timestamptz[]), CAST(:team_id AS text[]),
        CAST(:delivery AS text[]), CAST(:body AS text[]), CAST(:content_type AS text[]), CAST(:lane AS smallint[]),
        CAST(:queue AS boolean[]), CAST(:first_signature AS boolean[]), CAST(:first_delivery AS boolean[])
    ) WITH ORDINALITY AS b(hash, signed_at, team_id, delivery, body, content_type, lane, queue, first_signature,
                           first_delivery, n)
), signatures AS (
    INSERT INTO accepted_signatures (signature_hash, signed_at)
    SELECT hash, signed_at FROM batch WHERE first_signature
    ON CONFLICT DO NOTHING
    RETURNING signature_hash
), taken AS (
    SELECT batch.* FROM batch JOIN signatures ON signatures.signature_hash = batch.hash
    WHERE batch.first_signature AND batch.queue
), deliveries AS (
    INSERT INTO processed_deliveries (team_id, key, received_at)
    SELECT team_id, delivery, :now FROM taken WHERE first_delivery
    ON CONFLICT DO NOTHING
    RETURNING team_id, key
), queued AS (
    INSERT INTO work (team_id, body, content_type, received_at, attempts, lane)
    SELECT taken.team_id, taken.body, taken.content_type, :now, 0, taken.lane FROM taken
    WHERE taken.delivery IS NULL
       OR taken.first_delivery AND EXISTS (
           SELECT 1 FROM deliveries WHERE deliveries.team_id = taken.team_id AND deliveries.key = taken.delivery)
    ORDER BY taken.n
    RETURNING id
)
SELECT batch.n,
       EXISTS (SELECT 1 FROM signatures WHERE signatures.signature_hash = batch.hash) AS new_signature,
       EXISTS (SELECT 1 FROM deliveries
               WHERE deliveries.team_id = batch.team_id AND deliveries.key = batch.delivery) AS new_delivery,
       (SELECT count(*) FROM queued) AS queued
FROM batch ORDER BY batch.n
""")
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
    keep_if_late: bool = False  # an event: its commit landing after the front gave up on it is kept (see _undo)
    future: Future[Outcome] = field(default_factory=Future)
    given_up: bool = False  # the front answered without it (past its deadline): not to be done
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def give_up(self) -> Outcome | None:
        """The front stops waiting: the outcome if the commit landed just now (use it), else None and the ack
        is not written — or, if its commit is on the wire, undone once it lands."""
        with self._lock:
            if self.future.done() and not self.future.cancelled() and self.future.exception() is None:
                return self.future.result()
            self.given_up = True
            return None

    def settle(self, outcome: Outcome) -> bool:
        """Tell the front the outcome; False if it had given up (the caller undoes what was written)."""
        with self._lock:
            if self.given_up:
                return False
            _settle(self, outcome)
            return True


class _GivenUp(Exception):
    """An ack of the batch was given up before the commit: the batch is rolled back and written without it."""


def ack_database(url: str) -> Database:
    """The ack path's own connection pool on PostgreSQL (a listener holding connections cannot starve an ack),
    without a ``SELECT 1`` before each use: that round trip was in every ack. A connection the server closed while
    idle is still never used: the pool sees it on its socket (``bot/db/base.py``)."""
    return Database(url, ping=False)


class AckWriter:
    """The one thread that writes acks, started when first used."""

    def __init__(
        self,
        db: Database,
        work: WorkQueue,
        *,
        mover: Mover | None = None,
        max_batch: int = MAX_BATCH,
    ) -> None:
        """``mover``: on SQLite, ``db`` is the ack journal, whose queued requests it moves into ``work``
        (``bot/outbox/journal.py``)."""
        self.db = db
        self.mover = mover
        self._next_prune: datetime | None = None
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
        batch = [ack for ack in batch if not ack.given_up]  # answered as an outage while waiting: never written
        if not batch:
            return
        started = time.perf_counter()
        try:
            outcomes = self._commit(batch)
        except _GivenUp:
            self._write(batch)
            return
        except Exception as error:
            if is_database_down(error):
                for ack in batch:
                    ack.settle(Outcome.DATABASE_DOWN)
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
        late = [(ack, outcome) for ack, outcome in zip(batch, outcomes, strict=True) if not ack.settle(outcome)]
        if late:
            self._undo(late)  # before the work threads are woken
        if Outcome.QUEUED in outcomes:
            (self.mover.ready if self.mover is not None else self.work.wake).set()

    def _commit(self, batch: list[Ack]) -> list[Outcome]:
        """The batch's rows, committed. On PostgreSQL one statement, committed by itself (no BEGIN, no COMMIT): one
        round trip where there were six, each a wake-up of a PostgreSQL process that, on a busy machine, waits for a
        core. The pool's connection is not pinged first (:func:`ack_database`): one that an outage or a restart
        closed is seen on its socket and replaced, so the first ack after an outage is not answered as one. An ack
        given up while that statement was on the wire is undone once it lands (:meth:`_undo`), as is one whose commit
        landed late. Elsewhere (SQLite: the ack journal) a transaction, checked for acks given up before it
        commits (:class:`_GivenUp`)."""
        if self.db.engine.dialect.name != "postgresql":
            with self.db.engine.begin() as connection:
                outcomes = self._rows(connection, batch)
                if any(ack.given_up for ack in batch):
                    raise _GivenUp  # rolled back; the others are written again without it
            return outcomes
        # A connection from the pool (one the server closed is never handed out), in autocommit: the statement is
        # its own transaction.
        with self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            return self._rows(connection, batch)

    def _undo(self, late: list[tuple[Ack, Outcome]]) -> None:
        """Acks whose commit landed after the front gave up on them (and answered them as an outage): their
        queued requests deleted unless taken already, their deliveries forgotten (Slack may deliver them again)."""
        # An event is not undone: the front kept it in the event journal or answered 503, and either way it comes
        # again by its event id, which its late commit has recorded — so it runs once, from here.
        queued = [ack for ack, outcome in late if outcome is Outcome.QUEUED and not ack.keep_if_late]
        if not queued:
            return
        try:
            with self.db.engine.begin() as connection:
                for ack in queued:
                    deleted = connection.execute(
                        delete(WorkItem).where(
                            WorkItem.team_id == ack.team_id, WorkItem.body == ack.body, WorkItem.owner.is_(None)
                        )
                    ).rowcount
                    if deleted == 0:
                        log.warning("acks: a request answered as an outage was taken by the work threads before "
                                    "its late commit could be undone")
                    if ack.delivery_key is not None:
                        connection.execute(delete(ProcessedDelivery).where(and_(
                            ProcessedDelivery.team_id == ack.team_id, ProcessedDelivery.key == ack.delivery_key
                        )))
        except Exception as error:
            log.warning("acks: could not undo %s requests answered as an outage whose commit landed late (%s)",
                        len(queued), type(error).__name__)
            return
        log.warning("acks: undid %s requests answered as an outage whose commit landed late", len(queued))

    def _rows(self, connection: Connection, batch: list[Ack]) -> list[Outcome]:
        """The batch's rows, whatever its size: the signatures remembered, the deliveries de-duplicated, the
        requests queued. Within a batch the first of a signature or a delivery wins. On PostgreSQL in one
        statement (:data:`AT_ONCE`); elsewhere in three."""
        if connection.dialect.name == "postgresql":
            return self._rows_at_once(connection, batch)
        upsert = sqlite.insert
        outcomes: list[Outcome | None] = [None] * len(batch)
        hashes = [hashlib.sha256(ack.signature.encode()).hexdigest() for ack in batch]
        signed = [datetime.fromtimestamp(int(ack.timestamp or 0), UTC) for ack in batch]  # verified numeric
        first: dict[str, int] = {}
        for index, digest in enumerate(hashes):
            first.setdefault(digest, index)
        new = set(
            connection.execute(
                upsert(AcceptedSignature)
                .values([{"signature_hash": digest, "signed_at": signed[index]} for digest, index in first.items()])
                .on_conflict_do_nothing()
                .returning(AcceptedSignature.signature_hash)  # the rows that were new (rowcount is not portable)
            ).scalars()
        )
        for index, (ack, digest) in enumerate(zip(batch, hashes, strict=True)):
            if first[digest] != index or digest not in new:
                log.warning("refused a replayed request (its signature was already accepted)")
                outcomes[index] = Outcome.REPLAYED
            elif not ack.queue:
                outcomes[index] = Outcome.CHECKED
        self._prune(connection, max(signed))
        now = self.work.now()
        keyed: dict[tuple[str, str], int] = {}
        for index, ack in enumerate(batch):
            if outcomes[index] is None and ack.delivery_key is not None:
                keyed.setdefault((ack.team_id, ack.delivery_key), index)
        fresh: set[tuple[str, str]] = set()
        if keyed:
            fresh = {
                (str(team), str(key))
                for team, key in connection.execute(
                    upsert(ProcessedDelivery)
                    .values([{"team_id": team, "key": key, "received_at": now} for team, key in keyed])
                    .on_conflict_do_nothing()
                    .returning(ProcessedDelivery.team_id, ProcessedDelivery.key)
                )
            }
        for index, ack in enumerate(batch):
            if outcomes[index] is None and ack.delivery_key is not None:
                wanted = (ack.team_id, ack.delivery_key)
                if keyed[wanted] != index or wanted not in fresh:
                    log.info("ignoring a repeated delivery %s", ack.delivery_key)
                    outcomes[index] = Outcome.REPEATED
        queued = [index for index, outcome in enumerate(outcomes) if outcome is None]
        if queued:
            connection.execute(
                insert(WorkItem),
                [
                    {
                        "team_id": batch[index].team_id,
                        "body": batch[index].body,
                        "content_type": batch[index].content_type,
                        "received_at": now,
                        "attempts": 0,
                        "lane": batch[index].lane,
                    }
                    for index in queued
                ],
            )
            for index in queued:
                outcomes[index] = Outcome.QUEUED
        return [outcome or Outcome.QUEUED for outcome in outcomes]

    def _rows_at_once(self, connection: Connection, batch: list[Ack]) -> list[Outcome]:
        hashes = [hashlib.sha256(ack.signature.encode()).hexdigest() for ack in batch]
        signed = [datetime.fromtimestamp(int(ack.timestamp or 0), UTC) for ack in batch]  # verified numeric
        first_signature = [hashes.index(digest) == index for index, digest in enumerate(hashes)]
        # A delivery's first in the batch among the acks that would queue it (a repeated signature never does).
        seen: set[tuple[str, str]] = set()
        first_delivery = []
        for index, ack in enumerate(batch):
            wanted = (ack.team_id, ack.delivery_key) if ack.delivery_key is not None else None
            first_delivery.append(
                wanted is not None and first_signature[index] and ack.queue and wanted not in seen
            )
            if first_delivery[-1] and wanted is not None:
                seen.add(wanted)
        self._prune(connection, max(signed))
        rows = connection.execute(
            AT_ONCE,
            {
                "hash": hashes, "signed_at": signed, "team_id": [ack.team_id for ack in batch],
                "delivery": [ack.delivery_key for ack in batch], "body": [ack.body for ack in batch],
                "content_type": [ack.content_type for ack in batch], "lane": [ack.lane for ack in batch],
                "queue": [ack.queue for ack in batch], "first_signature": first_signature,
                "first_delivery": first_delivery, "now": self.work.now(),
            },
        ).all()
        new_signature = {row.n - 1 for row in rows if row.new_signature}
        new_delivery = {row.n - 1 for row in rows if row.new_delivery}
        outcomes = []
        for index, ack in enumerate(batch):
            if not (first_signature[index] and index in new_signature):
                log.warning("refused a replayed request (its signature was already accepted)")
                outcomes.append(Outcome.REPLAYED)
            elif not ack.queue:
                outcomes.append(Outcome.CHECKED)
            elif ack.delivery_key is not None and not (first_delivery[index] and index in new_delivery):
                log.info("ignoring a repeated delivery %s", ack.delivery_key)
                outcomes.append(Outcome.REPEATED)
            else:
                outcomes.append(Outcome.QUEUED)
        return outcomes

    def _prune(self, connection: Connection, newest: datetime) -> None:
        """Signatures older than any Bolt still accepts go, once a minute (the replay guard's rule)."""
        if self._next_prune is None or newest >= self._next_prune:
            self._next_prune = newest + PRUNE_EVERY
            connection.execute(delete(AcceptedSignature).where(AcceptedSignature.signed_at < newest - KEEP))


def _settle(ack: Ack, outcome: Outcome) -> None:
    # The client may have gone (its waiting cancelled): what was written stays written, nobody is told.
    if not ack.future.cancelled():
        ack.future.set_result(outcome)
