"""The outbox: what Opsbot announces reaches Slack once — not lost, not doubled — at Slack's pace.

A message is a row written in the transaction of the change it announces (``Delivery`` writes it into the
transaction open at the time), so a change and its announcement are committed together or not at all.
Once committed, the row is sent: at once, in the thread that committed it, when its conversation is free;
otherwise by the sender threads (:class:`OutboxWorker`) of any replica.

One conversation (a channel, or a person's DM) is a *lane*: one sender at a time holds it, under a lease in
the database, and sends its rows in the order written — a card before its edit, a thread's parent before
its replies — no faster than one a ``pace`` (Slack takes about one message a second in a conversation).
429 waits its Retry-After; a 5xx or a dropped connection is tried again with backoff; anything else Slack
refuses is given up and logged with Slack's error code.

Exactly once: each row has a key, carried to Slack in the message's metadata (a file is asked after by
its id, kept before it is shared).
When a send's outcome is unknown — the answer was lost, or the sender was killed between Slack's answer
and its commit — the next attempt first looks in the conversation for that key, and only sends if it is
not there. The key is derived from the work that wrote it (a scheduled fire, a Slack delivery) and the
row's place in it, so that work done again writes the same keys, and the outbox takes each only once.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import os
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.request import Request, urlopen

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.db import Database
from bot.db.base import insert_ignore
from bot.db.outbox import FAILED, PENDING, SENT, OutboxLane, OutboxMessage
from bot.observability import DELIVERIES_RETRIED, OUTBOX_DEPTH, OUTBOX_FAILED, OUTBOX_SENT
from bot.workspaces import NotInstalled, Workspaces, token_gone

log = logging.getLogger(__name__)

METADATA_TYPE = "opsbot_message"
# How long a sender may hold a conversation. Longer than any one Slack call (WebClient's timeout is 30 s);
# a sender killed mid-send holds it this long, then another takes over and checks what reached Slack.
LEASE = timedelta(seconds=90)
# Slack down or unreachable this long: the message is given up (and logged) rather than holding its
# conversation for ever. A 429 never counts: Slack has said when to come back.
GIVE_UP_AFTER = timedelta(hours=6)
KEEP_SENT = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)
_LOOK_BACK = timedelta(minutes=2)  # clocks differ a little between us and Slack


@dataclass(frozen=True)
class Posted:
    channel: str
    ts: str


@dataclass(frozen=True)
class Outgoing:
    """A message in the outbox, sent once the transaction that wrote it commits. Another message can follow
    it (``thread=``, ``update``, ``pin``) before either is sent."""

    key: str


Target = str | Outgoing  # a message's ts, or the outbox message it will be once sent


@dataclass(frozen=True)
class Receipt:
    """Who records where a message landed (a name registered with :func:`on_sent`) and for which row."""

    name: str
    ref: str


ReceiptHandler = Callable[[Session, str, Posted], None]
RECEIPTS: dict[str, ReceiptHandler] = {}


def on_sent(name: str, table: type[Any], *, ts: str, channel: str | None = None) -> None:
    """Declare the receipt ``name``: once its message is sent, the ``table`` row whose id is the receipt's ref
    gets the message's ts (and channel) in those columns, in the transaction that marks the message sent."""

    def record(session: Session, ref: str, posted: Posted) -> None:
        row = session.get(table, int(ref))
        if row is not None:
            setattr(row, ts, posted.ts)
            if channel is not None:
                setattr(row, channel, posted.channel)

    RECEIPTS[name] = record


# -- keys ------------------------------------------------------------------------------------------
@dataclass
class _Scope:
    name: str
    seen: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


_scope: ContextVar[_Scope | None] = ContextVar("opsbot_outbox_scope", default=None)


@contextmanager
def keyed(name: str) -> Iterator[None]:
    """Messages written inside get keys made of ``name`` and what they are (conversation, kind, content, and
    which of several identical ones), so the same work done again — a fire taken over from a replica that
    died, a Slack retry — writes the same keys, and the outbox takes each once. Work that takes another turn
    the second time (a step it had recorded as done is skipped) still finds its other messages' keys."""
    token = _scope.set(_Scope(name))
    try:
        yield
    finally:
        _scope.reset(token)


