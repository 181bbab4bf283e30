"""New-product launches, pure: tasks planned from a playbook, owners by role, dates, progress, rules."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from bot.errors import N_, OpsError
from bot.ops.launch_playbook import LaunchPlaybook, Unit, due_date
from bot.ops.team import Role, Team, WorkCalendar

OPEN, DONE, BLOCKED = "open", "done", "blocked"
GO, NO_GO = "go", "no-go"
LATEST_LAUNCH_YEARS = 3
MARKETPLACES = ("US", "CA", "MX", "BR", "UK", "DE", "FR", "IT", "ES", "NL", "SE", "PL", "JP", "AU", "SG", "AE")


@dataclass(frozen=True)
class PlannedTask:
    key: str
    phase: str
    role: Role
    owner: str
    owner_is_stand_in: bool  # nobody holds the role: the manager has it until team.yml says who
    offset: int
    unit: str
    due: date
    depends_on: tuple[str, ...]
    gate: bool


@dataclass(frozen=True)
class TaskState:
    """A task as the rules need it."""

    key: str
    owner: str
    state: str
    due: date
    depends_on: tuple[str, ...]
    gate: bool = False


SLUG_LENGTH = 60


# Slack's markup typed into a name: <!here>, <!channel>, <!subteam^S1>, <@U1>, <#C1|name>, <https://…|label>,
# <mailto:…>. Whole, label and all: a link's label is someone's text dressed up, not the product's name.
SLACK_MARKUP = re.compile(r"<(?:[!@#]|[a-z][a-z0-9+.-]*:)[^<>]*>", re.IGNORECASE)


def slug(name: str, fallback: str) -> str:
    """A Slack-safe channel suffix: lower-case ASCII letters, digits and hyphens, at most 60 characters, from the
    name without Slack's markup (a mention or a link never names a channel), else from ``fallback`` (the SKU)."""
    words = SLACK_MARKUP.sub(" ", name)
    ascii_name = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:SLUG_LENGTH].strip("-")
    return cleaned or re.sub(r"[^a-z0-9]+", "-", fallback.lower()).strip("-")[:SLUG_LENGTH] or "product"


def unique_slug(wanted: str, taken: set[str]) -> str:
    """``wanted``, else ``wanted-2``, ``-3``… (cut to stay within 60 characters): the first no launch has.

    Different names can share a slug — two Chinese names falling back to one SKU, names that differ in punctuation
    or past the 60th character — and each is still a launch of its own, with its own key and channel.
    """
    number = 1
    found = wanted
    while found in taken:
        number += 1
        suffix = f"-{number}"
        found = wanted[: SLUG_LENGTH - len(suffix)].rstrip("-") + suffix
    return found


def name_key(name: str) -> str:
    """What makes two launch names the same name: letters compared without case (and full-width forms as their
    ordinary ones), spaces collapsed — "LED  desk LAMP" is "LED Desk Lamp", "LED desk-lamp!" is not."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def is_dm(channel_id: str, channel_name: str = "") -> bool:
    """A DM with the bot or a group DM, from what a slash command says of its channel, without asking Slack:
    a DM's id starts with D and Slack names it ``directmessage``; a group DM is named ``mpdm-…`` (its id may
    start with G or C). A private team channel (``privategroup``, a G… or C… id) is a team channel."""
    return channel_id.startswith("D") or channel_name == "directmessage" or channel_name.startswith("mpdm-")


def owner_for(team: Team, role: Role) -> tuple[str, bool]:
    """The first active member holding ``role``; else the manager, flagged as standing in."""
    holders = team.people_with(role)
    if holders:
        return holders[0].user, False
    managers = team.people_with(Role.manager)
    if not managers:
        raise OpsError(N_("Nobody holds the manager role in team.yml, so launch tasks cannot be assigned."))
    return managers[0].user, True


def plan(
    playbook: LaunchPlaybook, team: Team, launch_day: date, *, compress_from: date | None = None
) -> list[PlannedTask]:
    """The playbook's tasks dated from launch day; with ``compress_from`` (today) squeezed into the time left."""
    offsets = {task.id: task.offset for _, task in playbook.tasks()}
    if compress_from is not None:
        offsets = compressed(
            [(t.id, t.offset, playbook.unit_of(t)) for _, t in playbook.tasks()],
            launch_day,
            compress_from,
            team.calendar,
        )
    planned = []
    for phase, task in playbook.tasks():
        owner, stand_in = owner_for(team, task.role)
        unit, offset = playbook.unit_of(task), offsets[task.id]
        planned.append(
            PlannedTask(
                key=task.id,
                phase=phase.id,
                role=task.role,
                owner=owner,
                owner_is_stand_in=stand_in,
                offset=offset,
                unit=unit,
                due=due_date(launch_day, offset, unit, team.calendar, gate=task.gate),
                depends_on=task.depends_on,
                gate=task.gate,
            )
        )
    return planned


