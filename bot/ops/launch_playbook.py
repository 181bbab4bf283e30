"""playbooks/launch/*.yml: a launch as phases of owned tasks dated from launch day (T-45 … T+14).

A bad playbook stops the bot at start with the file, the task and the reason: an unknown role,
an unknown dependency, a dependency cycle, or a task due before something it depends on.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.errors import ConfigError
from bot.ops.team import Role, WorkCalendar
from bot.playbooks import LocalText, parse_model, read_yaml

Text = LocalText  # a string, or {en, zh-CN, zh-TW}: what people read
Unit = Literal["workdays", "days"]
_OFFSET = re.compile(r"^T([+-]\d+)?$")


class Task(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    role: Role
    due: str  # "T-45", "T", "T+14"
    unit: Unit | None = None
    depends_on: tuple[str, ...] = ()
    gate: bool = False  # a go/no-go decision for the manager
    description: Text = ""
    links: tuple[str, ...] = ()

    @field_validator("due")
    @classmethod
    def _offset(cls, value: str) -> str:
        if not _OFFSET.match(value.replace(" ", "")):
            raise ValueError(f"due must look like T-45, T or T+14; got {value!r}")
        return value.replace(" ", "")

    @property
    def offset(self) -> int:
        match = _OFFSET.match(self.due)
        assert match is not None
        return int(match.group(1) or 0)


class Phase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: Text
    tasks: tuple[Task, ...] = Field(min_length=1)


class Reminders(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    time: str = Field(default="09:00", pattern=r"^\d{2}:\d{2}$")
    horizon_days: int = Field(default=3, ge=0, le=30)
    escalate_overdue_days: int = Field(default=2, ge=1, le=30)

    @field_validator("time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        hour, minute = (int(part) for part in value.split(":"))
        if hour > 23 or minute > 59:
            raise ValueError(f"time must be a time of day such as 09:00; got {value!r}")
        return value


class LaunchPlaybook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = ""  # the file's name, set by the loader
    name: Text
    unit: Unit = "workdays"
    reminders: Reminders = Reminders()
    phases: tuple[Phase, ...] = Field(min_length=1)

    def tasks(self) -> list[tuple[Phase, Task]]:
        return [(phase, task) for phase in self.phases for task in phase.tasks]

    def unit_of(self, task: Task) -> Unit:
        return task.unit or self.unit


def due_date(launch_day: date, offset: int, unit: Unit, calendar: WorkCalendar, *, gate: bool = False) -> date:
    """Workdays skip weekends and the team's holidays; calendar days do not, except that a go/no-go gate is
    never due on a day off: it comes to the workday before, so the manager decides at work and in time."""
    if unit == "days":
        day = launch_day + timedelta(days=offset)
        while gate and not calendar.is_workday(day):
            day -= timedelta(days=1)
        return day
    return calendar.add_workdays(launch_day, offset)


def problems_of(playbook: LaunchPlaybook) -> list[str]:
    """Dependencies that do not exist, cycles, and tasks due before what they depend on."""
    tasks = {task.id: task for _, task in playbook.tasks()}
    problems: list[str] = []
    seen: set[str] = set()
    for _, task in playbook.tasks():
        if task.id in seen:
            problems.append(f"task {task.id}: the id is used twice")
        seen.add(task.id)
        problems += [f"task {task.id}: depends on unknown task {d!r}" for d in task.depends_on if d not in tasks]
    if problems:
        return problems
    try:
        tuple(TopologicalSorter({t.id: set(t.depends_on) for t in tasks.values()}).static_order())
    except CycleError as exc:
        cycle = " -> ".join(exc.args[1])
        return [f"task {exc.args[1][0]}: dependency cycle {cycle}"]
    reference, plain = date(2030, 1, 15), WorkCalendar()
    for task in tasks.values():
        due = due_date(reference, task.offset, playbook.unit_of(task), plain)
        for dependency in (tasks[d] for d in task.depends_on):
            if due_date(reference, dependency.offset, playbook.unit_of(dependency), plain) > due:
                problems.append(
                    f"task {task.id}: due {task.due} but depends on {dependency.id}, due later ({dependency.due})"
                )
    return problems


def load_playbooks(folder: Path) -> dict[str, LaunchPlaybook]:
    """Every playbooks/launch/*.yml by file name; every problem in every file reported together."""
    found: dict[str, LaunchPlaybook] = {}
    problems: list[str] = []
    for path in sorted((folder / "launch").glob("*.yml")):
        try:
            playbook = parse_model(path, LaunchPlaybook, read_yaml(path))
        except ConfigError as exc:
            problems += exc.problems
            continue
        problems += [f"{path}: {p}" for p in problems_of(playbook)]
        found[path.stem] = playbook.model_copy(update={"key": path.stem})
    problems += _time_problems(folder, found)
    if problems:
        raise ConfigError(problems)
    return found


def _time_problems(folder: Path, found: dict[str, LaunchPlaybook]) -> list[str]:
    """Playbooks whose reminders.time differs from the others' (the most common time wins)."""
    times = {key: book.reminders.time for key, book in found.items()}
    if len(set(times.values())) <= 1:
        return []
    common = Counter(times.values()).most_common(1)[0][0]
    return [
        f"{folder / 'launch' / key}.yml: reminders.time {at} differs from {common} in the other launch playbooks; "
        "one morning time per team keeps reminders to one DM a day"
        for key, at in sorted(times.items())
        if at != common
    ]


def reminder_time(books: LaunchPlaybooks) -> str:
    """The team's morning reminder time: the same in every launch playbook (checked at load)."""
    return next((book.reminders.time for book in books.playbooks.values()), Reminders().time)


class LaunchPlaybooks(BaseModel):
    """What the launch feature loads at start: its playbooks by key."""

    model_config = ConfigDict(frozen=True)

    playbooks: dict[str, LaunchPlaybook]


def load_playbook(folder: Path) -> LaunchPlaybooks:
    return LaunchPlaybooks(playbooks=load_playbooks(folder))
