"""Launches as the team runs them, through the terminal Slack with a frozen clock (Mon 2026-11-23)."""

from __future__ import annotations

from pathlib import Path

from bot.console.session import ConsoleSlack
from tests.conftest import MONDAY_9AM_SHENZHEN, converse

NEW = (
    '!fill name="LED Desk Lamp" skus="LED-100, LED-100-EU" marketplaces=US,DE launch_date=2027-02-01 playbook=standard'
)


def start_launch(console: ConsoleSlack) -> str:
    return converse(
        console,
        [
            ("!as U0SELECT\n/launch new", ["modal opened for Zhang Min: “New launch”", "✎ Playbook: Standard launch"]),
            (
                NEW + "\n!submit",
                [
                    "channel #launch-led-desk-lamp created",
                    "── #launch-led-desk-lamp · Opsbot",
                    "🚀 Launch: LED Desk Lamp · Feb 1, 2027",
                    "0/20 done",
                    "⬜ Supplier sampling · @Chen Jie · Dec 8, 2026",
                    "message pinned",
                    "LED Desk Lamp is set up in #launch-led-desk-lamp.",
                ],
            ),
        ],
    )


def checklist(console: ConsoleSlack) -> str:
    latest = [r for r in console.emulator.records if r.kind in ("message", "update") and r.text == "LED Desk Lamp"]
    return str(latest[-1].blocks)


def test_a_launch_from_playbook_to_ticks_with_owners_and_a_refusal(console: ConsoleSlack) -> None:
    start_launch(console)
    channel = next(c for c in console.emulator.channels.values() if c.name == "launch-led-desk-lamp")
    assert {"U0SELECT", "U0BUYER", "U0MARKET", "U0MANAGER", "U0WAREHOUSE"} <= channel.members
    converse(
        console,
        [
            ("!click Market research and competitor analysis", ["modal opened for Zhang Min: “Launch task”"]),
            (
                "!fill state=Done\n!submit",
                ["#launch-led-desk-lamp · message updated", "✅ Market research and competitor analysis", "1/20 done"],
            ),
            # Someone who neither owns the task nor is the manager is politely refused, and nothing changes.
            (
                "!as U0MARKET\n!click Supplier sampling",
                ["only visible to Amy Lin", "Only @Chen Jie (the task's owner) or the manager can update this task."],
            ),
            # The owner ticks a task whose dependency is open: asked to confirm first.
            ("!as U0BUYER\n!click Supplier sampling", ["Launch task"]),
            (
                "!fill state=Done\n!submit",
                ["modal updated for Chen Jie: “Open dependencies”", "• Selection sign-off", "Tick it anyway?"],
            ),
            ("!submit", ["✅ Supplier sampling", "2/20 done"]),
            # Blocking needs a reason; reopening works; the manager may change anyone's task.
            (
                "!click Sample QC and approval",
                ["modal opened for Chen Jie: “Launch task”", "*Sample QC and approval*", "✎ State: Not done yet"],
            ),
            ("!fill state=Blocked\n!submit", ["✗ reason: Say what is blocking it, so others can help."]),
            (
                '!fill reason="Factory has not sent the QC report"\n!submit',
                ["⛔ Sample QC and approval", "blocked: Factory has not sent the QC report"],
            ),
            # Li Wei reads Slack in Chinese; the task shows as done.
            (
                "!as U0MANAGER\n!click Supplier sampling",
                ["modal opened for Li Wei: “上市任务”", "*供应商打样*", "✎ 状态: 完成"],
            ),
            ("!fill state=未完成\n!submit", ["⬜ Supplier sampling", "1/20 done"]),
        ],
    )
    # The audit trail (who ticked what, from what, to what) is the record kept for later; no Slack surface shows it.
    audit = (
        console.services.db.engine.connect()
        .exec_driver_sql("select actor, from_state, to_state from audit_log where entity = 'launch-task' order by id")
        .fetchall()
    )
    assert [tuple(r) for r in audit] == [
        ("U0SELECT", "open", "done"),
        ("U0BUYER", "open", "done"),
        ("U0BUYER", "open", "blocked"),
        ("U0MANAGER", "done", "open"),
    ]


