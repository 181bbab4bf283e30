"""The fresh-eyes tester's findings on private feedback (issue 17, second round): a public report is never
swallowed by an item the team cannot see, the share question names where "Yes" sends it now, an item kept
private stays on the manager's Home and card, and a thread reply in a manager's DM is in her language."""

from __future__ import annotations

import pytest

from bot.console.session import ConsoleSlack
from bot.errors import OpsError
from bot.flows.feedback_actions import FeedbackActions
from bot.flows.feedback_cards import FeedbackCards
from bot.ops.feedback_playbook import FeedbackPlaybook
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


def test_a_re_route_asks_the_author_again_naming_where_it_goes_now(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n/feedback privately: LED-100 hinge broken, cost 2.1 secret",
         ["May it also go to #purchasing and #manager?"]),
        ("!as U0MANAGER\n!in U0MANAGER\n!click 转给其他人\n!fill 发送给（留空则按规则分派）=客服\n!submit",
         ["── DM with Amy Lin · Opsbot", "Where feedback #1 would go has changed since you were asked.",
          "May it also go to #ops?"]),
    ])
    # The first question's "Yes" named #purchasing and #manager: a newer question replaced it, so it shares nothing
    # now, and says so (tests/feedback/test_share_question_replaced.py).
    ctx = console.services.context
    playbook = ctx.playbook(FeedbackPlaybook)
    flow = FeedbackActions(ctx, playbook, FeedbackCards(ctx, playbook))
    with pytest.raises(OpsError, match="was replaced by a newer one"):
        flow.consent("U0MARKET", 1, shared=True, asked=["<#C0PURCHASING>", "<#C0MANAGER>"], question=1)
    assert "cost 2.1 secret" not in everything_in(console, "C0OPS")
    assert "cost 2.1 secret" not in everything_in(console, "C0PURCHASING")
    # The question asked again, naming #ops: "Yes" sends it there, where she agreed.
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n!click Yes, share it",
         ["── #ops · Opsbot", "cost 2.1 secret", "Feedback #1 was shared with the team. Thank you."]),
    ])
    assert "cost 2.1 secret" not in everything_in(console, "C0PURCHASING")


def test_picking_a_category_asks_again_before_yes_shares_it(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!as U0BUYER\n!in U0BUYER\n/feedback 私下：LED-800 样品怪怪的 secret cost 2.1", ["May it also go to"]),
        ("!click Quality / defect", ["Where feedback #1 would go has changed since you were asked.",
                                     "May it also go to #purchasing and #manager?"]),
        ("!click Yes, share it", ["── #purchasing · Opsbot", "Feedback #1 was shared with the team."]),
    ])
    assert "── #purchasing" not in shown.split("!click Yes, share it")[0]


def test_a_private_item_stays_on_the_managers_home_and_card(console: ConsoleSlack) -> None:
    shown = converse(console, [
        # A price report: its route (marketing, purchasing) has no manager line.
        ("!as U0MARKET\n!in U0MARKET\n/feedback Competitor cut LED-100 price to 19.99 on amazon.de, our cost 7 USD",
         ["── DM with Li Wei · Opsbot", "运营主管：已知悉", "Feedback #1 went to the manager only"]),
        # Before the author answers, the manager has it on her Home, with her line's buttons.
        ("!as U0MANAGER\n!home", ["*F-1* · 价格 / 竞品", "运营主管：已知悉"]),
        ("!as U0MARKET\n!in U0MARKET\n!click No, keep it private",
         ["Feedback #1 stays private", "── DM with Li Wei · message updated",
          "🔒 来自私密对话：@Amy Lin 选择不公开，只有主管能看到。", "运营主管：已知悉"]),
        ("!as U0MANAGER\n!home", ["*F-1* · 价格 / 竞品", "运营主管：已知悉"]),
        ("!click 运营主管：已知悉", ["*运营主管* · 👀 已知悉 · @Li Wei"]),
    ])
    # Those who can never see it have no line that could look handled by them.
    card = shown.split("── DM with Li Wei · message updated")[-1].split("── ")[0]
    assert "市场与广告" not in card and "采购" not in card
