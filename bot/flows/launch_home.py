"""The launch's App Home section, the tick a task's owner gives it there, and whose Homes a launch change touches."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import launch_home as blocks
from bot.blocks.launch_modals import confirm_view
from bot.db import launch as store
from bot.errors import N_, OpsError
from bot.flows.context import Context, HomeReader
from bot.flows.launch_checklist import LaunchChecklist
from bot.flows.launch_decisions import ask_value
from bot.flows.launch_tasks import LaunchTasks, TaskUpdate
from bot.i18n import pick
from bot.ops import launch as ops
from bot.ops.launch_playbook import LaunchPlaybooks
from bot.ops.team import Role


def _home_task(launch: store.Launch, task: store.LaunchTask, locale: str) -> blocks.HomeTask:
    return blocks.HomeTask(task.id, launch.name, pick(task.title, locale), task.owner, task.due,
                           task.state == ops.BLOCKED, task.gate)


def launch_home(ctx: Context, reader: HomeReader) -> list[dict[str, Any]]:
    team = reader.team
    if team is None:
        return []
    tr, user = reader.tr, reader.user
    today = ctx.clock.now().astimezone(ZoneInfo(reader.timezone)).date()
    week_end = today + timedelta(days=6 - today.weekday())
    manager = ctx.has_role(team, user, Role.manager)
    mine: list[blocks.HomeTask] = []
    overdue: list[blocks.HomeTask] = []
    gates: list[blocks.HomeGate] = []
    with ctx.db.transaction() as session:
        for launch in store.active_launches(session, team.id):
            for task in store.tasks_of(session, launch.id):
                if task.state == ops.DONE:
                    continue
                shown = _home_task(launch, task, tr.locale)
                if task.owner == user and task.due <= week_end and not task.gate:
                    mine.append(shown)
                if manager and task.due < today:
                    overdue.append(shown)
                if manager and task.gate:
                    asked = [a for a in store.asks_of(session, task.id) if a.decision is None]
                    if asked:
                        gates.append(blocks.HomeGate(launch.name, shown.title, task.due, ask_value(asked[-1].id)))
    mine.sort(key=lambda t: t.due)
    overdue.sort(key=lambda t: t.due)
    return blocks.launch_section(tr, today, mine, gates, overdue if manager else None)


def tick(ctx: Context, user: str, value: str) -> dict[str, Any] | None:
    """A task's "Done" in the App Home: ticked as the checklist's form would (its owner or the manager, checked on
    the server); when tasks it depends on are open, the same "tick anyway?" question, to open."""
    if not value.isdigit():
        raise OpsError(N_("That task no longer exists."))
    playbooks = ctx.playbook(LaunchPlaybooks)
    tasks = LaunchTasks(ctx, playbooks, LaunchChecklist(ctx, playbooks))
    waiting = tasks.save(user, int(value), TaskUpdate(ops.DONE), confirmed=False)
    if not waiting:
        return None
    return confirm_view(ctx.translator_for(user, ctx.teams.for_user(user)), int(value), waiting)
