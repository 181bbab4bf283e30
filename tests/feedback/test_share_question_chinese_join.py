"""Tester round (s18): the share question asked again joins two translated sentences; in Chinese it read
"问你之后，反馈 #1 要发往的地方变了。 你把私密对话里…" — a stray space after "。". Chinese sentences are joined with
nothing between them (their full stop carries its own space), English ones with a space."""

from __future__ import annotations

from bot.blocks import feedback as blocks
from bot.console.session import ConsoleSlack
from bot.i18n import translator
from tests.conftest import converse
from tests.feedback.test_share_question_replaced import REROUTE_TO_CS


def asked_again(locale: str) -> str:
    question = blocks.consent_question(translator(locale), 1, "U0LIU", "U0LIU", "LED-100 hinge broken",
                                       ["<#C0OPS>"], 2, again=True)
    return str(question[0]["text"]["text"])


def test_the_question_asked_again_joins_chinese_sentences_without_a_space(console: ConsoleSlack) -> None:
    converse(console, [("!as U0FINANCE\n!in U0FINANCE\n/feedback 私下：LED-100 铰链断了", ["可以也发到"])])
    shown = converse(console, [(REROUTE_TO_CS, ["问你之后，反馈 #1 要发往的地方变了。你把私密对话里"])])
    assert "。 " not in shown


def test_each_locale_joins_its_own_way() -> None:
    assert asked_again("zh_CN").startswith("问你之后，反馈 #1 要发往的地方变了。你把私密对话里")
    assert asked_again("zh_TW").startswith("問你之後，回饋 #1 要發往的地方變了。你把私密對話中")
    assert asked_again("en").startswith("Where feedback #1 would go has changed since you were asked. You sent")
    assert translator("zh_TW").sentences("一。", "二。") == "一。二。"
    assert translator("en").sentences("One.", "Two.") == "One. Two."
