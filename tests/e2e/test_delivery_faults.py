"""A morning's work while Slack misbehaves: every card once, kept current in place, nobody told twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console.emulator import Faults
from bot.console.session import ConsoleSlack
from bot.db import restock as store
from bot.reports.ingest import ingest_generic
from tests.conftest import MONDAY_9AM_SHENZHEN, converse

SALES = Path(__file__).parent.parent / "restock" / "fixtures" / "led-100-us.csv"


@pytest.fixture
def stormy(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    """Slack answering 30 % of calls 429, 5 % 500, dropping 5 % of connections and losing 5 % of answers."""
    faults = Faults(rate_limited=0.3, server_error=0.05, dropped=0.05, lost_answers=0.05, retry_after_seconds=0,
                    seed=1)
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN,
                         faults=faults)
    with slack.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", SALES)
    try:
        yield slack
    finally:
        slack.close()


def test_a_restock_request_reaches_purchasing_once_and_its_card_is_updated_in_place(stormy: ConsoleSlack) -> None:
    converse(stormy, [
        ("!as U0MARKET\n"
         "/restock LED-100 by 2026-12-31 Q1 promotion", ["📦 Restock R-1 · requested", "DM with Amy Lin · Opsbot"]),
        ("!as U0MANAGER\n"
         "!in C0PURCHASING\n"
         "!click Approve", ["#purchasing · message updated", "📦 Restock R-1 · approved",
                            "R-1 (500 × LED-100) is now approved by @Li Wei."]),
    ])
    emulator = stormy.emulator
    posted = Counter((r.channel, r.text) for r in emulator.records if r.kind == "message")
    assert set(posted.values()) == {1}
    cards = [r for r in emulator.records if r.kind == "message" and r.channel == "C0PURCHASING"]
    assert len(cards) == 1
    with stormy.services.db.transaction() as session:
        request = session.query(store.RestockRequest).one()
        # Where the card landed was recorded when Slack finally took it, and the approval edited that message.
        assert (request.card_channel, request.card_ts) == ("C0PURCHASING", cards[0].ts)
        assert request.copy_ts is not None
    assert "approved" in emulator.messages[("C0PURCHASING", str(cards[0].ts))].text + str(
        emulator.messages[("C0PURCHASING", str(cards[0].ts))].blocks)
    assert emulator.attempts.count("chat.postMessage") > emulator.count_calls("chat.postMessage") + 1  # stormy
