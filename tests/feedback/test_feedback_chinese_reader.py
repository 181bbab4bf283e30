"""Every word of feedback in the reader's language: what a Simplified Chinese reader is shown, end to end.

A team whose language is zh-CN, a manager and a finance colleague whose Slack is in Chinese: urgent feedback,
its DM to the manager, the cards, a question when Opsbot is unsure, a message from a private channel and its
author's consent, the reminder, the list and the weekly summary. Apart from SKUs, ASINs, channel and people
references, links and the words a team really writes in Latin letters (SKU, ASIN, the bot's name), no run of
three ASCII letters may remain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from bot.console.session import ConsoleSlack
from bot.console.slack_state import Record
from tests.conftest import converse

CHINESE_READERS = {"U0MANAGER", "U0FINANCE"}  # Li Wei and Liu Yang: Slack in zh-CN (bot/console/workspace.yml)
ALLOWED = re.compile(
    r"<[@#!][^>]*>"  # Opsbot's references to people and channels
    r"|https?://\S+"
    r"|/feedback list"  # a command, typed as it is
    r"|(?<![A-Za-z0-9])(?:LED-100-EU|LED-100|LED-200|USB-C-60W|DESK-FAN-01|B0[A-Z0-9]{8}|SKU|ASIN|Opsbot)"
    r"(?![A-Za-z0-9])"  # not \b: to Python a Chinese character is a word character too
)
ENGLISH = re.compile(r"[A-Za-z]{3,}")


def texts(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            elif isinstance(value, dict | list):
                yield from texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from texts(value)


def seen_by_chinese_readers(console: ConsoleSlack) -> list[tuple[Record, str]]:
    """What the team's channels showed, and what Li Wei and Liu Yang saw in DMs, ephemerals and modals."""
    emulator = console.emulator
    found: list[tuple[Record, str]] = []
    for record in emulator.records:
        if record.kind in ("message", "update") and record.channel:
            channel = emulator.channel(record.channel)
            if channel.is_im and channel.user not in CHINESE_READERS:
                continue  # someone whose Slack is in English reads English in their DMs
        elif record.kind in ("ephemeral", "view_open", "view_update", "view_push"):
            if record.user not in CHINESE_READERS:
                continue
        else:
            continue
        for text in [record.text, *texts(record.blocks), *texts(record.view or {})]:
            found.append((record, text))
    return found


def test_a_chinese_speaking_team_reads_all_of_its_feedback_in_chinese(chinese_team: ConsoleSlack) -> None:
    console = chinese_team
    converse(
        console,
        [
            (
                "!as U0FINANCE\n/feedback 紧急：德国站 B0C7XK2M9Q 客户说 LED-100 灯光闪烁，已经有三个退货",
                [
                    "🚨 反馈 #1 · 质量 / 缺陷",
                    "── DM with Li Wei · Opsbot",
                    "DE",
                    "ASIN B0C7XK2M9Q",
                    "已发送给 #purchasing、#manager和@Li Wei",
                ],
            ),
            ("/feedback 摄影师说新灯光下 LED-200 颜色发白", ["反馈 #2 · 其他", "没把握", "商品页面 / 内容"]),
            ("!click 商品页面 / 内容", ["反馈 #2 · 商品页面 / 内容", "谢谢：反馈 #2 已归为商品页面 / 内容。"]),
            ("!in G0PRIVATE\n!say 供应商通知下个月 LED-200 涨价 8%", ["供应商通知"]),
            ("!as U0MANAGER\n!shortcut feedback.from_message", ["只有主管能看到"]),
            ("!submit", ["── DM with Liu Yang · Opsbot", "可以分享", "保持私密"]),
            (
                "!as U0FINANCE\n!click 可以分享",
                ["反馈 #3 已分享给团队，谢谢。", "── #purchasing · Opsbot", "供应商 / 成本"],
            ),
            ("!as U0MANAGER\n/feedback list", ["未关闭的市场反馈"]),
            ("/feedback list nonsense", ["/feedback list", "未关闭、我的、全部、价格 / 竞品"]),
            ("/feedback list 质量", ["市场反馈：质量 / 缺陷", "#1 · 质量 / 缺陷"]),
            ("/feedback list 供应商 / 成本", ["市场反馈：供应商 / 成本", "#3 · 供应商 / 成本"]),
        ],
    )
    before_the_clock_moves = console.emulator.records[-1].seq
    converse(
        console,
        [
            ("!at 2026-11-23 14:00", ["还没有人确认这条反馈"]),
            ("!at 2026-11-30 09:00", ["本周市场反馈", "SKU：LED-200 2 (+2)和LED-100 1 (+1)", "站点：DE 1 (+1)"]),
        ],
    )
    # Other features speak too as the days pass (stand-ups, the KPI digest): theirs are their own tests'.
    shown = [
        (r, text)
        for r, text in seen_by_chinese_readers(console)
        if r.seq <= before_the_clock_moves or r.thread_ts or "本周市场反馈" in r.text
    ]
    assert any("本周市场反馈" in r.text for r, _ in shown) and any("还没有人确认" in t for _, t in shown)
    english = [(r.kind, r.channel, text) for r, text in shown if ENGLISH.search(ALLOWED.sub("", text))]
    assert english == [], "\n".join(map(str, english))


def test_the_urgent_dm_to_a_chinese_speaking_manager_of_an_english_team_is_in_chinese(console: ConsoleSlack) -> None:
    converse(
        console,
        [
            (
                "!as U0CS\n/feedback urgent: LED-100 flickers, three returns already on Amazon DE",
                [
                    "── #purchasing · Opsbot",
                    "🚨 Feedback #1 · Quality / defect",
                    "From @Wang Fang · SKU LED-100 · DE",
                    "── DM with Li Wei · Opsbot",
                    "🚨 反馈 #1 · 质量 / 缺陷",
                    "来自 @Wang Fang · SKU LED-100 · DE",
                    "已发送到 #purchasing、#manager和@Li Wei",
                    "运营主管：已知悉] [", "运营主管：我来处理] [", "转给其他人] [", "关闭]",
                ],
            ),
            ("!as U0MANAGER\n!click 运营主管：已知悉",
             ["👀 已知悉", "#purchasing · message updated", "👀 acknowledged"]),
        ],
    )
    dm = console.emulator.dm_channel_of("U0MANAGER")
    typed = "urgent: LED-100 flickers, three returns already on Amazon DE"  # Wang Fang's words, shown as written
    shown = [text.replace(typed, "") for r, text in seen_by_chinese_readers(console) if r.channel == dm]
    assert shown and [t for t in shown if ENGLISH.search(ALLOWED.sub("", t))] == []
