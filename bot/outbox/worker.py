"""The outbox's sender threads, and what an operator asks of it."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from bot.db import Database
from bot.db.outbox import FAILED, PENDING, OutboxMessage
from bot.observability import OUTBOX_DEPTH
from bot.outbox.core import Outbox

log = logging.getLogger(__name__)


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
            self.last_pass = self.outbox.now()
            if not settled:
                self.outbox.wake.wait(self.idle_seconds)
                self.outbox.wake.clear()
