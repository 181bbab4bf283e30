"""Restock in the team's loop (issue 18): a feedback card's "Adjust restock" opens the request form prefilled or
changes the pending request of that SKU, linked F → R; R-n reads on other cards in the reader's words and tells
them when it moves; App Home shows the approvals waiting for me and my requests in flight, with working buttons.

The feedback card's button is rendered by the feedback feature; here its block_actions payload is dispatched as
Slack sends it (action_id feedback_adjust_restock, value {"feedback", "sku", "marketplace"}).
LED-100 sold 20 a day in the US (fixtures/led-100-us.csv): by sea the suggestion is 500 (test_math_and_rules).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.db.feedback import FeedbackItem
from bot.flows.context import Context, LinkKind
from bot.i18n import Translator, translator
from bot.ops.links import LinkState, Ref
from bot.reports.ingest import ingest_generic
from tests.conftest import converse

FIXTURE = Path(__file__).parent / "fixtures" / "led-100-us.csv"
COMPLAINT = "/feedback LED-100 price too high in the US, a competitor sells at $24.99"


@pytest.fixture(autouse=True)
def sales(console: ConsoleSlack) -> None:
    with console.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", FIXTURE)


@pytest.fixture
def moved(console: ConsoleSlack) -> list[Ref]:
    """The feedback feature's kind, as it declares it, when this branch runs without it: F-n reads as its text, and
    every move of something it started is recorded."""
    heard: list[Ref] = []
    kinds: Any = console.services.context.link_kinds
    real = kinds.get("feedback")

    def describe(ctx: Context, ref: Ref, tr: Translator) -> LinkState | None:
        with ctx.db.transaction() as session:
            item = session.get(FeedbackItem, ref.id)
        return LinkState(ref, item.text, "open", finished=False) if item else None

    def changed(ctx: Context, ref: Ref) -> None:
        heard.append(ref)
        if real is not None and real.changed is not None:
            real.changed(ctx, ref)

    kinds["feedback"] = LinkKind("feedback", real.describe if real else describe, changed=changed,
                                 may_start=real.may_start if real else None)
    return heard


def adjust(console: ConsoleSlack, user: str, value: dict[str, Any]) -> str:
    """Press "Adjust restock" on F-n's card in #purchasing, as Slack sends it; what ``user`` then sees."""
    console.send(f"!as {user}")
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", channel="C0PURCHASING", response_url=None,
        action={"type": "button", "action_id": "feedback_adjust_restock", "value": json.dumps(value),
                "block_id": "b"},
        container={"type": "message", "message_ts": "1.0", "channel_id": "C0PURCHASING"},
    ))
    return console.seat.new_output()


def links_rows(console: ConsoleSlack) -> list[tuple[str, int, str, int]]:
    return [tuple(r) for r in console.services.db.engine.connect().exec_driver_sql(
        "select source_kind, source_id, target_kind, target_id from links order by id").fetchall()]


def test_adjust_restock_opens_the_form_prefilled_and_links_the_request(console: ConsoleSlack,
                                                                     moved: list[Ref]) -> None:
    converse(console, [("!as U0MARKET\n" + COMPLAINT, ["Feedback #1"])])
    shown = adjust(console, "U0BUYER", {"feedback": 1, "sku": "LED-100", "marketplace": "US"})
    for snippet in ("modal opened for Chen Jie: “Restock request”", "*Suggestion: 500 units*",
                    "Lead time 53 days = production 15 + freight 30 + customs 3 + receiving 5 + Q4 0",
                    "✎ SKU: LED-100", "✎ Quantity (empty: the suggestion) (optional): 500"):
        assert snippet in shown, shown
    converse(console, [
        ("!submit", ["── #purchasing · Opsbot", "📦 Restock R-1 · requested",
                     "From F-1: LED-100 price too high in the US, a competitor sells at $24.99"]),
    ])
    assert links_rows(console) == [("feedback", 1, "restock", 1)]
    assert moved == [Ref("feedback", 1)]  # the feedback card redraws to show R-1
    # R-1 as the feedback card reads it, in each reader's words.
    describe = console.services.context.link_kinds["restock"].describe
    state = describe(console.services.context, Ref("restock", 1), translator("en"))
    assert state is not None and (state.ref.label, state.title, state.state, state.finished) == (
        "R-1", "LED-100 ×500", "requested", False)
    zh = describe(console.services.context, Ref("restock", 1), translator("zh_CN"))
    assert zh is not None and zh.state == "已申请"


def test_with_a_pending_request_of_that_sku_it_offers_to_change_that_one(console: ConsoleSlack,
                                                                        moved: list[Ref]) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-100 1500", ["Filed R-1: 1,500 × LED-100"]),
        (COMPLAINT, ["Feedback #1"]),
    ])
    shown = adjust(console, "U0BUYER", {"feedback": 1, "sku": "LED-100", "marketplace": None})
    assert "modal opened for Chen Jie: “R-1”" in shown and "✎ New quantity: 1500" in shown, shown
    assert "R-1 (1,500 × LED-100, requested) is waiting for a decision: change its quantity here for F-1" in shown
    converse(console, [
        ("!fill quantity=900\n"
         "!submit", ["#purchasing · message updated", "900 × LED-100",
                     "From F-1: LED-100 price too high in the US"]),
    ])
    assert links_rows(console) == [("feedback", 1, "restock", 1)]
    assert Ref("feedback", 1) in moved
    # The manager decides it from the App Home; the feedback card hears R-1 moved again.
    moved.clear()
    console.send("!as U0MANAGER")
    home = console.send("!home")
    assert "等我审批的申请" in home and "*R-1* · 900 × LED-100" in home, home
    click_in_home(console, "U0MANAGER", {"id": 1, "action": "approve"})
    assert moved == [Ref("feedback", 1)]
    state = console.services.context.link_kinds["restock"].describe(
        console.services.context, Ref("restock", 1), translator("en"))
    assert state is not None and (state.title, state.state) == ("LED-100 ×900", "approved")


