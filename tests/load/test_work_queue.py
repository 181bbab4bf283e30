"""Graceful overload: acknowledged work waits durably in the database — through a restart, and past a replica
that dies holding it, whose claim a live replica takes over once its lease runs out (issue 17, chaos 2)."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.console.emulator import SlackEmulator
from bot.db import Database
from bot.db.outbox import WorkItem
from bot.outbox.work import GIVE_UP_AFTER_ATTEMPTS, HOME, LEASE, OTHER, RETRY_AFTER, TRIGGER, WorkQueue
from tests.load.conftest import Served, command, eventually


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def database(database_on_both: Database) -> Database:
    return database_on_both


def test_a_dead_replicas_claim_is_taken_over_by_a_live_one_once_its_lease_runs_out(database: Database) -> None:
    clock = Clock()
    dead, live = WorkQueue(database, now=clock), WorkQueue(database, now=clock)
    assert dead.add("T0DEMO", "trigger:1.U0BUYER", "command=/ops&text=help", "application/x-www-form-urlencoded")
    taken = dead.claim()
    assert taken is not None  # ...and then its replica is killed with kill -9: never done, never renewed

    clock.at += LEASE - timedelta(seconds=1)
    assert live.claim() is None  # still held: the holder may be working on it
    clock.at += timedelta(seconds=2)
    again = live.claim()
    assert again is not None and (again.id, again.body, again.attempts) == (taken.id, taken.body, 2)
    dead.done(taken)  # a replica that was only slow finishing late does not drop the other's claim
    assert live.depth()[0] == 1
    live.done(again)
    assert live.depth() == (0, 0.0)


def test_a_lease_kept_while_the_work_runs_is_never_taken_over(database: Database) -> None:
    clock = Clock()
    working, other = WorkQueue(database, now=clock), WorkQueue(database, now=clock)
    working.add("T0DEMO", None, "command=/kpi", "application/x-www-form-urlencoded")
    taken = working.claim()
    assert taken is not None
    for _ in range(5):  # a long /kpi: its lease is renewed as it runs
        clock.at += LEASE / 2
        working.renew([taken.id])
        assert other.claim() is None


def test_a_request_that_kills_every_replica_taking_it_is_given_up_and_logged(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    queue = WorkQueue(database, now=clock)
    queue.add("T0DEMO", None, "command=/poison", "application/x-www-form-urlencoded")
    for _ in range(GIVE_UP_AFTER_ATTEMPTS):
        assert queue.claim() is not None
        clock.at += LEASE + timedelta(seconds=1)
    with caplog.at_level(logging.ERROR):
        assert queue.claim() is None
    assert "giving up request" in caplog.text
    assert queue.depth()[0] == 0


def test_acknowledged_commands_wait_through_a_restart_and_are_answered_once_after(
    emulator: SlackEmulator, playbooks_dir: Path, database_url: str
) -> None:
    # A replica with no work threads to spare: everything it acknowledges waits in the queue.
    first = Served(emulator, playbooks_dir, database_url, work_threads=0)
    urls = [emulator.new_response_url("C0OPS", "U0BUYER") for _ in range(3)]
    try:
        assert [first.post(command("help", url)).status_code for url in urls] == [200, 200, 200]
        assert first.metric("opsbot_work_depth") == 3
    finally:
        first.stop()
    assert not [r for r in emulator.records if r.kind == "ephemeral"]

    second = Served(emulator, playbooks_dir, database_url, work_threads=2)
    try:
        assert eventually(lambda: second.metric("opsbot_work_depth") == 0)
        answers = [r for r in emulator.records if r.kind == "ephemeral"]
        assert len(answers) == 3
    finally:
        second.stop()


def test_twelve_threads_claiming_at_once_take_every_request_exactly_once_in_lane_order(database: Database) -> None:
    # A 9 a.m. rush: a backlog of commands, forms' triggers and Home refreshes, and serve's twelve work threads
    # claiming together. Each request is done once; none is left or taken twice.
    queue = WorkQueue(database)
    lanes = {OTHER: 120, TRIGGER: 40, HOME: 40}
    for lane, count in lanes.items():
        for n in range(count):
            queue.add("T0DEMO", f"{lane}:{n}", f"lane={lane}&n={n}", "application/x-www-form-urlencoded", lane=lane)
    taken: list[tuple[int, int]] = []
    waiting_when_a_home_was_taken: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        finished = None
        while True:
            request = queue.claim(finished)
            if request is None:
                return
            if request.lane == HOME:
                with database.engine.connect() as connection:
                    waiting_when_a_home_was_taken.append(
                        connection.execute(
                            select(func.count()).where(WorkItem.lane != HOME, WorkItem.owner.is_(None))
                        ).scalar_one()
                    )
            with lock:
                taken.append((request.id, request.lane))
            finished = request

    threads = [threading.Thread(target=work) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(request for request, _ in taken) == sorted(set(request for request, _ in taken))
    assert Counter(lane for _, lane in taken) == lanes
    assert queue.depth() == (0, 0.0)
    # Homes wait for Slack's requests: when one is taken, no Slack request is left but those the other eleven
    # threads are taking at that moment.
    assert max(waiting_when_a_home_was_taken) <= 11


def test_a_claim_takes_a_dead_replicas_request_in_its_turn_among_those_waiting(database: Database) -> None:
    clock = Clock()
    dead, live = WorkQueue(database, now=clock), WorkQueue(database, now=clock)
    dead.add("T0DEMO", "a", "command=/restock", "application/x-www-form-urlencoded")
    held = dead.claim()  # its replica dies holding the oldest request
    assert held is not None
    live.add("T0DEMO", "b", "command=/kpi", "application/x-www-form-urlencoded")
    live.add("T0DEMO", "c", "trigger=1", "application/x-www-form-urlencoded", lane=TRIGGER)
    clock.at += LEASE + timedelta(seconds=1)
    order = []
    finished = None
    while (request := live.claim(finished)) is not None:
        order.append(request.body)
        finished = request
    # The dead replica's request has waited longest (a lease, a minute): it goes first; then the trigger lane,
    # then the rest.
    assert order == ["command=/restock", "trigger=1", "command=/kpi"]


def test_a_request_put_back_during_an_outage_waits_its_retry_delay_then_goes_first(database: Database) -> None:
    clock = Clock()
    queue = WorkQueue(database, now=clock)
    queue.add("T0DEMO", "a", "event=1", "application/json")
    request = queue.claim()
    assert request is not None
    queue.later(request)  # the database went away under its work
    queue.add("T0DEMO", "b", "event=2", "application/json")
    second = queue.claim()
    assert second is not None and second.body == "event=2"  # the one put back is not retried at once
    clock.at += RETRY_AFTER + timedelta(seconds=1)
    again = queue.claim(second)
    assert again is not None and (again.body, again.attempts) == ("event=1", 1)
