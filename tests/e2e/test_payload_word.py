"""A person may type the word "payload": Slack sends it inside an ordinary form body, and Opsbot answers it."""

from __future__ import annotations

from tests.conftest import ConsoleSlack, converse


def test_commands_that_say_payload_are_answered(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n/ops payload", ["I don't know /ops payload. Try /ops help, /ops team or /ops setup."]),
        ("/feedback payload broken on LED-100", ["Feedback #1", "payload broken on LED-100"]),
        ("/restock payload", ["payload"]),
    ])
