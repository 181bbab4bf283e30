"""The outbox: a message leaves with the change it announces, once, at Slack's pace, whatever Slack does."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import func, select, text

from bot.console.emulator import SlackEmulator
from bot.console.faults import Faults
from bot.db import Database
from bot.db.migrate import upgrade
from bot.db.outbox import FAILED, SENT, OutboxMessage
from bot.delivery import Delivery
from bot.outbox import keyed

TOKEN = "xoxb-outbox-test"


class Clock:
    """The outbox's seconds, moved by hand: Retry-After and pace are checked without waiting them out."""

    def __init__(self) -> None:
        self.at = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at

    def tick(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    slack = SlackEmulator(TOKEN).start()
    yield slack
    slack.stop()


def delivery_for(emulator: SlackEmulator, db: Database, *, pace: float = 0.0, clock: Clock | None = None) -> Delivery:
    return Delivery(WebClient(token=TOKEN, base_url=emulator.api_url, timeout=5), db, pace_seconds=pace, now=clock)


def messages(emulator: SlackEmulator) -> list[str]:
    return [r.text for r in emulator.records if r.kind == "message"]


def keys(emulator: SlackEmulator) -> Counter[str]:
    return Counter(str((r.metadata or {}).get("event_payload", {}).get("key")) for r in emulator.records
                   if r.kind == "message")


def states(db: Database) -> Counter[str]:
    with db.transaction() as session:
        return Counter(session.scalars(select(OutboxMessage.state)))


def test_a_message_leaves_when_its_transaction_commits_and_never_when_it_rolls_back(
    emulator: SlackEmulator, database: Database
) -> None:
    delivery = delivery_for(emulator, database)
    with database.transaction():
        delivery.post("C0PURCHASING", "R-1 filed: 500 × LED-100")
        assert messages(emulator) == []  # not before the request it announces is saved
    assert messages(emulator) == ["R-1 filed: 500 × LED-100"]

    with pytest.raises(RuntimeError), database.transaction():
        delivery.post("C0PURCHASING", "R-2 filed")
        raise RuntimeError("the change failed")
    assert delivery.outbox.drain(timeout=5)
    assert messages(emulator) == ["R-1 filed: 500 × LED-100"]
    assert states(database) == {SENT: 1}


def test_every_message_arrives_exactly_once_through_429s_500s_dropped_connections_and_lost_answers(
    emulator: SlackEmulator, database: Database
) -> None:
    emulator.faults = Faults(rate_limited=0.3, server_error=0.05, dropped=0.05, lost_answers=0.05,
                             retry_after_seconds=0, seed=11)
    delivery = delivery_for(emulator, database)
    wanted = []
    for number in range(24):
        with database.transaction():
            parent = delivery.post(f"C{number % 3}", f"digest {number}")
            delivery.post(f"C{number % 3}", f"reply {number}", thread_ts=parent)
            delivery.update(f"C{number % 3}", parent, f"digest {number} (edited)")
            delivery.dm(f"U{number % 2}", f"dm {number}")
        # The edit, written while its card still waits to be sent, is what the card is posted as.
        wanted += [f"digest {number} (edited)", f"reply {number}", f"dm {number}"]
    assert delivery.outbox.drain(timeout=120)

    assert sorted(messages(emulator)) == sorted(wanted)  # each exactly once
    assert set(keys(emulator).values()) == {1}
    edited = [r for (_, _), r in emulator.messages.items() if r.text.startswith("digest")]
    assert sorted(r.text for r in edited) == sorted(f"digest {n} (edited)" for n in range(24))
    replies = [r for r in emulator.records if r.kind == "message" and r.text.startswith("reply")]
    parents = {r.ts: r.text for r in emulator.records if r.kind == "message" and r.text.startswith("digest")}
    assert all(parents[str(r.thread_ts)] == r.text.replace("reply", "digest") + " (edited)" for r in replies)
    # The faults really happened, and a lost answer was settled by looking, not by posting again.
    assert emulator.attempts.count("chat.postMessage") > 72
    assert "conversations.history" in emulator.attempts or "conversations.replies" in emulator.attempts
    assert states(database) == {SENT: 24 * 3}  # no separate edit: it replaced what was waiting


def test_a_429_waits_its_retry_after_and_a_conversation_gets_one_message_a_second(
    emulator: SlackEmulator, database: Database
) -> None:
    clock = Clock()
    delivery = delivery_for(emulator, database, pace=1.0, clock=clock)
    emulator.faults = Faults(rate_limited=1.0, retry_after_seconds=30)
    delivery.post("C0OPS", "digest")
    emulator.faults = Faults()
    clock.tick(29)
    assert delivery.outbox.send_due() == 0 and messages(emulator) == []
    clock.tick(1)
    assert delivery.outbox.send_due() == 1 and messages(emulator) == ["digest"]

    clock.tick(5)
    with database.transaction():
        delivery.post("C0OPS", "summary")
        delivery.post("C0OPS", "summary, part 2")
        delivery.dm("U0BUYER", "your prompt")  # another conversation: not held back
    assert messages(emulator) == ["digest", "summary", "your prompt"]
    clock.tick(0.5)
    assert delivery.outbox.send_due() == 0
    clock.tick(0.5)
    assert delivery.outbox.send_due() == 1
    assert messages(emulator)[-1] == "summary, part 2"


@pytest.mark.parametrize("thread", [False, True])
def test_a_post_whose_answer_was_lost_is_found_in_the_conversation_not_posted_again(
    emulator: SlackEmulator, database: Database, thread: bool
) -> None:
    clock = Clock()
    delivery = delivery_for(emulator, database, clock=clock)
    parent = delivery.post("C0OPS", "summary") if thread else None
    emulator.faults = Faults(lost_methods=frozenset({"chat.postMessage"}))
    delivery.post("C0OPS", "Chen Jie's stand-up", thread_ts=parent)
    emulator.faults = Faults()
    assert messages(emulator)[-1] == "Chen Jie's stand-up"  # Slack has it; we never heard back
    clock.tick(60)
    assert delivery.outbox.drain(timeout=5)
    assert messages(emulator).count("Chen Jie's stand-up") == 1
    assert emulator.attempts.count("conversations.replies" if thread else "conversations.history") == 1
    with database.transaction() as session:
        row = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert row is not None and row.state == SENT and row.sent_ts == emulator.records[-1].ts


def test_a_file_whose_share_was_lost_is_not_shared_twice(emulator: SlackEmulator, database: Database) -> None:
    clock = Clock()
    delivery = delivery_for(emulator, database, clock=clock)
    emulator.faults = Faults(lost_methods=frozenset({"files.completeUploadExternal"}))
    delivery.upload("U0BUYER", "standup-2026-11.csv", b"day,who\n", comment="30 stand-ups")
    emulator.faults = Faults()
    clock.tick(60)
    assert delivery.outbox.drain(timeout=5)
    shared = [r for r in emulator.records if r.kind == "file"]
    assert [(r.file_name, r.text) for r in shared] == [("standup-2026-11.csv", "30 stand-ups")]
    assert emulator.attempts.count("files.getUploadURLExternal") == 1  # uploaded once, its id kept
    assert emulator.attempts.count("files.info") == 1


def test_a_message_slack_refuses_is_given_up_and_its_conversation_goes_on(
    emulator: SlackEmulator, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    delivery = delivery_for(emulator, database)
    too_many = [{"type": "section", "text": {"type": "mrkdwn", "text": "buyer jane@example.com"}}] * 51
    with caplog.at_level(logging.WARNING, logger="bot.outbox"):
        delivery.post("C0OPS", "huge", too_many)
        delivery.post("C0OPS", "next")
    assert messages(emulator) == ["next"]
    assert states(database) == {FAILED: 1, SENT: 1}
    assert "invalid_blocks" in caplog.text and "jane@example.com" not in caplog.text and "huge" not in caplog.text


def test_the_same_work_done_again_sends_nothing_twice(emulator: SlackEmulator, database: Database) -> None:
    delivery = delivery_for(emulator, database)
    with keyed("job:kpi.digest:shenzhen-ops@2026-11-23T01:00:00+00:00"):
        delivery.post("C0OPS", "Morning KPIs")
        delivery.dm("U0BUYER", "order now: LED-100")
        delivery.dm("U0BUYER", "order now: LED-100")  # the same words twice on purpose: both go
    # Taken over from a replica that died after committing: the same fire writes the same messages again,
    # this time skipping a step it had already recorded as done.
    with keyed("job:kpi.digest:shenzhen-ops@2026-11-23T01:00:00+00:00"):
        delivery.dm("U0BUYER", "order now: LED-100")
        delivery.post("C0OPS", "Morning KPIs")
    with keyed("job:kpi.digest:shenzhen-ops@2026-11-24T01:00:00+00:00"):
        delivery.post("C0OPS", "Morning KPIs")  # the next morning's is its own
    assert Counter(messages(emulator)) == {"Morning KPIs": 2, "order now: LED-100": 2}


@pytest.mark.postgres
def test_the_same_work_done_twice_at_once_writes_its_message_once_and_neither_fails(
    emulator: SlackEmulator, postgres_url: str
) -> None:
    # A lease taken over from a replica that was only slow: both do the same work at the same moment. The second
    # one's message (the same key) waits for the first's commit on the key's unique index; it must then find the
    # message written, not fail the second one's whole transaction (and the person's answer) on the constraint.
    database = Database(postgres_url)
    upgrade(database.engine)
    delivery = delivery_for(emulator, database)
    written, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def first() -> None:
        try:
            with keyed("job:kpi.digest:shenzhen-ops@2026-11-23T01:00:00+00:00"), database.transaction():
                delivery.post("C0OPS", "Morning KPIs")
                written.set()
                release.wait(10)
        except BaseException as error:  # reported by the test
            failures.append(error)

    def second() -> None:
        try:
            with keyed("job:kpi.digest:shenzhen-ops@2026-11-23T01:00:00+00:00"), database.transaction():
                delivery.post("C0OPS", "Morning KPIs")
        except BaseException as error:  # reported by the test
            failures.append(error)

    try:
        threads = [threading.Thread(target=first)]
        threads[0].start()
        assert written.wait(10)
        threads.append(threading.Thread(target=second))
        threads[1].start()
        with database.engine.connect() as connection:  # the second waits on the first's row lock: then let go
            for _ in range(500):
                waiting = connection.scalar(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND wait_event_type = 'Lock'"))
                if waiting or not threads[1].is_alive():
                    break
                threads[1].join(0.01)
        release.set()
        for thread in threads:
            thread.join(10)
        assert failures == []
        with database.transaction() as session:
            assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    finally:
        release.set()
        database.dispose()
