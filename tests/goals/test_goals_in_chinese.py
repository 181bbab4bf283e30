"""/goals and the review's sections read wholly in the reader's Chinese, with the Chinese subcommand words."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from bot.console.session import ConsoleSlack
from bot.flows.context import AgendaPeriod
from bot.i18n import translator
from tests.conftest import Speakers, converse
from tests.goals.conftest import load

ENGLISH = re.compile(r"\b(of|so far|gap|limit|target|data through|goal id|Traffic|Conversion|Out of stock|sessions)\b")
NOVEMBER = AgendaPeriod("monthly", date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 1))


def test_simplified_chinese_words_and_figures(chinese_team: ConsoleSlack, tmp_path: Path) -> None:
    load(chinese_team, tmp_path, date(2026, 11, 22))
    shown = converse(chinese_team, [
        ("!as U0MANAGER\n"
         "/goals 团队", ["目标：Shenzhen Ops",
                        "@Amy Lin · 🔻 *GMV（LED-100，US）* · 目前 US$20,020.00 / 目标 US$30,000.00",
                        "按此进度到 2026年11月30日 为", "市场与广告（@Amy Lin） · 🔻 *ACoS（US）* · 32.7%，上限 25.0%",
                        "差距 -7.7 个百分点", "数据截至 2026年11月22日 · 目标 ID：us-acos",
                        "@Zhang Min · ▫️ *新审核的供应商* · 2026年10月1日至2026年12月31日 尚未上报"]),
        # Zhang Min's Slack is in English: the Chinese words work for him, and he reads English.
        ("!as U0SELECT\n"
         "/goals 上报 new-suppliers 2", ["Recorded for New suppliers audited.", "2 of 6 (33.3%) so far"]),
        ("/goals 团队", ["Only a manager can see everyone's goals."]),
        ("!as U0FINANCE\n"
         "/goals 上报 new-suppliers 3", ["只有目标 new-suppliers 的负责人可以上报数字。"]),
        ("/goals", ["你的目标", "goals.yml 里还没有你的目标，请经理添加。"]),
    ])
    assert not ENGLISH.search(shown.split("/goals 团队", 1)[1].split("» ", 1)[0])


def test_traditional_chinese_words_and_the_review(speakers: Speakers, tmp_path: Path, playbooks_dir: Path) -> None:
    (playbooks_dir / "meetings.yml").unlink()  # no agenda is sent overnight: the review's parts are read below
    console = speakers("zh-TW")
    load(console, tmp_path)
    converse(console, [
        ("!as U0SELECT\n"
         "/goals 回報 new-suppliers 3", ["已記錄：新稽核的供應商。"]),
        ("/goals 團隊", ["只有經理能檢視所有人的目標。"]),
        ("!at 2026-12-01 09:00", ["⏰"]),
    ])
    ctx = console.services.context
    tr = translator("zh_TW")
    targets = ctx.agenda_sections["targets"].build(ctx, console.team, NOVEMBER, tr)
    diagnosis = ctx.agenda_sections["diagnosis"].build(ctx, console.team, NOVEMBER, tr)
    assert targets is not None and diagnosis is not None
    assert targets.title == "2026年11月1日至2026年11月30日 目標達成" and diagnosis.title == "差距與初步診斷"
    text = "\n".join((*targets.lines, *diagnosis.lines))
    assert "🔻 *US GMV* · US$52,340.00 / 目標 US$120,000.00（43.6%）· 差距 -US$67,660.00（-56.4%）" in text
    assert "採購（@" not in text and "採購（<@U0BUYER>）" in text
    assert "流量下降：造訪次數 16,845，上一期間同期為 19,125" in text
    assert "缺貨：LAMP-200，2026年11月20日 至 2026年11月24日 共 5 個 SKU 日 → 採購" in text
    assert not ENGLISH.search(text)


def test_goals_edited_in_slack_and_a_manager_without_goals_in_chinese(speakers: Speakers) -> None:
    for language, words in (
        ("zh-CN", {"none": "你自己没有目标。/goals 团队 查看团队的目标；/goals 设定 <目标>",
                   "refused": "只有经理能设定、修改或删除目标。", "bad": "target：不接受 很多。请写大于 0 的数字",
                   "field": "colour 不是目标字段。可用字段：owner", "changed": "已修改目标 us-acos：ACoS（US）。",
                   "note": "由 @Li Wei 于 2026年11月23日 在 Slack 中修改"}),
        ("zh-TW", {"none": "你自己沒有目標。/goals 團隊 檢視團隊的目標；/goals 設定 <目標>",
                   "refused": "只有經理能設定、修改或刪除目標。", "bad": "target：不接受 很多。請寫大於 0 的數字",
                   "field": "colour 不是目標欄位。可用欄位：owner", "changed": "已修改目標 us-acos：ACoS（US）。",
                   "note": "由 @Li Wei 於 2026年11月23日 在 Slack 中修改"}),
    ):
        console = speakers(language)
        set_word = "设定" if language == "zh-CN" else "設定"
        team_word = "团队" if language == "zh-CN" else "團隊"
        converse(console, [
            ("!as U0MANAGER\n/goals", [words["none"]]),
            ("!as U0MARKET\n"
             f"/goals {set_word} us-acos target=20%", [words["refused"]]),
            ("!as U0MANAGER\n"
             f"/goals {set_word} us-acos target=很多", [words["bad"]]),
            (f"/goals {set_word} us-acos colour=red", [words["field"]]),
            (f"/goals {set_word} us-acos target=20%", [words["changed"]]),
            (f"/goals {team_word}", ["目标 ID：us-acos · " if language == "zh-CN" else "目標 ID：us-acos · ",
                                     words["note"]]),
        ])


def test_campaign_acos_in_chinese(speakers: Speakers, playbooks_dir: Path, tmp_path: Path) -> None:
    from tests.goals.test_campaigns import campaign_sums, with_campaign_goals

    with_campaign_goals(playbooks_dir)
    holiday, _ = campaign_sums(date(2026, 11, 1), date(2026, 11, 22), r"holiday push$")
    for language, campaign, spend in (
            ("zh-CN", "*ACoS（广告活动 holiday push，US）*", "花费 US${:,.2f}，无销售，上限 50.0%"),
            ("zh-TW", "*ACoS（廣告活動 holiday push，US）*", "花費 US${:,.2f}，無銷售，上限 50.0%")):
        console = speakers(language)
        load(console, tmp_path, date(2026, 11, 22))
        converse(console, [("!as U0MARKET\n/goals", [f"🔻 {campaign} · {spend.format(holiday)}",
                                                     "ACoS（广告活动 Exact ∗，US）" if language == "zh-CN"
                                                     else "ACoS（廣告活動 Exact ∗，US）"])])
