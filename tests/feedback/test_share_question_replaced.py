"""Issue 17, "private stays private": the author's share question is asked again when where the item would go
changes, and the question before it is replaced, not left with live Yes and No buttons.

Before, the old question kept its buttons (its ts was not kept): a "Yes" pressed on it shared nothing, said so, and
asked yet again. Now the old question is edited to say a newer one replaced it, and a press on it anyway (Slack not
redrawn yet, or a question from before) changes nothing and is explained to its author alone, in their language.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.console.slack_state import Record
from bot.db.feedback import FeedbackItem
from bot.errors import OpsError
from bot.flows.feedback_actions import FeedbackActions
from bot.flows.feedback_cards import FeedbackCards
from bot.i18n import translator
from bot.ops.feedback_playbook import FeedbackPlaybook
from tests.conftest import converse
from tests.support.outbox_away import slack_away
from tests.support.seen import everything_in

SECRET = "cost 2.1 secret"
REROUTE_TO_CS = "!as U0MANAGER\n!in U0MANAGER\n!click 转给其他人\n!fill 发送给（留空则按规则分派）=客服\n!submit"


def question_in(console: ConsoleSlack, user: str) -> Record:
    """The share question in ``user``'s DM as Slack showed it when it was posted (buttons and all)."""
    dm = console.emulator.dm_channel_of(user)
    found = [r for r in console.emulator.records
             if r.kind == "message" and r.channel == dm and "feedback.share" in str(r.blocks)][-1]
    return copy.deepcopy(found)


def press_on(console: ConsoleSlack, user: str, question: Record, label: str) -> str:
    """A button of ``question`` as it was posted, pressed (Slack had not redrawn it yet)."""
    button: dict[str, Any] = next(e for b in question.blocks if b["type"] == "actions" for e in b["elements"]
                                  if e["text"]["text"] == label)
    channel = str(question.channel)
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", channel=channel,
        container={"type": "message", "message_ts": question.ts, "channel_id": channel, "is_ephemeral": False},
        action={"action_id": button["action_id"], "type": "button", "value": button["value"]},
        message={"type": "message", "ts": question.ts, "text": question.text, "blocks": question.blocks},
        response_url=console.emulator.new_response_url(channel, user, question.ts)))
    return console.seat.new_output()


def flow(console: ConsoleSlack) -> FeedbackActions:
    ctx = console.services.context
    playbook = ctx.playbook(FeedbackPlaybook)
    return FeedbackActions(ctx, playbook, FeedbackCards(ctx, playbook))


def test_a_question_asked_again_replaces_the_one_before(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n/feedback privately: LED-100 hinge broken, " + SECRET,
         ["May it also go to #purchasing and #manager?", "Yes, share it"]),
    ])
    first = question_in(console, "U0MARKET")
    shown = converse(console, [
        (REROUTE_TO_CS, ["── DM with Amy Lin · message updated",
                         "This question about feedback #1 was replaced by a newer one below: where it would go has "
                         "changed since.",
                         "── DM with Amy Lin · Opsbot", "Where feedback #1 would go has changed since you were asked.",
                         "May it also go to #ops?"]),
    ])
    replaced = shown.split("── DM with Amy Lin · message updated")[1].split("── ")[0]
    assert "Yes, share it" not in replaced and "No, keep it private" not in replaced
    now = console.emulator.messages[(str(first.channel), str(first.ts))]
    assert not any(b["type"] == "actions" for b in now.blocks)

    # Pressed anyway, the old question's buttons change nothing and say why, to her alone.
    for label in ("Yes, share it", "No, keep it private"):
        answer = press_on(console, "U0MARKET", first, label)
        assert "only visible to Amy Lin" in answer
        assert ("That question about feedback #1 was replaced by a newer one, as where it would go has changed: "
                "answer the newest question in your DM with Opsbot.") in answer
        assert "May it also go to" not in answer  # not asked a third time
    for channel in ("C0OPS", "C0PURCHASING", "C0MANAGER"):
        assert SECRET not in everything_in(console, channel)
    with console.services.db.transaction() as session:
        item = session.get(FeedbackItem, 1)
        assert item is not None and (item.consent, item.share_publicly, item.consent_question) == ("asked", False, 2)

    # The newest question answers: "Yes" sends it where it named.
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n!click Yes, share it",
         ["── #ops · Opsbot", SECRET, "Feedback #1 was shared with the team. Thank you."]),
    ])
    assert SECRET not in everything_in(console, "C0PURCHASING")


