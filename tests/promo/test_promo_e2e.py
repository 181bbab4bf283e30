"""A promotion from /promo to its review, through the terminal Slack (Mon 2026-11-23, Shenzhen).

Amy (marketing) plans a 25 % coupon on LED-100 in the US for Nov 25–27 with a $500 budget: above promo.yml's
thresholds (20 %, $300), so the manager approves it, from App Home. It goes live on its first day, Amy is reminded
on the first and the last day, the morning digest shows it beside LED-100, and two days after its end its review
compares the three days with the three before them, figures computed here from the fixture's rows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from bot.console import payloads
from bot.console.session import ConsoleSlack
from tests.conftest import converse
from tests.promo.conftest import ads_rows, sales_rows

ONE_LINER = '/promo new LED-100 US coupon 25% 2026-11-25..2026-11-27 budget 500 reason "price <complaint>"'


def expected_review() -> list[str]:
    """The review's lines, from the rows the fixture loaded: pandas over the two windows, formatted by hand."""
    sales, ads = pd.DataFrame(sales_rows()), pd.DataFrame(ads_rows())
    sales["date"], ads["date"] = sales["date"].astype(str), ads["date"].astype(str)

    def figures(first: str, last: str) -> dict[str, float]:
        s = sales[(sales["date"] >= first) & (sales["date"] <= last)]
        a = ads[(ads["date"] >= first) & (ads["date"] <= last)]
        return {"units": s["units"].sum(), "gmv": s["gmv"].sum(), "acos": a["spend"].sum() / a["sales"].sum(),
                "cvr": s["units"].sum() / s["sessions"].sum()}

    during, before = figures("2026-11-25", "2026-11-27"), figures("2026-11-22", "2026-11-24")

    def change(name: str) -> str:
        return f"{round((during[name] / before[name] - 1) * 100)}%"

    return [
        f"Units: {int(during['units'])} against {int(before['units'])} ({change('units')})",
        f"GMV: ${during['gmv']:,.2f} against ${before['gmv']:,.2f} ({change('gmv')})",
        f"ACoS: {during['acos'] * 100:.1f}% against {before['acos'] * 100:.1f}% ({change('acos')})",
        f"CVR: {during['cvr'] * 100:.1f}% against {before['cvr'] * 100:.1f}% ({change('cvr')})",
    ]


def test_planned_approved_from_app_home_live_in_the_digest_ended_and_reviewed(console: ConsoleSlack,
                                                                              load_reports) -> None:
    load_reports(console)
    review = expected_review()
    converse(console, [
        ("!as U0MARKET\n" + ONE_LINER, [
            "── #marketing · Opsbot", "🏷️ Promotion P-1 · planned",
            "Coupon · LED-100 → US · Nov 25, 2026 – Nov 27, 2026 · planned by @Amy Lin", "25% off", "Budget $500.00",
            "Why: price <complaint>", "it needs an approver", "[1: Approve] [2: Reject] [3: Cancel promotion]",
            "Planned P-1: Coupon 25% off · LED-100. It waits for an approver.",
            "── App Home of Li Wei", "等我审批的促销"]),
        # The owner cannot approve her own; purchasing is no approver.
        ("!in C0MARKETING\n!click Approve", ["Nobody approves their own promotion: @Li Wei decides."]),
        ("!as U0BUYER\n!click Approve", ["You can't decide on P-1: @Li Wei decides."]),
        ("/promo list", ["Promotions planned or live", "*P-1* · Coupon 25% off · LED-100 · US", "planned"]),
        # The manager approves from App Home (Li Wei reads Chinese: his Slack locale is zh-CN).
        ("!as U0MANAGER\n!home", ["── App Home of Li Wei", "P-1", "[2: 批准]"]),
        ("!click 2", ["#marketing · message updated", "Promotion P-1 · approved", "Decided by @Li Wei",
                      "── DM with Amy Lin · Opsbot", "P-1 is now approved by @Li Wei."]),
        ("!as U0MARKET\n!home", ["My promotions", "*P-1* · Coupon 25% off · LED-100 · US · Nov 25, 2026 – Nov 27, "
                                                  "2026 · approved"]),
        ("!at 2026-11-25 09:00", ["Promotion P-1 · live",
                                  "🚀 P-1 (Coupon 25% off · LED-100) is live from today until Nov 27, 2026"]),
        ("!at 2026-11-26 09:00", ["Promotions running",
                                  "*LED-100* (US): P-1 Coupon 25% off · LED-100, until Nov 27, 2026"]),
        ("!at 2026-11-27 09:00", ["🏁 P-1 (Coupon 25% off · LED-100) ends today"]),
        ("!at 2026-11-28 09:00", ["Promotion P-1 · ended"]),
        ("!at 2026-11-29 09:00", ["#marketing · in thread · Opsbot", "📊 Review of P-1",
                                  "*LED-100* in US: during Nov 25, 2026 – Nov 27, 2026 against before Nov 22, 2026 – "
                                  "Nov 24, 2026", *review, "Promotion P-1 · reviewed"]),
        ("/promo status P-1", ["only visible to Amy Lin", "Promotion P-1 · reviewed", *review]),
    ])
    rows = console.services.db.engine.connect().exec_driver_sql(
        "select actor, from_state, to_state from audit_log where entity = 'promo' order by id").fetchall()
    assert [tuple(r) for r in rows] == [
        ("U0MARKET", None, "planned"), ("U0MANAGER", "planned", "approved"), ("opsbot", "approved", "live"),
        ("opsbot", "live", "ended"), ("opsbot", "ended", "reviewed")]


