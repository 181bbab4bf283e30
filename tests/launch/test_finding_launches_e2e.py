"""Issue 16, item 14: a move to the date a launch already has says so; a name Opsbot does not know gets an answer
with the names it does know that look alike; a closed launch stays findable."""

from __future__ import annotations

from bot.console.session import ConsoleSlack
from bot.db import launch as store
from tests.conftest import converse
from tests.launch.test_launch_e2e import start_launch


def test_moving_to_the_same_date_says_nothing_changed(console: ConsoleSlack) -> None:
    start_launch(console)
    before = len(console.emulator.records)
    converse(
        console,
        [
            (
                "!as U0MANAGER\n/launch move led-desk-lamp 2027-02-01",
                ["LED Desk Lamp 的上市日期本来就是 2027年2月1日，没有改动。"],
            ),
        ],
    )
    # Nothing posted in the launch channel, nothing recorded.
    assert not any(r.kind == "message" and "moved from" in r.text for r in console.emulator.records[before:])
    audit = (
        console.services.db.engine.connect()
        .exec_driver_sql("select count(*) from audit_log where entity = 'launch' and note like 'moved%'")
        .scalar()
    )
    assert audit == 0


def test_an_unknown_launch_is_said_to_be_unknown_with_close_names(console: ConsoleSlack) -> None:
    start_launch(console)
    shown = converse(
        console,
        [
            (
                "!as U0BUYER\n/launch status led-desk-lmap",
                ["I don't know a launch called led-desk-lmap. Did you mean led-desk-lamp?"],
            ),
            ("/launch status desk-fan", ["I don't know a launch called desk-fan. /launch list shows the active ones"]),
        ],
    )
    assert "Launches" not in shown.split("desk-fan")[-1]  # not the list of launches passed off as an answer


def test_a_closed_launch_stays_findable(console: ConsoleSlack) -> None:
    start_launch(console)
    with console.services.db.transaction() as session:
        launch = store.active_launches(session, "shenzhen-ops")[0]
        for task in store.tasks_of(session, launch.id):
            task.state = "done"
        launch.state = "done"  # as the morning after its T+14 review leaves it
    converse(
        console,
        [
            ("!as U0BUYER\n/launch list", ["No active launches. Start one with /launch new."]),
            ("/launch list closed", ["Closed launches", "🏁 *LED Desk Lamp* (`led-desk-lamp`) · launched Feb 1, 2027"]),
            ("/launch status led-desk-lamp", ["LED Desk Lamp: closed, 20/20 done", "Every task is done."]),
            ("!as U0MANAGER\n/launch move led-desk-lamp 2027-03-01", ["LED Desk Lamp 已结束，日期不再调整。"]),
        ],
    )