def test_reminders_once_a_morning_progress_line_and_the_manager_for_overdue(launches_only: ConsoleSlack) -> None:
    console = launches_only
    start_launch(console)
    morning = console.send("!at 2026-11-24 09:00")
    assert "DM with Zhang Min · Opsbot" in morning and "Your launch tasks due soon:" in morning
    assert "Market research and competitor analysis" in morning
    assert "LED Desk Lamp: 0/20 done · 0 overdue · 0 blocked" in morning
    assert console.services.scheduler.run_due(console.clock.now().replace(hour=0), console.clock.now()) == []
    reminders = [r for r in console.emulator.records if r.text == "Your launch tasks due soon"]
    assert len(reminders) == 1  # once that morning, whatever re-runs
    # Market research was due Fri 27 Nov; by Wed 2 Dec it is 5 days overdue: the manager is mentioned.
    late = console.send("!at 2026-12-02 09:00")
    assert "⚠️ @Li Wei: tasks overdue for days need you." in late


def test_go_no_go_at_the_gate_moves_every_open_date(launches_only: ConsoleSlack) -> None:
    console = launches_only
    start_launch(console)
    gate_day = console.send("!at 2026-12-04 09:00")  # the selection sign-off gate is due today
    # Li Wei's Slack is in Chinese: his go/no-go DM is too; the launch channel stays in the team's English.
    assert "DM with Li Wei · Opsbot" in gate_day and "🚦 选品确认：LED Desk Lamp" in gate_day
    assert "这个决策节点还在等 1 个前置任务：" in gate_day
    converse(
        console,
        [
            ("!as U0MANAGER\n!click 暂缓，先不推进", ["modal opened for Li Wei: “暂缓”"]),
            ("!submit", ["✗ reason: 请说明暂缓的原因。"]),
            (
                '!fill reason="Sample quality not good enough yet" new_date=2027-03-01\n!submit',
                [
                    "🔴 No-go for LED Desk Lamp, decided by @Li Wei: Sample quality not good enough yet",
                    "📅 LED Desk Lamp moved from Feb 1, 2027 to Mar 1, 2027 by @Li Wei; open tasks moved with it.",
                    "Launch day: listing live, ads on · @Amy Lin · Mar 1, 2027",
                    # the decision stands on the DM in place of its buttons
                    "── DM with Li Wei · message updated",
                    "🔴 已暂缓，由 @Li Wei 于",
                ],
            ),
        ],
    )


def test_only_the_manager_decides_or_moves(console: ConsoleSlack) -> None:
    start_launch(console)
    converse(
        console,
        [
            (
                "!as U0BUYER\n/launch move led-desk-lamp 2027-03-01",
                ["Only the manager can decide go / no-go or move a launch."],
            ),
            # Li Wei reads Slack in Chinese
            ("!as U0MANAGER\n/launch move led-desk-lamp 2026-11-01", ["新的上市日期必须晚于今天。"]),
            ("/launch move led-desk-lamp 1st-of-march", ["1st-of-march 不是日期：请用 YYYY-MM-DD"]),
            ("/launch move desk-fan 2027-03-01", ["没有名为 desk-fan 的上市项目。"]),
            (
                "/launch move led-desk-lamp 2027-03-01",
                [
                    "LED Desk Lamp 的上市日期改为 2027年3月1日。",
                    "Launch day: listing live, ads on · @Amy Lin · Mar 1, 2027",
                ],
            ),
        ],
    )
    assert "Mar 1, 2027" in checklist(console)


def test_list_status_usage_and_a_bad_new_launch(console: ConsoleSlack) -> None:
    start_launch(console)
    converse(
        console,
        [
            (
                "!as U0BUYER\n/launch list",
                ["Launches", "*LED Desk Lamp* (`led-desk-lamp`) · Feb 1, 2027 · #launch-led-desk-lamp"],
            ),
            ("/launch status led-desk-lamp", ["LED Desk Lamp: 0/20 done, 20 open", "Supplier sampling · @Chen Jie"]),
            ("/launch dance", ["Usage: /launch new · /launch list"]),
            ("/launch new", ["modal opened for Chen Jie: “New launch”"]),
            (
                '!fill name="LED Desk Lamp" skus="LED-100" marketplaces=US launch_date=2027-05-01\n!submit',
                ["✗ name: A launch called LED Desk Lamp exists already; pick another name."],
            ),
            (
                '!fill name="Desk Fan" launch_date=2026-11-20\n!submit',
                ["✗ launch_date: The launch date must be after today."],
            ),
        ],
    )


