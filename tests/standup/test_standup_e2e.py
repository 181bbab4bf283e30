"""Stand-ups as the team lives them, through the terminal Slack, with a frozen clock.

The team sits in Shenzhen (Asia/Shanghai); Amy is in Los Angeles, Klaus and Sara in Berlin.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.console.session import ConsoleSlack
from tests.conftest import converse

SHANGHAI = ZoneInfo("Asia/Shanghai")


def dms_to(console: ConsoleSlack, name_fragment: str, since: int = 0) -> list[str]:
    return [
        r.text for r in console.emulator.since(since)
        if r.kind == "message" and console.renderer.channel_label(r.channel) == f"DM with {name_fragment}"
    ]


def test_prompt_answer_summary_late_answer_and_edit_in_english(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n"
         "!at 2026-11-23 09:30", ["DM with Chen Jie · Opsbot", "Good morning! Time for your stand-up for Monday, "
                                  "November 23, 2026.", "Fill in"]),
        ("!click Fill in", ["modal opened for Chen Jie: “Daily stand-up”", "What will you do today?"]),
        ('!fill today="Call the LED-100 supplier" yesterday="PO 4711 sent" blockers="QC report from factory"\n'
         "!submit", ["DM with Chen Jie · message updated",
                     "Thanks — your stand-up for Monday, November 23, 2026 is in"]),
        ("!at 2026-11-23 11:00", ["── #ops · Opsbot", "Stand-up · Monday, November 23, 2026", "✅ 1 answered",
                                  "QC report from factory — @Chen Jie · open 0 workdays", "[", "Resolved",
                                  "── #ops · in thread · Opsbot", "*Chen Jie*", "Call the LED-100 supplier"]),
        # Wang Fang answers after the summary: her answer joins the thread and the counts go up.
        ("!as U0CS\n"
         "/standup", ["modal opened for Wang Fang"]),
        ('!fill today="Answer the DE return emails" yesterday="FAQ for LED-100"\n'
         "!submit", ["#ops · in thread · Opsbot", "*Wang Fang*", "answered late", "#ops · message updated",
                     "✅ 2 answered"]),
        # Chen edits after the summary: his thread reply is updated in place and marked edited.
        ("!as U0BUYER\n"
         "!click Edit my answers", ["Call the LED-100 supplier"]),
        ('!fill today="Call the LED-100 supplier and book the sea freight"\n'
         "!submit", ["#ops · message updated in thread", "book the sea freight", "edited"]),
    ])
    threads = [r for r in console.emulator.records if r.kind == "message" and r.thread_ts]
    assert len(threads) == 2  # one reply each; the edit did not post a third


def test_the_same_morning_in_chinese(playbooks_dir: Path, database_url: str) -> None:
    team_file = playbooks_dir / "team.yml"
    team_file.write_text(team_file.read_text(encoding="utf-8").replace("language: en", "language: zh-CN"),
                         encoding="utf-8")
    from tests.conftest import MONDAY_9AM_SHENZHEN

    console = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        converse(console, [
            ("!as U0MANAGER\n"
             "!at 2026-11-23 09:30", ["DM with Li Wei", "早上好！该填写 2026年11月23日星期一 的晨会了。", "填写"]),
            ("!click 填写", ["“每日晨会”", "今天计划做什么？"]),
            ('!fill today="复盘 LED-100 的广告" yesterday="审批采购单"\n'
             "!submit", ["✅ 谢谢，你 2026年11月23日星期一 的晨会已提交。"]),
            ("!at 2026-11-23 11:00", ["晨会 · 2026年11月23日星期一", "✅ 已填 1", "每个人的回答都在消息串里。",
                                      "*今天计划做什么？*", "复盘 LED-100 的广告"]),
            ("/standup dance", ["用法：/standup"]),
        ])
    finally:
        console.close()


def test_everyone_is_prompted_at_0930_on_their_own_clock(console: ConsoleSlack) -> None:
    assert "DM with Chen Jie" in console.send("!at 2026-11-23 09:30")  # 09:30 in Shenzhen
    assert "DM with Klaus Becker" not in console.send("!at 2026-11-23 16:29")
    assert "DM with Klaus Becker" in console.send("!at 2026-11-23 16:30")  # 09:30 in Berlin
    assert "DM with Amy Lin" not in console.send("!at 2026-11-24 01:29")
    assert "DM with Amy Lin" in console.send("!at 2026-11-24 01:30")  # 09:30 Monday in Los Angeles
    assert len([t for t in dms_to(console, "Amy Lin") if t == "Time for your stand-up"]) == 1


def test_skip_away_and_back(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0SELECT\n"
         "/standup skip supplier visit", ["Skipped your stand-up for Monday, November 23, 2026."]),
        ("/standup", ["modal opened"]),
        ("!close\n"
         "!as U0FINANCE\n"
         "/standup ooo 2026-11-23..2026-11-25 annual leave", ["2026年11月23日 至 2026年11月25日 休假"]),
        ("!at 2026-11-23 11:00", ["⏭ 1 skipped", "🌴 1 away", "Skipped: @Zhang Min", "Away: @Liu Yang"]),
    ])
    assert dms_to(console, "Liu Yang") == []  # no prompt, no reminder while away
    converse(console, [
        ("!as U0FINANCE\n"
         "/standup back", ["欢迎回来！"]),
        ("!at 2026-11-24 09:30", ["DM with Liu Yang"]),
    ])


def test_one_reminder_never_in_quiet_hours_and_a_personal_off_switch(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0SELECT\n"
         "/standup reminders off", ["Stand-up reminders are off."]),
        ("!at 2026-11-23 10:30", ["DM with Chen Jie", "Reminder: your stand-up"]),
    ])
    assert len([t for t in dms_to(console, "Chen Jie") if t == "Stand-up reminder"]) == 1
    assert [t for t in dms_to(console, "Zhang Min") if t == "Stand-up reminder"] == []
    console.send("!at 2026-11-23 12:00")
    assert len([t for t in dms_to(console, "Chen Jie") if t == "Stand-up reminder"]) == 1  # only one


def test_no_reminder_falls_in_quiet_hours(playbooks_dir: Path, database_url: str) -> None:
    standup = playbooks_dir / "standup.yml"
    standup.write_text(standup.read_text(encoding="utf-8").replace('prompt_time: "09:30"', 'prompt_time: "19:30"'),
                       encoding="utf-8")
    from tests.conftest import MONDAY_9AM_SHENZHEN

    console = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        console.send("!at 2026-11-23 21:00")  # prompts at 19:30, reminders due 20:30: quiet hours from 20:00
        assert len(dms_to(console, "Chen Jie")) == 1
    finally:
        console.close()


def test_blockers_age_escalate_to_the_manager_and_only_their_owner_resolves_them(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n"
         "/standup", ["modal opened for Chen Jie: “Daily stand-up”", "· Stand-up for Monday, November 23, 2026"]),
        ('!fill today="Chase QC" yesterday="Samples" blockers="Factory QC report missing"\n'
         "!submit", ["✅ Thanks — your stand-up for Monday, November 23, 2026 is in."]),
        ("!at 2026-11-24 11:00", ["Factory QC report missing — @Chen Jie · open 1 workday"]),
    ])
    wednesday = console.send("!at 2026-11-25 11:00")
    assert "open 2 workdays" in wednesday and "Open too long: @Li Wei, please help." in wednesday
    converse(console, [
        ("!as U0MARKET\n"
         "!click Resolved", ["only visible to Amy Lin", "Only @Chen Jie or a manager can mark this blocker resolved."]),
        ("!as U0BUYER\n"
         "!click Resolved", ["#ops · message updated", "*0 open blockers*"]),
    ])


def test_a_missed_prompt_is_caught_up_once_and_a_day_long_gone_is_not(console: ConsoleSlack) -> None:
    scheduler = console.services.scheduler
    # The bot was down over 09:30 and comes back at 10:15 Shanghai: within the 120-minute grace window.
    console.clock.set(datetime(2026, 11, 23, 10, 15, tzinfo=SHANGHAI))
    scheduler.tick()
    scheduler.tick()
    assert len(dms_to(console, "Chen Jie")) == 1
    # Down again from Tuesday morning until Wednesday 08:00: Tuesday's prompts are not sent a day late.
    console.clock.set(datetime(2026, 11, 25, 8, 0, tzinfo=SHANGHAI))
    scheduler.tick()
    assert len(dms_to(console, "Chen Jie")) == 1


def test_bad_input_gets_a_clear_message_and_nothing_is_lost(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n"
         "/standup dance", ["Usage: /standup · /standup skip [reason]"]),
        ("/standup history 2026-13-01", ["is not a period I understand: use 7d, 30d or YYYY-MM-DD..YYYY-MM-DD."]),
        ("/standup export 2026-11-30..2026-11-01", ["The period ends before it starts"]),
        ("/standup ooo 2025-01-01..2026-11-20", ["A period can be at most a year long."]),
        ("/standup", ["modal opened"]),
        ('!fill yesterday="ok" today="' + "x" * 3001 + '"\n'
         "!submit", ["not submitted", "✗ today: Please keep this under 3000 characters (it has 3001)."]),
        ('!fill today="a shorter plan"\n'
         "!submit", ["Thanks — your stand-up"]),
        ("!as U0GUEST\n"
         "/standup", ["You are not in any Opsbot team yet. Ask the manager, @Li Wei, to add you."]),
    ])


def test_status_history_and_export(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0BUYER\n"
         "/standup", ["modal opened for Chen Jie: “Daily stand-up”", "· Stand-up for Monday, November 23, 2026"]),
        ('!fill today="Book sea freight" yesterday="PO 4711"\n'
         "!submit", ["✅ Thanks — your stand-up for Monday, November 23, 2026 is in."]),
        ("/standup status", ["Today's stand-up so far", "✅ Answered: Chen Jie", "⏳ Not yet: Li Wei"]),
        ("/standup history 7d", ["Stand-ups of Chen Jie", "Book sea freight"]),
        ("/standup history <@U0CS> 30d", ["Stand-ups of Wang Fang", "No stand-ups in that period."]),
        ("/standup export 30d", ["standup-U0BUYER-2026-10-25-2026-11-23.csv (your own stand-ups",
                                 "DM with Chen Jie", "📎 standup-U0BUYER-2026-10-25-2026-11-23.csv"]),
        ("!as U0MANAGER\n"
         "/standup export 30d", ["standup-shenzhen-ops-2026-10-25-2026-11-23.csv 已发到你和 Opsbot 的私信里。",
                                 "DM with Li Wei", "📎 standup-shenzhen-ops-2026-10-25-2026-11-23.csv"]),
    ])
    _name, content = next(v for v in console.emulator.files.values() if v[0].startswith("standup-U0BUYER"))
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("date,user_id,name,status,yesterday,today,blockers")
    assert lines[1].startswith("2026-11-23,U0BUYER,Chen Jie,answered,PO 4711,Book sea freight")


def test_a_300_person_team_gets_a_summary_within_slacks_limits(playbooks_dir: Path, database_url: str) -> None:
    team_file = playbooks_dir / "team.yml"
    people = "".join(f"  - {{user: U{n:04d}, name: Person {n}, country: CN}}\n" for n in range(300))
    text = team_file.read_text(encoding="utf-8")
    team_file.write_text(text.replace("members:\n", "members:\n" + people, 1), encoding="utf-8")
    from tests.conftest import MONDAY_9AM_SHENZHEN

    console = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        for n in range(12):  # a dozen blockers, more answers than fit in any one message
            console.user = f"U{n:04d}"
            console.send("/standup")
            console.send(f'!fill today="work {n}" yesterday="done" blockers="blocked on thing {n}"')
            console.send("!submit")
        console.send("!at 2026-11-23 11:00")
        summary = next(r for r in console.emulator.records if r.kind == "message" and r.channel == "C0OPS"
                       and not r.thread_ts)
        assert len(summary.blocks) <= 50
        assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in summary.blocks)
        # 308 people: Amy's, Klaus's and Sara's Friday rounds were before Opsbot started, never prompted.
        assert "✅ 12 answered" in str(summary.blocks) and "❔ 293 missing" in str(summary.blocks)
        assert sum(1 for r in console.emulator.records if r.kind == "message" and r.thread_ts) == 12
    finally:
        console.close()

