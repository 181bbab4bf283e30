"""Issue 18 in Chinese: a price complaint in Chinese is routed to marketing and purchasing, and each works it on
its own line, in the team's language (channel cards) and each person's own (modals, DMs)."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse


def test_a_chinese_price_complaint_is_worked_by_marketing_and_purchasing_at_once(chinese_team: ConsoleSlack) -> None:
    converse(chinese_team, [
        ("!as U0FINANCE\n"
         "/feedback 客户说 LED-100 太贵了，竞争对手便宜20%", [
            "── #marketing · Opsbot", "── #purchasing · Opsbot", "反馈 #1 · 价格 / 竞品", "*市场与广告* · 🆕 新建",
            "*采购* · 🆕 新建", "采购：我来处理]", "调整补货", "策划促销",
            "谢谢！反馈 #1（价格 / 竞品）已发送给 #marketing和#purchasing。"]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click 采购：我来处理", ["modal opened for Chen Jie: “I'm on it”"]),
        ('!fill note="把待审批的补货从 1,500 降到 900"\n'
         "!submit", ["*采购* · 🛠 处理中 · @Chen Jie", "行动：把待审批的补货从 1,500 降到 900",
                     "DM with Liu Yang", "你的反馈 #1：采购 · 处理中（@Chen Jie）。"]),
        ("!as U0MARKET\n"
         "!in C0MARKETING\n"
         "!click 市场与广告：我来处理", ["“I'm on it”"]),
        ('!fill note="LED-100 美国站 15% 优惠券，为期一周"\n'
         "!submit", ["*市场与广告* · 🛠 处理中 · @Amy Lin", "行动：把待审批的补货从 1,500 降到 900"]),
        ("!click 市场与广告：完成", ["“Done”"]),
        ('!fill note="优惠券已上线"\n'
         "!submit", ["*市场与广告* · ✅ 已完成 · @Amy Lin", "结果：优惠券已上线", "采购：完成]", "🛠 处理中",
                     "你的反馈 #1：市场与广告 · 已完成（@Amy Lin）。"]),
        ("!as U0FINANCE\n"
         "/feedback 状态 F-1", ["反馈 F-1 · 价格 / 竞品", "*经过*", "@Liu Yang · 提交了反馈",
                              "@Chen Jie · 采购：处理中 — 把待审批的补货从 1,500 降到 900"]),
        ("!as U0MANAGER\n"
         "!in C0PURCHASING\n"
         "!click 关闭", ["“关闭反馈”"]),
        ('!fill note="周会上已处理"\n'
         "!submit", ["✅ 已关闭", "结果：周会上已处理", "你的反馈 #1 现在状态为：已关闭（@Li Wei）。"]),
    ])