def set_key_scope(name: str) -> None:
    """For Bolt's middleware: each dispatch runs in its own copy of the context, so this never outlives it."""
    _scope.set(_Scope(name))


def _new_key(*what: object) -> str:
    scope = _scope.get()
    if scope is None:
        return uuid.uuid4().hex
    digest = hashlib.sha256(repr((scope.name, *what)).encode()).hexdigest()
    with scope.lock:
        scope.seen[digest] += 1
        number = scope.seen[digest]
    return hashlib.sha256(f"{digest}#{number}".encode()).hexdigest()[:32]


# -- sending ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Job:
    """A row being sent, read in the transaction that took its lane."""

    id: int
    key: str
    workspace: str
    lane: str
    kind: str
    channel: str | None
    payload: dict[str, Any]
    content: bytes | None
    target_ts: str | None  # the ts of the message it follows (thread parent, message to edit or pin)
    uncertain: bool
    attempts: int
    created_at: datetime


@dataclass(frozen=True)
class _Outcome:
    posted: Posted | None = None  # sent (or found already sent)
    retry_in: timedelta | None = None  # try again then
    uncertain: bool = False  # the call may have reached Slack
    error: str | None = None  # given up
    reached_slack: bool = True  # counts against the conversation's pace


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
    ) -> None:
        self.db = db
        self.workspaces = workspaces
        self.pace = timedelta(seconds=pace_seconds)
        self.lease = lease
        # Slack's pace and Retry-After are real seconds, whatever clock the business logic is given.
        self._now = now or (lambda: datetime.now(UTC))
        self.token_refused = token_refused
        self.node = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.wake = threading.Event()
        self._dm_channels: dict[tuple[str, str], str] = {}  # (workspace, user) -> DM channel
        self._dm_lock = threading.Lock()

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
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        key = _new_key(lane, kind, body, after.key if after else None,
                       hashlib.sha256(content).hexdigest() if content else None)
        with self.db.transaction() as session:
            if session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is None:
                if after is not None:
                    parent = session.scalar(select(OutboxMessage).where(OutboxMessage.key == after.key))
                    if parent is None:
                        raise LookupError(f"outbox: no message {after.key} to follow")
                    lane = parent.lane  # the same conversation, so it is sent after its parent
                now = self._now()
                session.add(OutboxMessage(
                    key=key, workspace=self.workspaces.resolve(channel=lane) or None, lane=lane, kind=kind,
                    channel=None if lane.startswith(("U", "W")) else lane,
                    payload=body, content=content,
                    after=after.key if after else None, receipt=receipt.name if receipt else None,
                    receipt_ref=receipt.ref if receipt else None, state=PENDING, attempts=0, uncertain=False,
                    due_at=now, created_at=now,
                ))
            self.db.after_commit(lambda: self.flush(lane), once=("outbox", lane))
        return Outgoing(key)

    # -- sending -----------------------------------------------------------------------------------
    def flush(self, lane: str) -> None:
        """Right after a commit: send what the lane has due, in this thread, unless it has to wait (Slack's
        pace, a Retry-After, another sender on it); then the sender threads take over."""
        try:
            for _ in range(1000):
                if not self.step(lane):
                    break
        except Exception:
            # The change is committed and its message safe in the outbox: whatever went wrong here is not the
            # caller's failure, and the sender threads try again.
            log.exception("outbox: sending right after the commit failed; the senders will try again")
        self.wake.set()

    def step(self, lane: str) -> bool:
        """Send the lane's next message if the lane can be taken and its next message is due. True when one
        was settled (sent or given up) and the lane may have more."""
        now = self._now()
        inherited = self._take(lane, now)
        if inherited is None:
            return False
        job = None
        try:
            job = self._begin(lane, now, inherited)
        finally:
            if job is None:
                self._release(lane, None)
        if job is None:
            return False
        try:
            outcome = self._send(job)
        except Exception:
            log.exception("outbox: sending %s failed unexpectedly; trying again later", job.key)
            outcome = _Outcome(retry_in=_backoff(job.attempts), uncertain=True)
        self._settle(job, outcome)
        return outcome.retry_in is None

    def _take(self, lane: str, now: datetime) -> bool | None:
        """Hold the lane (None: busy or paced). True when the last holder's lease ran out: it died mid-send."""
        with self.db.transaction() as session:
            insert_ignore(session, OutboxLane, lane=lane)
            held = session.get(OutboxLane, lane)
            assert held is not None
            inherited = held.owner is not None
            taken = session.execute(
                update(OutboxLane)
                .where(OutboxLane.lane == lane,
                       or_(OutboxLane.owner.is_(None), OutboxLane.lease_until < now),
                       or_(OutboxLane.next_send_at.is_(None), OutboxLane.next_send_at <= now))
                .values(owner=self.node, lease_until=now + self.lease)
            )
            return inherited if getattr(taken, "rowcount", 0) == 1 else None

    def _release(self, lane: str, paced_from: datetime | None) -> None:
        with self.db.transaction() as session:
            _release(session, lane, self.node, paced_from + self.pace if paced_from else None)

    def _begin(self, lane: str, now: datetime, inherited: bool) -> _Job | None:
        with self.db.transaction() as session:
            row = session.scalars(
                select(OutboxMessage).where(OutboxMessage.lane == lane, OutboxMessage.state == PENDING)
                .order_by(OutboxMessage.id).limit(1)
            ).first()
            if row is None or row.due_at > now:
                return None
            if inherited:
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
            return _Job(row.id, row.key, row.workspace or "", row.lane, row.kind, channel, json.loads(row.payload),
                        row.content, target_ts, row.uncertain, row.attempts, row.created_at)

    def _send(self, job: _Job) -> _Outcome:
        try:
            client = self.workspaces.sender(job.workspace)
            channel = job.channel or self._dm_channel(client, job.workspace, job.lane)
            if job.uncertain and job.kind in ("post", "upload"):
                found = self._find(client, job, channel)
                if found is not None:
                    log.info("outbox: message %s had reached Slack already; not sent again", job.key)
                    return _Outcome(posted=Posted(channel, found), reached_slack=False)
            return _Outcome(posted=self._call(client, job, channel))
        except SlackApiError as error:
            return self._refused(job, error)
        except NotInstalled:
            return _Outcome(error="not_installed", reached_slack=False)
        except (OSError, http.client.HTTPException) as error:  # dropped, reset, timed out: did Slack get it?
            DELIVERIES_RETRIED.labels(reason="connection").inc()
            log.info("outbox: connection failed sending %s (%s); trying again", job.key, type(error).__name__)
            return _Outcome(retry_in=_backoff(job.attempts), uncertain=True)

    def _refused(self, job: _Job, error: SlackApiError) -> _Outcome:
        status = error.response.status_code
        code = str(error.response.get("error") or status)
        if status == 429:
            DELIVERIES_RETRIED.labels(reason="rate_limited").inc()
            wait = float(error.response.headers.get("Retry-After", error.response.headers.get("retry-after", 1)))
            return _Outcome(retry_in=timedelta(seconds=max(wait, 0.0)))
        if status >= 500:
            DELIVERIES_RETRIED.labels(reason="server_error").inc()
            return _Outcome(retry_in=_backoff(job.attempts), uncertain=True)
        if code == "already_pinned":
            return _Outcome(posted=Posted(job.channel or job.lane, job.target_ts or ""))
        gone = token_gone(error)
        if gone is not None and self.token_refused is not None and job.workspace:
            self.token_refused(job.workspace, gone)
        return _Outcome(error=code)

    def _call(self, client: WebClient, job: _Job, channel: str) -> Posted:
        body = job.payload
        blocks = body.get("blocks") or None
        if job.kind == "post":
            response = client.chat_postMessage(
                channel=channel, text=body["text"], blocks=blocks, thread_ts=job.target_ts or body.get("thread_ts"),
                unfurl_links=False, unfurl_media=False,
                metadata={"event_type": METADATA_TYPE, "event_payload": {"key": job.key}},
            )
            return Posted(str(response["channel"]), str(response["ts"]))
        if job.kind == "update":
            ts = job.target_ts or body["ts"]
            client.chat_update(channel=channel, ts=ts, text=body["text"], blocks=blocks or [])
            return Posted(channel, ts)
        if job.kind == "pin":
            ts = job.target_ts or body["ts"]
            client.pins_add(channel=channel, timestamp=ts)
            return Posted(channel, ts)
        if job.kind == "upload":
            # Slack's three steps, so the file's id is known (and kept) before it is shared: the share is
            # what shows, and whether it happened can be asked of Slack by that id.
            file_id = body.get("file_id")
            if file_id is None:
                content = job.content or b""
                slot = client.files_getUploadURLExternal(filename=body["filename"], length=len(content))
                with urlopen(Request(str(slot["upload_url"]), data=content, method="POST"),
                             timeout=client.timeout, context=client.ssl) as answer:
                    answer.read()
                file_id = str(slot["file_id"])
                self._uploaded(job, file_id)
            client.files_completeUploadExternal(
                files=[{"id": file_id, "title": body.get("title") or body["filename"]}], channel_id=channel,
                initial_comment=body.get("comment"), thread_ts=job.target_ts or body.get("thread_ts"),
            )
            return Posted(channel, "")
        raise ValueError(f"outbox: unknown kind {job.kind}")

    def _uploaded(self, job: _Job, file_id: str) -> None:
        job.payload["file_id"] = file_id
        with self.db.transaction() as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.id == job.id)
                            .values(payload=json.dumps(job.payload, ensure_ascii=False, sort_keys=True)))

    def _find(self, client: WebClient, job: _Job, channel: str) -> str | None:
        """The ts of the message (or file) with this key, if an earlier attempt did reach Slack."""
        if job.kind == "upload":
            file_id = job.payload.get("file_id")
            if file_id is None:
                return None  # never uploaded, so never shared
            shared: dict[str, Any] = client.files_info(file=file_id).get("file") or {}
            places = {*shared.get("channels", []), *shared.get("groups", []), *shared.get("ims", [])}
            return "" if channel in places else None
        oldest = (job.created_at - _LOOK_BACK).timestamp()
        thread = job.target_ts or job.payload.get("thread_ts")
        cursor = None
        for _ in range(10):
            common: dict[str, Any] = {"channel": channel, "oldest": f"{oldest:.6f}", "include_all_metadata": True,
                                      "limit": 200, "cursor": cursor}
            page = (client.conversations_replies(ts=thread, **common) if thread
                    else client.conversations_history(**common))
            messages: list[dict[str, Any]] = page.get("messages", [])
            for message in messages:
                if ((message.get("metadata") or {}).get("event_payload") or {}).get("key") == job.key:
                    return str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    def _dm_channel(self, client: WebClient, workspace: str, user: str) -> str:
        with self._dm_lock:
            known = self._dm_channels.get((workspace, user))
        if known is None:
            known = str(client.conversations_open(users=user)["channel"]["id"])
            with self._dm_lock:
                self._dm_channels[(workspace, user)] = known
        return known

    def _settle(self, job: _Job, outcome: _Outcome) -> None:
        try:
            self._write(job, outcome, record=True)
        except Exception:
            # Recording where it landed must never make a sent message look unsent: that would send it again.
            log.exception("outbox: recording message %s (%s) failed; marking it sent without", job.key, job.kind)
            self._write(job, outcome, record=False)

    def _write(self, job: _Job, outcome: _Outcome, *, record: bool) -> None:
        now = self._now()
        retrying = outcome.retry_in is not None and now - job.created_at < GIVE_UP_AFTER
        with self.db.transaction() as session:
            row = session.get(OutboxMessage, job.id)
            assert row is not None
            if outcome.posted is not None:
                row.state, row.sent_at, row.sent_ts = SENT, now, outcome.posted.ts
                row.channel = row.channel or outcome.posted.channel
                if record and row.receipt:
                    handler = RECEIPTS.get(row.receipt)
                    if handler is None:
                        raise LookupError(f"no receipt {row.receipt} is registered")
                    handler(session, str(row.receipt_ref), outcome.posted)
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
        now = self._now()
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
        deadline = self._now() + timedelta(seconds=timeout)
        while self._now() < deadline:
            if self.send_due():
                continue
            upcoming = self.next_due()
            if upcoming is None:
                return True
            wait = (min(upcoming, deadline) - self._now()).total_seconds()
            self.wake.wait(min(max(wait, 0.01), 1.0))
            self.wake.clear()
        return self.depth() == 0

    def prune(self) -> int:
        """Forget messages sent a week ago and failures a month old (the audit trail lives elsewhere)."""
        now = self._now()
        with self.db.transaction() as session:
            gone = session.execute(delete(OutboxMessage).where(or_(
                (OutboxMessage.state == SENT) & (OutboxMessage.sent_at < now - KEEP_SENT),
                (OutboxMessage.state == FAILED) & (OutboxMessage.created_at < now - KEEP_FAILED),
            )))
            return int(getattr(gone, "rowcount", 0) or 0)


