"""The pinned checklist stays inside Slack's limits without hiding a task, in English and Chinese."""

from __future__ import annotations

from datetime import date

import pytest

from bot.blocks.launch import TASK_PICKED, TaskRow, checklist_blocks, progress_blocks
from bot.i18n import translator
from bot.ops.launch import BLOCKED, OPEN, Progress

TODAY = date(2026, 11, 23)
LONG_REASON = "The factory has not sent the QC report and the second sample is stuck in customs. " * 8


def rows(count: int, start: int = 0) -> list[TaskRow]:
    return [
        TaskRow(
            n,
            f"Task number {n} with a reasonably long title for the listing",
            "U0MARKET",
            date(2026, 12, 1),
            BLOCKED if n % 2 else OPEN,
            LONG_REASON if n % 2 else None,
            False,
            n == 0,
        )
        for n in range(start, start + count)
    ]


def menu_values(blocks: list[dict[str, object]]) -> list[str]:
    values = []
    for block in blocks:
        accessory = block.get("accessory")
        if isinstance(accessory, dict) and accessory["action_id"] == TASK_PICKED:
            values += [o["value"] for o in accessory["options"]]
    return values


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_sixty_tasks_in_one_phase_are_split_into_sections_and_none_is_hidden(locale: str) -> None:
    tr = translator(locale)
    blocks = checklist_blocks(
        tr,
        "Big one",
        date(2027, 6, 1),
        "Big",
        ["BIG-1"],
        ["US"],
        [("Everything", rows(60))],
        Progress(0, 60, 0, 30),
        TODAY,
    )
    assert len(blocks) <= 50
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    assert sorted(menu_values(blocks), key=int) == [str(n) for n in range(60)]  # every task has its menu entry
    assert all(len(b["accessory"]["options"]) <= 100 for b in blocks if "accessory" in b)
    continued = "(continued)" if locale == "en" else "（续）"
    assert any(continued in b["text"]["text"] for b in blocks if b["type"] == "section")


def test_sixty_one_task_phases_end_with_a_more_note_instead_of_failing() -> None:
    tr = translator("en")
    phases = [(f"Phase {n}", rows(1, n)) for n in range(60)]
    blocks = checklist_blocks(
        tr, "Big one", date(2027, 6, 1), "Big", ["BIG-1"], ["US"], phases, Progress(0, 60, 0, 30), TODAY
    )
    assert len(blocks) == 50
    assert "/launch status shows every open task" in blocks[-1]["elements"][0]["text"]


def test_the_escalation_names_the_overdue_tasks_and_the_manager() -> None:
    tr = translator("zh-CN")
    late = rows(12)
    blocks = progress_blocks(tr, "LED Desk Lamp", Progress(3, 20, 12, 6), 10, ["U0MANAGER"], late, TODAY)
    text = blocks[0]["text"]["text"]
    assert "<@U0MANAGER>" in text and "Task number 9 with a reasonably long title" in text
    assert "Task number 11" not in text and "另有 2 项。" in text
    quiet = progress_blocks(tr, "LED Desk Lamp", Progress(3, 20, 0, 0), 10, ["U0MANAGER"], [], TODAY)
    assert "<@U0MANAGER>" not in quiet[0]["text"]["text"]
