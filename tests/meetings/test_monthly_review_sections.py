"""The monthly review's agenda carries the goals feature's ``targets`` and ``diagnosis`` and the promo feature's
``promotions``: listed in the shipped meetings.yml, and shown in the agenda that actually goes out."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bot.console.session import ConsoleSlack
from tests.conftest import PLAYBOOKS, converse


def test_the_shipped_monthly_review_lists_targets_diagnosis_and_promotions() -> None:
    monthly = yaml.safe_load((PLAYBOOKS / "meetings.yml").read_text(encoding="utf-8"))["teams"]["shenzhen-ops"]
    sections = monthly["monthly"]["sections"]
    assert {"targets", "diagnosis", "promotions"} <= set(sections)
    assert sections.index("targets") < sections.index("diagnosis")  # the gap first, then its causes


def test_the_monthly_review_agenda_shows_targets_diagnosis_and_promotions(meeting_console: ConsoleSlack,
                                                                         tmp_path: Path) -> None:
    converse(meeting_console, [
        ("!as U0MARKET\n"
         "/promo new LED-100 US coupon 10% 2026-11-25..2026-11-27", ["P-1"]),
        # The monthly review is on Dec 1, the first workday; its agenda goes out the afternoon before.
        ("!at 2026-11-30 16:00", ["── #manager · Opsbot", "Monthly review · Dec 1, 2026",
                                  "*Targets for Nov 1, 2026–Nov 30, 2026*", "*Gaps and a first diagnosis*",
                                  "*Promotions*", "*P-1*"]),
    ])
    agenda = next(r for r in meeting_console.emulator.channel_messages("C0MANAGER")
                  if "Monthly review · Dec 1, 2026" in json.dumps(r.blocks, ensure_ascii=False))
    text = json.dumps(agenda.blocks, ensure_ascii=False)
    for heading in ("*Targets for Nov 1, 2026–Nov 30, 2026*", "*Gaps and a first diagnosis*", "*Promotions*"):
        assert heading in text, heading
    assert text.index("*Targets for") < text.index("*Gaps and a first diagnosis*")
    assert "*P-1*" in text.split("*Promotions*", 1)[1]