def test_within_the_thresholds_it_is_approved_at_once(console: ConsoleSlack, load_reports) -> None:
    load_reports(console)
    converse(console, [
        ("!as U0MARKET\n/promo new led-100 us coupon 10% 2026-11-24..2026-11-30 budget 200", [
            "Promotion P-1 · approved", "Within the thresholds in promo.yml, so it is approved."]),
        ("!at 2026-11-24 09:00", ["Promotion P-1 · live", "is live from today until Nov 30, 2026"]),
    ])


def test_bad_input_says_what_is_accepted(console: ConsoleSlack, load_reports) -> None:
    load_reports(console)
    converse(console, [
        ("!as U0MARKET\n/promo tomorrow", ["only visible to Amy Lin", "Usage: /promo", "/promo list [mine|all]",
                                           "Example: /promo new LED-100 US coupon 15% 2026-12-10..2026-12-17"]),
        ("/promo new LED-100 US 2026-11-25..2026-11-27", ["Choose the kind: coupon, lightning deal, price change or "
                                                          "sponsored budget change."]),
        ("/promo new LED-100 US coupon 2026-11-25..2026-11-27", ["needs its discount (15%) or its amount off"]),
        ("/promo new LED-100 US coupon 15%", ["Give the first and the last day, e.g. 2026-12-10..2026-12-17."]),
        ("/promo new LED-100 US coupon 15% 2026-11-20..2026-11-27", ["The first day Nov 20, 2026 is in the past."]),
        ("/promo new LED-100 US coupon 15% 2026-11-27..2026-11-25", ["The last day Nov 25, 2026 is before the first "
                                                                     "day Nov 27, 2026."]),
        ("/promo new LED-10 US coupon 15% 2026-11-25..2026-11-27", ["LED-10 is not a SKU I know. Did you mean "
                                                                    "LED-100?"]),
        ("/promo new LED-100 US coupon 15% 2026-11-25..2026-11-27 F-99", ["There is no feedback F-99 in your team."]),
        ("/promo new LED-100 US coupon 15% 2026-11-25..2026-13-40", ["is not a date range"]),
        ("!as U0BUYER\n/promo new LED-100 US coupon 15% 2026-11-25..2026-11-27", [
            "Promotions are planned by Marketing & ads and Operations manager (promo.yml planners)."]),
    ])
    assert console.services.db.engine.connect().exec_driver_sql("select count(*) from promotions").scalar() == 0


def test_the_form_names_the_field_that_is_wrong(console: ConsoleSlack, load_reports) -> None:
    load_reports(console)
    converse(console, [
        ("!as U0MARKET\n/promo", ["modal opened for Amy Lin: “Plan a promotion”", "✎ SKU(s), separated by commas"]),
        ("!fill skus=LED-100 kind=Coupon start=2026-11-25 end=2026-11-27 discount=150%\n!submit", [
            "not submitted", "✗ discount: A discount is between 0% and 100%, e.g. 15%."]),
        ("!fill discount=15% budget=lots\n!submit", ["✗ budget: lots is not an amount"]),
        ("!fill budget=100 start=2026-11-01\n!submit", ["✗ start: The first day Nov 1, 2026 is in the past."]),
        ("!fill start=2026-11-25 skus=LED-1000\n!submit", ["✗ skus: LED-1000 is not a SKU I know"]),
        ("!fill skus=LED-100\n!submit", ["Promotion P-1 · approved", "Coupon · LED-100 → US"]),
    ])


