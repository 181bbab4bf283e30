"""What a form's answer must not wait for.

Slack waits for a view submission's answer (it may carry field errors) and gives up after 3 seconds. The
submission's own work — its validation and its one database transaction — decides that answer; what follows
from it (sending the messages it wrote into the outbox, republishing App Homes, asking Slack who someone is,
computing a report) does not, and must not make the answer wait on Slack.

The front opens :func:`answering` around the listener and gets back what was put off; code that would call
Slack asks :func:`after_answer` first, which keeps the call for after the answer when one is being prepared
in this context (and says so), or returns False so the caller does it now (a queued request's work thread,
the scheduler, the console).

Something the answer needed that was never known and could not be asked meanwhile (a Slack user group that gives
a role, never read yet) is not guessed: the check says no, and says so with :func:`decided_without`; a form that
is refused while something was (``bot/handlers/common.py``) tells the person to submit again once it is read.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_put_off: contextvars.ContextVar[list[Callable[[], None]] | None] = contextvars.ContextVar(
    "opsbot_answering", default=None
)
_not_known: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("opsbot_not_known", default=None)


@contextmanager
def answering() -> Iterator[list[Callable[[], None]]]:
    """While the body runs, :func:`after_answer` keeps work aside; the list it yields holds it, in order, each
    item ready to run on any thread (in the context it was put off in, without this scope)."""
    kept: list[Callable[[], None]] = []
    token = _put_off.set(kept)
    try:
        yield kept
    finally:
        _put_off.reset(token)


def answering_now() -> bool:
    """True while a form's answer is being prepared in this context: nothing here may wait on Slack."""
    return _put_off.get() is not None


def after_answer(work: Callable[[], None]) -> bool:
    """Keep ``work`` for after the answer, if one is being prepared; False when not (the caller runs it now)."""
    kept = _put_off.get()
    if kept is None:
        return False
    context = contextvars.copy_context()
    kept.append(lambda: context.run(_outside, work))
    return True


def _outside(work: Callable[[], None]) -> None:
    _put_off.set(None)  # in the copied context only: what runs after the answer may call Slack
    _not_known.set(None)
    work()


@contextmanager
def deciding() -> Iterator[list[str]]:
    """While the body runs, what :func:`decided_without` says is collected in the list it yields."""
    unknown: list[str] = []
    token = _not_known.set(unknown)
    try:
        yield unknown
    finally:
        _not_known.reset(token)


def decided_without(what: str) -> None:
    """A check was answered "no" without knowing ``what`` (it could not be asked now, and is read after)."""
    unknown = _not_known.get()
    if unknown is not None and what not in unknown:
        unknown.append(what)
