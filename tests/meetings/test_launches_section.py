"""The launch feature's agenda section: open tasks due within two weeks of the meeting, or late, gates marked —
checked against the launch's own task rows."""

from __future__ import annotations

from datetime import date, timedelta

from bot.console.session import ConsoleSlack
from bot.db.launch import LaunchTask
from tests.conftest import converse
from tests.meetings.lines import part_lines


def test_the_agenda_lists_launch_tasks_due_in_the_next_two_weeks(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0SELECT\n"
         "/launch new\n"
         '!fill name="Desk Lamp" skus="LED-100" marketplaces=US launch_date=2027-01-19 playbook=standard\n'
         "!submit\n"
         "!fill plan=keep\n"
         "!submit", ["Desk Lamp"]),
    ])
    held_on = date(2026, 11, 30)
    with console.services.db.transaction() as session:
        tasks = session.query(LaunchTask).all()
        expected = sorted((t.due, t.id, t.gate) for t in tasks
                          if t.state != "done" and t.due <= held_on + timedelta(days=14))
        titles = {t.id: t.title for t in tasks}
        later = [t for t in tasks if t.due > held_on + timedelta(days=14)]
    assert expected and later  # the plan has tasks inside the two weeks and beyond them
    shown = console.send("!at 2026-11-29 16:00")
    agenda = [r for r in console.emulator.channel_messages("C0OPS") if "Weekly meeting · Nov 30" in r.text][-1]
    lines = part_lines(agenda.blocks, "Launch tasks in the next two weeks")
    assert len(lines) == len(expected), shown
    for line, (due, task_id, gate) in zip(lines, expected, strict=True):
        title = titles[task_id]
        assert (title if isinstance(title, str) else title["en"]) in line
        assert line.startswith("• 🚦") == gate
        assert line.endswith(f"due {due:%b} {due.day}, {due.year}")
    for task in later:
        title = task.title if isinstance(task.title, str) else task.title["en"]
        assert all(title not in line for line in lines), title
