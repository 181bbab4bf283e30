"""Issue 16, item 12 (and issue 15's "Add launch task"): a task's owner or the manager reassigns it, changes its
due date or removes it from the checklist; anyone in the team adds one to a phase they pick, owned by a person
they pick (people, never role keys). The rules hold on the server: forged submissions change nothing."""

from __future__ import annotations

import json
from datetime import date

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.db import launch as store
from tests.conftest import converse
from tests.launch.test_launch_e2e import NEW, start_launch


def task(console: ConsoleSlack, key: str, launch: str = "led-desk-lamp") -> store.LaunchTask | None:
    with console.services.db.transaction() as session:
        found = store.find_launch(session, "shenzhen-ops", launch)
        assert found is not None
        return next((t for t in store.tasks_of(session, found.id) if t.key == key), None)


def test_the_owner_reassigns_and_re_dates_a_task_and_the_new_owner_is_told(console: ConsoleSlack) -> None:
    start_launch(console)
    shown = converse(
        console,
        [
            ("!as U0BUYER\n!click Supplier sampling", ["“Launch task”", "✎ Owner: Chen Jie", "✎ Due: 2026-12-08"]),
            (
                '!fill owner="Klaus Becker" due=2026-12-10\n!submit',
                [
                    "⬜ Supplier sampling · @Klaus Becker · Dec 10, 2026",
                    "── DM with Klaus Becker · Opsbot",
                    "@Chen Jie gave you a launch task for LED Desk Lamp: Supplier sampling, due Dec 10, 2026.",
                ],
            ),
            # Chen Jie no longer owns it: the new owner or the manager may change it now.
            (
                "!click Supplier sampling",
                ["Only @Klaus Becker (the task's owner) or the manager can update this task."],
            ),
            ("!as U0WAREHOUSE\n!click Supplier sampling", ["“Launch task”"]),
            ("!fill due=2026-11-20\n!submit", ["✗ due: Pick today or a later date."]),
        ],
    )
    assert "manager |" not in shown and "| selection" not in shown
    # The owner menu offers the team's people by name, never role keys.
    opened = next(
        r
        for r in console.emulator.records
        if r.kind == "view_open" and r.view and r.view["callback_id"] == "launch.task"
    )
    owner = next(b for b in opened.view["blocks"] if b.get("block_id") == "owner")  # type: ignore[index]
    names = [o["text"]["text"] for o in owner["element"]["options"]]
    assert names == ["Li Wei", "Zhang Min", "Chen Jie", "Amy Lin", "Wang Fang", "Klaus Becker", "Liu Yang", "Sara Kim"]
    moved = task(console, "supplier-sampling")
    assert moved is not None and (moved.owner, moved.due, moved.stand_in) == ("U0WAREHOUSE", date(2026, 12, 10), False)
    audit = (
        console.services.db.engine.connect()
        .exec_driver_sql(
            "select actor, from_state, to_state, note from audit_log where entity = 'launch-task' order by id"
        )
        .fetchall()
    )
    assert [tuple(r) for r in audit] == [
        ("U0BUYER", "2026-12-08", "2026-12-10", "re-dated"),
        ("U0BUYER", "U0BUYER", "U0WAREHOUSE", "reassigned"),
    ]


def test_the_manager_removes_a_task_and_the_owner_cannot_remove_someone_elses(console: ConsoleSlack) -> None:
    start_launch(console)
    converse(
        console,
        [
            ("!as U0MANAGER\n!click Content and influencer outreach", ["“上市任务”", "从清单中移除这个任务"]),
            ("!fill remove=yes\n!submit", ["0/19 done"]),
        ],
    )
    assert task(console, "influencer-outreach") is None
    checklist = [r for r in console.emulator.records if r.kind == "update" and r.text == "LED Desk Lamp"][-1]
    assert "Content and influencer outreach" not in str(checklist.blocks)


def test_a_forged_task_form_from_someone_else_changes_nothing(console: ConsoleSlack) -> None:
    start_launch(console)
    converse(console, [("!as U0BUYER\n!click Supplier sampling", ["“Launch task”"])])
    opened = next(r for r in reversed(console.emulator.records) if r.kind == "view_open")
    assert opened.view is not None
    view = dict(opened.view)
    # Amy Lin sends Chen Jie's form as her own, taking the task, moving it and removing it in one go.
    view["state"] = {
        "values": {
            "state": {"state": {"type": "radio_buttons", "selected_option": {"value": "done"}}},
            "reason": {"reason": {"type": "plain_text_input", "value": ""}},
            "owner": {"owner": {"type": "static_select", "selected_option": {"value": "U0MARKET"}}},
            "due": {"due": {"type": "datepicker", "selected_date": "2027-01-20"}},
            "remove": {"remove": {"type": "checkboxes", "selected_options": [{"value": "remove"}]}},
        }
    }
    console.dispatch(payloads.view_submission(user="U0MARKET", team="T0DEMO", view=view))
    after = console.seat.new_output()
    assert "Only @Chen Jie (the task's owner) or the manager can update this task." in after
    kept = task(console, "supplier-sampling")
    assert kept is not None and (kept.owner, kept.due, kept.state) == ("U0BUYER", date(2026, 12, 8), "open")


def test_anyone_in_the_team_adds_a_task_to_a_named_phase_from_the_checklist(console: ConsoleSlack) -> None:
    start_launch(console)
    converse(
        console,
        [
            (
                "!as U0CS\n!click Add a task",
                [
                    "modal opened for Wang Fang: “Add launch task”",
                    "✎ Launch: LED Desk Lamp",
                    "Research and selection | Sourcing and quality | Listing",
                ],
            ),
            (
                '!fill title="Translate the FAQ into German" phase=Promotion owner="Wang Fang" due=2026-12-20\n!submit',
                ["*Promotion*", "⬜ Translate the FAQ into German · @Wang Fang · Dec 20, 2026", "0/21 done"],
            ),
        ],
    )
    added = task(console, "added-1")
    assert added is not None and (added.phase, added.owner) == ("promotion", "U0CS")


def test_a_phase_of_another_launch_is_refused(console: ConsoleSlack) -> None:
    start_launch(console)
    converse(
        console,
        [
            ("/launch new", ["“New launch”"]),
            (
                NEW.replace("LED Desk Lamp", "Desk Fan").replace("LED-100, LED-100-EU", "FAN-1") + "\n!submit",
                ["🚀 Launch: Desk Fan"],
            ),
        ],
    )
    with console.services.db.transaction() as session:
        fan = store.find_launch(session, "shenzhen-ops", "desk-fan")
        assert fan is not None
        fan_listing = f"{fan.id}:listing"
    converse(
        console,
        [
            ("!as U0CS\n!click Add a task", ["“Add launch task”"]),
            (
                f'!fill launch="LED Desk Lamp" title="Check the plug" phase={fan_listing} owner="Wang Fang" '
                "due=2026-12-20\n"
                "!submit",
                ["✗ phase: Pick one of LED Desk Lamp's phases."],
            ),
        ],
    )
    assert task(console, "added-1") is None and task(console, "added-1", "desk-fan") is None
    assert json.dumps(fan_listing)  # the value the menu offers for Desk Fan's Listing phase
