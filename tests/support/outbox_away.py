"""Slack unreachable for the console's outbox: whatever is posted waits in it until the block ends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bot.outbox.core import Outbox


@contextmanager
def slack_away(monkeypatch: pytest.MonkeyPatch, outbox: Outbox) -> Iterator[None]:
    with monkeypatch.context() as away:
        away.setattr(outbox, "send_due", lambda: False)
        away.setattr(outbox, "drain", lambda timeout=60.0: False)
        away.setattr(outbox, "flush", lambda lane: None)
        yield