def test_an_outdated_question_is_explained_in_its_authors_language(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0FINANCE\n!in U0FINANCE\n/feedback 私下：LED-100 铰链断了 supplier cost 2.1 secret",
         ["可以也发到", "可以分享"]),
    ])
    first = question_in(console, "U0FINANCE")
    converse(console, [(REROUTE_TO_CS, ["── DM with Liu Yang · message updated",
                                        "关于反馈 #1 的这个问题已被下面的新问题取代"])])
    answer = press_on(console, "U0FINANCE", first, "可以分享")
    assert "关于反馈 #1 的那个问题已被新问题取代" in answer
    # Traditional Chinese readers have both texts too.
    tw = translator("zh_TW")
    assert "已被下方的新問題取代" in tw._("This question about feedback #{id} was replaced by a newer one below: where "
                                  "it would go has changed since.", id=1)
    assert "請回覆你與 Opsbot 私訊中最新的那個問題" in tw._(
        "That question about feedback #{id} was replaced by a newer one, as where it would go has changed: answer "
        "the newest question in your DM with Opsbot.", id=1)


def test_a_question_whose_destinations_changed_under_it_asks_again_and_is_replaced(console: ConsoleSlack) -> None:
    """The question now live, but its "Yes" named other channels than the item would go to now (the team's channels
    set up anew): nothing is shared, the author is told beside it and asked again, and it is replaced."""
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n/feedback privately: LED-100 hinge broken, " + SECRET,
         ["May it also go to #purchasing and #manager?"]),
    ])
    answer = flow(console).consent("U0MARKET", 1, shared=True, asked=["<#C0PURCHASING>"], question=1)
    assert not answer.answered and "was not shared" in answer.text
    console.services.context.delivery.outbox.drain()
    dm = console.emulator.dm_channel_of("U0MARKET")
    assert [(r.kind, r.text) for r in console.emulator.records if r.channel == dm][-2:] == [
        ("update", "This question about feedback #1 was replaced by a newer one below: where it would go has "
                   "changed since."),
        ("message", "May feedback #1 go to the team's channels?")]
    for channel in ("C0PURCHASING", "C0MANAGER"):
        assert SECRET not in everything_in(console, channel)
    with pytest.raises(OpsError, match="replaced by a newer one"):
        flow(console).consent("U0MARKET", 1, shared=True, asked=["<#C0PURCHASING>", "<#C0MANAGER>"], question=1)
    assert flow(console).consent("U0MARKET", 1, shared=True, asked=["<#C0PURCHASING>", "<#C0MANAGER>"],
                                 question=2).answered


def test_a_question_asked_before_questions_were_numbered_still_answers(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n/feedback privately: LED-100 hinge broken, " + SECRET,
         ["May it also go to #purchasing and #manager?"]),
    ])
    with console.services.db.transaction() as session:  # as a question asked before this change left the item
        item = session.get(FeedbackItem, 1)
        assert item is not None
        item.consent_question, item.consent_ts, item.consent_channel = 0, None, None
    legacy = question_in(console, "U0MARKET")
    for block in legacy.blocks:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            element["value"] = "1 <#C0PURCHASING> <#C0MANAGER>" if element["action_id"] == "feedback.share" else "1"
    answer = press_on(console, "U0MARKET", legacy, "Yes, share it")
    assert "Feedback #1 was shared with the team. Thank you." in answer
    assert SECRET in everything_in(console, "C0PURCHASING")


def test_a_question_still_in_the_outbox_when_asked_again_is_posted_replaced(
        console: ConsoleSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    """Slack away while the question is asked and asked again: once back, the author never sees the first with
    live buttons — it lands already replaced, and the newest question after it."""
    emulator, outbox = console.emulator, console.services.delivery.outbox
    with slack_away(monkeypatch, outbox):  # whatever is posted waits in the outbox
        converse(console, [
            ("!as U0MARKET\n!in U0MARKET\n/feedback privately: LED-100 hinge broken, " + SECRET,
             ["Feedback #1 went to the manager only"]),
        ])
        flow(console).consent("U0MARKET", 1, shared=True, asked=["<#C0OPS>"], question=1)  # asked again
    converse(console, [("!as U0MARKET\n/feedback list mine", ["#1"])])  # Slack is back
    dm = emulator.dm_channel_of("U0MARKET")
    questions = [r for r in emulator.records if r.kind == "message" and r.channel == dm and r.thread_ts is None
                 and ("feedback.share" in str(r.blocks) or "replaced by a newer one" in r.text)]
    assert [("feedback.share" in str(r.blocks), "replaced by a newer one" in r.text) for r in questions] == [
        (False, True), (True, False)]
    with console.services.db.transaction() as session:
        item = session.get(FeedbackItem, 1)
        assert item is not None and item.consent_ts == questions[-1].ts and item.consent_question == 2