@dataclass(frozen=True)
class OutboxStatus:
    waiting: int
    oldest_waiting: datetime | None
    given_up: list[tuple[str, str]]  # (conversation, Slack's error) of messages given up lately, newest first


def outbox_status(db: Database, since: datetime) -> OutboxStatus:
    """What an operator asks: is anything stuck, and what did Slack refuse since ``since``?"""
    with db.transaction() as session:
        waiting, oldest = session.execute(
            select(func.count(), func.min(OutboxMessage.created_at)).where(OutboxMessage.state == PENDING)
        ).one()
        refused = session.execute(
            select(OutboxMessage.lane, OutboxMessage.error)
            .where(OutboxMessage.state == FAILED, OutboxMessage.created_at >= since)
            .order_by(OutboxMessage.id.desc()).limit(20)
        ).all()
    return OutboxStatus(int(waiting or 0), oldest, [(str(lane), str(error)) for lane, error in refused])


def _release(session: Session, lane: str, node: str, next_send_at: datetime | None) -> None:
    values: dict[str, Any] = {"owner": None, "lease_until": None}
    if next_send_at is not None:
        values["next_send_at"] = next_send_at
    session.execute(update(OutboxLane).where(OutboxLane.lane == lane, OutboxLane.owner == node).values(**values))


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(60.0, 0.5 * 2**attempts))