def test_review_posts_at_t_plus_7_and_14_once_each(launches_only: ConsoleSlack) -> None:
    console = launches_only
    start_launch(console)
    console.send("!at 2027-02-08 09:00")
    console.send("!at 2027-02-16 09:00")
    reviews = [r.text for r in console.emulator.records if r.kind == "message" and "review" in r.text]
    assert reviews == ["T+7 review", "T+14 review"]


def test_add_a_launch_task_from_elsewhere(console: ConsoleSlack) -> None:
    from bot.blocks.launch import add_launch_task_button
    from bot.i18n import translator

    start_launch(console)
    button = add_launch_task_button(translator("en"), "LED-100", "Fix the cable length in the listing")
    console.emulator._api_chat_postMessage(
        {"channel": "C0MARKETING", "text": "feedback", "blocks": [{"type": "actions", "elements": [button]}]}
    )
    converse(
        console,
        [
            (
                "!as U0MARKET\n!in C0MARKETING\n!click Add launch task",
                ["“Add launch task”", "Fix the cable length in the listing"],
            ),
            (
                '!fill launch="LED Desk Lamp" phase=Listing owner="Amy Lin" due=2026-12-01\n!submit',
                ["*Listing*\n", "⬜ Fix the cable length in the listing · @Amy Lin · Dec 1, 2026", "0/21 done"],
            ),
        ],
    )


def test_the_checklist_in_chinese(chinese_team: ConsoleSlack) -> None:
    converse(
        chinese_team,
        [
            ("!as U0MANAGER\n/launch new", ["“新品上市”", "✎ 模板: 标准新品上市", "✎ 上市日期: ____"]),
            (
                NEW + "\n!submit",
                ["🚀 上市：LED Desk Lamp · 2027年2月1日", "⬜ 供应商打样 · @Chen Jie · 2026年12月8日", "*采购与质检*"],
            ),
            ("!click 供应商打样", ["“上市任务”"]),
            ("!fill state=完成\n!submit", ["“有未完成的前置任务”", "• 选品确认"]),
        ],
    )


def test_a_60_task_playbook_stays_within_slacks_limits(playbooks_dir: Path, database_url: str) -> None:
    tasks = "".join(
        f"      - {{id: t{n}, title: 'Task number {n} with a reasonably long title for the listing', "
        f"role: marketing, due: T-{60 - n}}}\n"
        for n in range(60)
    )
    lines = tasks.splitlines(True)
    phases = "".join(
        f"  - id: p{p}\n    title: Phase {p}\n    tasks:\n" + "".join(lines[p * 6 : (p + 1) * 6]) for p in range(10)
    )
    (playbooks_dir / "launch" / "big.yml").write_text(f"name: Big\nphases:\n{phases}", encoding="utf-8")
    console = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        converse(
            console,
            [
                ("!as U0MARKET\n/launch new", ["modal opened for Amy Lin: “New launch”"]),
                (
                    '!fill name="Big one" skus=BIG-1 marketplaces=US launch_date=2027-06-01 playbook=big\n!submit',
                    ["0/60 done"],
                ),
                # The last of the 60, due the day before the launch, is still there to tick.
                (
                    "!click Task number 59 with a reasonably long title for the listing",
                    ["modal opened for Amy Lin: “Launch task”", "@Amy Lin · Monday, May 31, 2027"],
                ),
                ("!fill state=Done\n!submit", ["1/60 done"]),
            ],
        )
        posted = [r for r in console.emulator.records if r.kind in ("message", "update") and r.text == "Big one"]
        assert all(len(r.blocks) <= 50 for r in posted)
        assert all(len(b.get("text", {}).get("text", "")) <= 3000 for r in posted for b in r.blocks)
    finally:
        console.close()


def test_the_t_plus_7_review_shows_the_launch_skus_kpis(launches_only: ConsoleSlack, tmp_path: Path) -> None:
    console = launches_only
    from bot.reports.ingest import ingest_generic

    start_launch(console)
    sales = tmp_path / "sales.csv"
    sales.write_text(
        "date,marketplace,sku,units,orders,gmv,currency,sessions\n"
        + "".join(f"2027-02-0{d},US,LED-100,10,9,299.90,USD,100\n" for d in range(1, 8)),
        encoding="utf-8",
    )
    with console.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", sales)
    review = console.send("!at 2027-02-08 09:00")
    assert "📈 T+7 review: LED Desk Lamp" in review
    assert "*LED-100*: 70 units · 63 orders · GMV $2,099.30 · 700 sessions · CVR 10.0%" in review
