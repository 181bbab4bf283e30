"""More feedback transcripts: SKU figures on the card, privacy when duplicates join, forged changes,
re-routing to chosen people, and the whole loop for a Chinese-speaking team."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.console.session import ConsoleSlack
from bot.errors import OpsError
from bot.flows.feedback_actions import FeedbackActions, Rerouting
from bot.flows.feedback_cards import FeedbackCards
from bot.flows.feedback_lines import FeedbackLines
from bot.ops.feedback_playbook import FeedbackPlaybook
from tests.conftest import converse

SALES = Path(__file__).resolve().parent / "fixtures" / "sales-led-100-us.csv"  # 20 units a day for 90 days


def audit_rows(console: ConsoleSlack) -> list[tuple[str, str | None, str | None]]:
    """The feedback audit trail: a record kept for later that no Slack surface shows, so read from its table."""
    rows = console.services.db.engine.connect().exec_driver_sql(
        "select actor, from_state, to_state from audit_log where entity = 'feedback' order by id").fetchall()
    return [tuple(r) for r in rows]


def test_the_card_shows_the_skus_last_7_days_when_report_data_exists(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0ANALYST\n"
         "!in C0DATA\n"
         f"!upload {SALES}", ["90 new"]),
        # 20 units, 20 orders, $29.99 each and 240 sessions a day: 7 days are 140 units, $4,198.60, 1,680 sessions.
        ("!as U0CS\n"
         "/feedback LED-100 arrived with a cracked base", [
            "· Last 7 days: *LED-100*: 140 units · 140 orders · GMV $4,198.60 · 1,680 sessions · CVR 8.3%",
            "Adjust restock", "Add launch task"]),
        ("/feedback Competitor cut the price on USB-C-60W", ["Feedback #2 · Price / competitor"]),
    ])
    price_card = str(console.emulator.channel_messages("C0MARKETING")[-1].blocks)
    assert "Last 7 days" not in price_card  # no data for that SKU: nothing shown rather than zeros


def test_a_forged_close_or_re_route_changes_nothing(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n"
         "/feedback LED-100 arrived with a cracked base", ["Feedback #1 · Quality / defect"]),
    ])
    ctx = console.services.context
    playbook = ctx.playbook(FeedbackPlaybook)
    cards = FeedbackCards(ctx, playbook)
    flow, lines = FeedbackActions(ctx, playbook, cards), FeedbackLines(ctx, cards)
    # Straight to the server, as a forged view submission would: Amy (marketing) was not sent this one, and only
    # the manager closes an item for everyone.
    for user in ("U0MARKET", "U0BUYER"):
        with pytest.raises(OpsError, match="Only the manager can close"):
            lines.close(user, 1, "not our problem")
    with pytest.raises(OpsError, match="Only the people this feedback was sent to"):
        flow.reroute("U0MARKET", 1, Rerouting("listing"))
    with pytest.raises(OpsError, match="Only the people of that line"):
        lines.act("U0MARKET", 1, "purchasing", "done", "not our problem")
    with pytest.raises(OpsError, match="no longer exists"):
        lines.act("U0BUYER", 99, "purchasing", "acknowledge")
    assert audit_rows(console) == [("U0CS", None, "new")]  # refused changes leave no trace but a log line
    assert "🆕 new" in str(console.emulator.channel_messages("C0PURCHASING")[-1].blocks)
    # The people of the line can; nothing goes back a step, and a second close is refused politely.
    lines.act("U0BUYER", 1, "purchasing", "acknowledge")
    assert "Purchasing: Acknowledge" not in str(console.emulator.channel_messages("C0PURCHASING")[-1].blocks)
    with pytest.raises(OpsError, match="has moved on"):
        lines.act("U0BUYER", 1, "purchasing", "acknowledge")
    lines.close("U0MANAGER", 1, "Factory replaces the batch")
    with pytest.raises(OpsError, match="already closed"):
        lines.close("U0MANAGER", 1, "again")


def test_re_route_to_chosen_people_and_urgent_one_liners(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n"
         "/feedback urgent: 12 buyers say DESK-FAN-01 overheats after an hour", [
            "🚨 Feedback #1", "── DM with Li Wei · Opsbot", "went to #purchasing, #manager, and @Li Wei."]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Re-route", ["“Re-route feedback”", "✎ Send it as: Quality / defect"]),
        ("!fill category=listing roles=marketing,warehouse\n"
         "!submit", ["── #marketing · Opsbot", "── #ops · Opsbot", "Feedback #1 · Listing / content",
                     "#purchasing · message updated", "Routed to #marketing, #ops, and @Li Wei",
                     "Your feedback #1 was re-routed as Listing / content to #marketing, #ops, and @Li Wei "
                     "(@Chen Jie)."]),
        ("!as U0WAREHOUSE\n"
         "!in C0OPS\n"
         "!click Warehouse: Acknowledge", ["👀 acknowledged",
                                           "Your feedback #1: Warehouse · acknowledged (@Klaus Becker)."]),
    ])
    # Purchasing handed it over: its line is put aside, and no card offers it any more.
    assert "Purchasing: Acknowledge" not in str(console.emulator.channel_messages("C0PURCHASING")[-1].blocks)


def test_the_whole_loop_in_chinese(chinese_team: ConsoleSlack) -> None:
    converse(chinese_team, [
        ("!as U0FINANCE\n"
         "/feedback 客户反馈 LED-200 灯罩破损，要求换货", [
            "反馈 #1 · 质量 / 缺陷", "已发送到 #purchasing和#manager", "[1: 采购：已知悉]",
            "谢谢！反馈 #1（质量 / 缺陷）已发送给 #purchasing和#manager。"]),
        ("/feedback 又有一个 LED-200 破损", ["已合并到 LED-200 的未关闭反馈 #1（目前共 2 条）。",
                                         "@Liu Yang 又反馈了一次：又有一个 LED-200 破损", "2 条反馈"]),
        ("!as U0MANAGER\n"
         "!in C0MANAGER\n"
         "!click 运营主管：已知悉", ["👀 已知悉", "你的反馈 #1：运营主管 · 已知悉（@Li Wei）。"]),
        ("!click 运营主管：我来处理", ["“我来处理”"]),
        ('!fill note="联系工厂加强包装"\n'
         "!submit", ["*运营主管* · 🛠 处理中 · @Li Wei", "行动：联系工厂加强包装"]),
        ("!click 关闭", ["“关闭反馈”"]),
        ('!fill note="下批货改用加厚纸箱"\n'
         "!submit", ["✅ 已关闭", "结果：下批货改用加厚纸箱"]),
        ("/feedback list mine", ["你提交或负责的市场反馈", "#1 · 质量 / 缺陷 · 已关闭 · LED-200"]),
        # From a public channel (a one-liner in the private #manager would wait for its reporter's yes).
        ("!in C0OPS\n/feedback 亚马逊美国站物流延迟，客户投诉", ["反馈 #2 · 物流 / 配送"]),
        ("!at 2026-11-23 14:00", ["⏰ 还没有人确认这条反馈：请 @Klaus Becker 看一下。"]),
        ("!at 2026-11-30 09:00", ["本周市场反馈", "质量 / 缺陷：1 条（比上周 +1）", "SKU：LED-200 1 (+1)",
                                  "#2 物流 / 配送 · 已开 7 天 · 新建"]),
    ])
