"""Issue 17: work cut off by a database outage goes back to the work queue — taken again once the wait is over,
and an outage never counts as one of the attempts after which a request that keeps failing is given up."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import OperationalError

from bot.db import Database
from bot.outbox import work
from bot.outbox.work import GIVE_UP_AFTER_ATTEMPTS, Request, WorkQueue, retry_later
from bot.outbox.work_threads import WorkWorker


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


def away() -> OperationalError:
    return OperationalError("SELECT 1", {}, Exception("could not connect to server"))


def test_a_request_put_back_is_taken_again_only_after_the_wait_and_the_outage_is_not_an_attempt(
    database: Database,
) -> None:
    clock = Clock()
    queue = WorkQueue(database, now=clock)
    queue.add("T0DEMO", "event:Ev1", '{"type": "event_callback"}', "application/json")
    for _ in range(GIVE_UP_AFTER_ATTEMPTS + 2):  # more outages than a request has attempts
        taken = queue.claim()
        assert taken is not None and taken.attempts == 1
        queue.later(taken)
        assert queue.claim() is None  # not before the wait
        clock.at += work.RETRY_AFTER + timedelta(seconds=1)
    last = queue.claim()
    assert last is not None and last.attempts == 1
    queue.done(last)
    assert queue.depth() == (0, 0.0)


def test_the_work_threads_put_back_what_asked_for_it_and_do_it_when_the_database_answers(
    database: Database, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(work, "RETRY_AFTER", timedelta(0))
    queue = WorkQueue(database)
    ran: list[int] = []
    done = threading.Event()

    def run(request: Request) -> None:
        ran.append(request.id)
        if len(ran) <= GIVE_UP_AFTER_ATTEMPTS + 1:
            assert retry_later(away())  # what the app's error handler does when the database went away
        else:
            done.set()

    assert not retry_later(away())  # outside a work thread: nothing to put back
    worker = WorkWorker(queue, run, threads=1, idle_seconds=0.01)
    with caplog.at_level(logging.WARNING):
        queue.add("T0DEMO", "event:Ev2", '{"type": "event_callback"}', "application/json")
        worker.start()
        assert done.wait(10)
        worker.stop()
    assert len(ran) == GIVE_UP_AFTER_ATTEMPTS + 2 and len(set(ran)) == 1  # the one request, never given up
    assert queue.depth()[0] == 0
    # Here the database answered each claim in between (each put-back is an outage of its own): a line each,
    # never a traceback. In a real outage the claims fail too and the whole outage is one line.
    lines = [r for r in caplog.records if r.name == "bot.outbox.work"]
    assert len(lines) == GIVE_UP_AFTER_ATTEMPTS + 1
    assert all("request 1 kept in the queue" in r.getMessage() and r.exc_info is None for r in lines)
