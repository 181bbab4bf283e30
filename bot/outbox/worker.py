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
from bot.observability import OUTBOX_DEPTH, OUTBOX_OLDEST_SECONDS
from bot.outbox.core import Outbox
from bot.outbox.work import is_database_down

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
        self._told_database_down = False

    def watch(self) -> None:
        """/metrics reads the outbox's depth and age (from the database) in this process, when scraped: also in
        the process that answers while the senders run in another (``opsbot serve``)."""
        OUTBOX_DEPTH.set_function(self._depth)
        OUTBOX_OLDEST_SECONDS.set_function(self._oldest)

    def start(self) -> None:
        self.watch()
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

    def _oldest(self) -> float:
        try:
            oldest = outbox_status(self.outbox.db, self.outbox.now()).oldest_waiting
        except SQLAlchemyError:
            return float("nan")
        return (self.outbox.now() - oldest).total_seconds() if oldest is not None else 0.0

    def _run(self) -> None:
        passes = 0
        while not self._stop.is_set():
            try:
                settled = self.outbox.send_due()
                passes += 1
                if passes % 3600 == 0:
                    self.outbox.prune()
            except SQLAlchemyError as error:
                if not is_database_down(error):
                    log.exception("outbox: a sender pass failed; trying again shortly")
                elif not self._told_database_down:  # one line per outage, not a traceback a second per thread
                    self._told_database_down = True
                    log.warning("outbox: the database is unreachable (%s); messages wait until it is back",
                                type(error).__name__)
                settled = 0
            except Exception:
                log.exception("outbox: a sender pass failed; trying again shortly")
                settled = 0
            else:
                self._told_database_down = False
            self.last_pass = self.outbox.now()
            if not settled:
                self.outbox.wake.wait(self.idle_seconds)
                self.outbox.wake.clear()
