"""Hostile text, typed the way a person would type it, never comes back as live Slack markup.

What Slack receives is read from the emulator's records: every mrkdwn text (a message's `text`, section text,
fields, context) must carry what was typed escaped (`&lt;!channel&gt;`), never the live `<!channel>`; plain_text
(headers, buttons, modal titles) is shown literally by Slack, so it must not be escaped at all. The transcript,
rendered as Slack would show it, shows the text as it was typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.console.session import ConsoleSlack
from tests.conftest import converse

LIVE = ("<!channel>", "<!here>", "<!everyone>", "<https://evil.example")


def _texts(node: Any, kind: str) -> Iterator[str]:
    """Every text object of ``kind`` ("mrkdwn" or "plain_text") inside blocks or a view."""
    if isinstance(node, dict):
        if node.get("type") == kind and isinstance(node.get("text"), str):
            yield node["text"]
        for value in node.values():
            yield from _texts(value, kind)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value, kind)


def mrkdwn_sent(console: ConsoleSlack, since: int = 0) -> list[str]:
    """What Slack would read as mrkdwn: messages' text and every mrkdwn object of their blocks and views."""
    found: list[str] = []
    for record in console.emulator.since(since):
        if record.kind in ("message", "update", "ephemeral", "file") and record.text:
            found.append(record.text)
        found += _texts(record.blocks, "mrkdwn")
        found += _texts(record.view, "mrkdwn")
    return found


def plain_sent(console: ConsoleSlack, since: int = 0) -> list[str]:
    found: list[str] = []
    for record in console.emulator.since(since):
        found += _texts(record.blocks, "plain_text")
        found += _texts(record.view, "plain_text")
    return found


def assert_nothing_live(console: ConsoleSlack, since: int = 0) -> None:
    for text in mrkdwn_sent(console, since):
        for live in LIVE:
            assert live not in text, f"{live!r} reached Slack as live markup in {text!r}"
        assert "&amp;lt;" not in text and "&amp;gt;" not in text, f"escaped twice: {text!r}"
    for text in plain_sent(console, since):
        assert "&lt;" not in text and "&gt;" not in text, f"plain_text is shown literally, not escaped: {text!r}"


def test_a_standup_answer_and_a_blocker_are_posted_as_typed(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!as U0BUYER\n"
         "!at 2026-11-23 09:30", ["Fill in"]),
        ("!click Fill in", ["Daily stand-up"]),
        ('!fill today="<!channel> please look" yesterday="PO 4711 & PO 4712 sent" '
         'blockers="<https://evil.example|Amazon login>"' "\n"
         "!submit", ["Thanks — your stand-up"]),
        ("!at 2026-11-23 11:00", ["<https://evil.example|Amazon login> — @Chen Jie · open 0 workdays",
                                  "<!channel> please look", "PO 4711 & PO 4712 sent"]),
        ("/standup history", ["<!channel> please look", "<https://evil.example|Amazon login>"]),
    ])
    assert "@channel" not in shown and "Amazon login (https://evil.example)" not in shown
    sent = "\n".join(mrkdwn_sent(console))
    assert "&lt;!channel&gt; please look" in sent
    assert "&lt;https://evil.example|Amazon login&gt;" in sent
    assert "PO 4711 &amp; PO 4712 sent" in sent
    assert_nothing_live(console)


def test_one_line_feedback_with_here_notifies_nobody(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!as U0CS\n"
         "/feedback <!here> the LED-100 flickers", ["Feedback #1", "<!here> the LED-100 flickers"]),
        ("/feedback list all", ["<!here> the LED-100 flickers"]),
    ])
    assert "@here" not in shown
    assert any("&lt;!here&gt; the LED-100 flickers" in text for text in mrkdwn_sent(console))
    assert_nothing_live(console)


def test_a_restock_rejected_for_everyone_tells_nobody(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-100 50 <!everyone> needs it", ["Restock R-1"]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Reject", ["modal opened for Chen Jie"]),
        ('!fill reason="<!everyone>"' "\n"
         "!submit", ["rejected", "Reason: <!everyone>"]),
    ])
    assert "@everyone" not in shown
    sent = "\n".join(mrkdwn_sent(console))
    assert "Reason: &lt;!everyone&gt;" in sent
    assert_nothing_live(console)


def test_a_launch_named_like_a_mention_mentions_nobody(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!as U0SELECT\n"
         "/launch new", ["New launch"]),
        ('!fill name="<@U0MANAGER>" skus="LED-100" marketplaces=US launch_date=2027-02-01 playbook=standard '
         "channel=here\n"
         "!submit", ["🚀 Launch: <@U0MANAGER> · Feb 1, 2027", "<@U0MANAGER> is set up in"]),
        ("/launch list", ["*<@U0MANAGER>*"]),
    ])
    assert "Launch: @Li Wei" not in shown
    sent = mrkdwn_sent(console)
    assert any("&lt;@U0MANAGER&gt; is set up in" in text for text in sent)
    # Opsbot's own mentions of the manager (a task it stands in for) stay live; the launch's name never is.
    assert not any("<@U0MANAGER> is set up in" in text or "*<@U0MANAGER>*" in text for text in sent)
    assert any(text.startswith("🚀 Launch: <@U0MANAGER>") for text in plain_sent(console))  # a header: literal
    assert_nothing_live(console)
