"""What came from a private place stays private unless its author agrees (issue 17).

A message taken with the "Send as market feedback" shortcut from a private channel or a DM goes to the manager
alone, by DM, and the person who wrote it is asked with buttons; only their "yes" sends it to team channels.
"""

from __future__ import annotations

import pytest

from bot.console.session import ConsoleSlack
from bot.errors import OpsError
from bot.flows.feedback_actions import FeedbackActions
from bot.flows.feedback_cards import FeedbackCards
from bot.ops.feedback_playbook import FeedbackPlaybook
from tests.conftest import converse
from tests.support.seen import everything_in

PUBLIC = ("C0PURCHASING", "C0MARKETING", "C0OPS", "C0RANDOM")


def flow(console: ConsoleSlack) -> FeedbackActions:
    ctx = console.services.context
    playbook = ctx.playbook(FeedbackPlaybook)
    return FeedbackActions(ctx, playbook, FeedbackCards(ctx, playbook))


def test_a_private_message_goes_to_the_manager_alone_until_its_author_agrees(console: ConsoleSlack) -> None:
    converse(
        console,
        [
            (
                "!as U0SELECT\n!in G0PRIVATE\n!say Supplier raises the price of LED-200 by 8% next month",
                ["Supplier raises the price"],
            ),
            (
                "!as U0CS\n!shortcut feedback.from_message",
                ["“Market feedback”", "only the manager will see it until the person who wrote it agrees to share it"],
            ),
            (
                "!submit",
                [
                    "── DM with Li Wei · Opsbot",
                    "Supplier raises the price of LED-200 by 8% next month",
                    "until @Zhang Min agrees to share it",
                    "── DM with Zhang Min · Opsbot",
                    "@Wang Fang sent your message from a private conversation as market feedback #1. Only the "
                    "manager has seen it so far. May it also go to #purchasing and #manager?",
                    "Yes, share it",
                    "No, keep it private",
                    "Thanks! Feedback #1 went to the manager only, by DM, until @Zhang Min agrees to share it",
                ],
            ),
        ],
    )
    for channel in (*PUBLIC, "C0MANAGER"):  # not even the private #manager channel: its members were not chosen
        assert "LED-200" not in everything_in(console, channel)
    # The sender cannot answer for the author, whatever they send the server.
    with pytest.raises(OpsError, match="Only the person who wrote that message"):
        flow(console).consent("U0CS", 1, shared=True)
    converse(
        console,
        [
            (
                "!as U0SELECT\n!click Yes, share it",
                [
                    "── #purchasing · Opsbot",
                    "Feedback #1 · Supplier / cost",
                    "── #manager · Opsbot",
                    "Feedback #1 was shared with the team. Thank you.",
                    "@Zhang Min agreed: feedback #1 went to #purchasing and #manager.",
                ],
            ),
        ],
    )
    assert "Supplier raises the price" in everything_in(console, "C0PURCHASING")
    with pytest.raises(OpsError, match="already answered"):
        flow(console).consent("U0SELECT", 1, shared=False)


def test_an_author_who_says_no_keeps_it_with_the_manager(console: ConsoleSlack) -> None:
    converse(
        console,
        [
            (
                "!as U0MARKET\n!in G0PRIVATE\n!say The competitor of LED-100 is cheaper on Amazon.de now",
                ["cheaper on Amazon.de"],
            ),
            ("!as U0CS\n!shortcut feedback.from_message", ["“Market feedback”"]),
            ("!submit", ["── DM with Amy Lin · Opsbot", "May it also go to #marketing and #purchasing?"]),
            (
                "!as U0MARKET\n!click No, keep it private",
                [
                    "Feedback #1 stays private: only the manager sees it.",
                    "@Amy Lin asked to keep feedback #1 private: only the manager sees it.",
                ],
            ),
        ],
    )
    for channel in (*PUBLIC, "C0MANAGER"):
        assert "LED-100" not in everything_in(console, channel)
    assert "cheaper on Amazon.de" in everything_in(console, console.emulator.dm_channel_of("U0MANAGER"))


def test_a_private_report_joining_a_public_item_tells_its_words_to_the_manager_alone(console: ConsoleSlack) -> None:
    converse(
        console,
        [
            ("!as U0CS\n/feedback LED-200 arrived broken, the second this week", ["Feedback #1 · Quality / defect"]),
            (
                "!as U0SELECT\n"
                "!in G0PRIVATE\n"
                "!say Supplier admits LED-200 batch 7 is defective\n"
                "!shortcut feedback.from_message",
                ["only the manager will see it"],
            ),
            (
                "!submit",
                [
                    "Joined the open feedback #1 on LED-200 (2 reports so far).",
                    "── #purchasing · in thread · Opsbot",
                    "Another report from @Zhang Min, from a private conversation.",
                    "── DM with Li Wei · Opsbot",
                    "@Zhang Min",
                    "Supplier admits LED-200 batch 7 is defective",
                ],
            ),
        ],
    )
    for channel in (*PUBLIC, "C0MANAGER"):
        assert "batch 7" not in everything_in(console, channel)
