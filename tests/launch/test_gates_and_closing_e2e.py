"""Who may decide a gate, the no-go's audit trail, the manager's escalation, closing a finished launch."""

from __future__ import annotations

import json
from datetime import date

from bot.blocks.launch import add_launch_task_button, gate_blocks
from bot.console.session import ConsoleSlack
from bot.db import launch as store
from bot.i18n import translator
from tests.conftest import converse
from tests.launch.test_launch_e2e import start_launch


def audit_rows(console: ConsoleSlack, entity: str) -> list[tuple[str, str, str, str]]:
    """The audit trail: a record kept for later that no Slack surface shows, so read from its table."""
    with console.services.db.engine.connect() as connection:
        found = connection.exec_driver_sql(
            "select actor, from_state, to_state, note from audit_log where entity = ? order by id", (entity,)
        ).fetchall()
    return [tuple(r) for r in found]


def test_a_forged_no_go_from_someone_else_opens_nothing(console: ConsoleSlack) -> None:
    start_launch(console)
    # The forged gate names a go/no-go question by its id, as the real one does; the first one a launch asks is 1.
    value = json.dumps({"ask": 1})
    blocks = gate_blocks(translator("en"), "LED Desk Lamp", "Selection sign-off", [], value, date(2026, 12, 4))
    console.emulator._api_chat_postMessage({"channel": "C0PURCHASING", "text": "Go / no-go", "blocks": blocks})
    shown = converse(
        console,
        [
            (
                "!as U0BUYER\n!in C0PURCHASING\n!click No-go: hold the launch",
                ["only visible to Chen Jie", "Only the manager can decide go / no-go or move a launch."],
            ),
            ("!click Go: carry on with the launch", ["Only the manager can decide go / no-go or move a launch."]),
            # Nothing was decided: the gate is still open and nothing else is done.
            ("/launch status led-desk-lamp", ["LED Desk Lamp: 0/20 done, 20 open", "• Selection sign-off · @Li Wei"]),
        ],
    )
    assert "modal opened" not in shown and "Go for" not in shown and "No-go for" not in shown


def test_a_no_go_without_a_new_date_is_recorded_and_the_date_stays(launches_only: ConsoleSlack) -> None:
    console = launches_only
    start_launch(console)
    console.send("!at 2026-12-04 09:00")
    converse(
        console,
        [
            ("!as U0MANAGER\n!click 暂缓，先不推进", ["“暂缓”"]),
            (
                '!fill reason="Wait for the second sample" new_date=2027-02-01\n!submit',
                ["🔴 No-go for LED Desk Lamp, decided by @Li Wei: Wait for the second sample"],
            ),
        ],
    )
    assert audit_rows(console, "launch")[-1] == ("U0MANAGER", "active", "no-go", "Wait for the second sample")
    assert "moved from" not in str([r.text for r in console.emulator.records])
    converse(console, [("/launch list", ["*LED Desk Lamp*（`led-desk-lamp`）· 2027年2月1日"])])  # the date stays


def test_the_manager_is_mentioned_with_the_tasks_that_are_long_overdue(launches_only: ConsoleSlack) -> None:
    console = launches_only
    start_launch(console)
    late = console.send("!at 2026-12-02 09:00")
    escalation = late[late.index("⚠️ @Li Wei: tasks overdue for days need you.") :]
    assert "⬜ Market research and competitor analysis · @Zhang Min · *overdue* since Nov 27, 2026" in escalation


def test_a_finished_launch_closes_after_its_last_review(launches_only: ConsoleSlack) -> None:
    console = launches_only
    start_launch(console)
    # Every task done, straight in the store: ticking twenty tasks through their modals is other tests' subject.
    with console.services.db.transaction() as session:
        for task in store.tasks_of(session, store.active_launches(session, "shenzhen-ops")[0].id):
            task.state = "done"
    console.send("!at 2027-02-12 09:00")
    # Nothing left to nudge: no progress lines, but the T+7 review still comes.
    assert [r.text for r in console.emulator.records if "progress" in r.text or "review" in r.text] == ["T+7 review"]
    closing = console.send("!at 2027-02-15 09:00")
    assert "📈 T+14 review: LED Desk Lamp" in closing
    assert "🏁 LED Desk Lamp: every launch task is done; the launch is closed." in closing
    converse(console, [("!as U0BUYER\n/launch list", ["No active launches. Start one with /launch new."])])
    assert audit_rows(console, "launch")[-1] == ("opsbot", "active", "done", None)
    assert "Launch progress" not in console.send("!at 2027-02-16 09:00")


def test_the_add_task_button_picks_the_launch_that_sells_the_sku(console: ConsoleSlack) -> None:
    start_launch(console)
    button = add_launch_task_button(translator("zh-CN"), "led-100-eu", "德国买家说插头不对")
    console.emulator._api_chat_postMessage(
        {"channel": "C0MARKETING", "text": "feedback", "blocks": [{"type": "actions", "elements": [button]}]}
    )
    converse(
        console,
        [
            (
                "!as U0MANAGER\n!in C0MARKETING\n!click 添加上市任务",
                ["“添加上市任务”", "LED Desk Lamp", "德国买家说插头不对"],
            ),
            # The owner is a person, never a role key; the task goes to the phase picked, titled as the team reads it.
            (
                '!fill owner="Chen Jie" phase=采购与质检 due=2026-12-03\n!submit',
                ["⬜ 德国买家说插头不对 · @Chen Jie · Dec 3, 2026", "0/21 done"],
            ),
        ],
    )