def test_only_purchasing_or_the_manager_adjusts_restock_and_forged_values_change_nothing(
        console: ConsoleSlack) -> None:
    converse(console, [("!as U0MARKET\n" + COMPLAINT, ["Feedback #1"])])
    assert "Adjusting restock is for purchasing or the manager." in adjust(
        console, "U0WAREHOUSE", {"feedback": 1, "sku": "LED-100", "marketplace": "US"})
    assert "There is no feedback F-77 in your team." in adjust(
        console, "U0BUYER", {"feedback": 77, "sku": "LED-100", "marketplace": "US"})
    assert "That feedback item no longer exists." in adjust(console, "U0BUYER", {"feedback": "1; drop"})
    shown = adjust(console, "U0BUYER", {"feedback": 1, "sku": None, "marketplace": None})
    assert "“Restock request”" in shown
    # A form whose private metadata names another team's (or no) feedback item files nothing and links nothing.
    view = next(r for r in reversed(console.emulator.records) if r.kind == "view_open").view
    assert view is not None and json.loads(view["private_metadata"]) == {"feedback": 1}
    assert links_rows(console) == []


def click_in_home(console: ConsoleSlack, user: str, value: dict[str, Any]) -> str:
    """A button in App Home: Slack sends a view container, no channel and no response_url."""
    home = next(r for r in reversed(console.emulator.records) if r.kind == "home" and r.user == user)
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", response_url=None, view=home.view,
        action={"type": "button", "action_id": "restock.step_button", "value": json.dumps(value), "block_id": "b"},
        container={"type": "view", "view_id": home.view_id or "V0HOME"},
    ))
    return console.seat.new_output()


def test_app_home_approvals_waiting_for_me_and_my_requests_in_flight(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-100 500 by 2026-12-31", ["Filed R-1: 500 × LED-100"]),
        # Amy's own App Home, in Los Angeles: filed on Sunday the 22nd there (Monday 09:00 in Shenzhen).
        ("!home", ["── App Home of Amy Lin", "My requests in flight",
                   "*R-1* · 500 × LED-100 · requested · next: a decision by @Li Wei · filed Nov 22, 2026 · "
                   "needed by Dec 31, 2026"]),
        ("!as U0BUYER\n"
         "!home", ["── App Home of Chen Jie"]),
    ])
    buyer = next(r for r in reversed(console.emulator.records) if r.kind == "home" and r.user == "U0BUYER")
    assert "Approvals waiting for me" not in json.dumps(buyer.view)  # above the threshold: not purchasing's
    converse(console, [
        ("!as U0MANAGER\n"
         "!home", ["── App Home of Li Wei", "等我审批的申请",
                   "*R-1* · 500 × LED-100 · US · ¥21,250.00 · @Amy Lin 于 2026年11月23日 申请", "批准", "拒绝"]),
    ])
    shown = click_in_home(console, "U0MANAGER", {"id": 1, "action": "approve"})
    # The card in the channel is updated, the requester told, and both App Homes republished as they now are.
    for snippet in ("── #purchasing · message updated", "📦 Restock R-1 · approved", "approved by @Li Wei",
                    "R-1 (500 × LED-100) is now approved by @Li Wei.", "── App Home of Amy Lin",
                    "*R-1* · 500 × LED-100 · approved · next: purchasing places the order", "── App Home of Li Wei"):
        assert snippet in shown, shown
    manager = next(r for r in reversed(console.emulator.records) if r.kind == "home" and r.user == "U0MANAGER")
    assert "等我审批的申请" not in json.dumps(manager.view, ensure_ascii=False)
    # A replay of the same Home button, or one forged by someone who may not decide, changes nothing.
    click_in_home(console, "U0MANAGER", {"id": 1, "action": "approve"})
    console.send("!as U0MARKET")
    console.send("!home")
    click_in_home(console, "U0MARKET", {"id": 1, "action": "cancel"})  # her own: she may withdraw it
    state = console.services.db.engine.connect().exec_driver_sql("select state from restock_requests").scalar()
    assert state == "cancelled"
    told = [r.text for r in console.emulator.records if r.kind == "message" and "不能再" in r.text]
    assert len(told) == 1  # the replayed approval was answered privately (a DM: no channel, no response_url)


def test_reject_and_change_from_app_home_open_their_forms(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-200 320", ["Filed R-1: 320 × LED-200"]),  # 18,560 CNY: purchasing decides
        ("!as U0BUYER\n"
         "!home", ["Approvals waiting for me", "*R-1* · 320 × LED-200", "[Approve]" if False else "Approve"]),
    ])
    assert "modal opened for Chen Jie: “R-1”" in click_in_home(console, "U0BUYER", {"id": 1, "action": "reject"})
    converse(console, [
        ('!fill reason="Overstocked after the Q4 order"\n'
         "!submit", ["📦 Restock R-1 · rejected", "Reason: Overstocked after the Q4 order"]),
    ])
