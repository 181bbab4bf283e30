"""Replies and edits aimed at a card still waiting in the outbox: the later edit applies to the message once it
is posted, nothing is lost and nothing is doubled (issue 17, chaos 1)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.console.emulator import SlackEmulator
from bot.console.faults import Faults
from bot.db import Database
from bot.db.base import insert_ignore
from bot.db.outbox import OutboxLane
from bot.delivery import Delivery
from bot.outbox import Receipt
from tests.test_outbox import Clock, delivery_for

CARD = Receipt("feedback_card", "7")


@pytest.fixture
def emulator() -> Iterator[SlackEmulator]:
    slack = SlackEmulator("xoxb-outbox-test").start()
    yield slack
    slack.stop()


def send_all(delivery: Delivery, clock: Clock) -> bool:
    """Send everything, a second of the outbox's clock at a time (pace and Retry-After pass by hand)."""
    for _ in range(120):
        delivery.outbox.send_due()
        if delivery.outbox.depth() == 0:
            return True
        clock.tick(1)
    return False


def channel(emulator: SlackEmulator) -> list[tuple[str, str, str | None]]:
    """(kind, text, thread) of what Slack holds, in order."""
    return [(r.kind, r.text, r.thread_ts) for r in emulator.records if r.kind in ("message", "update")]


def test_a_second_report_joining_a_card_held_by_the_channels_pace_gets_its_reply_and_its_card_update(
    emulator: SlackEmulator, database: Database
) -> None:
    clock = Clock()
    delivery = delivery_for(emulator, database, pace=1.0, clock=clock)
    delivery.post("C0FEEDBACK", "an earlier card")  # the channel's pace now holds the next post for a second
    delivery.post("C0FEEDBACK", "Feedback #7: 1 report", receipt=CARD)
    clock.tick(0.4)
    # The second report, 0.4 s later: the card has no ts yet, so the reply and the edit follow it.
    card = delivery.waiting(CARD)
    assert card is not None
    delivery.post("C0FEEDBACK", "Another report from Li Na", thread_ts=card)
    delivery.update("C0FEEDBACK", card, "Feedback #7: 2 reports")
    assert send_all(delivery, clock)

    held = channel(emulator)
    posts = [text for kind, text, _ in held if kind == "message"]
    assert posts == ["an earlier card", "Feedback #7: 2 reports", "Another report from Li Na"]  # once each
    card_ts = next(r.ts for r in emulator.records if r.text == "Feedback #7: 2 reports")
    assert next(thread for _, text, thread in held if text == "Another report from Li Na") == card_ts
    assert delivery.waiting(CARD) is None  # sent: its ts is what features use from now on


def test_an_approval_pressed_while_the_card_is_held_by_429s_leaves_the_approved_card(
    emulator: SlackEmulator, database: Database
) -> None:
    clock = Clock()
    delivery = delivery_for(emulator, database, pace=1.0, clock=clock)
    emulator.faults = Faults(rate_limited=1.0, retry_after_seconds=30)
    delivery.post("C0RESTOCK", "Restock LED-100: requested [Approve] [Reject]", receipt=Receipt("restock", "3"))
    emulator.faults = Faults()
    card = delivery.waiting(Receipt("restock", "3"))
    assert card is not None
    delivery.update("C0RESTOCK", card, "Restock LED-100: approved by Wang Fang")
    assert send_all(delivery, clock)
    texts = [r.text for r in emulator.records if r.kind in ("message", "update")]
    assert texts == ["Restock LED-100: approved by Wang Fang"]


def test_an_edit_of_a_card_a_sender_is_posting_right_now_is_applied_after_it(
    emulator: SlackEmulator, database: Database
) -> None:
    clock = Clock()
    delivery = delivery_for(emulator, database, clock=clock)
    with database.transaction() as session:  # another replica's sender holds the lane: it may be mid-send
        insert_ignore(session, OutboxLane, lane="C0RESTOCK")
        session.execute(
            update(OutboxLane)
            .where(OutboxLane.lane == "C0RESTOCK")
            .values(owner="another-replica", lease_until=clock() + timedelta(seconds=90))
        )
    card = delivery.post("C0RESTOCK", "Restock LED-100: requested", receipt=Receipt("restock", "4"))
    delivery.update("C0RESTOCK", card, "Restock LED-100: approved")
    with database.transaction() as session:  # that sender lets the lane go
        session.execute(update(OutboxLane).where(OutboxLane.lane == "C0RESTOCK").values(owner=None, lease_until=None))
    assert send_all(delivery, clock)
    kinds = [(r.kind, r.text) for r in emulator.records if r.kind in ("message", "update")]
    assert kinds == [("message", "Restock LED-100: requested"), ("update", "Restock LED-100: approved")]


def test_a_conversation_held_by_a_replica_that_died_is_taken_over_once_its_lease_runs_out(
    emulator: SlackEmulator, database: Database
) -> None:
    clock = Clock()
    delivery = delivery_for(emulator, database, clock=clock)
    with database.transaction() as session:  # a replica took the lane, then was killed with kill -9
        insert_ignore(session, OutboxLane, lane="C0OPS")
        session.execute(
            update(OutboxLane)
            .where(OutboxLane.lane == "C0OPS")
            .values(owner="dead-replica", lease_until=clock() + timedelta(seconds=90))
        )
    delivery.post("C0OPS", "Daily digest")
    clock.tick(89)
    assert delivery.outbox.send_due() == 0  # it may still be alive and sending
    clock.tick(2)
    assert delivery.outbox.send_due() == 1
    assert [r.text for r in emulator.records if r.kind == "message"] == ["Daily digest"]
