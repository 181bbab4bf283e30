"""The promotion loop for a Chinese team: Li Wei (manager, Slack in zh-CN) plans his own coupon in Chinese words,
so finance (Liu Yang) approves it from App Home; the card, the reminders, the digest and the review read Chinese.
The review's units are computed here from the fixture's rows."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse
from tests.promo.conftest import sales_rows


def units(first: str, last: str) -> int:
    return sum(int(str(r["units"])) for r in sales_rows() if first <= str(r["date"]) <= last)


def test_a_managers_coupon_in_chinese_from_plan_to_review(chinese_team: ConsoleSlack, load_reports) -> None:
    load_reports(chinese_team)
    during, before = units("2026-11-25", "2026-11-27"), units("2026-11-22", "2026-11-24")
    converse(chinese_team, [
        ("/promo 新建 LED-100 US 2026-11-25..2026-11-27", ["请选择类型：优惠券、秒杀、改价或广告预算调整。"]),
        ("/promo 新建 LED-100 US 优惠券 25% 2026-11-25..2026-11-27 预算 500 原因 价格投诉", [
            "── #marketing · Opsbot", "🏷️ 促销 P-1 · 已计划", "优惠券 · LED-100 → US", "由 @Li Wei 策划",
            "优惠 25%", "预算 US$500.00", "原因：价格投诉", "超过 promo.yml 中的审批阈值",
            "已创建 P-1：优惠券 优惠 25% · LED-100。等待审批人批准。", "── App Home of Liu Yang", "等我审批的促销"]),
        ("!in C0MARKETING\n!click 批准", ["不能审批自己的促销：由 @Liu Yang 决定。"]),
        ("/promo 列表", ["已计划或进行中的促销", "*P-1* · 优惠券 优惠 25% · LED-100 · US", "已计划"]),
        ("!as U0FINANCE\n!home", ["── App Home of Liu Yang", "等我审批的促销", "[2: 批准] [3: 拒绝]"]),
        ("!click 批准", ["🏷️ 促销 P-1 · 已批准", "由 @Liu Yang 决定",
                      "── DM with Li Wei · Opsbot", "@Liu Yang 已将 P-1 设为已批准。"]),
        ("!at 2026-11-25 09:00", ["🏷️ 促销 P-1 · 进行中",
                                  "🚀 P-1（优惠券 优惠 25% · LED-100）今天起进行，至 2026年11月27日"]),
        ("!at 2026-11-26 09:00", ["进行中的促销", "*LED-100*（US）：P-1 优惠券 优惠 25% · LED-100，至 2026年11月27日"]),
        ("!at 2026-11-27 09:00", ["🏁 P-1（优惠券 优惠 25% · LED-100）今天结束：请今晚关闭。2 天后发送复盘。"]),
        ("!at 2026-11-29 09:00", ["📊 P-1 复盘", "*LED-100*（US）：活动期间 2026年11月25日 至 2026年11月27日 对比之前",
                                  f"销量：{during}，之前 {before}（{round((during / before - 1) * 100)}%）",
                                  "🏷️ 促销 P-1 · 已复盘"]),
        ("/promo 状态 P-1", ["🏷️ 促销 P-1 · 已复盘", "📊 P-1 复盘"]),
    ])


def test_the_card_reads_taiwan_chinese(taiwan_team: ConsoleSlack, load_reports) -> None:
    load_reports(taiwan_team)
    converse(taiwan_team, [
        ("!as U0MARKET\n/promo new LED-100 US 秒殺 30% 2026-11-25..2026-11-26", [
            "🏷️ 促銷 P-1 · 已規劃", "秒殺 · LED-100 → US", "由 @Amy Lin 規劃", "超過 promo.yml 中的核准門檻",
            "[1: 核准] [2: 駁回] [3: 取消促銷]"]),
    ])
