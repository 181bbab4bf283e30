"""The fresh-eyes tester's findings on private feedback (issue 17, second round): a public report is never
swallowed by an item the team cannot see, the share question names where "Yes" sends it now, an item kept
private stays on the manager's Home and card, and a thread reply in a manager's DM is in her language."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse
from tests.support.seen import everything_in


def test_a_public_report_is_not_swallowed_by_an_unshared_private_item(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n!in U0CS\n/feedback SECRET2: LED-200 lamp shade cracked, our cost 3 USD",
         ["Feedback #1 went to the manager only"]),
        # Wang Fang has not answered: Klaus's own report, typed in #ops, is public and reaches the team.
        ("!as U0WAREHOUSE\n!in C0OPS\n/feedback LED-200 lamp shade cracked on arrival",
         ["── #purchasing · Opsbot", "LED-200 lamp shade cracked on arrival", "Feedback #2"]),
    ])
    assert "LED-200 lamp shade cracked on arrival" in everything_in(console, "C0PURCHASING")
    assert "SECRET2" not in everything_in(console, "C0PURCHASING")


def test_a_public_report_joins_a_public_item_and_a_private_one_joins_it_too(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0WAREHOUSE\n!in C0OPS\n/feedback LED-200 lamp shade cracked on arrival", ["Feedback #1"]),
        ("!as U0CS\n!in U0CS\n/feedback SECRET2: LED-200 lamp shade cracked, our cost 3 USD",
         ["Joined the open feedback #1 on LED-200"]),
        ("!as U0BUYER\n!in C0PURCHASING\n/feedback LED-200 lamp shade cracked again",
         ["Joined the open feedback #1 on LED-200"]),
    ])
    assert "SECRET2" not in everything_in(console, "C0PURCHASING")


def test_another_report_in_a_chinese_managers_dm_is_in_chinese(console: ConsoleSlack) -> None:
    # The private report's reply in the thread of Li Wei's card, then a public report's: both in her language.
    shown = converse(console, [
        ("!as U0CS\n!in U0CS\n/feedback SECRET2: LED-200 lamp shade cracked, our cost 3 USD",
         ["Feedback #1 went to the manager only"]),
        ("!as U0BUYER\n!in U0BUYER\n/feedback SECRET5 LED-200 lamp shade cracked, supplier admits",
         ["Joined the open feedback #1 on LED-200", "── DM with Li Wei · in thread · Opsbot",
          "@Chen Jie 又反馈了一次"]),
        ("!as U0WAREHOUSE\n!in C0OPS\n/feedback URGENT LED-200 lamp shade cracked on arrival",
         ["── DM with Li Wei · Opsbot"]),
        ("/feedback URGENT LED-200 lamp shade cracked again",
         ["Joined the open feedback", "── DM with Li Wei · in thread · Opsbot",
          "@Klaus Becker 又反馈了一次：URGENT LED-200 lamp shade cracked again"]),
    ])
    assert "Another report from" not in shown.split("── #")[0]
