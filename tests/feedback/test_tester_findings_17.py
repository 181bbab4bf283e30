"""Issue 17, "each person is told something true": what a fresh-eyes tester found in feedback, as transcripts.

1. Feedback from a private conversation is listed to the team as "#1 · Supplier / cost · new · from a private
   conversation", yet `/feedback status F-1` answered "There is no feedback F-1 in your team.": the second answer
   contradicted the first. Now it says the item came from a private conversation and who may read its words
   (never the words), while its reporter and the manager still see it whole.
2. Someone with no line on a card (customer service, who filed it) pressed "Purchasing: Acknowledge" and was told
   "yours has its own buttons", which she has not. Now she is told whose line it is; someone who does have a
   line of their own on the card is still pointed at it.
"""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse
from tests.support.seen import everything_in

SECRET = "SECRETWORDS supplier will raise LED-100 price 8% next month"


def test_status_of_a_private_item_says_it_is_private_and_who_may_read_it(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!as U0CS\n"
         "!in U0CS\n"
         f"/feedback {SECRET}", ["── DM with Li Wei · Opsbot", "Thanks! Feedback #1 went to the manager only, by DM."]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "/feedback list all", ["#1 · Supplier / cost · new · from a private conversation"]),
        # The list and the status agree: it exists, it is private, and who may read it is named.
        ("/feedback status F-1", ["only visible to Chen Jie",
                                  "Feedback F-1 came from a private conversation: only @Wang Fang and the manager "
                                  "may read its words."]),
        ("!as U0MARKET\n"
         "/feedback status F-1", ["only visible to Amy Lin", "Feedback F-1 came from a private conversation"]),
        # Its reporter and the manager (Li Wei reads Chinese) still see it whole.
        ("!as U0CS\n"
         "!in U0CS\n"
         "/feedback status F-1", ["Feedback F-1 · Supplier / cost", SECRET]),
        ("!as U0MANAGER\n"
         "!in U0MANAGER\n"
         "/feedback status F-1", ["反馈 F-1", SECRET]),
    ])
    assert "There is no feedback F-1" not in shown
    # Nobody else was shown the words, in any answer or channel.
    told_others = shown.split("» !as U0CS\n!in U0CS\n/feedback status F-1")[0].split("» !as U0BUYER", 1)[1]
    assert "SECRETWORDS" not in told_others
    for channel in ("C0PURCHASING", "C0MARKETING", "C0OPS", "C0MANAGER"):
        assert "SECRETWORDS" not in everything_in(console, channel)


def test_status_names_the_author_too_when_someone_else_sent_their_words(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0SELECT\n!in G0PRIVATE\n!say Supplier raises the price of LED-200 by 8% next month",
         ["Supplier raises the price"]),
        ("!as U0CS\n!shortcut feedback.from_message", ["“Market feedback”"]),
        ("!submit", ["until @Zhang Min agrees to share it"]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "/feedback status F-1", ["Feedback F-1 came from a private conversation: only @Wang Fang, @Zhang Min, and "
                                  "the manager may read its words."]),
        ("!as U0SELECT\n"
         "!in U0SELECT\n"
         "/feedback status F-1", ["Supplier raises the price of LED-200 by 8% next month"]),
    ])


def test_a_person_without_a_line_on_the_card_is_told_whose_line_it_is(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!as U0CS\n"
         "/feedback Customer says LED-100 arrived with a cracked base",
         ["── #manager · Opsbot", "*Purchasing* · 🆕 new", "Routed to #purchasing and #manager"]),
        # Customer service filed it and has no line on it: she is told whose line it is, not about buttons of hers.
        ("!in C0MANAGER\n"
         "!click Purchasing: Acknowledge", ["only visible to Wang Fang",
                                            "Only the people of that line (Purchasing) can move it."]),
        ("!click Purchasing: I'm on it", ["Only the people of that line (Purchasing) can move it."]),
    ])
    assert "its own buttons" not in shown
    assert "👀 acknowledged" not in everything_in(console, "C0MANAGER")


def test_a_person_with_a_line_of_their_own_is_pointed_at_it(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n"
         "/feedback Customer says LED-100 is too expensive, a competitor is 20% cheaper",
         ["*Marketing & ads* · 🆕 new", "*Purchasing* · 🆕 new"]),
        # Amy's marketing has its own line on this card.
        ("!as U0MARKET\n"
         "!in C0PURCHASING\n"
         "!click Purchasing: Acknowledge", ["only visible to Amy Lin",
                                            "Only the people of that line can move it; yours has its own buttons."]),
        # Li Wei (the manager, reading Chinese) has no line on this one.
        ("!as U0MANAGER\n"
         "!click Purchasing: Acknowledge", ["只有那一行的负责人（采购）能更新它。"]),
    ])