# -- a launch date that leaves too little time ---------------------------------------------------------
@dataclass(frozen=True)
class TightPlan:
    """How far a launch date falls short: ``late`` of ``total`` tasks would be due before today, because the plan
    needs ``needed`` days (``unit``) before launch day and only ``available`` are left."""

    late: int
    total: int
    needed: int
    available: int
    unit: Unit


def available_before(launch_day: date, today: date, unit: Unit, calendar: WorkCalendar) -> int:
    """The largest k such that T-k (in ``unit``) is today or later: workdays in [today, launch day), or days."""
    if unit == "days":
        return max((launch_day - today).days, 0)
    count, day = 0, today
    while day < launch_day:
        count += calendar.is_workday(day)
        day += timedelta(days=1)
    return count


def compressed(
    tasks: list[tuple[str, int, Unit]], launch_day: date, today: date, calendar: WorkCalendar
) -> dict[str, int]:
    """Offsets before launch day scaled into the time left, per unit: T-k becomes T-floor(k * left / needed).

    The scale is the same for every task of a unit and rounds down, so a task never moves ahead of one that
    was due before it (dependencies and order hold), and the earliest lands on today, never before.
    """
    result = {key: offset for key, offset, _ in tasks}
    for unit in {unit for _, _, unit in tasks}:
        needed = max((-offset for _, offset, u in tasks if u == unit and offset < 0), default=0)
        left = available_before(launch_day, today, unit, calendar)
        if needed <= left:
            continue
        for key, offset, u in tasks:
            if u == unit and offset < 0:
                result[key] = -((-offset * left) // needed)
    return result


def tight_plan(
    tasks: list[tuple[str, int, Unit, date]], launch_day: date, today: date, calendar: WorkCalendar
) -> TightPlan | None:
    """None when every task (key, offset, unit, due) is due today or later; else how much time is missing."""
    late = [t for t in tasks if t[3] < today]
    if not late:
        return None
    shortfalls = []
    for unit in {t[2] for t in late}:
        needed = max(-t[1] for t in tasks if t[2] == unit)
        shortfalls.append((needed - available_before(launch_day, today, unit, calendar), needed, unit))
    _, needed, unit = max(shortfalls)
    return TightPlan(len(late), len(tasks), needed, available_before(launch_day, today, unit, calendar), unit)


def validate_new(name: str, skus: str, marketplaces: list[str], launch_day: date | None, today: date) -> list[str]:
    """The SKUs of a new launch; each bad field raises OpsError naming it."""
    if not name.strip():
        raise OpsError(N_("Give the product a name."), field="name")
    if len(name) > 80:
        raise OpsError(N_("Keep the product name under 80 characters."), field="name")
    sku_list = [s.strip() for s in re.split(r"[,\s]+", skus) if s.strip()]
    bad = [s for s in sku_list if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}", s)]
    if not sku_list or bad:
        raise OpsError(N_("List one or more SKUs separated by commas, e.g. LED-100, LED-100-EU."), field="skus")
    if not marketplaces:
        raise OpsError(N_("Choose at least one marketplace."), field="marketplaces")
    if launch_day is None:
        raise OpsError(N_("Choose the launch date."), field="launch_date")
    check_launch_date(launch_day, today, "launch_date")
    return sku_list


def check_launch_date(day: date, today: date, field: str | None, *, moving: bool = False) -> None:
    """After today, and near enough that every task's date (up to T+14 and beyond) is a real calendar day."""
    if day <= today:
        raise OpsError(
            N_("The new launch date must be after today.") if moving else N_("The launch date must be after today."),
            field=field,
        )
    if day > today + timedelta(days=365 * LATEST_LAUNCH_YEARS):
        raise OpsError(N_("Pick a launch date within the next {years} years."), field=field, years=LATEST_LAUNCH_YEARS)


def may_change(task: TaskState, actor: str, actor_is_manager: bool) -> bool:
    """A task's owner or the manager may tick, reopen or block it."""
    return actor_is_manager or actor == task.owner


def open_dependencies(task: TaskState, tasks: dict[str, TaskState]) -> list[str]:
    return [d for d in task.depends_on if d in tasks and tasks[d].state != DONE]


def upstream_open(gate: TaskState, tasks: dict[str, TaskState]) -> list[str]:
    """What a gate waits on, directly or through the tasks it depends on, and is not done: earliest due first."""
    seen: set[str] = set()
    waiting = list(gate.depends_on)
    while waiting:
        key = waiting.pop()
        if key in seen or key not in tasks:
            continue
        seen.add(key)
        waiting.extend(tasks[key].depends_on)
    return sorted((k for k in seen if tasks[k].state != DONE), key=lambda k: (tasks[k].due, k))


def unit_of(value: str) -> Unit:
    return "days" if value == "days" else "workdays"


def moved_due(task: TaskState, offset: int, unit: str, new_launch_day: date, team: Team) -> date:
    """Open and blocked tasks follow the launch date; done ones keep the date they had."""
    if task.state == DONE:
        return task.due
    return due_date(new_launch_day, offset, unit_of(unit), team.calendar, gate=task.gate)


def close_names(wanted: str, names: list[str]) -> list[str]:
    """Launch slugs that look like what someone typed, best first (at most three): a typo, or part of the name."""
    typed = re.sub(r"[\s_]+", "-", wanted.strip().lower()).removeprefix("#").removeprefix("launch-")
    found = difflib.get_close_matches(typed, names, n=3, cutoff=0.75)
    found += [name for name in names if typed and typed in name and name not in found]
    return found[:3]


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    overdue: int
    blocked: int


def progress(tasks: list[TaskState], today: date) -> Progress:
    return Progress(
        done=sum(t.state == DONE for t in tasks),
        total=len(tasks),
        overdue=sum(t.state != DONE and t.due < today for t in tasks),
        blocked=sum(t.state == BLOCKED for t in tasks),
    )


def due_soon(tasks: list[TaskState], today: date, horizon_days: int) -> list[TaskState]:
    """Open tasks overdue or due within the horizon, earliest first."""
    return sorted(
        (t for t in tasks if t.state != DONE and (t.due - today).days <= horizon_days),
        key=lambda t: (t.due, t.key),
    )


def overdue_by(tasks: list[TaskState], today: date, days: int) -> list[TaskState]:
    return [t for t in tasks if t.state != DONE and (today - t.due).days >= days]


@dataclass(frozen=True)
class LaunchCommand:
    action: str  # new | list | status | move | help
    name: str = ""
    new_date: date | None = None
    closed: bool = False  # /launch list closed


def parse_command(text: str) -> LaunchCommand:
    words = text.strip().split()
    if not words or words[0].lower() == "new":
        return LaunchCommand("new" if words else "help")
    verb, rest = words[0].lower(), words[1:]
    if verb == "list" and not rest:
        return LaunchCommand("list")
    if verb == "list" and [w.lower() for w in rest] == ["closed"]:
        return LaunchCommand("list", closed=True)
    if verb == "status":
        return LaunchCommand("status", name=" ".join(rest))
    if verb == "move":
        if len(rest) < 2:
            raise OpsError(N_("Usage: /launch move NAME YYYY-MM-DD"))
        try:
            new_date = date.fromisoformat(rest[-1])
        except ValueError as exc:
            raise OpsError(
                N_("{text} is not a date: use YYYY-MM-DD, e.g. /launch move led-100 2027-01-15."), text=rest[-1]
            ) from exc
        return LaunchCommand("move", name=" ".join(rest[:-1]), new_date=new_date)
    return LaunchCommand("help")