class OutboxWorker:
    """The sender threads: each takes a due lane, sends its next message, and goes on; idle, they wait to
    be woken by a commit or for the next message to fall due."""

    def __init__(self, outbox: Outbox, *, senders: int = 4, idle_seconds: float = 1.0) -> None:
        self.outbox = outbox
        self.senders = senders
        self.idle_seconds = idle_seconds
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.last_pass: datetime | None = None

    def start(self) -> None:
        OUTBOX_DEPTH.set_function(self._depth)
        self._stop.clear()
        self._threads = [threading.Thread(target=self._run, name=f"opsbot-outbox-{n}", daemon=True)
                         for n in range(self.senders)]
        for thread in self._threads:
            thread.start()

    @property
    def running(self) -> bool:
        return bool(self._threads) and all(t.is_alive() for t in self._threads) and not self._stop.is_set()

    def stop(self) -> None:
        self._stop.set()
        self.outbox.wake.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads = []

    def _depth(self) -> float:
        try:
            return float(self.outbox.depth())
        except SQLAlchemyError:
            return float("nan")  # /metrics still answers; /readyz says the database is down

    def _run(self) -> None:
        passes = 0
        while not self._stop.is_set():
            try:
                settled = self.outbox.send_due()
                passes += 1
                if passes % 3600 == 0:
                    self.outbox.prune()
            except Exception:
                log.exception("outbox: a sender pass failed; trying again shortly")
                settled = 0
            self.last_pass = self.outbox._now()
            if not settled:
                self.outbox.wake.wait(self.idle_seconds)
                self.outbox.wake.clear()
