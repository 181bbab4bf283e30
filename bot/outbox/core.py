"""The outbox's table and lanes: messages written with the change they announce, sent in order, once."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot.answering import after_answer
from bot.db import Database
from bot.db.base import insert_ignore
from bot.db.outbox import FAILED, PENDING, SENT, OutboxLane, OutboxMessage
from bot.observability import OUTBOX_FAILED, OUTBOX_SENT
from bot.outbox.messages import Outgoing, Receipt, ReceiptHook, new_key
from bot.outbox.slack import Job, Outcome, SlackCalls, backoff
from bot.outbox.work import is_database_down
from bot.workspaces import TOKEN_GONE, Workspaces

log = logging.getLogger(__name__)

# How long a sender may hold a conversation. Longer than any one Slack call (WebClient's timeout is 30 s);
# a sender killed mid-send holds it this long, then another takes over and checks what reached Slack.
LEASE = timedelta(seconds=90)
# Slack down or unreachable this long: the message is given up (and logged) rather than holding its
# conversation for ever. A 429 never counts: Slack has said when to come back.
GIVE_UP_AFTER = timedelta(hours=6)
KEEP_SENT = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)


class Outbox:
    def __init__(
        self,
        db: Database,
        workspaces: Workspaces,
        *,
        pace_seconds: float = 1.0,
        lease: timedelta = LEASE,
        now: Callable[[], datetime] | None = None,
        token_refused: Callable[[str, str], None] | None = None,
        receipts: Iterable[ReceiptHook] = (),
    ) -> None:
        self.db = db
        self.receipts = {hook.name: hook for hook in receipts}
        self.workspaces = workspaces
        self.pace = timedelta(seconds=pace_seconds)
        self.lease = lease
        # Slack's pace and Retry-After are real seconds, whatever clock the business logic is given.
        self.now = now or (lambda: datetime.now(UTC))
        self.token_refused = token_refused
        self.node = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.wake = threading.Event()
        self.slack = SlackCalls(workspaces, file_uploaded=self._file_uploaded)

    # -- writing -----------------------------------------------------------------------------------
    def add(
        self,
        lane: str,
        kind: str,
        payload: dict[str, Any],
        *,
        content: bytes | None = None,
        after: Outgoing | None = None,
        receipt: Receipt | None = None,
    ) -> Outgoing:
        """Write a message into the open transaction (or one of its own); it is sent once that commits."""
        body = _serialised(payload)
        key = new_key(lane, kind, body, after.key if after else None,
                       hashlib.sha256(content).hexdigest() if content else None)
        with self.db.transaction() as session:
            if session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is None:
                if after is not None:
                    parent = session.scalar(select(OutboxMessage).where(OutboxMessage.key == after.key))
                    if parent is None:
                        raise LookupError(f"outbox: no message {after.key} to follow")
                    lane = parent.lane  # the same conversation, so it is sent after its parent
                    if kind == "update" and self._edit_waiting(session, parent, payload):
                        self.db.after_commit(lambda: self.flush(lane), once=("outbox", lane))
                        return Outgoing(parent.key)
                now = self.now()
                # Written now and ignored if the key is there: the same work done at the same moment elsewhere (a
                # lease taken over from a replica that was only slow) wrote the same message; waiting for its
                # commit and then failing on the key would fail this whole transaction, and the person's answer.
                insert_ignore(
                    session, OutboxMessage,
                    key=key, workspace=self.workspaces.resolve(channel=lane) or None, lane=lane, kind=kind,
                    channel=None if lane.startswith(("U", "W")) else lane,
                    payload=body, content=content,
                    after=after.key if after else None, receipt=receipt.name if receipt else None,
                    receipt_ref=receipt.ref if receipt else None, state=PENDING, attempts=0, uncertain=False,
                    due_at=now, created_at=now,
                )
            self.db.after_commit(lambda: self.flush(lane), once=("outbox", lane))
        return Outgoing(key)

    def _edit_waiting(self, session: Session, parent: OutboxMessage, edit: dict[str, Any]) -> bool:
        """An edit of a post still waiting to be sent becomes what will be sent: Slack sees the card once, as
        it is now. Not when the post may already be on its way (its lane held by a sender, or an earlier
        attempt's outcome unknown): then the edit is queued after it and applied once it is posted."""
        if parent.kind != "post" or parent.state != PENDING or parent.uncertain:
            return False
        insert_ignore(session, OutboxLane, lane=parent.lane)
        # Locked, so a sender cannot take the lane (and read the old payload) until this commits.
        held = session.scalar(select(OutboxLane).where(OutboxLane.lane == parent.lane).with_for_update())
        if held is not None and held.owner is not None and held.lease_until is not None and \
                held.lease_until >= self.now():
            return False
        waiting = json.loads(parent.payload)
        waiting["text"], waiting["blocks"] = edit.get("text"), edit.get("blocks") or None
        parent.payload = _serialised(waiting)
        return True

    def waiting(self, receipt: Receipt) -> Outgoing | None:
        """The post with this receipt still waiting to be sent, if any: a reply or an edit follows it."""
        with self.db.transaction() as session:
            key = session.scalar(
                select(OutboxMessage.key)
                .where(OutboxMessage.receipt == receipt.name, OutboxMessage.receipt_ref == receipt.ref,
                       OutboxMessage.kind == "post", OutboxMessage.state == PENDING)
                .order_by(OutboxMessage.id.desc()).limit(1)
            )
        return Outgoing(key) if key is not None else None

    # -- sending -----------------------------------------------------------------------------------
    def flush(self, lane: str) -> None:
        """Right after a commit: send what the lane has due, in this thread, unless it has to wait (Slack's
        pace, a Retry-After, another sender on it); then the sender threads take over. While a form's answer
        is being prepared, not in this thread: the message is committed, so the senders are woken and the rest
        of the flush waits until the answer is made (``bot/answering.py``)."""
        if after_answer(lambda: self._flush(lane)):
            self.wake.set()
            return
        self._flush(lane)

    def _flush(self, lane: str) -> None:
        try:
            for _ in range(1000):
                if not self.step(lane):
                    break
        except Exception as error:
            # The change is committed and its message safe in the outbox: whatever went wrong here is not the
            # caller's failure, and the sender threads try again.
            if is_database_down(error):  # an outage, not a bug: a line, not a traceback
                log.warning("outbox: sending right after the commit stopped: the database is unreachable (%s); "
                            "the senders will try again", type(error).__name__)
            else:
                log.exception("outbox: sending right after the commit failed; the senders will try again")
        self.wake.set()

    def step(self, lane: str) -> bool:
        """Send the lane's next message if the lane can be taken and its next message is due. True when one
        was settled (sent or given up) and the lane may have more."""
        job = self._claim(lane, self.now())
        if job is None:
            return False
        try:
            outcome = self.slack.send(job)
        except Exception:
            log.exception("outbox: sending %s failed unexpectedly; trying again later", job.key)
            outcome = Outcome(retry_in=backoff(job.attempts), uncertain=True)
        self._settle(job, outcome)
        return outcome.retry_in is None

    def _claim(self, lane: str, now: datetime) -> Job | None:
        """Hold the lane and read its next message, in one transaction; None (and the lane left as it was)
        when it is busy, paced, or has nothing due."""
        with self.db.transaction() as session:
            insert_ignore(session, OutboxLane, lane=lane)
            held = session.get(OutboxLane, lane)
            assert held is not None
            died_holding_it = held.owner is not None  # a holder whose lease ran out was killed mid-send
            taken = session.execute(
                update(OutboxLane)
                .where(OutboxLane.lane == lane,
                       or_(OutboxLane.owner.is_(None), OutboxLane.lease_until < now),
                       or_(OutboxLane.next_send_at.is_(None), OutboxLane.next_send_at <= now))
                .values(owner=self.node, lease_until=now + self.lease)
            )
            if getattr(taken, "rowcount", 0) != 1:
                return None
            job = self._next(session, lane, now, died_holding_it)
            if job is None:
                _release(session, lane, self.node, None)
            return job

    @staticmethod
    def _next(session: Session, lane: str, now: datetime, uncertain: bool) -> Job | None:
        row = session.scalars(
            select(OutboxMessage).where(OutboxMessage.lane == lane, OutboxMessage.state == PENDING)
            .order_by(OutboxMessage.id).limit(1)
        ).first()
        if row is None or row.due_at > now:
            return None
        if uncertain:
            row.uncertain = True  # its sender may have been killed after Slack took it
        target_ts, channel = None, row.channel
        if row.after:
            parent = session.scalar(select(OutboxMessage).where(OutboxMessage.key == row.after))
            if parent is None or parent.state != SENT:
                # Sent first by construction (same lane, earlier row): here only when it was given up.
                row.state, row.error = FAILED, "the message it follows was not sent"
                OUTBOX_FAILED.inc()
                return None
            target_ts, channel = parent.sent_ts, channel or parent.channel
        return Job(row.id, row.key, row.workspace or "", row.lane, row.kind, channel, json.loads(row.payload),
                   row.content, target_ts, row.uncertain, row.attempts, row.created_at)

    def _file_uploaded(self, job: Job, file_id: str) -> None:
        job.payload["file_id"] = file_id
        with self.db.transaction() as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.id == job.id)
                            .values(payload=_serialised(job.payload)))

    def _settle(self, job: Job, outcome: Outcome) -> None:
        if outcome.error in TOKEN_GONE and self.token_refused is not None and job.workspace:
            self.token_refused(job.workspace, str(outcome.error))  # an uninstall Slack never told us of
        try:
            self._write(job, outcome, record=True)
        except Exception as error:
            if is_database_down(error):
                # Nothing can be written now. The lane stays held until its lease runs out; whoever takes it then
                # finds the message marked uncertain and asks Slack whether it landed before sending it again.
                log.warning("outbox: message %s (%s) was not recorded: the database is unreachable (%s); it is "
                            "checked against Slack before being sent again", job.key, job.kind, type(error).__name__)
                return
            # Recording where it landed must never make a sent message look unsent: that would send it again.
            log.exception("outbox: recording message %s (%s) failed; marking it sent without", job.key, job.kind)
            self._write(job, outcome, record=False)

    def _write(self, job: Job, outcome: Outcome, *, record: bool) -> None:
        now = self.now()
        retrying = outcome.retry_in is not None and now - job.created_at < GIVE_UP_AFTER
        with self.db.transaction() as session:
            row = session.get(OutboxMessage, job.id)
            assert row is not None
            if outcome.posted is not None:
                row.state, row.sent_at, row.sent_ts = SENT, now, outcome.posted.ts
                row.channel = row.channel or outcome.posted.channel
                if record and row.receipt:
                    hook = self.receipts.get(row.receipt)
                    if hook is None:
                        raise LookupError(f"no receipt {row.receipt} is declared by a feature")
                    hook.record(session, str(row.receipt_ref), outcome.posted)
            elif retrying and outcome.retry_in is not None:
                row.due_at = now + outcome.retry_in
                if outcome.uncertain:  # a 429 is Slack saying when; only failures back off further
                    row.attempts, row.uncertain = job.attempts + 1, True
            else:
                row.state, row.error = FAILED, (outcome.error or "Slack unreachable for hours")[:200]
                log.warning("outbox: Slack refused message %s to %s (%s); not sent", job.key, job.lane, row.error)
            _release(session, job.lane, self.node, now + self.pace if outcome.reached_slack else None)
        if outcome.posted is not None:
            OUTBOX_SENT.inc()
        elif not retrying:
            OUTBOX_FAILED.inc()

    # -- for workers, the console and operators ----------------------------------------------------
    def due_lanes(self, limit: int = 50) -> list[str]:
        """Lanes with a message due and nobody on them, oldest message first."""
        now = self.now()
        with self.db.transaction() as session:
            first = func.min(OutboxMessage.id)
            rows = session.execute(
                select(OutboxMessage.lane, first)
                .outerjoin(OutboxLane, OutboxLane.lane == OutboxMessage.lane)
                .where(OutboxMessage.state == PENDING, OutboxMessage.due_at <= now,
                       or_(OutboxLane.owner.is_(None), OutboxLane.lease_until < now),
                       or_(OutboxLane.next_send_at.is_(None), OutboxLane.next_send_at <= now))
                .group_by(OutboxMessage.lane).order_by(first).limit(limit)
            ).all()
        return [str(lane) for lane, _ in rows]

    def send_due(self) -> int:
        """One pass over the due lanes; how many messages were settled."""
        return sum(1 for lane in self.due_lanes() if self.step(lane))

    def depth(self) -> int:
        """Messages not yet sent (nor given up)."""
        with self.db.transaction() as session:
            return int(session.scalar(select(func.count()).where(OutboxMessage.state == PENDING)) or 0)

    def next_due(self) -> datetime | None:
        """When the earliest waiting message may go: its own due time, its lane's pace or lease."""
        with self.db.transaction() as session:
            rows = session.execute(
                select(OutboxMessage.due_at, OutboxLane.next_send_at, OutboxLane.lease_until, OutboxLane.owner)
                .outerjoin(OutboxLane, OutboxLane.lane == OutboxMessage.lane)
                .where(OutboxMessage.state == PENDING)
            ).all()
        times = [max(due, paced or due, lease if owner and lease else due) for due, paced, lease, owner in rows]
        return min(times, default=None)

    def drain(self, timeout: float = 60.0) -> bool:
        """Send everything pending, waiting out Retry-After and pace (the console, the CLI, tests); True
        when nothing is left."""
        deadline = self.now() + timedelta(seconds=timeout)
        while self.now() < deadline:
            if self.send_due():
                continue
            upcoming = self.next_due()
            if upcoming is None:
                return True
            wait = (min(upcoming, deadline) - self.now()).total_seconds()
            self.wake.wait(min(max(wait, 0.01), 1.0))
            self.wake.clear()
        return self.depth() == 0

    def prune(self) -> int:
        """Forget messages sent a week ago and failures a month old (the audit trail lives elsewhere)."""
        now = self.now()
        with self.db.transaction() as session:
            gone = session.execute(delete(OutboxMessage).where(or_(
                (OutboxMessage.state == SENT) & (OutboxMessage.sent_at < now - KEEP_SENT),
                (OutboxMessage.state == FAILED) & (OutboxMessage.created_at < now - KEEP_FAILED),
            )))
            return int(getattr(gone, "rowcount", 0) or 0)


def _serialised(payload: dict[str, Any]) -> str:
    # Sorted keys: the same message serialises the same way, so work done again finds its key.
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def _release(session: Session, lane: str, node: str, next_send_at: datetime | None) -> None:
    values: dict[str, Any] = {"owner": None, "lease_until": None}
    if next_send_at is not None:
        values["next_send_at"] = next_send_at
    session.execute(update(OutboxLane).where(OutboxLane.lane == lane, OutboxLane.owner == node).values(**values))
