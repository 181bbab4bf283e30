"""Issue 18, item 5 — launches in each person's App Home: my tasks due this week or overdue with a tick that works
from there (the channel's checklist follows), the gates waiting for the manager's go / no-go with buttons that
work from there, the team's overdue tasks for the manager; kept current when a task is ticked, re-dated or
reassigned and when a gate is asked or decided, without anyone opening the tab. A forged tick changes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.blocks.launch_home import HOME_TICK
from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.db import launch as store
from bot.handlers import home, launch
from tests.conftest import MONDAY_9AM_SHENZHEN, converse
from tests.home.helpers import mark, published
from tests.launch.test_launch_e2e import checklist, start_launch
from tests.launch.test_task_changes_e2e import task

SAMPLING = "⬜ *LED Desk Lamp* · Supplier sampling · due Nov 25, 2026"


def redate_sampling(console: ConsoleSlack) -> None:
    """Chen Jie brings his supplier sampling forward to this week."""
    converse(console, [
        ("!as U0BUYER\n!click Supplier sampling", ["“Launch task”"]),
        ("!fill due=2026-11-25\n!submit", ["── App Home of Chen Jie", "Supplier sampling · due Nov 25, 2026"]),
    ])


def test_a_re_dated_task_appears_in_its_owners_home_and_is_ticked_from_there(console: ConsoleSlack) -> None:
    start_launch(console)
    converse(console, [("!as U0BUYER\n!home", ["── App Home of Chen Jie", "*Stand-up*"])])
    assert "Launches" not in console.send("!home")  # nothing of his is due this week yet
    before = mark(console)
    redate_sampling(console)
    homes = published(console, before)
    assert {"U0BUYER", "U0MANAGER"} <= set(homes)  # the owner and the manager, without opening the tab
    assert "Your launch tasks due this week or overdue:" in homes["U0BUYER"] and SAMPLING in homes["U0BUYER"]
    # The tick in Home: the sampling waits on the selection sign-off, so it asks first, as the checklist does.
    shown = console.send("!home")
    number = next(line for line in shown.splitlines() if "Done ✓" in line).split(":")[0].strip(" [")
    converse(console, [(f"!click {number}", ["“Open dependencies”", "Selection sign-off", "Tick anyway"])])
    before = mark(console)
    converse(console, [("!submit", ["#launch-led-desk-lamp · message updated", "── App Home of Chen Jie"])])
    assert "✅ Supplier sampling · <@U0BUYER>" in checklist(console)  # the channel's checklist followed
    ticked = task(console, "supplier-sampling")
    assert ticked is not None and (ticked.state, ticked.done_by) == ("done", "U0BUYER")
    assert "Supplier sampling" not in published(console, before)["U0BUYER"]


def test_a_reassigned_task_moves_to_the_new_owners_home(console: ConsoleSlack) -> None:
    start_launch(console)
    redate_sampling(console)
    before = mark(console)
    converse(console, [
        ("!click Supplier sampling", ["“Launch task”"]),
        ('!fill owner="Klaus Becker"\n!submit', ["── App Home of Klaus Becker"]),
    ])
    homes = published(console, before)
    assert "Supplier sampling · due Nov 25, 2026" in homes["U0WAREHOUSE"]
    assert "Supplier sampling" not in homes["U0BUYER"]


def test_a_forged_tick_from_home_changes_nothing(console: ConsoleSlack) -> None:
    start_launch(console)
    redate_sampling(console)
    sampling = task(console, "supplier-sampling")
    assert sampling is not None
    # Amy Lin replays Chen Jie's "Done" button with his task's id as her own click.
    action = {"type": "button", "action_id": HOME_TICK, "value": str(sampling.id), "action_ts": "1"}
    console.dispatch(payloads.block_action(user="U0MARKET", team="T0DEMO", action=action,
                                           container={"type": "view", "view_id": "V1"}, response_url=None))
    said = console.seat.new_output()
    assert "Only @Chen Jie (the task's owner) or the manager can update this task." in said
    kept = task(console, "supplier-sampling")
    assert kept is not None and kept.state == "open" and kept.done_by is None
    # A value that names no task is refused plainly, never "Something went wrong".
    action["value"] = "R-3"
    console.dispatch(payloads.block_action(user="U0BUYER", team="T0DEMO", action=action,
                                           container={"type": "view", "view_id": "V1"}, response_url=None))
    assert "That task no longer exists." in console.seat.new_output()


@pytest.fixture
def launch_homes(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    """App Home and launches only: the weeks up to the first gate without every other feature's jobs."""
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN,
                         features=(home.FEATURE, launch.FEATURE))
    try:
        yield slack
    finally:
        slack.close()


def test_a_gate_waits_in_the_managers_home_and_is_decided_from_there(launch_homes: ConsoleSlack) -> None:
    console = launch_homes
    start_launch(console)
    before = mark(console)
    converse(console, [("!at 2026-12-04 09:00", ["上市决策"])])  # the selection sign-off falls due
    homes = published(console, before)
    manager = homes["U0MANAGER"]  # published when the gate was asked, unopened; Li Wei reads Chinese
    assert "有 1 个关卡等你做上市决策：" in manager and "🚦 选品确认：LED Desk Lamp · 2026年12月4日 到期" in manager
    assert "[1: 通过，继续推进上市] [2: 暂缓，先不推进]" in manager
    # The team's overdue tasks on Dec 4: worked out here from the stored tasks, not read from the Home.
    with console.services.db.transaction() as session:
        late = [json.loads(t.title_json)["zh-CN"] for t in session.query(store.LaunchTask).all()
                if t.state != "done" and t.due < date(2026, 12, 4)]
    assert late and f"*团队* · {len(late)} 个上市任务已逾期：" in manager
    assert all(f"· {title} · @" in manager for title in late)
    # Zhang Min (not a manager) sees her own overdue task with its tick, and no gate.
    zhang = converse(console, [("!as U0SELECT\n!home", ["Market research and competitor analysis", "Done ✓"])])
    assert "Go:" not in zhang and "overdue" in zhang
    converse(console, [("!as U0MANAGER\n!home", ["[1: 通过，继续推进上市]"])])
    converse(console, [("!click 1", ["“有未完成的前置任务”", "仍然通过"])])  # Go from Home asks as Go anywhere
    before = mark(console)
    converse(console, [("!submit", ["#launch-led-desk-lamp", "── App Home of Li Wei"])])
    assert "关卡" not in published(console, before)["U0MANAGER"]
    with console.services.db.transaction() as session:
        asks = session.query(store.GateAsk).all()
        assert [(a.decision, a.decided_by) for a in asks] == [("go", "U0MANAGER")]


def test_moving_the_launch_re_dates_the_owners_homes(console: ConsoleSlack) -> None:
    start_launch(console)
    converse(console, [("!as U0SELECT\n!home", ["Market research and competitor analysis · due Nov 27, 2026"])])
    before = mark(console)
    converse(console, [("!as U0MANAGER\n/launch move led-desk-lamp 2027-03-01", ["#launch-led-desk-lamp"])])
    homes = published(console, before)
    assert {"U0SELECT", "U0BUYER", "U0MANAGER"} <= set(homes)  # every owner of an open task, unopened
    assert "Market research" not in homes["U0SELECT"]  # no longer due this week
