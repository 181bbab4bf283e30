"""Issue 16, item 10 (and the gate DM of item 14): a go/no-go decision is made once, shown on every copy of the
question with who and when, told to anyone who clicks again — even at the same moment — and taken back only
by a manager who reopens it. Go checks the gate's open dependencies as a tick does.

Sara Kim (Berlin, English) is a second manager here, so the gate is asked in two DMs and the launch channel.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from babel.dates import format_datetime

from bot.console.session import ConsoleSlack
from bot.handlers import launch
from tests.conftest import MONDAY_9AM_SHENZHEN, converse
from tests.launch.conftest import press_later
from tests.launch.test_launch_e2e import start_launch

GATE_DAY = "!at 2026-12-04 09:00"  # the selection sign-off gate (T-40 workdays before Feb 1) falls due
DECIDED_AT = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, when the gate's question arrives


def when(zone: str, locale: str = "en") -> str:
    """The decision's moment as a reader in ``zone`` reads it: worked out here, not by Opsbot."""
    return str(format_datetime(DECIDED_AT.astimezone(ZoneInfo(zone)), "short", locale=locale))


@pytest.fixture
def two_managers(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    team = playbooks_dir / "team.yml"
    data = yaml.safe_load(team.read_text(encoding="utf-8"))
    for member in data["members"]:
        if member["user"] == "U0ANALYST":
            member["roles"] = ["analyst", "manager"]
    team.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    slack = ConsoleSlack(
        playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN, features=(launch.FEATURE,)
    )
    try:
        yield slack
    finally:
        slack.close()


def launch_channel(console: ConsoleSlack) -> str:
    return next(c.id for c in console.emulator.channels.values() if c.name == "launch-led-desk-lamp")


def posts(console: ConsoleSlack, snippet: str) -> int:
    return sum(snippet in r.text for r in console.emulator.records if r.kind == "message")


def test_the_gate_dm_lists_only_what_the_gate_waits_on(two_managers: ConsoleSlack) -> None:
    console = two_managers
    start_launch(console)
    asked = console.send(GATE_DAY)
    sara = next(part for part in asked.split("── ") if part.startswith("DM with Sara Kim") and "══ 🚦" in part)
    assert "🚦 Selection sign-off: LED Desk Lamp" in sara
    assert "This gate waits on 1 open task:" in sara and "Market research and competitor analysis" in sara
    assert "Supplier sampling" not in sara  # the rest of the launch is not this gate's business
    # The buttons say what they do (issue 15: the Chinese Go said 上市, "launch", at a selection sign-off).
    assert ": Go: carry on with the launch]" in sara and ": No-go: hold the launch]" in sara
    li = next(part for part in asked.split("── ") if part.startswith("DM with Li Wei") and "══ 🚦" in part)
    assert ": 通过，继续推进上市]" in li and ": 暂缓，先不推进]" in li and ": 上市]" not in li
    channel = asked[asked.index("── #launch-led-desk-lamp · Opsbot\n  ══ 🚦") :]
    assert ": Go: carry on with the launch]" in channel


def test_go_checks_the_gates_dependencies_then_every_copy_shows_the_decision(two_managers: ConsoleSlack) -> None:
    console = two_managers
    start_launch(console)
    console.send(GATE_DAY)
    sara_later = press_later(console, "U0ANALYST", "Go: carry on with the launch")
    shown = converse(
        console,
        [
            # Market research is still open: Go asks first, exactly as ticking a task with open dependencies does.
            (
                "!as U0MANAGER\n!click 通过，继续推进上市",
                ["modal opened for Li Wei: “有未完成的前置任务”", "• 市场调研与竞品分析", "仍然决定通过吗？"],
            ),
            (
                "!submit",
                [
                    "🟢 Go for LED Desk Lamp, decided by @Li Wei.",
                    "✅ 🚦 Selection sign-off",
                    # every copy: the channel's in the team's English and Shanghai time, each DM in its reader's
                    "── #launch-led-desk-lamp · message updated\n  ══ 🚦 Selection sign-off: LED Desk Lamp ══\n"
                    f"  🟢 Go, decided by @Li Wei on {when('Asia/Shanghai')}.",
                    f"── DM with Sara Kim · message updated\n  ══ 🚦 Selection sign-off: LED Desk Lamp ══\n"
                    f"  🟢 Go, decided by @Li Wei on {when('Europe/Berlin')}.",
                    f"🟢 已通过，由 @Li Wei 于 {when('Asia/Shanghai', 'zh_CN')} 决定。",
                ],
            ),
        ],
    )
    assert "Go: carry on with the launch" not in shown.split("» !submit")[1]  # no copy keeps its buttons
    # Sara's screen had not refreshed: her click is told what was decided, and decides nothing.
    second = sara_later()
    assert f"only visible to Sara Kim\n  Already decided: go, by @Li Wei on {when('Europe/Berlin')}." in second
    assert posts(console, "Go for LED Desk Lamp") == 1


def test_two_managers_clicking_go_at_once_decide_once(two_managers: ConsoleSlack) -> None:
    console = two_managers
    start_launch(console)
    converse(
        console,
        [
            ("!as U0SELECT\n!click Market research and competitor analysis", ["“Launch task”"]),
            ("!fill state=Done\n!submit", ["✅ Market research and competitor analysis"]),
        ],
    )
    asked = console.send(GATE_DAY)
    assert "Everything this gate depends on is done." in asked
    presses = [
        press_later(console, "U0MANAGER", "通过，继续推进上市"),
        press_later(console, "U0ANALYST", "Go: carry on with the launch"),
    ]
    start = threading.Barrier(2)
    shown: list[str] = []

    def click(press: object) -> None:
        start.wait()
        shown.append(press())  # type: ignore[operator]

    threads = [threading.Thread(target=click, args=(press,)) for press in presses]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    everything = "\n".join(shown) + console.seat.new_output()
    assert posts(console, "Go for LED Desk Lamp") == 1
    told = [
        r.text
        for r in console.emulator.records
        if r.kind == "ephemeral" and ("Already decided" in r.text or "已经决定过了" in r.text)
    ]
    assert len(told) == 1, everything
    decisions = (
        console.services.db.engine.connect()
        .exec_driver_sql("select decision, decided_by from launch_gate_asks")
        .fetchall()
    )
    assert len(decisions) == 1 and decisions[0][0] == "go"


def test_no_go_is_final_until_a_manager_reopens_it(two_managers: ConsoleSlack) -> None:
    console = two_managers
    start_launch(console)
    console.send(GATE_DAY)
    li_go_later = press_later(console, "U0MANAGER", "通过，继续推进上市")
    converse(
        console,
        [
            ("!as U0ANALYST\n!in U0ANALYST\n!click No-go: hold the launch", ["modal opened for Sara Kim: “No-go”"]),
            (
                '!fill reason="Second sample still has the <b>flicker</b>"\n!submit',
                [
                    "🔴 No-go for LED Desk Lamp, decided by @Sara Kim: Second sample still has the <b>flicker</b>",
                    f"🔴 No-go, decided by @Sara Kim on {when('Europe/Berlin')}: Second sample still has",
                    ": Reopen the decision]",
                ],
            ),
        ],
    )
    assert "已经决定过了：@Sara Kim 于" in li_go_later()
    converse(
        console,
        [
            # Only a manager reopens; anyone else is refused and every copy keeps the decision.
            ("!as U0BUYER\n!in C0OPS\n/launch status led-desk-lamp", ["Selection sign-off"]),
            (
                f"!in {launch_channel(console)}\n!click Reopen the decision",
                ["only visible to Chen Jie", "Only the manager can reopen a go / no-go decision."],
            ),
            (
                "!as U0MANAGER\n!click Reopen the decision",
                [
                    "🚦 @Li Wei reopened the decision on Selection sign-off for LED Desk Lamp.",
                    "── DM with Sara Kim · message updated",
                    ": Go: carry on with the launch] [",
                    ": No-go: hold the launch]",
                ],
            ),
            ("!in U0MANAGER\n!click 通过，继续推进上市", ["“有未完成的前置任务”"]),
            ("!submit", ["🟢 Go for LED Desk Lamp, decided by @Li Wei."]),
        ],
    )
    audit = (
        console.services.db.engine.connect()
        .exec_driver_sql("select actor, from_state, to_state from audit_log where entity = 'launch' order by id")
        .fetchall()
    )
    assert [tuple(r) for r in audit][-3:] == [
        ("U0ANALYST", "active", "no-go"),
        ("U0MANAGER", "no-go", "reopened"),
        ("U0MANAGER", "active", "go"),
    ]


def test_a_decided_gate_is_not_undone_from_the_checklist_menu(two_managers: ConsoleSlack) -> None:
    console = two_managers
    start_launch(console)
    console.send(GATE_DAY)
    converse(
        console,
        [
            ("!as U0ANALYST\n!in U0ANALYST\n!click Go: carry on with the launch", ["“Open dependencies”"]),
            ("!submit", ["🟢 Go for LED Desk Lamp, decided by @Sara Kim."]),
            # Reopening is explicit: the checklist's menu does not quietly take the decision back.
            (f"!in {launch_channel(console)}\n!click Selection sign-off", ["“Launch task”", "✎ State: Done"]),
            (
                '!fill state="Not done yet"\n!submit',
                ["✗ state: This gate is decided with Go / No-go in its question, not here."],
            ),
        ],
    )
