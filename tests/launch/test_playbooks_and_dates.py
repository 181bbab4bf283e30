"""Launch playbooks are validated at start; due dates follow workdays, holidays and moves."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.errors import ConfigError, OpsError
from bot.ops import launch as ops
from bot.ops.launch_playbook import due_date, load_playbooks
from bot.ops.team import Member, Role, Team, WorkCalendar

REPO_PLAYBOOKS = Path(__file__).resolve().parents[2] / "playbooks"
TEAM = Team(
    id="sz",
    name="SZ",
    timezone="Asia/Shanghai",
    holiday_countries=("CN",),
    members=(
        Member(user="U1", name="Li", roles=(Role.manager,)),
        Member(user="U2", name="Chen", roles=(Role.purchasing,)),
    ),
)


def write(folder: Path, text: str, name: str = "broken.yml") -> Path:
    (folder / "launch").mkdir(parents=True, exist_ok=True)
    path = folder / "launch" / name
    path.write_text(text, encoding="utf-8")
    return path


def task(task_id: str, due: str, role: str = "purchasing", depends: str = "[]") -> str:
    return f"      - {{id: {task_id}, title: {task_id}, role: {role}, due: {due}, depends_on: {depends}}}\n"


def playbook(*tasks: str) -> str:
    return "name: Test\nphases:\n  - id: all\n    title: All\n    tasks:\n" + "".join(tasks)


def test_the_shipped_playbooks_are_valid_and_cover_the_standard_launch() -> None:
    books = load_playbooks(REPO_PLAYBOOKS)
    assert set(books) == {"standard", "new-marketplace", "q4-peak"}
    keys = {t.id for _, t in books["standard"].tasks()}
    for wanted in (
        "market-research",
        "selection-signoff",
        "supplier-sampling",
        "sample-qc",
        "certification",
        "packaging",
        "listing-copy",
        "listing-images",
        "keywords",
        "pricing",
        "fba-shipment",
        "ads-campaigns",
        "influencer-outreach",
        "launch-coupon",
        "cs-faq",
        "launch-day",
        "first-week-review",
        "kpi-review",
    ):
        assert wanted in keys
    assert [t.id for _, t in books["standard"].tasks() if t.gate] == ["selection-signoff", "go-no-go"]


@pytest.mark.parametrize(
    ("tasks", "reason"),
    [
        ((task("a", "T-5", role="boss"),), "phases.0.tasks.0.role: Input should be 'manager'"),
        ((task("a", "T-5", depends="[ghost]"),), "task a: depends on unknown task 'ghost'"),
        ((task("a", "T-5", depends="[b]"), task("b", "T-4", depends="[a]")), "dependency cycle"),
        ((task("a", "T-10", depends="[b]"), task("b", "T-5")), "task a: due T-10 but depends on b, due later (T-5)"),
        ((task("a", "T-5"), task("a", "T-4")), "task a: the id is used twice"),
        ((task("a", "next week"),), "due must look like T-45, T or T+14"),
    ],
)
def test_a_bad_playbook_fails_at_start_with_file_task_and_reason(
    tmp_path: Path, tasks: tuple[str, ...], reason: str
) -> None:
    path = write(tmp_path, playbook(*tasks))
    with pytest.raises(ConfigError) as raised:
        load_playbooks(tmp_path)
    problem = "\n".join(raised.value.problems)
    assert str(path) in problem and reason in problem


def test_workdays_skip_weekends_and_the_teams_holidays_calendar_days_do_not() -> None:
    calendar = WorkCalendar(("mon", "tue", "wed", "thu", "fri"), ("CN",))
    launch = date(2026, 10, 12)  # Monday after China's National Day week
    assert due_date(launch, -3, "workdays", calendar) == date(2026, 9, 30)  # 9, 8 (Fri/Thu), then Sep 30
    assert due_date(launch, -3, "days", calendar) == date(2026, 10, 9)
    assert due_date(launch, 5, "workdays", calendar) == date(2026, 10, 19)
    assert due_date(launch, 0, "workdays", calendar) == launch


def test_planning_assigns_owners_by_role_and_the_manager_stands_in() -> None:
    books = load_playbooks(REPO_PLAYBOOKS)
    planned = {p.key: p for p in ops.plan(books["standard"], TEAM, date(2027, 2, 1))}
    assert planned["supplier-sampling"].owner == "U2" and not planned["supplier-sampling"].owner_is_stand_in
    assert planned["listing-copy"].owner == "U1" and planned["listing-copy"].owner_is_stand_in  # nobody in marketing
    assert planned["launch-day"].due == date(2027, 2, 1)
    assert planned["kpi-review"].due == date(2027, 2, 15)  # T+14 calendar days


def test_moving_the_launch_moves_open_tasks_and_keeps_done_ones() -> None:
    open_task = ops.TaskState("a", "U2", ops.OPEN, date(2027, 1, 25), ())
    done_task = ops.TaskState("b", "U2", ops.DONE, date(2027, 1, 18), ())
    new_day = date(2027, 3, 1)
    assert ops.moved_due(open_task, -5, "workdays", new_day, TEAM) == date(2027, 2, 22)
    assert ops.moved_due(done_task, -10, "workdays", new_day, TEAM) == date(2027, 1, 18)


def test_who_may_change_a_task() -> None:
    state = ops.TaskState("a", "U2", ops.OPEN, date(2027, 1, 25), ())
    assert ops.may_change(state, "U2", actor_is_manager=False)
    assert ops.may_change(state, "U1", actor_is_manager=True)
    assert not ops.may_change(state, "U3", actor_is_manager=False)


def test_new_launch_input_is_checked_field_by_field() -> None:
    today = date(2026, 11, 23)
    assert ops.validate_new("Lamp", "LED-100, LED-100-EU", ["US"], date(2027, 1, 1), today) == ["LED-100", "LED-100-EU"]
    for args, field in (
        (("", "LED-100", ["US"], date(2027, 1, 1)), "name"),
        (("Lamp", "LED 100 ???", ["US"], date(2027, 1, 1)), "skus"),
        (("Lamp", "LED-100", [], date(2027, 1, 1)), "marketplaces"),
        (("Lamp", "LED-100", ["US"], date(2026, 11, 1)), "launch_date"),
    ):
        with pytest.raises(OpsError) as raised:
            ops.validate_new(*args, today)  # type: ignore[arg-type]
        assert raised.value.field == field


def test_channel_slugs_are_slack_safe() -> None:
    assert ops.slug("LED Desk Lamp (US/DE)", "LED-100") == "led-desk-lamp-us-de"
    assert ops.slug("台灯", "LED-100") == "led-100"


def test_launch_playbooks_share_one_reminder_time_so_owners_get_one_dm(tmp_path: Path) -> None:
    reminders = "reminders: {time: '07:30'}\n"
    write(tmp_path, playbook(task("a", "T-5")), "one.yml")
    write(tmp_path, playbook(task("a", "T-5")), "two.yml")
    odd = write(tmp_path, reminders + playbook(task("a", "T-5")), "three.yml")
    with pytest.raises(ConfigError) as raised:
        load_playbooks(tmp_path)
    assert raised.value.problems == [
        f"{odd}: reminders.time 07:30 differs from 09:00 in the other launch playbooks; "
        "one morning time per team keeps reminders to one DM a day"
    ]


def test_a_reminder_time_must_be_a_time_of_day(tmp_path: Path) -> None:
    path = write(tmp_path, "reminders: {time: '25:00'}\n" + playbook(task("a", "T-5")))
    with pytest.raises(ConfigError) as raised:
        load_playbooks(tmp_path)
    assert str(path) in raised.value.problems[0] and "time must be a time of day" in raised.value.problems[0]
