"""The delivery service under Slack's bad days: rate limits, server errors, dropped connections."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.console.emulator import Faults, SlackEmulator
from bot.delivery import Delivery


def test_every_message_arrives_exactly_once_through_429s_500s_and_dropped_connections() -> None:
    faults = Faults(rate_limited=0.3, server_error=0.05, dropped=0.05, retry_after_seconds=0, seed=11)
    emulator = SlackEmulator("xoxb-faults", faults=faults).start()
    try:
        delivery = Delivery(WebClient(token="xoxb-faults", base_url=emulator.api_url, timeout=5))
        for number in range(20):
            delivery.post(f"C{number % 4}", f"digest {number}")
        posted = sorted(r.text for r in emulator.records if r.kind == "message")
        assert posted == sorted(f"digest {n}" for n in range(20))
        # The faults really happened: Slack was asked more often than it answered normally.
        assert emulator.attempts.count("chat.postMessage") > emulator.count_calls("chat.postMessage") == 20
    finally:
        emulator.stop()
