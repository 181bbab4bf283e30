"""What the classifier reads and what it does not know, as the team sees it on the cards."""

from __future__ import annotations

import pytest

from bot.console.session import ConsoleSlack
from bot.errors import OpsError
from bot.flows.feedback_actions import FeedbackActions
from bot.flows.feedback_cards import FeedbackCards
from bot.ops.feedback_playbook import FeedbackPlaybook
from tests.conftest import converse


def test_the_card_shows_the_marketplace_and_asins_read_from_the_text(console: ConsoleSlack) -> None:
    converse(
        console,
        [
            (
                "!as U0CS\n/feedback 德国站 B0C7XK2M9Q 差评说灯光闪烁，已经有四个退货",
                ["Feedback #1 · Quality / defect", "── #purchasing · Opsbot", "· DE · ASIN B0C7XK2M9Q"],
            ),
            (
                "/feedback Amazon UK: hijacker on B0D1LQ8Z2R and B0CX99PLKD",
                ["Feedback #2 · Price / competitor", "· UK · ASIN B0D1LQ8Z2R and B0CX99PLKD"],
            ),
        ],
    )


def test_unsure_feedback_says_so_and_the_reporters_pick_re_routes_it(console: ConsoleSlack) -> None:
    converse(
        console,
        [
            (
                "!as U0CS\n/feedback The photographer says LED-200 looks washed out under the new lights",
                [
                    "── #manager · Opsbot",
                    "Feedback #1 · Other",
                    "❓ Opsbot was not sure what this is about and asked @Wang Fang to pick the category.",
                    "── DM with Wang Fang · Opsbot",
                    "Opsbot was not sure what your feedback #1 is about, so for now it went to the manager. "
                    "What is it about?",
                    "Listing / content",
                    "Quality / defect",
                ],
            ),
        ],
    )
    # Only the reporter answers this question, whatever is sent to the server.
    ctx = console.services.context
    playbook = ctx.playbook(FeedbackPlaybook)
    with pytest.raises(OpsError, match="Only the person who sent feedback"):
        FeedbackActions(ctx, playbook, FeedbackCards(ctx, playbook)).pick("U0MARKET", 1, "price")
    converse(
        console,
        [
            (
                "!click Listing / content",
                [
                    "── #marketing · Opsbot",
                    "Feedback #1 · Listing / content",
                    "#manager · message updated",
                    "Routed to #marketing",
                    "Thanks: feedback #1 is now filed as Listing / content.",
                ],
            ),
        ],
    )
    manager_card = str(console.emulator.channel_messages("C0MANAGER")[-1].blocks)
    assert "not sure" not in manager_card
    with pytest.raises(OpsError, match="already has its category"):
        FeedbackActions(ctx, playbook, FeedbackCards(ctx, playbook)).pick("U0CS", 1, "price")
