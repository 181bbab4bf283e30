"""Issue 16, item 11: a launch date that leaves too little time is caught. The form says how many tasks would start
overdue and offers to compress the plan (offsets scaled into the time left, order and dependencies kept) or keep
the date; /launch move does the same. Today is Mon 2026-11-23 in Shenzhen."""

from __future__ import annotations

from datetime import date

import yaml

from bot.console.session import ConsoleSlack
from bot.db import launch as store
from tests.conftest import PLAYBOOKS, converse
from tests.launch.calendar import workdays_back, workdays_from
from tests.launch.test_launch_e2e import start_launch

TODAY = date(2026, 11, 23)
SOON = date(2027, 1, 4)
NEW_SOON = (
    '!fill name="Desk Fan" skus="FAN-1" marketplaces=US launch_date=2027-01-04 playbook=standard '
    'channel="Use this channel"'
)


def standard_offsets() -> dict[str, int]:
    """T-k of each standard-playbook task before launch day, in workdays, read from the playbook file."""
    book = yaml.safe_load((PLAYBOOKS / "launch" / "standard.yml").read_text(encoding="utf-8"))
    return {
        t["id"]: int(t["due"][1:] or 0)
        for p in book["phases"]
        for t in p["tasks"]
        if t.get("unit", book["unit"]) == "workdays"
    }


def expected_late_and_left() -> tuple[int, int]:
    offsets = standard_offsets()
    return sum(workdays_back(SOON, -k) < TODAY for k in offsets.values() if k < 0), workdays_from(TODAY, SOON)


def launch_tasks(console: ConsoleSlack, name: str) -> dict[str, tuple[date, tuple[str, ...]]]:
    with console.services.db.transaction() as session:
        launch = store.find_launch(session, "shenzhen-ops", name)
        assert launch is not None
        return {t.key: (t.due, t.as_state().depends_on) for t in store.tasks_of(session, launch.id)}


def test_a_new_launch_too_soon_shows_how_many_tasks_start_overdue_and_compresses(console: ConsoleSlack) -> None:
    late, left = expected_late_and_left()
    assert late > 0  # the scenario is what it says
    converse(
        console,
        [
            ("!as U0SELECT\n/launch new", ["“New launch”"]),
            (
                NEW_SOON + "\n!submit",
                [
                    "modal updated for Zhang Min: “Too little time”",
                    f"{late} of 20 tasks would start overdue: the plan needs 45 workdays before launch day and "
                    f"{left} are left.",
                    "✎ Plan: Compress the plan into the time left",
                ],
            ),
            ("!submit", ["🚀 Launch: Desk Fan · Jan 4, 2027", "0/20 done · 0 overdue"]),
        ],
    )
    tasks = launch_tasks(console, "desk-fan")
    for key, k in standard_offsets().items():
        squeezed = (-k * left) // 45 if k < 0 else 0
        assert tasks[key][0] == (workdays_back(SOON, squeezed) if k < 0 else tasks[key][0]), key
    assert all(due >= TODAY for due, _ in tasks.values())
    # Dependencies and order hold: nothing is due before what it depends on.
    assert all(tasks[d][0] <= due for due, needs in tasks.values() for d in needs)


def test_keeping_the_date_keeps_the_plan_and_its_overdue_tasks(console: ConsoleSlack) -> None:
    late, _ = expected_late_and_left()
    converse(
        console,
        [
            ("!as U0SELECT\n/launch new", ["“New launch”"]),
            (NEW_SOON + "\n!submit", ["“Too little time”"]),
            (
                '!fill plan="Keep the plan: those tasks start overdue"\n!submit',
                ["🚀 Launch: Desk Fan · Jan 4, 2027", f"0/20 done · {late} overdue"],
            ),
        ],
    )
    tasks = launch_tasks(console, "desk-fan")
    assert tasks["market-research"][0] == workdays_back(SOON, 45)


def test_moving_a_launch_too_close_asks_and_compresses(console: ConsoleSlack) -> None:
    start_launch(console)
    left = workdays_from(TODAY, SOON)
    late = sum(workdays_back(SOON, -k) < TODAY for k in standard_offsets().values() if k < 0)
    converse(
        console,
        [
            (
                "!as U0MANAGER\n/launch move led-desk-lamp 2027-01-04",
                [
                    f"把 LED Desk Lamp 改到 2027年1月4日：20 个任务中有 {late} 个一开始就会逾期",
                    f"现在只剩 {left} 个",
                    ": 压缩计划]",
                    ": 保留日期，任务直接逾期]",
                ],
            ),
        ],
    )
    assert launch_tasks(console, "led-desk-lamp")["market-research"][0] == date(2026, 11, 27)  # nothing moved yet
    converse(
        console,
        [
            (
                "!click 压缩计划",
                [
                    "📅 LED Desk Lamp moved from Feb 1, 2027 to Jan 4, 2027 by @Li Wei",
                    "LED Desk Lamp 的上市日期改为 2027年1月4日。",
                ],
            ),
        ],
    )
    tasks = launch_tasks(console, "led-desk-lamp")
    assert all(due >= TODAY for due, _ in tasks.values())
    assert tasks["market-research"][0] == workdays_back(SOON, (45 * left) // 45)
    assert all(tasks[d][0] <= due for due, needs in tasks.values() for d in needs)


def test_a_forged_move_choice_from_someone_else_moves_nothing(console: ConsoleSlack) -> None:
    start_launch(console)
    converse(
        console,
        [
            ("!as U0MANAGER\n/launch move led-desk-lamp 2027-01-04", [": 压缩计划]"]),
        ],
    )
    # The choice arrives in a channel Chen Jie can see, as a forged copy of the manager's private one.
    private = next(r for r in reversed(console.emulator.records) if r.kind == "ephemeral" and r.blocks)
    console.emulator._api_chat_postMessage({"channel": "C0OPS", "text": "move", "blocks": private.blocks})
    converse(
        console,
        [
            ("!as U0BUYER\n!in C0OPS\n!click 压缩计划", ["Only the manager can decide go / no-go or move a launch."]),
        ],
    )
    assert launch_tasks(console, "led-desk-lamp")["market-research"][0] == date(2026, 11, 27)


def test_a_no_go_that_moves_too_close_asks_the_manager_and_keeping_keeps_the_plan(launches_only: ConsoleSlack) -> None:
    console = launches_only
    start_launch(console)
    console.send("!at 2026-12-04 09:00")  # the selection sign-off gate asks Li Wei
    today = date(2026, 12, 4)
    late = sum(
        workdays_back(SOON, -k) < today and key not in ("selection-signoff",)
        for key, k in standard_offsets().items()
        if k < 0
    )
    converse(
        console,
        [
            ("!as U0MANAGER\n!in U0MANAGER\n!click 暂缓，先不推进", ["“暂缓”"]),
            (
                '!fill reason="Sample late" new_date=2027-01-04\n!submit',
                [
                    "🔴 No-go for LED Desk Lamp, decided by @Li Wei: Sample late",
                    "── DM with Li Wei · Opsbot",
                    "把 LED Desk Lamp 改到 2027年1月4日：",
                    ": 保留日期，任务直接逾期]",
                ],
            ),
            ("!click 保留日期，任务直接逾期", ["📅 LED Desk Lamp moved from Feb 1, 2027 to Jan 4, 2027 by @Li Wei"]),
        ],
    )
    tasks = launch_tasks(console, "led-desk-lamp")
    assert tasks["market-research"][0] == workdays_back(SOON, 45)  # the plan kept, its early tasks overdue
    assert sum(due < today for key, (due, _) in tasks.items() if key != "selection-signoff") == late
