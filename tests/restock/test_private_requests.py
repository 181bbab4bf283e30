"""A restock request filed from a private channel, a group DM or a DM is as private as feedback (issue 17, misuse):
nothing reaches #purchasing until its requester says where it goes, with buttons on the confirmation. "Post to
#purchasing" posts the card as typed; "Keep it private" posts it without the note, which goes by DM to those who
decide it. Until then the request is nowhere the team looks (lists, App Homes, the agenda), one press posts it
once, and only the requester's press counts.

LED-100's 500 units are worth CN¥21,250, above restock.yml's threshold: Li Wei (the manager) decides."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.blocks.restock_private import KEEP_PRIVATE, POST_PUBLICLY
from bot.console.session import ConsoleSlack
from bot.reports.ingest import ingest_generic
from tests.conftest import converse
from tests.feedback.test_feedback_links_e2e import press
from tests.support.seen import everything_in, everywhere_but

FIXTURE = Path(__file__).parent / "fixtures" / "led-100-us.csv"
PUBLIC = ("C0PURCHASING", "C0MARKETING", "C0OPS", "C0RANDOM", "C0MANAGER")


@pytest.fixture(autouse=True)
def sales(console: ConsoleSlack) -> None:
    with console.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", FIXTURE)



def cards_in_purchasing(console: ConsoleSlack) -> int:
    return sum(1 for r in console.emulator.records
               if r.kind == "message" and r.channel == "C0PURCHASING" and "R-1" in (r.text or ""))


def test_a_one_liner_in_a_private_channel_waits_until_its_requester_posts_it(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!in G0PRIVATE\n/restock LED-100 500 SECRETNOTE our supplier is about to go bankrupt", [
            "only visible to Chen Jie",
            "R-1 (500 × LED-100) is not posted yet: you filed it in a private conversation.",
            "Post to purchasing", "Keep it private",
            "Keep it private: the card goes to #purchasing without your note, which goes by DM only to those who "
            "decide it: @Li Wei."]),
    ])
    assert cards_in_purchasing(console) == 0
    for channel in PUBLIC:
        assert "SECRETNOTE" not in everything_in(console, channel)
    # Not filed as far as the team can see: not in anyone's list, not waiting in the approver's App Home.
    converse(console, [
        ("!as U0MANAGER\n!in C0OPS\n/restock list all", ["补货申请"]),
        ("!home", ["App Home of Li Wei"]),
    ])
    assert "R-1" not in console.send("/restock list all") and "R-1" not in console.send("!home")
    converse(console, [
        ("!as U0BUYER\n!in G0PRIVATE\n!click Post to purchasing", [
            "── #purchasing · Opsbot", "📦 Restock R-1 · requested", "SECRETNOTE",
            "R-1 is in #purchasing now, with your note."]),
    ])
    assert cards_in_purchasing(console) == 1


def test_kept_private_the_card_goes_without_the_note_and_the_approver_reads_it_by_dm(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!in U0BUYER\n/restock LED-100 500 by 2026-12-31 SECRETDM the factory admits a bad batch", [
            "R-1 (500 × LED-100) is not posted yet", "Keep it private"]),
        ("!click Keep it private", [
            "── #purchasing · Opsbot", "📦 Restock R-1 · requested", "note kept private by the requester",
            "── DM with Li Wei · Opsbot", "SECRETDM",
            "R-1 is in #purchasing now, without your note; only @Li Wei got the note, by DM."]),
    ])
    assert "SECRETDM" not in everywhere_but(console, "U0MANAGER", "U0BUYER")
    assert "needed by" in everything_in(console, "C0PURCHASING")  # everything but the note is on the card
    converse(console, [
        # It is decided as any other request, on its card; refreshed, the card still keeps the note out.
        ("!as U0MANAGER\n!in C0PURCHASING\n!click Approve", ["#purchasing · message updated", "R-1 · approved"]),
        # Who decides it and who filed it read the note in /restock status; others do not.
        ("/restock status R-1", ["SECRETDM"]),
        ("!as U0MARKET\n/restock status R-1", ["📦 Restock R-1", "note kept private by the requester"]),
    ])
    assert "SECRETDM" not in everywhere_but(console, "U0MANAGER", "U0BUYER")
    assert "SECRETDM" not in console.send("/restock status R-1")


def test_only_the_requester_answers_and_a_second_press_posts_nothing(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!in G0PRIVATE\n/restock LED-100 500 DOUBLE the note", ["Post to purchasing"]),
    ])
    # A forged or borrowed press by someone else is refused on the server, and nothing is posted.
    shown = press(console, "U0MARKET", POST_PUBLICLY, {"id": 1})
    assert "Only @Chen Jie, who filed R-1, can say where it goes." in shown
    assert cards_in_purchasing(console) == 0
    # A double click (or a click on each of two copies): one card.
    first = press(console, "U0BUYER", POST_PUBLICLY, {"id": 1})
    second = press(console, "U0BUYER", KEEP_PRIVATE, {"id": 1})
    assert "📦 Restock R-1 · requested" in first and "DOUBLE" in everything_in(console, "C0PURCHASING")
    assert "You already said where R-1 goes." in second
    assert cards_in_purchasing(console) == 1
    assert "That restock request no longer exists." in press(console, "U0BUYER", POST_PUBLICLY, {"id": 42})


def test_the_form_opened_in_a_private_channel_asks_too(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!in G0PRIVATE\n/restock", ["modal opened for Chen Jie: “Restock request”"]),
        ("!fill sku=LED-100 quantity=500 reason=FORMSECRET\n!submit", [
            "── DM with Chen Jie · Opsbot", "R-1 (500 × LED-100) is not posted yet", "Post to purchasing"]),
    ])
    assert cards_in_purchasing(console) == 0
    assert "FORMSECRET" not in everywhere_but(console, "U0BUYER")
    converse(console, [("!in U0BUYER\n!click Keep it private", ["📦 Restock R-1 · requested"])])
    assert "FORMSECRET" not in everywhere_but(console, "U0BUYER", "U0MANAGER")


def test_in_chinese_the_question_and_its_buttons_read_in_the_requesters_language(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MANAGER\n!in U0MANAGER\n/restock LED-100 100 悄悄补货", [
            "R-1（100 × LED-100）还没有发出：它是在私密对话里提交的。",
            # 100 is below what the supplier ships (500): the nearest quantity is offered first.
            "⚠️ LED-100 起订量 500，每箱 50 件：100 件实际要按 500 件下单。",
            "[1: 改为 500] [2: 发到采购频道] [3: 不公开备注] [4: 取消申请]",
            "不公开备注：卡片发到 #purchasing，但不带你的备注；备注只私信发给审批它的人：@Chen Jie。"]),
        ("!click 不公开备注", ["── #purchasing · Opsbot", "── DM with Chen Jie · Opsbot", "悄悄补货",
                           "R-1 已发到 #purchasing，不带你的备注；只有 @Chen Jie 通过私信收到了备注。"]),
    ])


def test_a_one_liner_in_a_public_channel_is_posted_as_before(console: ConsoleSlack) -> None:
    shown = converse(console, [
        ("!as U0BUYER\n!in C0OPS\n/restock LED-100 500 PUBLICNOTE for the Q1 promotion", [
            "── #purchasing · Opsbot", "📦 Restock R-1 · requested", "PUBLICNOTE",
            "── DM with Chen Jie · Opsbot", "── #ops · only visible to Chen Jie",
            "Filed R-1: 500 × LED-100, sent to purchasing."]),
    ])
    assert "Post to purchasing" not in str(shown) and "not posted yet" not in str(shown)
    assert cards_in_purchasing(console) == 1


def test_its_requester_finds_it_in_their_list_and_may_cancel_it_unposted(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n!in G0PRIVATE\n/restock LED-100 500 CANCELME", ["R-1 (500 × LED-100) is not posted yet"]),
        ("!in C0OPS\n/restock list mine", ["R-1", "not posted yet"]),
        # The question was an ephemeral reply: /restock status asks it again, of its requester only.
        ("/restock status R-1", ["R-1 (500 × LED-100) is not posted yet", "[1: Post to purchasing]"]),
        ("!as U0MARKET\n/restock status R-1", ["No restock request R-1"]),
        ("!as U0BUYER\n!click Cancel request", ["R-1 is cancelled: nothing was posted."]),
        ("!click Post to purchasing", ["You already said where R-1 goes."]),
    ])
    assert cards_in_purchasing(console) == 0
    assert "CANCELME" not in everywhere_but(console, "U0BUYER")


def test_a_request_from_an_action_of_a_meeting_held_in_a_private_channel_waits_too(console: ConsoleSlack) -> None:
    converse(console, [
        ("!at 2026-11-23 10:05\n!as U0ANALYST\n/action <@U0BUYER> by fri Reorder LED-100 MEETINGSECRET",
         ["A-1 recorded for @Chen Jie"]),
    ])
    with console.services.db.engine.begin() as connection:  # the meeting was held in a private channel
        connection.exec_driver_sql("update meetings set channel = 'G0PRIVATE'")
    converse(console, [
        ("!as U0BUYER\n!home", ["A-1", "Restock request"]),
        ("!click Restock request", ["modal opened for Chen Jie: “Restock request”", "MEETINGSECRET"]),
        ("!submit", ["── DM with Chen Jie · Opsbot", "R-1 (500 × LED-100) is not posted yet",
                     "Your note: Reorder LED-100 MEETINGSECRET"]),
    ])
    assert cards_in_purchasing(console) == 0
    assert "MEETINGSECRET" not in everything_in(console, "C0PURCHASING")
    # Posted without the note; the action's words stay with those who may read them: the card names A-1 only.
    converse(console, [("!in U0BUYER\n!click Keep it private", [
        "── #purchasing · Opsbot", "📦 Restock R-1 · requested", "From A-1: from a private conversation",
        "── DM with Chen Jie · Opsbot", "From A-1: Reorder LED-100 MEETINGSECRET"])])
    assert "MEETINGSECRET" not in everything_in(console, "C0PURCHASING")  # the card and any reply in its thread


def test_two_presses_that_read_it_at_once_post_it_once(console: ConsoleSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two people's clicks (or a double click on two replicas) both read the request while it is held: the
    compare-and-set on its version lets the first through and tells the second, in one transaction each."""
    from bot.errors import OpsError
    from bot.flows.restock_cards import RestockCards
    from bot.flows.restock_private import HeldRequests
    from bot.flows.restock_requests import RestockRequests
    from bot.ops.restock_playbook import RestockPlaybook

    converse(console, [("!as U0BUYER\n!in G0PRIVATE\n/restock LED-100 500 RACE note", ["Post to purchasing"])])
    ctx = console.services.context
    playbook = ctx.playbook(RestockPlaybook)
    held = HeldRequests(ctx, RestockRequests(ctx, playbook, RestockCards(ctx, playbook)))
    as_both_read_it = held.cards.request(1)
    monkeypatch.setattr(held, "_held", lambda team, raw: as_both_read_it)
    assert "R-1 is in" in held.answer("U0BUYER", '{"id": 1}', POST_PUBLICLY)
    with pytest.raises(OpsError) as second:
        held.answer("U0BUYER", '{"id": 1}', KEEP_PRIVATE)
    assert second.value.message == "You already said where {ref} goes."
    console.send("!in C0OPS")
    assert "R-1" in console.send("/restock list all")  # the outbox drained: what was sent is in the emulator
    assert cards_in_purchasing(console) == 1
    assert held.cards.request(1).note_private is False  # the second answer changed nothing
