"""A company day off on the Monday of the weekly meeting: the meeting moves to Tuesday, its agenda goes out on the
Monday afternoon (a day before the day it is held), and what is recorded on Tuesday lands in that meeting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.console.session import ConsoleSlack
from tests.conftest import MONDAY_9AM_SHENZHEN, converse


@pytest.fixture
def day_off_monday(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    team = playbooks_dir / "team.yml"
    data = yaml.safe_load(team.read_text(encoding="utf-8"))
    data["extra_holidays"] = ["2026-11-30"]
    team.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        yield slack
    finally:
        slack.close()


def agendas(console: ConsoleSlack) -> list[str]:
    return [r.blocks[0]["text"]["text"] for r in console.emulator.channel_messages("C0OPS")
            if r.blocks and r.blocks[0].get("type") == "header" and "Weekly meeting" in r.blocks[0]["text"]["text"]]


def test_a_holiday_moves_the_weekly_meeting_and_its_agenda(day_off_monday: ConsoleSlack) -> None:
    console = day_off_monday
    console.send("!at 2026-11-29 20:00")
    assert agendas(console) == []  # not on Sunday: the meeting is no longer on Monday
    converse(console, [
        ("!as U0BUYER\n"
         "/agenda show", ["Weekly meeting · Dec 1, 2026", "Tuesday, December 1, 2026, 10:00\u202fAM–11:00\u202fAM"]),
        ("!at 2026-11-30 16:00", ["── #ops · Opsbot", "Weekly meeting · Dec 1, 2026"]),
    ])
    assert agendas(console) == ["Weekly meeting · Dec 1, 2026"]
    converse(console, [
        ("!at 2026-12-01 10:05\n"
         "/decision Ship the DE stock by sea", ["Decision recorded in the Weekly meeting of Dec 1, 2026."]),
    ])
