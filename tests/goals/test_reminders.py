"""A goal whose number its owner reports, with no report for the period the monthly review looks back on: a DM to
its owner at their own morning (never on their day off), before the review's agenda goes out on Mon Nov 30 at 16:00
Shenzhen; the agenda then says "not reported" for it, never 0."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.console.session import ConsoleSlack
from tests.conftest import MONDAY_9AM_SHENZHEN, Speakers, converse
from tests.goals.test_agenda import part

REVIEWS = {"id": "reviews", "role": "marketing", "kpi": "reported", "period": "monthly", "target": 40,
           "title": {"en": "Reviews answered", "zh-CN": "已回复的评价", "zh-TW": "已回覆的評論"}}
OWED = "Your number for the monthly review"


def with_reviews_goal(playbooks_dir: Path) -> None:
    path = playbooks_dir / "goals.yml"
    playbook = yaml.safe_load(path.read_text(encoding="utf-8"))
    playbook["goals"].append(REVIEWS)
    path.write_text(yaml.safe_dump(playbook, allow_unicode=True), encoding="utf-8")


def owed(shown: str, person: str) -> list[str]:
    """The reminders the person got in what the console showed (each message starts with its ── heading)."""
    return [block for block in shown.split("── ") if block.startswith(f"DM with {person}") and OWED in block]


def test_owners_of_unreported_numbers_are_reminded_before_the_agenda(playbooks_dir: Path,
                                                                      database_url: str) -> None:
    with_reviews_goal(playbooks_dir)
    console = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        shown = converse(console, [
            ("!at 2026-11-27 12:00", ["⏰"]),
            # Amy (Los Angeles) has no workday morning after Friday before the agenda (Mon 00:00 for her): Friday
            # 09:00 her time is Saturday 01:00 in Shenzhen.
            ("!at 2026-11-28 09:00", ["DM with Amy Lin", OWED, "*Reviews answered* (Nov 1, 2026–Nov 30, 2026)",
                                      "/goals report reviews <number>",
                                      "The monthly review's agenda goes out Nov 30, 2026 at", "PST"]),
            ("!at 2026-11-30 12:00", ["DM with Zhang Min", OWED,
                                      "*New suppliers audited* (Oct 1, 2026–Dec 31, 2026)",
                                      "/goals report new-suppliers <number>", "Nov 30, 2026 at", "CST"]),
            ("!as U0SELECT\n"
             "/goals report new-suppliers 5", ["Recorded for New suppliers audited."]),
        ])
        assert len(owed(shown, "Amy Lin")) == 1 and len(owed(shown, "Zhang Min")) == 1
        assert not any(owed(shown, person) for person in ("Chen Jie", "Li Wei", "Wang Fang"))
        # What the agenda going out at 16:00 holds: the number that came in, and "not reported" for the other.
        targets = part(console, "targets")
        assert targets is not None
        agenda = "\n".join(targets.lines)
        assert "*Reviews answered* · not reported yet for Nov 1, 2026–Nov 30, 2026" in agenda
        assert "*New suppliers audited* · 5 of 6" in agenda
        assert "Reviews answered* · 0" not in agenda
    finally:
        console.close()


def test_the_reminder_reads_in_chinese(speakers: Speakers, playbooks_dir: Path) -> None:
    with_reviews_goal(playbooks_dir)
    november = "2026年11月1日至2026年11月30日"
    readers = (("zh-CN", "每月归纳会要用的数字", f"*已回复的评价*（{november}）：/goals 上报 reviews <数字>",
                f"*已回复的评价* · {november} 尚未上报"),
               ("zh-TW", "每月歸納會要用的數字", f"*已回覆的評論*（{november}）：/goals 回報 reviews <數字>",
                f"*已回覆的評論* · {november} 尚未回報"))
    for language, heading, line, agenda in readers:
        console = speakers(language)
        shown = converse(console, [("!at 2026-11-30 12:00", [heading, line])])
        assert "Your number" not in shown and "monthly review" not in shown
        targets = part(console, "targets", locale=language.replace("-", "_"))
        assert targets is not None and agenda in "\n".join(targets.lines)
