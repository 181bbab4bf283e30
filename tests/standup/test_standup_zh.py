"""The stand-up for a team whose language is Simplified Chinese: channel posts, DMs and refusals in Chinese.

Li Wei (the manager) and Liu Yang (finance) use Slack in zh-CN; the team's channel posts follow team.yml.
"""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from tests.conftest import converse


def test_late_answer_edit_away_skip_and_blockers_in_chinese(chinese_team: ConsoleSlack) -> None:
    converse(chinese_team, [
        ("!as U0MANAGER\n"
         "/standup", ["“每日晨会”", "昨天完成了什么？"]),
        ('!fill yesterday="审批采购单" today="复盘广告" blockers="工厂质检报告还没到"\n'
         "!submit", ["✅ 谢谢，你 2026年11月23日星期一 的晨会已提交。"]),
        ("!as U0FINANCE\n"
         "/standup ooo 2026-11-23..2026-11-24 年假", ["休假"]),
        # Zhang Min's Slack is in English: what only she sees is too.
        ("!as U0SELECT\n"
         "/standup skip 拜访供应商", ["Skipped your stand-up for Monday, November 23, 2026."]),
        ("!at 2026-11-23 11:00", ["晨会 · 2026年11月23日星期一", "✅ 已填 1 · ⏭ 跳过 1 · 🌴 休假 1",
                                  "*1 个未解决的阻碍*", "工厂质检报告还没到 — @Li Wei · 已持续 0 个工作日",
                                  "休假：@Liu Yang", "已跳过：@Zhang Min"]),
        # A late answer joins the thread, marked 补填; the counts go up in place.
        ("!as U0CS\n"
         "/standup", ["modal opened for Wang Fang: “Daily stand-up”"]),
        ('!fill yesterday="回复邮件" today="更新 FAQ"\n'
         "!submit", ["#ops · in thread · Opsbot", "补填", "#ops · message updated", "✅ 已填 2"]),
        # Li Wei edits after the summary: his reply is updated in place, marked 已修改.
        ("!as U0MANAGER\n"
         "!click 修改我的回答", ["复盘广告"]),
        ('!fill today="复盘广告，并安排 Q4 预算"\n'
         "!submit", ["#ops · message updated in thread", "安排 Q4 预算", "已修改"]),
        # Two workdays later the blocker mentions the manager; only its owner may resolve it.
        ("!at 2026-11-25 11:00", ["已持续 2 个工作日", "⚠️ 拖得太久了：请 @Li Wei 协助处理。"]),
        ("!as U0FINANCE\n"
         "!click 已解决", ["只有 @Li Wei 或经理可以把这个阻碍标记为已解决。"]),
        ("!as U0MANAGER\n"
         "!click 已解决", ["#ops · message updated", "*0 个未解决的阻碍*"]),
        ("/standup history 2026-13-01", ["7d、30d"]),
        ("/standup 跳舞", ["用法：/standup"]),
    ])
    replies = [r for r in chinese_team.emulator.records if r.kind == "message" and r.thread_ts]
    assert len(replies) == 2  # Li Wei's and Wang Fang's; the edit did not post a third