def test_the_managers_own_promotion_goes_to_the_second_approver(console: ConsoleSlack, load_reports) -> None:
    load_reports(console)
    converse(console, [
        ("!as U0MANAGER\n/promo new LED-100 US lightning deal 30% 2026-11-25..2026-11-26", [
            "Promotion P-1 · planned"]),
        ("!in C0MARKETING\n!click Approve", ["@Liu Yang"]),
        ("!as U0MARKET\n!click Approve", ["You can't decide on P-1: @Liu Yang decides."]),
        ("!as U0FINANCE\n!home", ["── App Home of Liu Yang", "P-1", "[2: 批准]"]),
        ("!click 2", ["Promotion P-1 · approved", "── DM with Li Wei"]),
    ])


def press(console: ConsoleSlack, user: str, action: str, value: dict[str, object]) -> None:
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", channel="C0MARKETING", response_url=None,
        action={"type": "button", "action_id": f"promo_step:{action}", "value": json.dumps(value), "block_id": "b"},
        container={"type": "message", "message_ts": "1.0", "channel_id": "C0MARKETING"}))


def test_a_forged_or_replayed_button_changes_nothing(console: ConsoleSlack, load_reports) -> None:
    load_reports(console)
    converse(console, [("!as U0MARKET\n" + ONE_LINER, ["Promotion P-1 · planned"])])

    def state() -> str:
        return str(console.services.db.engine.connect().exec_driver_sql("select state from promotions").scalar())

    press(console, "U0MARKET", "approve", {"id": 1, "action": "approve"})  # the owner
    press(console, "U0BUYER", "approve", {"id": 1, "action": "approve"})  # not an approver
    press(console, "U0CS", "cancel", {"id": 1, "action": "cancel"})  # neither owner nor manager
    press(console, "U0MANAGER", "approve", {"id": 1, "action": "start"})  # a step only the scheduler takes
    press(console, "U0MANAGER", "approve", {"id": 99, "action": "approve"})  # no such promotion
    press(console, "U0NOBODY", "approve", {"id": 1, "action": "approve"})  # not in the team
    assert state() == "planned"
    press(console, "U0MANAGER", "approve", {"id": 1, "action": "approve"})
    press(console, "U0MANAGER", "approve", {"id": 1, "action": "approve"})  # replayed: decided once
    press(console, "U0MANAGER", "reject", {"id": 1, "action": "reject"})
    assert state() == "approved"
    decided = console.services.db.engine.connect().exec_driver_sql(
        "select count(*) from audit_log where entity = 'promo' and to_state = 'approved'").scalar()
    assert decided == 1



@pytest.fixture
def finance_only(playbooks_dir: Path) -> None:
    """Finance plans and approves, and the team has one finance person."""
    (playbooks_dir / "promo.yml").write_text(
        "planners: [finance, marketing]\napproval: {approvers: [finance], own_approvers: [finance]}\n",
        encoding="utf-8")


def test_a_promotion_nobody_could_approve_is_refused_when_planned(finance_only: None, console: ConsoleSlack,
                                                                  load_reports) -> None:
    """Liu Yang's own promotion would wait forever for another finance person: it is refused, saying why."""
    load_reports(console)
    converse(console, [
        ("!as U0FINANCE\n/promo new LED-100 US coupon 30% 2026-11-25..2026-11-26", [
            "only visible to Liu Yang", "team.yml 中除了你没有人能审批这个促销：需要财务之一。"]),
        ("!as U0MARKET\n/promo new LED-100 US coupon 30% 2026-11-25..2026-11-26", ["Promotion P-1 · planned"]),
        ("!as U0FINANCE\n!in C0MARKETING\n!click Approve", ["Promotion P-1 · approved", "Decided by @Liu Yang"]),
    ])
    assert console.services.db.engine.connect().exec_driver_sql("select count(*) from promotions").scalar() == 1


def test_a_stale_button_says_what_the_promotion_is_now_and_an_unapproved_one_expires(console: ConsoleSlack,
                                                                                     load_reports) -> None:
    load_reports(console)
    converse(console, [
        ("!as U0MARKET\n" + ONE_LINER, ["Promotion P-1 · planned"]),
        ("!in C0MARKETING\n!click Cancel promotion", ["Promotion P-1 · cancelled"]),
    ])
    press(console, "U0BUYER", "approve", {"id": 1, "action": "approve"})  # an approval clicked on an old copy
    assert "P-1 is cancelled now: that button is out of date." in console.seat.new_output()
    converse(console, [
        ("!as U0MARKET\n/promo new LED-100 US coupon 30% 2026-11-24..2026-11-25", ["Promotion P-2 · planned"]),
        ("!at 2026-11-24 09:00", ["⏳ P-2 (Coupon 30% off · LED-100) should start today but still waits for an "
                                  "approver."]),
        ("!at 2026-11-26 09:00", ["Promotion P-2 · cancelled", "⌛ P-2 (Coupon 30% off · LED-100) was never approved "
                                                                "and its last day has passed: it is cancelled."]),
    ])
