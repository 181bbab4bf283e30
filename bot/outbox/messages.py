"""What the rest of Opsbot sees of the outbox: a message to come (:class:`Outgoing`), where one landed
(:class:`Posted`), who records that (receipts), and the keys that make work done twice send once."""

from __future__ import annotations

import hashlib
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session


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
    """Who records where a message landed (the name of a :class:`ReceiptHook`) and for which row."""

    name: str
    ref: str


@dataclass(frozen=True)
class ReceiptHook:
    """Where a sent message's ts (and channel) is kept: once a message with this receipt is sent, the ``table``
    row whose id is the receipt's ref gets them in these columns, in the transaction that marks the message
    sent. Features declare their hooks; the wiring hands them to the outbox."""

    name: str
    table: type[Any]
    ts: str
    channel: str | None = None

    def record(self, session: Session, ref: str, posted: Posted) -> None:
        row = session.get(self.table, int(ref))
        if row is not None:
            setattr(row, self.ts, posted.ts)
            if self.channel is not None:
                setattr(row, self.channel, posted.channel)


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


def new_key(*what: object) -> str:
    scope = _scope.get()
    if scope is None:
        return uuid.uuid4().hex
    digest = hashlib.sha256(repr((scope.name, *what)).encode()).hexdigest()
    with scope.lock:
        scope.seen[digest] += 1
        number = scope.seen[digest]
    return hashlib.sha256(f"{digest}#{number}".encode()).hexdigest()[:32]
