"""A card still waiting in the outbox when its item changes (Slack away for a while) is posted as the item is by
then, once: the change is not lost because the card had no ts yet (issue 17, chaos 1)."""

from __future__ import annotations

from collections import Counter

import pytest

from bot.console.session import ConsoleSlack
from tests.conftest import converse
from tests.support.outbox_away import slack_away


def test_a_second_report_while_the_first_card_waits_in_the_outbox_is_on_the_card_when_it_lands(
    console: ConsoleSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator, outbox = console.emulator, console.services.delivery.outbox
    with slack_away(monkeypatch, outbox):  # whatever is posted waits in the outbox
        converse(console, [
            ("!as U0CS\n"
             "/feedback LED-100 arrived broken, buyer in Hamburg", ["Feedback #1"]),
            ("!as U0WAREHOUSE\n"
             "/feedback another LED-100 came in damaged at the warehouse", ["Joined the open feedback #1 on LED-100"]),
        ])
        assert not [r for r in emulator.records if r.kind == "message" and r.channel == "C0PURCHASING"]
    converse(console, [("!as U0BUYER\n/feedback list", ["#purchasing", "· 2 reports"])])  # Slack is back
    cards = [r for r in emulator.records if r.kind == "message" and r.channel == "C0PURCHASING" and r.thread_ts is None]
    assert len(cards) == 1  # posted once ...
    now = emulator.messages[("C0PURCHASING", str(cards[0].ts))]
    assert "2 reports" in str(now.blocks)  # ... showing both reports, although it had no ts when the second came
    assert set(Counter((r.channel, r.text) for r in emulator.records if r.kind == "message").values()) == {1}
