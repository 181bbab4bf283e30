"""The bot helps itself into the channels team.yml gives it: it joins a public one, tells the manager exactly what
to type for a private one, and says what it will post where it is added."""

from __future__ import annotations

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.console.slack_state import BOT_USER_ID
from tests.conftest import converse


def test_each_morning_it_joins_a_public_channel_and_asks_the_manager_to_invite_it_to_a_private_one(
    console: ConsoleSlack,
) -> None:
    console.emulator.users["U0MANAGER"].locale = "en-US"
    console.emulator.channel("C0DATA").bot_in = False  # public
    console.emulator.channel("C0MANAGER").bot_in = False  # private
    transcript = converse(
        console,
        [
            (
                "!at 2026-11-24 08:00",
                [
                    "I'm not in #manager, the private channel where I post approvals and feedback for the manager",
                    "To add me, type /invite @Opsbot in #manager",
                ],
            ),
        ],
    )
    assert console.emulator.channel("C0DATA").bot_in, "it joined the public #data itself"
    assert console.emulator.count_calls("conversations.join") == 1
    asked = [line.strip() for line in transcript.splitlines() if "I'm not in" in line]
    assert len(asked) == 1 and asked[0].startswith("I'm not in #manager,")  # nothing to ask about #data or #ops
    # Invited, the next morning it says nothing more.
    console.emulator.channel("C0MANAGER").bot_in = True
    assert "I'm not in" not in console.send("!at 2026-11-25 08:00")


def test_the_manager_reading_chinese_is_asked_in_chinese(console: ConsoleSlack) -> None:
    console.emulator.channel("C0MANAGER").bot_in = False
    converse(console, [("!at 2026-11-24 08:00", ["我还不在私有频道 #manager", "/invite @Opsbot"])])


def test_added_to_a_channel_it_needs_it_says_what_it_will_post_there(console: ConsoleSlack) -> None:
    console.dispatch(
        payloads.event(
            team="T0DEMO",
            bot_user=BOT_USER_ID,
            event_body={
                "type": "member_joined_channel",
                "user": BOT_USER_ID,
                "channel": "C0PURCHASING",
                "channel_type": "C",
                "team": "T0DEMO",
            },
        )
    )
    posted = [m.text for m in console.emulator.channel_messages("C0PURCHASING")]
    assert posted == ["Thanks for adding me. Here I'll post restock requests and their approvals."]
    # Someone else joining, or the bot joining a channel it does not use, says nothing.
    for user, channel in (("U0BUYER", "C0PURCHASING"), (BOT_USER_ID, "C0RANDOM")):
        console.dispatch(
            payloads.event(
                team="T0DEMO",
                bot_user=BOT_USER_ID,
                event_body={
                    "type": "member_joined_channel",
                    "user": user,
                    "channel": channel,
                    "channel_type": "C",
                    "team": "T0DEMO",
                },
            )
        )
    console.services.delivery.outbox.drain()
    assert len(console.emulator.channel_messages("C0PURCHASING")) == 1
    assert console.emulator.channel_messages("C0RANDOM") == []
