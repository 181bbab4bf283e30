"""A morning's work while Slack misbehaves: every card once, kept current in place, nobody told twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.console.faults import Faults
from bot.console.session import ConsoleSlack
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
                            "DM with Amy Lin · message updated", "R-1 (500 × LED-100) is now approved by @Li Wei."]),
    ])
    emulator = stormy.emulator
    posted = Counter((r.channel, r.text) for r in emulator.records if r.kind == "message")
    assert set(posted.values()) == {1}
    # Where the card and the requester's copy landed was recorded when Slack finally took them: the approval
    # edited those very messages, in place.
    for channel in ("C0PURCHASING", emulator.dm_channel_of("U0MARKET")):
        cards = [r for r in emulator.records if r.kind == "message" and r.channel == channel
                 and r.text.startswith("Restock R-1")]
        assert len(cards) == 1
        now = emulator.messages[(channel, str(cards[0].ts))]
        assert "📦 Restock R-1 · approved" in str(now.blocks)
    assert emulator.attempts.count("chat.postMessage") > emulator.count_calls("chat.postMessage") + 1  # stormy
