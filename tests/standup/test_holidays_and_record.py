"""Issue 16, stand-ups 1, 2, 8 and 9: the record a manager relies on stays whole across holidays on one side,
late edits, the day Opsbot arrived, and in history and export — with a frozen clock, through the terminal Slack.

The team sits in Shenzhen (Asia/Shanghai; China's National Day week 2026 is 1-7 October, Saturday 10 October a
make-up workday); Klaus is in Berlin (CEST until 25 October, then CET), Amy in Los Angeles. `!at` is Shenzhen time.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.console.session import ConsoleSlack
from bot.handlers import standup
from tests.conftest import converse

SHANGHAI, BERLIN = ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin")


def standup_console(playbooks_dir: Path, database_url: str, start: datetime) -> ConsoleSlack:
    return ConsoleSlack(
        playbooks_dir=playbooks_dir, database_url=database_url, start=start, features=(standup.FEATURE,)
    )


def answer(user: str, today: str, yesterday: str = "done", blockers: str = "") -> str:
    extra = f' blockers="{blockers}"' if blockers else ""
    return f'!as {user}\n/standup\n!fill today="{today}" yesterday="{yesterday}"{extra}\n!submit'


def test_national_day_week_berlin_and_los_angeles_answers_reach_the_channel(
    playbooks_dir: Path, database_url: str
) -> None:
    """1. A summary for every day anyone works; a blocker is seen un-escalated first; no answer left out."""
    console = standup_console(playbooks_dir, database_url, datetime(2026, 9, 30, 1, 0, tzinfo=UTC))
    try:
        converse(
            console,
            [
                # Thursday 1 October: a holiday in Shenzhen, a workday in Berlin (09:30 CEST = 15:30 Shenzhen).
                ("!at 2026-10-01 15:30", ["DM with Klaus Becker", "Time for your stand-up for Thursday, October 1"]),
                (answer("U0WAREHOUSE", "Pack pallet 7 for FBA"), ["your stand-up for Thursday, October 1, 2026 is in"]),
                # Thursday 09:30 in Los Angeles is Friday 00:30 in Shenzhen.
                ("!at 2026-10-02 00:30", ["DM with Amy Lin", "Thursday, October 1, 2026"]),
                (answer("U0MARKET", "Brief the DE agency"), ["your stand-up for Thursday, October 1, 2026 is in"]),
                # Friday 11:00 Shenzhen: still National Day, yet Berlin's and LA's Thursday are posted.
                (
                    "!at 2026-10-02 11:00",
                    [
                        "#ops · Opsbot",
                        "Stand-up · Friday, October 2, 2026",
                        "✅ 2 answered",
                        "*Klaus Becker* · Thursday, October 1, 2026",
                        "Pack pallet 7 for FBA",
                        "*Amy Lin* · Thursday, October 1, 2026",
                        "Brief the DE agency",
                    ],
                ),
                ("!at 2026-10-05 15:30", ["DM with Klaus Becker", "Monday, October 5, 2026"]),
                (
                    answer("U0WAREHOUSE", "Chase the broker", blockers="Customs papers for pallet 7 missing"),
                    ["Monday, October 5, 2026 is in"],
                ),
            ],
        )
        tuesday = console.send("!at 2026-10-06 11:00")
        assert "Customs papers for pallet 7 missing — @Klaus Becker · open 1 workday" in tuesday
        assert "Open too long" not in tuesday  # first seen un-escalated
        wednesday = console.send("!at 2026-10-07 11:00")
        assert "open 2 workdays" in wednesday and "Open too long: @Li Wei, please help." in wednesday

        # Klaus answers Thursday 8 October; Opsbot is then down until the make-up Saturday morning, past the
        # grace of Friday's summary. Saturday's summary carries Klaus's Thursday answer: none is left out.
        converse(
            console,
            [
                ("!at 2026-10-08 15:30", ["DM with Klaus Becker", "Thursday, October 8, 2026"]),
                (answer("U0WAREHOUSE", "Count returns in Leipzig"), ["Thursday, October 8, 2026 is in"]),
            ],
        )
        console.clock.set(datetime(2026, 10, 10, 9, 0, tzinfo=SHANGHAI))
        console.services.scheduler.tick()
        saturday = converse(
            console,
            [
                ("!at 2026-10-10 09:30", ["DM with Chen Jie", "Saturday, October 10, 2026"]),  # 调休: China works
                (
                    "!at 2026-10-10 11:00",
                    [
                        "Stand-up · Saturday, October 10, 2026",
                        "*Klaus Becker* · Thursday, October 8, 2026",
                        "Count returns in Leipzig",
                    ],
                ),
            ],
        )
        assert "Missing: @Klaus Becker" not in saturday  # his Friday was never prompted: Opsbot was down
    finally:
        console.close()


def test_an_on_time_answer_edited_after_the_summary_is_only_edited(console: ConsoleSlack) -> None:
    """2. Lateness is judged by the first submission."""
    converse(
        console,
        [
            ("!at 2026-11-23 09:45", ["DM with Chen Jie"]),
            (answer("U0BUYER", "Call the LED-100 supplier"), ["Monday, November 23, 2026 is in"]),
            ("!at 2026-11-23 11:00", ["*Chen Jie* · Monday, November 23, 2026", "Call the LED-100 supplier"]),
            ("!at 2026-11-23 14:00\n!click Edit my answers", ["modal opened for Chen Jie"]),
        ],
    )
    edited = console.send('!fill today="Call the LED-100 supplier and book freight"') + console.send("!submit")
    assert "message updated in thread" in edited and "book freight" in edited and "edited" in edited
    assert "answered late" not in edited


def test_no_missing_for_days_never_prompted_and_missing_is_mentioned_once_a_week(
    playbooks_dir: Path, database_url: str
) -> None:
    """8. Opsbot starts on Monday 12 October at 11:45, after the 09:30 prompts; its first tick posts the 11:00
    summary late (within grace), for rounds nobody was prompted for."""
    console = standup_console(playbooks_dir, database_url, datetime(2026, 10, 12, 11, 45, tzinfo=SHANGHAI))
    try:
        console.services.scheduler.tick()
        first = converse(
            console,
            [
                ("!at 2026-10-12 11:50", ["Stand-up · Monday, October 12, 2026", "❔ 0 missing"]),
            ],
        )
        assert "Missing:" not in first
        converse(
            console,
            [
                # Amy's Monday 12 October is Columbus Day in the US: a day off for her, not a round.
                (
                    "!at 2026-10-13 11:00",
                    [
                        "Stand-up · Tuesday, October 13, 2026",
                        "❔ 7 missing",
                        "💤 1 day off",
                        "Missing: @Li Wei, @Zhang Min, @Chen Jie, @Wang Fang",
                    ],
                ),
                # Wednesday: the same people are named plainly, without notifying them again; Amy is new to it.
                (
                    "!at 2026-10-14 11:00",
                    [
                        "Stand-up · Wednesday, October 14, 2026",
                        "❔ 8 missing",
                        "Missing: Li Wei, Zhang Min, Chen Jie, @Amy Lin (Oct 13, 2026), Wang Fang",
                    ],
                ),
                (
                    "!at 2026-10-16 11:00",
                    [
                        "Stand-up · Friday, October 16, 2026",
                        "Missing: Li Wei, Zhang Min, Chen Jie, Amy Lin (Oct 15, 2026)",
                    ],
                ),
                # A week after the first mention, they are mentioned again (Amy's was six days ago: not yet).
                (
                    "!at 2026-10-20 11:00",
                    [
                        "Stand-up · Tuesday, October 20, 2026",
                        "Missing: @Li Wei, @Zhang Min, @Chen Jie, Amy Lin (Oct 19, 2026), @Wang Fang",
                    ],
                ),
            ],
        )
    finally:
        console.close()


def test_history_and_export_show_missed_and_away_days_in_the_readers_zone_across_dst(
    playbooks_dir: Path, database_url: str
) -> None:
    """9. Klaus answers at 09:40 Berlin on Friday 23 October (CEST) and Monday 26 October (CET), misses
    Thursday 22 October, is away on Tuesday 27 October. Li Wei reads in Shanghai, Klaus in Berlin."""
    console = standup_console(playbooks_dir, database_url, datetime(2026, 10, 22, 0, 0, tzinfo=UTC))
    friday = datetime(2026, 10, 23, 9, 40, tzinfo=BERLIN)
    monday = datetime(2026, 10, 26, 9, 40, tzinfo=BERLIN)
    try:
        converse(
            console,
            [
                ("!at 2026-10-22 15:30", ["DM with Klaus Becker", "Thursday, October 22, 2026"]),
                (
                    f"!at {friday.astimezone(SHANGHAI):%Y-%m-%d %H:%M}\n" + answer("U0WAREHOUSE", "Pack pallet 8"),
                    ["Friday, October 23, 2026 is in"],
                ),
                (
                    f"!at {monday.astimezone(SHANGHAI):%Y-%m-%d %H:%M}\n" + answer("U0WAREHOUSE", "Count returns"),
                    ["Monday, October 26, 2026 is in"],
                ),
                ("/standup ooo 2026-10-27..2026-10-27 dentist", ["Away from"]),
                ("!at 2026-10-28 18:00", ["DM with Klaus Becker"]),
            ],
        )
        # Times in the reader's zone, computed here independently: Li Wei reads in Shanghai (and in Chinese,
        # his Slack's language, which names the zone in words, not CST), Klaus in Berlin (CLDR puts a narrow
        # no-break space before AM/PM).
        in_shanghai = [f"{t.astimezone(SHANGHAI):%Y/%m/%d %H:%M} 中国标准时间" for t in (friday, monday)]
        assert in_shanghai == ["2026/10/23 15:40 中国标准时间", "2026/10/26 16:40 中国标准时间"]
        converse(
            console,
            [
                (
                    "!as U0MANAGER\n/standup history <@U0WAREHOUSE> 2026-10-22..2026-10-28",
                    [
                        "Klaus Becker 的晨会记录",
                        "*2026年10月22日星期四* · 未填",
                        f"*2026年10月23日星期五* · 已填 · 提交于 {in_shanghai[0]}",
                        f"*2026年10月26日星期一* · 已填 · 提交于 {in_shanghai[1]}",
                        "*2026年10月27日星期二* · 休假",
                        "dentist",
                        "*2026年10月28日星期三* · 未填",
                    ],
                ),
                (
                    "!as U0WAREHOUSE\n/standup history 2026-10-22..2026-10-28",
                    [f"at {friday:%-m/%-d/%y, %-I:%M}\u202fAM CEST", f"at {monday:%-m/%-d/%y, %-I:%M}\u202fAM CET"],
                ),
            ],
        )
        # The whole team's export, with mood, is the manager's; Klaus gets only his own.
        converse(
            console,
            [
                (
                    "!as U0WAREHOUSE\n/standup export 2026-10-22..2026-10-28",
                    ["your own stand-ups", "standup-U0WAREHOUSE-"],
                ),
                (
                    "!as U0MANAGER\n/standup export 2026-10-22..2026-10-28",
                    ["📎 standup-shenzhen-ops-2026-10-22-2026-10-28.csv", "已发到你和 Opsbot 的私信里"],
                ),
            ],
        )
        files = {name: content.decode("utf-8-sig") for name, content in console.emulator.files.values()}
        own = list(csv.DictReader(io.StringIO(files["standup-U0WAREHOUSE-2026-10-22-2026-10-28.csv"])))
        assert {row["user_id"] for row in own} == {"U0WAREHOUSE"}
        assert [(row["date"], row["status"]) for row in own] == [
            ("2026-10-22", "missed"),
            ("2026-10-23", "answered"),
            ("2026-10-26", "answered"),
            ("2026-10-27", "away"),
            ("2026-10-28", "missed"),
        ]
        assert own[1]["submitted_at"] == friday.isoformat() and own[2]["submitted_at"] == monday.isoformat()
        # Li Wei reads Chinese: the whole team's export is headed in his words (tests/i18n/test_csv_in_chinese.py).
        team = list(csv.DictReader(io.StringIO(files["standup-shenzhen-ops-2026-10-22-2026-10-28.csv"])))
        assert "心情" in team[0] and {row["成员 ID"] for row in team} > {"U0WAREHOUSE", "U0BUYER"}
        klaus = next(r for r in team if r["成员 ID"] == "U0WAREHOUSE" and r["日期"] == "2026-10-23")
        assert klaus["提交时间"] == friday.astimezone(SHANGHAI).isoformat()
        assert datetime.fromisoformat(klaus["提交时间"]).utcoffset() == timedelta(hours=8)
    finally:
        console.close()
