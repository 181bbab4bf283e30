"""Issue 18, Tests: the team's whole loop, played end to end in English and for a Chinese team.

A price complaint → routed to marketing AND purchasing (a line each on the card) → purchasing lowers the pending
R-1 from the card ("Adjust restock": 1,500 → 900) → marketing plans a coupon from the card ("Plan promotion": the
promo form prefilled) → the manager approves both from App Home → the coupon goes live on its first day and shows
in the morning digest beside LED-100 → it ends and its review posts figures computed HERE from the fixture rows
→ R-1 is ordered, shipped and received → the feedback card shows both consequences done and closes itself; the
reporter heard each step; `/feedback status F-1` shows the whole thread.

Then the authorization on that path: a role that may not press a button is refused privately and nothing changes;
a forged payload (another team's item, someone else's line) changes nothing. What the feature tests already cover
(tests/feedback/test_feedback_lines_e2e.py, tests/restock/test_the_loop.py, tests/promo/test_promo_e2e.py) is not
repeated; only the presses on this path they leave out are here.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.reports.ingest import ingest_files
from tests.conftest import converse
from tests.promo.conftest import ads_rows, sales_rows, write_fixtures

COMPLAINT_EN = "/feedback Customer says LED-100 is too expensive, a competitor is 20% cheaper"
COMPLAINT_ZH = "/feedback 客户说 LED-100 太贵了，竞争对手便宜20%"


def load_reports(console: ConsoleSlack, folder: Path) -> None:
    """LED-100 in the US, Nov 10–30 (tests/promo/conftest.py), loaded through the real ingest."""
    with console.services.db.transaction() as session:
        ingest_files(session, "shenzhen-ops", write_fixtures(folder), now=datetime(2026, 11, 23, 0, 0, tzinfo=UTC))


def review_figures() -> tuple[dict[str, float], dict[str, float], dict[str, str]]:
    """The coupon ran Nov 25–27: units, GMV, ACoS and CVR then against Nov 22–24, summed here from the rows;
    (during, before, change in whole percent)."""
    sales, ads = pd.DataFrame(sales_rows()), pd.DataFrame(ads_rows())
    sales["date"], ads["date"] = sales["date"].astype(str), ads["date"].astype(str)

    def figures(first: str, last: str) -> dict[str, float]:
        s = sales[(sales["date"] >= first) & (sales["date"] <= last)]
        a = ads[(ads["date"] >= first) & (ads["date"] <= last)]
        return {"units": float(s["units"].sum()), "gmv": float(s["gmv"].sum()),
                "acos": float(a["spend"].sum() / a["sales"].sum()),
                "cvr": float(s["units"].sum() / s["sessions"].sum())}

    during, before = figures("2026-11-25", "2026-11-27"), figures("2026-11-22", "2026-11-24")

    change = {name: f"{round((during[name] / before[name] - 1) * 100)}%" for name in during}
    return during, before, change


def expected_review() -> list[str]:
    during, before, change = review_figures()
    return [
        f"Units: {int(during['units'])} against {int(before['units'])} ({change['units']})",
        f"GMV: ${during['gmv']:,.2f} against ${before['gmv']:,.2f} ({change['gmv']})",
        f"ACoS: {during['acos'] * 100:.1f}% against {before['acos'] * 100:.1f}% ({change['acos']})",
        f"CVR: {during['cvr'] * 100:.1f}% against {before['cvr'] * 100:.1f}% ({change['cvr']})",
    ]


def expected_review_zh() -> list[str]:
    """The same figures as a zh-CN reader reads them (the review in #marketing of a Chinese team)."""
    during, before, change = review_figures()
    return [
        f"销量：{int(during['units'])}，之前 {int(before['units'])}（{change['units']}）",
        f"GMV：US${during['gmv']:,.2f}，之前 US${before['gmv']:,.2f}（{change['gmv']}）",
        f"ACoS：{during['acos'] * 100:.1f}%，之前 {before['acos'] * 100:.1f}%（{change['acos']}）",
        f"转化率：{during['cvr'] * 100:.1f}%，之前 {before['cvr'] * 100:.1f}%（{change['cvr']}）",
    ]


def card(console: ConsoleSlack, channel: str, title: str) -> str:
    """The newest top-level message in ``channel`` whose text has ``title``, as Slack shows it now."""
    found = [r for r in console.emulator.channel_messages(channel) if not r.thread_ts and title in str(r.blocks)]
    assert found, f"no {title!r} in {channel}"
    return str(found[-1].blocks)


def dms_to(console: ConsoleSlack, user: str) -> list[str]:
    channel = console.emulator.dm_channel_of(user)
    return [r.text for r in console.emulator.records if r.kind == "message" and r.channel == channel]


def rows(console: ConsoleSlack, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in console.services.db.engine.connect().exec_driver_sql(sql).fetchall()]


def test_the_whole_loop_in_english(console: ConsoleSlack, tmp_path: Path) -> None:
    load_reports(console, tmp_path)
    review = expected_review()
    converse(console, [
        # Zhang Min (selection) has a restock of LED-100 waiting for the manager (63,750 CNY: above the threshold).
        ("!as U0SELECT\n/restock LED-100 1500", ["📦 Restock R-1 · requested", "Filed R-1: 1,500 × LED-100"]),
        # The price complaint goes to marketing AND purchasing, each with its own line and follow-up.
        ("!as U0CS\n" + COMPLAINT_EN, [
            "── #marketing · Opsbot", "── #purchasing · Opsbot", "Feedback #1 · Price / competitor",
            "*Marketing & ads* · 🆕 new", "*Purchasing* · 🆕 new", "Plan promotion", "Adjust restock",
            "Thanks! Feedback #1 (Price / competitor) went to #marketing and #purchasing."]),
        # Purchasing lowers the pending R-1 from the card.
        ("!as U0BUYER\n!in C0PURCHASING\n!click Adjust restock", [
            "modal opened for Chen Jie: “R-1”", "R-1 (1,500 × LED-100, requested) is waiting for a decision",
            "✎ New quantity: 1500"]),
        ("!fill quantity=900\n!submit", [
            "── #purchasing · message updated", "📦 Restock R-1 · requested", "900 × LED-100",
            "From F-1: Customer says LED-100 is too expensive", "R-1: @Chen Jie changed the quantity from 1,500 to 900",
            "• R-1 LED-100 ×900 · requested"]),
        # Marketing plans a coupon from the card: the form comes prefilled with the SKU, marketplace and the link.
        ("!as U0MARKET\n!in C0MARKETING\n!click Plan promotion", [
            "modal opened for Amy Lin: “Plan a promotion”", "Planned from F-1: it will be linked to it.",
            "✎ SKU(s), separated by commas: LED-100", "✎ Marketplace: US"]),
        ('!fill kind=Coupon start=2026-11-25 end=2026-11-27 discount=25% budget=500 reason="price complaint"\n'
         "!submit", ["🏷️ Promotion P-1 · planned", "From F-1: Customer says LED-100 is too expensive",
                     "it needs an approver", "• P-1 Coupon 25% off · LED-100 · planned"]),
        # The manager (Li Wei reads Chinese) approves both from App Home.
        ("!as U0MANAGER\n!home", ["等我审批的申请", "*R-1* · 900 × LED-100", "[2: 批准]", "等我审批的促销", "*P-1*",
                                  "[5: 批准]"]),
        ("!click 2", ["📦 Restock R-1 · approved", "approved by @Li Wei", "R-1 (900 × LED-100) is now approved",
                      "• R-1 LED-100 ×900 · approved"]),
        ("!home", ["等我审批的促销", "[2: 批准]"]),
        ("!click 2", ["Promotion P-1 · approved", "Decided by @Li Wei", "P-1 is now approved by @Li Wei.",
                      "• P-1 Coupon 25% off · LED-100 · approved"]),
        # Its first day: live, Amy is reminded, and the digest shows it next to LED-100.
        ("!at 2026-11-25 09:00", [
            "Promotion P-1 · live", "• P-1 Coupon 25% off · LED-100 · live",
            "🚀 P-1 (Coupon 25% off · LED-100) is live from today until Nov 27, 2026",
            "Promotions running", "*LED-100* (US): P-1 Coupon 25% off · LED-100, until Nov 27, 2026"]),
        # It ended on the 27th; two days later the review, and marketing's line is done by itself.
        ("!at 2026-11-29 09:00", [
            "Promotion P-1 · ended", "✅ P-1 Coupon 25% off · LED-100 · ended", "*Marketing & ads* · ✅ done",
            "Your feedback #1: Marketing & ads · done, as everything it started has finished.",
            "📊 Review of P-1", "*LED-100* in US: during Nov 25, 2026 – Nov 27, 2026 against before Nov 22, 2026 – "
            "Nov 24, 2026", *review, "Promotion P-1 · reviewed"]),
        # R-1 is ordered, shipped and received.
        ("!as U0BUYER\n!in C0PURCHASING\n!click Mark ordered", ["modal opened for Chen Jie: “R-1”", "✎ PO number"]),
        ("!fill po=PO-7781 eta=2027-01-15\n!submit", ["📦 Restock R-1 · ordered", "PO PO-7781",
                                                     "• R-1 LED-100 ×900 · ordered"]),
        ("!at 2026-12-01 10:00\n!click Mark shipped", ["modal opened for Chen Jie: “R-1”", "✎ Carrier"]),
        ("!submit", ["📦 Restock R-1 · shipped", "• R-1 LED-100 ×900 · shipped"]),
        ("!later 2027-01-15 10:00\n!click Mark received", ["✎ Quantity received: 900"]),
        ("!submit", ["📦 Restock R-1 · received", "✅ closed", "*Purchasing* · ✅ done",
                     "✅ R-1 LED-100 ×900 · received", "✅ P-1 Coupon 25% off · LED-100 · reviewed",
                     "Your feedback #1: Purchasing · done, as everything it started has finished.",
                     "Your feedback #1 is closed: every team it went to has finished with it."]),
        # The reporter asks for the whole thread.
        ("!as U0CS\n/feedback status F-1", [
            "only visible to Wang Fang", "Feedback F-1 · Price / competitor", "✅ closed",
            "*Marketing & ads* · ✅ done", "*Purchasing* · ✅ done",
            "✅ R-1 LED-100 ×900 · received", "✅ P-1 Coupon 25% off · LED-100 · reviewed",
            "@Wang Fang · filed it", "Marketing & ads: done", "Purchasing: done", "closed"]),
    ])
    # Every copy of the feedback card, updated in place: both consequences done, closed, no buttons left.
    for channel in ("C0PURCHASING", "C0MARKETING"):
        shown = card(console, channel, "Feedback #1")
        assert "✅ closed" in shown and "✅ R-1 LED-100 ×900 · received" in shown, shown
        assert "✅ P-1 Coupon 25% off · LED-100 · reviewed" in shown and "Adjust restock" not in shown
    assert len([r for r in console.emulator.channel_messages("C0PURCHASING")
                if not r.thread_ts and "Feedback #1" in str(r.blocks)]) == 1  # redrawn, never posted again
    # R-1's and P-1's own cards say where they came from.
    assert "From F-1: Customer says LED-100 is too expensive" in card(console, "C0PURCHASING", "Restock R-1")
    assert "From F-1: Customer says LED-100 is too expensive" in card(console, "C0MARKETING", "Promotion P-1")
    assert rows(console, "select source_kind, source_id, target_kind, target_id, created_by from links order by id") \
        == [("feedback", 1, "restock", 1, "U0BUYER"), ("feedback", 1, "promo", 1, "U0MARKET")]
    # The reporter saw each step, in order.
    told = [t for t in dms_to(console, "U0CS") if "feedback #1" in t.lower()]
    assert told == [
        "Your feedback #1: Marketing &amp; ads · done, as everything it started has finished.",  # raw mrkdwn
        "Your feedback #1: Purchasing · done, as everything it started has finished.",
        "Your feedback #1 is closed: every team it went to has finished with it."], told
    # Old buttons pressed again once it is all over change nothing: a line of the closed item, the follow-ups.
    before = state_of_everything(console)
    for action_id, value in (("feedback.line.done", {"feedback": 1, "role": "purchasing"}),
                             ("feedback_adjust_restock", {"feedback": 1, "sku": "LED-100", "marketplace": "US"})):
        shown = press_on_card(console, "U0BUYER", "C0PURCHASING", action_id, value)
        # Found playing the loop: "Adjust restock" on the closed item still opened a request form linked to it.
        assert "Feedback #1 is already closed." in shown and "modal opened" not in shown, shown
    shown = press_on_card(console, "U0MARKET", "C0MARKETING", "feedback_plan_promo",
                          {"feedback": 1, "sku": "LED-100", "marketplace": "US"})
    assert "Feedback #1 is already closed." in shown and "modal opened" not in shown, shown  # it opened, too
    assert state_of_everything(console) == before


def test_the_whole_loop_for_a_chinese_team(chinese_team: ConsoleSlack, tmp_path: Path) -> None:
    """The team's channels read Chinese; each person's own screens (forms, DMs) read their Slack language."""
    console = chinese_team
    load_reports(console, tmp_path)
    converse(console, [
        ("!as U0SELECT\n/restock LED-100 1500", ["📦 补货 R-1 · 已申请", "Filed R-1: 1,500 × LED-100"]),
        ("!as U0CS\n" + COMPLAINT_ZH, [
            "── #marketing · Opsbot", "── #purchasing · Opsbot", "反馈 #1 · 价格 / 竞品", "客户说 LED-100 太贵了",
            "*市场与广告* · 🆕 新建", "*采购* · 🆕 新建", "[5: 策划促销]", "[11: 调整补货]",
            "Feedback #1 (Price / competitor) went to #marketing and #purchasing."]),
        ("!as U0BUYER\n!in C0PURCHASING\n!click 调整补货", ["modal opened for Chen Jie: “R-1”",
                                                     "✎ New quantity: 1500"]),
        ("!fill quantity=900\n!submit", [
            "📦 补货 R-1 · 已申请", "900 × LED-100", "来自 F-1：客户说 LED-100 太贵了，竞争对手便宜20%",
            "· 已引发：", "• R-1 LED-100 ×900 · 已申请"]),
        ("!as U0MARKET\n!in C0MARKETING\n!click 策划促销", [
            "modal opened for Amy Lin: “Plan a promotion”", "Planned from F-1",
            "✎ SKU(s), separated by commas: LED-100", "✎ Marketplace: US"]),
        ('!fill kind=Coupon start=2026-11-25 end=2026-11-27 discount=25% budget=500 reason="竞品便宜20%"\n'
         "!submit", ["🏷️ 促销 P-1 · 已计划", "来自 F-1：客户说 LED-100 太贵了", "原因：竞品便宜20%",
                     "• P-1 优惠券 优惠 25% · LED-100 · 已计划"]),
        ("!as U0MANAGER\n!home", ["等我审批的申请", "*R-1* · 900 × LED-100", "[2: 批准]", "等我审批的促销",
                                  "[5: 批准]"]),
        ("!click 2", ["📦 补货 R-1 · 已批准", "@Li Wei 已批准", "• R-1 LED-100 ×900 · 已批准"]),
        ("!home", ["等我审批的促销", "[2: 批准]"]),
        ("!click 2", ["🏷️ 促销 P-1 · 已批准", "由 @Li Wei 决定", "P-1 is now approved by @Li Wei.",
                      "• P-1 优惠券 优惠 25% · LED-100 · 已批准"]),
        ("!at 2026-11-25 09:00", ["🏷️ 促销 P-1 · 进行中", "• P-1 优惠券 优惠 25% · LED-100 · 进行中",
                                  "*进行中的促销*",
                                  "*LED-100*（US）：P-1 优惠券 优惠 25% · LED-100，至 2026年11月27日"]),
        ("!at 2026-11-29 09:00", [
            "🏷️ 促销 P-1 · 已结束", "*市场与广告* · ✅ 已完成", "📊 P-1 复盘",
            "*LED-100*（US）：活动期间 2026年11月25日 至 2026年11月27日 对比之前 2026年11月22日 至 2026年11月24日",
            *expected_review_zh(), "── DM with Amy Lin · Opsbot", *expected_review(), "🏷️ 促销 P-1 · 已复盘"]),
        ("!as U0BUYER\n!in C0PURCHASING\n!click 标记已下单", ["modal opened for Chen Jie: “R-1”"]),
        ("!fill po=PO-7781 eta=2027-01-15\n!submit", ["📦 补货 R-1 · 已下单", "采购单 PO-7781",
                                                     "• R-1 LED-100 ×900 · 已下单"]),
        ("!at 2026-12-01 10:00\n!click 标记已发货", ["modal opened for Chen Jie: “R-1”"]),
        ("!submit", ["📦 补货 R-1 · 已发货"]),
        ("!later 2027-01-15 10:00\n!click 标记已收货", ["✎ Quantity received: 900"]),
        ("!submit", ["📦 补货 R-1 · 已收货", "✅ 已关闭", "*采购* · ✅ 已完成", "• ✅ R-1 LED-100 ×900 · 已收货",
                     "• ✅ P-1 优惠券 优惠 25% · LED-100 · 已复盘",
                     "Your feedback #1 is closed: every team it went to has finished with it."]),
        # The manager reads the whole thread in Chinese.
        ("!as U0MANAGER\n/feedback 状态 F-1", [
            "反馈 F-1 · 价格 / 竞品", "✅ 已关闭", "*市场与广告* · ✅ 已完成", "*采购* · ✅ 已完成",
            "• ✅ R-1 LED-100 ×900 · 已收货", "• ✅ P-1 优惠券 优惠 25% · LED-100 · 已复盘"]),
    ])
    for channel in ("C0PURCHASING", "C0MARKETING"):
        shown = card(console, channel, "反馈 #1")
        assert "✅ 已关闭" in shown and "R-1 LED-100 ×900 · 已收货" in shown and "调整补货" not in shown, shown
    assert "来自 F-1" in card(console, "C0PURCHASING", "补货 R-1")
    assert "来自 F-1" in card(console, "C0MARKETING", "促销 P-1")
    assert [t for t in dms_to(console, "U0CS") if "feedback #1" in t.lower()] == [
        "Your feedback #1: Marketing &amp; ads · done, as everything it started has finished.",
        "Your feedback #1: Purchasing · done, as everything it started has finished.",
        "Your feedback #1 is closed: every team it went to has finished with it."]


# -- authorization on the loop's path ------------------------------------------------------------------------------
# Covered by the feature tests and not repeated: each line button × role and a forged item
# (tests/feedback/test_feedback_lines_e2e.py), "Adjust restock" by the warehouse and forged values, the restock Home
# buttons replayed (tests/restock/test_the_loop.py), "Add launch task" by a line without it
# (tests/feedback/test_feedback_links_e2e.py), promotion buttons in #marketing forged or replayed
# (tests/promo/test_promo_e2e.py), a forged "Plan promotion" value (tests/promo/test_promo_links.py).


def the_loop_waiting_for_the_manager(console: ConsoleSlack, folder: Path) -> None:
    """R-1 lowered from the card and P-1 planned from it, both waiting for Li Wei."""
    load_reports(console, folder)
    converse(console, [
        ("!as U0SELECT\n/restock LED-100 1500", ["Filed R-1"]),
        ("!as U0CS\n" + COMPLAINT_EN, ["Feedback #1"]),
        ("!as U0BUYER\n!in C0PURCHASING\n!click Adjust restock", ["“R-1”"]),
        ("!fill quantity=900\n!submit", ["900 × LED-100"]),
        ("!as U0MARKET\n!in C0MARKETING\n!click Plan promotion", ["“Plan a promotion”"]),
        ("!fill kind=Coupon start=2026-11-25 end=2026-11-27 discount=25% budget=500\n!submit",
         ["Promotion P-1 · planned"]),
        ("!as U0MANAGER\n!home", ["等我审批的申请", "等我审批的促销"]),
    ])


def state_of_everything(console: ConsoleSlack) -> tuple[Any, ...]:
    return (rows(console, "select state, quantity from restock_requests order by id"),
            rows(console, "select state from promotions order by id"),
            rows(console, "select role, state from feedback_lines order by id"),
            rows(console, "select state from feedback_items order by id"),
            rows(console, "select source_kind, source_id, target_kind, target_id from links order by id"))


def home_button(console: ConsoleSlack, owner: str, text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The newest App Home ``owner`` was shown, and its button whose label is ``text``."""
    home = next(r for r in reversed(console.emulator.records) if r.kind == "home" and r.user == owner)
    assert home.view is not None
    for block in home.view["blocks"]:
        for element in block.get("elements", []):
            if element.get("type") == "button" and element["text"]["text"] == text:
                return home.view, element
    raise AssertionError(f"no {text!r} in the App Home of {owner}")


def press_in_home(console: ConsoleSlack, user: str, view: dict[str, Any], button: dict[str, Any]) -> str:
    """A Home button as Slack sends it (a view container: no channel, no response_url), pressed by ``user``."""
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", response_url=None, view=view,
        action={"type": "button", "action_id": button["action_id"], "value": button.get("value", ""),
                "block_id": "b"},
        container={"type": "view", "view_id": "V0HOME"}))
    return console.seat.new_output()


def press_on_card(console: ConsoleSlack, user: str, channel: str, action_id: str, value: object) -> str:
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", channel=channel, container={"type": "message", "message_ts": "1.0",
                                                              "channel_id": channel},
        action={"type": "button", "action_id": action_id, "block_id": "b",
                "value": value if isinstance(value, str) else json.dumps(value)},
        response_url=console.emulator.new_response_url(channel, user)))
    return console.seat.new_output()


def test_the_managers_home_buttons_refuse_whoever_may_not_decide(console: ConsoleSlack, tmp_path: Path) -> None:
    """Pressed from a copy of Li Wei's App Home by anyone else: a DM saying who decides (Home has no channel and no
    response_url), and nothing changes."""
    the_loop_waiting_for_the_manager(console, tmp_path)
    before = state_of_everything(console)
    view, _ = home_button(console, "U0MANAGER", "批准")
    approve = {b["action_id"]: b for block in view["blocks"] for b in block.get("elements", [])
               if b.get("type") == "button" and b["text"]["text"] == "批准"}
    assert set(approve) == {"restock.step_button", "promo_step:approve"}
    told = {
        ("U0BUYER", "restock.step_button"): "R-1 is above the approval threshold in restock.yml: only the manager",
        ("U0BUYER", "promo_step:approve"): "You can't decide on P-1: @Li Wei decides.",
        ("U0MARKET", "restock.step_button"): "R-1 is above the approval threshold in restock.yml: only the manager",
        ("U0MARKET", "promo_step:approve"): "Nobody approves their own promotion: @Li Wei decides.",
        # Found playing the loop: the requester was told "purchasing or the manager decides" above the threshold.
        ("U0SELECT", "restock.step_button"): "Nobody approves their own request: above the approval threshold in "
                                             "restock.yml the manager decides.",
        ("U0SELECT", "promo_step:approve"): "You can't decide on P-1: @Li Wei decides.",
        ("U0CS", "restock.step_button"): "R-1 is above the approval threshold in restock.yml: only the manager",
        ("U0CS", "promo_step:approve"): "You can't decide on P-1: @Li Wei decides.",
        ("U0NOBODY", "restock.step_button"): "You are not in any Opsbot team yet.",
        ("U0NOBODY", "promo_step:approve"): "You are not in any Opsbot team yet.",
    }
    for (user, action), words in told.items():
        shown = press_in_home(console, user, view, approve[action])
        assert "── DM with" in shown and words in shown, (user, action, shown)
    assert state_of_everything(console) == before


def test_the_follow_ups_refuse_roles_that_may_not_take_them(console: ConsoleSlack, tmp_path: Path) -> None:
    the_loop_waiting_for_the_manager(console, tmp_path)
    before = state_of_everything(console)
    value = {"feedback": 1, "sku": "LED-100", "marketplace": "US"}
    for user in ("U0MARKET", "U0CS", "U0SELECT"):
        shown = press_on_card(console, user, "C0PURCHASING", "feedback_adjust_restock", value)
        assert "Adjusting restock is for purchasing or the manager." in shown and "modal opened" not in shown
    # Found playing the loop: purchasing or customer service got the promotion form, refused only on submit.
    for user in ("U0BUYER", "U0CS", "U0SELECT"):
        shown = press_on_card(console, user, "C0MARKETING", "feedback_plan_promo", value)
        assert "Promotions are planned by Marketing & ads and Operations manager (promo.yml planners)." in shown
        assert "modal opened" not in shown and "only visible to" in shown, shown
    assert state_of_everything(console) == before


def test_a_forged_follow_up_links_nothing(console: ConsoleSlack, tmp_path: Path) -> None:
    """Another team's (or no) feedback item in a follow-up's value: what is filed from it is linked to nothing."""
    the_loop_waiting_for_the_manager(console, tmp_path)
    before = rows(console, "select source_kind, source_id, target_kind, target_id from links order by id")
    console.send("!as U0MARKET")
    shown = press_on_card(console, "U0MARKET", "C0MARKETING", "feedback_plan_promo",
                          {"feedback": 99, "sku": "LED-100", "marketplace": "US"})
    # Found playing the loop: the form opened "Planned from F-99" and refused only when submitted.
    assert "There is no feedback F-99 in your team." in shown and "modal opened" not in shown, shown
    assert rows(console, "select source_kind, source_id, target_kind, target_id from links order by id") == before
    assert rows(console, "select id from promotions") == [(1,)]  # nothing filed
