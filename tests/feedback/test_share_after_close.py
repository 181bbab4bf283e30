"""Tester round (s18): the manager closed a private item while its author's share question was still open; the
author's "Yes" then reopened it and sent it to the team as new (cards in #purchasing and #manager with buttons, the
manager's card back from closed to new, the item on App Homes as open work).

A closed item stays closed. Closing it replaces the share question (edited to say the manager closed it, without
its buttons); a press on it anyway (Slack not redrawn yet) — Yes or No, on the live question or on one a re-route
replaced before the close — changes nothing and tells the author alone, in their language, that nothing is shared.
"""

from __future__ import annotations

import pytest

from bot.console.errors import ConsoleError
from bot.console.session import ConsoleSlack
from bot.db.feedback import FeedbackItem
from bot.i18n import translator
from tests.conftest import converse
from tests.feedback.test_share_question_replaced import REROUTE_TO_CS, press_on, question_in
from tests.support.seen import everything_in

SECRET = "LED-100 arrived cracked"
CLOSE = "!as U0MANAGER\n!in U0MANAGER\n!click 关闭\n!fill 结果如何？=\"refunded\"\n!submit"


def untouched(console: ConsoleSlack) -> None:
    """Still closed, still private, its question no longer answerable; nothing reached the team's channels."""
    for channel in ("C0PURCHASING", "C0MANAGER", "C0OPS"):
        assert SECRET not in everything_in(console, channel)
    with console.services.db.transaction() as session:
        item = session.get(FeedbackItem, 1)
        assert item is not None
        assert (item.state, item.share_publicly, item.consent) == ("closed", False, "asked")
    manager_dm = console.emulator.dm_channel_of("U0MANAGER")
    card = [m for m in console.emulator.channel_messages(manager_dm) if "refunded" in f"{m.text} {m.blocks}"][-1]
    assert "✅ 已关闭" in str(card.blocks) and not any(b["type"] == "actions" for b in card.blocks)
    assert "🔒 来自私密对话：<@U0MARKET> 回答之前已关闭，只有主管能看到。" in str(card.blocks)


@pytest.mark.parametrize("label", ["Yes, share it", "No, keep it private"])
def test_a_share_question_answered_after_the_close_changes_nothing(console: ConsoleSlack, label: str) -> None:
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n/feedback " + SECRET, ["May it also go to #purchasing and #manager?"]),
    ])
    question = question_in(console, "U0MARKET")
    shown = converse(console, [
        (CLOSE, ["── DM with Amy Lin · message updated",
                 "Feedback #1 was closed by @Li Wei before you answered: it was not shared, and this question no "
                 "longer applies."]),
    ])
    updated = shown.split("── DM with Amy Lin · message updated")[1].split("── ")[0]
    assert "Yes, share it" not in updated and "No, keep it private" not in updated
    now = console.emulator.messages[(str(question.channel), str(question.ts))]
    assert not any(b["type"] == "actions" for b in now.blocks)

    answer = press_on(console, "U0MARKET", question, label)  # pressed anyway: Slack had not redrawn it yet
    assert "only visible to Amy Lin" in answer
    assert "Feedback #1 was closed by the manager before you answered: nothing was shared." in answer
    untouched(console)
    with pytest.raises(ConsoleError, match="no button or menu option labelled 'Yes, share it'"):
        converse(console, [("!as U0MARKET\n!in U0MARKET\n!click Yes, share it", [])])  # the tester's s18 step
    untouched(console)


def test_a_question_replaced_before_the_close_changes_nothing_either(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0FINANCE\n!in U0FINANCE\n/feedback " + SECRET, ["可以也发到"]),
    ])
    first = question_in(console, "U0FINANCE")
    converse(console, [(REROUTE_TO_CS, ["关于反馈 #1 的这个问题已被下面的新问题取代"])])
    second = question_in(console, "U0FINANCE")
    converse(console, [(CLOSE, ["── DM with Liu Yang · message updated"])])
    for question in (first, second):
        for label in ("可以分享", "不行，保持私密"):
            answer = press_on(console, "U0FINANCE", question, label)
            assert "反馈 #1 在你回答之前已被主管关闭" in answer, answer
    for channel in ("C0PURCHASING", "C0MANAGER", "C0OPS"):
        assert SECRET not in everything_in(console, channel)
    with console.services.db.transaction() as session:
        item = session.get(FeedbackItem, 1)
        assert item is not None and (item.state, item.share_publicly) == ("closed", False)


def test_the_closed_question_reads_in_traditional_chinese_too() -> None:
    tw = translator("zh_TW")
    assert "關閉" in tw._("Feedback #{id} was closed by {who} before you answered: it was not shared, and this "
                         "question no longer applies.", id=1, who="<@U0LI>")
    assert "關閉" in tw._("Feedback #{id} was closed by the manager before you answered: nothing was shared.", id=1)
