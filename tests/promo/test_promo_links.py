"""The feedback card's "Plan promotion" opens the promotion form prefilled; the promotion is linked F→P, its card
says where it came from, the feedback hears every move, and the feedback card reads P-1 through promo's LinkKind.
The button itself is the feedback feature's: here its block_actions payload is dispatched as Slack sends it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.flows import links
from bot.flows.context import AgendaPeriod, Context, LinkKind
from bot.i18n import Translator, translator
from bot.ops.links import LinkState, Ref
from tests.conftest import converse


def plan_from_feedback(console: ConsoleSlack, user: str, value: object) -> str:
    """Press the button; what the person sees (the form opening)."""
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", channel="C0MARKETING", response_url=None,
        action={"type": "button", "action_id": "feedback_plan_promo", "block_id": "b",
                "value": value if isinstance(value, str) else json.dumps(value)},
        container={"type": "message", "message_ts": "1.0", "channel_id": "C0MARKETING"}))
    return console.seat.new_output()


@pytest.fixture
def moved(console: ConsoleSlack, monkeypatch: pytest.MonkeyPatch) -> list[Ref]:
    """A feedback kind as the feedback feature declares it (title and state), recording what it is told."""
    heard: list[Ref] = []

    def describe(_ctx: Context, ref: Ref, _tr: Translator) -> LinkState:
        return LinkState(ref, "LED-100 <too> expensive", "open", finished=False)

    kinds = console.services.context.link_kinds
    assert isinstance(kinds, dict)
    real = kinds.get("feedback")
    monkeypatch.setitem(kinds, "feedback", LinkKind("feedback", describe, lambda _c, ref: heard.append(ref),
                                                    may_start=real.may_start if real else None))
    return heard


def test_plan_promotion_from_a_feedback_card(console: ConsoleSlack, load_reports, moved: list[Ref]) -> None:
    load_reports(console)
    converse(console, [("!as U0MARKET\n/feedback LED-100 buyers say it is too expensive", ["#1"])])
    shown = plan_from_feedback(console, "U0MARKET", {"feedback": 1, "sku": "LED-100", "marketplace": "US"})
    assert "Planned from F-1: it will be linked to it." in shown
    assert "✎ SKU(s), separated by commas: LED-100" in shown
    converse(console, [
        ("!fill kind=Coupon start=2026-11-25 end=2026-11-27 discount=15%\n!submit", [
            "Promotion P-1 · approved", "Coupon · LED-100 → US", "From F-1: LED-100 <too> expensive (open)"]),
    ])
    card = next(r for r in console.emulator.records if r.kind == "message" and "P-1" in r.text)
    assert "From F-1: LED-100 &lt;too&gt; expensive (open)" in json.dumps(card.blocks)  # typed text escaped
    ctx = console.services.context
    assert links.came_from(ctx, Ref("promo", 1), translator("en"))[0].ref == Ref("feedback", 1)
    [state] = links.started(ctx, Ref("feedback", 1), translator("en"))
    assert (state.title, state.state, state.finished) == ("Coupon 15% off · LED-100", "approved", False)
    assert moved == [Ref("feedback", 1)]  # filed
    converse(console, [("!in C0MARKETING\n!click Cancel promotion", ["Promotion P-1 · cancelled"])])
    assert moved == [Ref("feedback", 1)] * 2
    [state] = links.started(ctx, Ref("feedback", 1), translator("en"))
    assert (state.state, state.finished) == ("cancelled", True)


def test_the_form_opened_from_feedback_is_prefilled(console: ConsoleSlack, load_reports) -> None:
    load_reports(console)
    converse(console, [("!as U0MARKET\n/feedback LED-100 buyers say it is too expensive", ["#1"])])
    shown = plan_from_feedback(console, "U0MARKET", {"feedback": 1, "sku": "LED-100", "marketplace": "DE"})
    view = next(r.view for r in reversed(console.emulator.records) if r.view)
    assert view is not None and json.loads(view["private_metadata"]) == {"feedback": 1}
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert inputs["skus"]["initial_value"] == "LED-100"
    assert inputs["marketplace"]["initial_option"]["value"] == "DE"
    assert "modal opened for Amy Lin" in shown


@pytest.mark.parametrize("value", ["not json", json.dumps([1]), json.dumps({"feedback": "x", "sku": 7})])
def test_a_forged_plan_promotion_value_opens_a_plain_form(console: ConsoleSlack, value: str) -> None:
    assert "Plan a promotion" in plan_from_feedback(console, "U0MARKET", value)
    view = next(r.view for r in reversed(console.emulator.records) if r.view)
    assert view is not None and json.loads(view["private_metadata"]) == {}


def test_the_agenda_lists_promotions_live_or_ending_in_its_week(console: ConsoleSlack, load_reports) -> None:
    load_reports(console)
    converse(console, [
        ("!as U0MARKET\n/promo new LED-100 US coupon 10% 2026-11-25..2026-11-27", ["P-1"]),
        ("/promo new LED-100 US coupon 10% 2026-12-20..2026-12-24", ["P-2"]),
    ])
    ctx = console.services.context
    section = ctx.agenda_sections["promotions"]
    team = console.team
    week = AgendaPeriod("weekly", date(2026, 11, 23), date(2026, 11, 29), date(2026, 11, 30))
    part = section.build(ctx, team, week, translator("en"))
    assert part is not None and part.key == "promotions"
    assert len(part.lines) == 1 and "*P-1*" in part.lines[0]
    empty = AgendaPeriod("weekly", date(2026, 11, 30), date(2026, 12, 6), date(2026, 12, 7))
    assert section.build(ctx, team, empty, translator("en")) is None
