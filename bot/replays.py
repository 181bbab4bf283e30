"""Refusing a replayed request: a signed body and timestamp that were already accepted get 401.

Bolt checks the signature and that the timestamp is within 5 minutes, but inside those 5 minutes a
copy of a real request (from a log, a proxy, a compromised network hop) would verify again and run
the command twice. So every accepted signature is remembered in the database — a copy sent to
another replica is refused too — and a second arrival gets 401 and reaches no listener.

This is Bolt's ``before_authorize`` middleware rather than code in ``bot/http.py``: it runs right
after Bolt's own signature check (only genuine requests are remembered, so nobody can block a real
request by sending a forged one with its signature first), before authorization and any listener,
and the console and the e2e tests go through it exactly as ``opsbot serve`` does. On the ack path it
costs one insert on a primary key. Socket Mode requests carry no signature and pass untouched.

Slack's own retries are signed afresh with a new timestamp, so they are not replays here; they are
de-duplicated later by event id in ``bot/app.py``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from sqlalchemy import Connection, delete
from sqlalchemy.dialects import postgresql, sqlite

from bot.db import Database
from bot.db.core import AcceptedSignature

log = logging.getLogger(__name__)

# Bolt refuses timestamps older than 5 minutes, so a signature older than that can never verify again.
KEEP = timedelta(minutes=10)
PRUNE_EVERY = timedelta(minutes=1)
# Set in a request's context by `opsbot serve`'s ack path (bot/http.py), which checked signature and replay
# before answering Slack; the request reaches the listeners later, from the work queue, unsigned.
CHECKED_AT_THE_FRONT = "opsbot_checked_at_the_front"


class ReplayGuard(Middleware):
    def __init__(self, db: Database) -> None:
        self.db = db
        self._next_prune: datetime | None = None

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        signature = _header(req, "x-slack-signature")
        if req.mode == "socket_mode" or not signature or req.context.get(CHECKED_AT_THE_FRONT):
            return next()
        if not self.accept(signature, _header(req, "x-slack-request-timestamp")):
            return BoltResponse(status=401, body={"error": "invalid request"})
        return next()

    def accept(self, signature: str, timestamp: str | None) -> bool:
        """Remember a verified signature; False when it was accepted before (a replay)."""
        with self.db.engine.begin() as connection:  # a bare connection: no ORM session on the ack path
            return self.remember(connection, signature, timestamp)

    def remember(self, connection: Connection, signature: str, timestamp: str | None) -> bool:
        """:meth:`accept` within a transaction of the caller's (the ack path writes its queue row in it too)."""
        # Bolt has verified this timestamp is within 5 minutes of now: it is the clock pruning goes by.
        signed_at = datetime.fromtimestamp(int(timestamp or 0), UTC)
        upsert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        added = connection.execute(
            upsert(AcceptedSignature)
            .values(signature_hash=hashlib.sha256(signature.encode()).hexdigest(), signed_at=signed_at)
            .on_conflict_do_nothing()
            .returning(AcceptedSignature.signature_hash)  # a row back when it was new (rowcount is not portable)
        ).first()
        if added is None:
            log.warning("refused a replayed request (its signature was already accepted)")
            return False
        if self._next_prune is None or signed_at >= self._next_prune:
            self._next_prune = signed_at + PRUNE_EVERY
            connection.execute(delete(AcceptedSignature).where(AcceptedSignature.signed_at < signed_at - KEEP))
        return True


def _header(req: BoltRequest, name: str) -> str:
    values = req.headers.get(name) or [""]
    return str(values[0])
