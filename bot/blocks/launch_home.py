"""The launch's part of the App Home: my tasks due this week or overdue (with a tick), the gates waiting for my
go / no-go (with their buttons), and for the manager the team's overdue tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks.common import actions, button, context, section
from bot.blocks.home import SHOWN, more_line, title
from bot.blocks.launch import GO_BUTTON, NO_GO
from bot.blocks.text import escape
from bot.i18n import Translator

HOME_TICK = "home.launch_tick"  # a task's "Done" in the App Home: its owner (or the manager) ticks it there


@dataclass(frozen=True)
class HomeTask:
    id: int
    launch: str
    title: str
    owner: str
    due: date
    blocked: bool
    gate: bool


@dataclass(frozen=True)
class HomeGate:
    launch: str
    title: str
    due: date
    value: str  # the ask, as the gate's Go / No-go buttons carry it


def _when(tr: Translator, task: HomeTask, today: date) -> str:
    if task.due < today:
        return tr._("*overdue* since {due}", due=tr.date(task.due))
    return tr._("due {due}", due=tr.date(task.due))


def _task_block(tr: Translator, task: HomeTask, today: date, *, owner: bool) -> dict[str, Any]:
    icon = "⛔" if task.blocked else "🚦" if task.gate else "⬜"
    text = f"{icon} *{escape(task.launch)}* · {escape(task.title)} · "
    text += (f"<@{task.owner}> · " if owner else "") + _when(tr, task, today)
    tick = None if task.gate or owner else button(tr._("Done ✓"), HOME_TICK, str(task.id))
    return section(text, accessory=tick)


def _gate_blocks(tr: Translator, gate: HomeGate) -> list[dict[str, Any]]:
    return [
        section(tr._("🚦 {gate}: {name} · due {due}", gate=escape(gate.title), name=escape(gate.launch),
                     due=tr.date(gate.due))),
        actions([
            button(tr._("Go: carry on with the launch"), GO_BUTTON, gate.value, style="primary"),
            button(tr._("No-go: hold the launch"), NO_GO, gate.value, style="danger"),
        ]),
    ]


def launch_section(
    tr: Translator, today: date, mine: list[HomeTask], gates: list[HomeGate], overdue: list[HomeTask] | None,
) -> list[dict[str, Any]]:
    """``overdue``: the team's overdue tasks, for the manager (None for anyone else)."""
    if not (mine or gates or overdue):
        return []
    blocks = [title(tr._("Launches"))]
    if mine:
        blocks.append(context(tr._("Your launch tasks due this week or overdue:")))
        blocks += [_task_block(tr, t, today, owner=False) for t in mine[:SHOWN]]
        if len(mine) > SHOWN:
            blocks.append(more_line(tr, len(mine) - SHOWN, "/launch status"))
    if gates:
        blocks.append(context(tr.ngettext("A gate waits for your go / no-go:", "{n} gates wait for your go / no-go:",
                                          len(gates))))
        for gate in gates[:SHOWN]:
            blocks += _gate_blocks(tr, gate)
    if overdue:
        blocks.append(section(tr.ngettext("*Team* · {n} overdue launch task:", "*Team* · {n} overdue launch tasks:",
                                          len(overdue))))
        blocks += [_task_block(tr, t, today, owner=True) for t in overdue[:SHOWN]]
        if len(overdue) > SHOWN:
            blocks.append(more_line(tr, len(overdue) - SHOWN, "/launch status"))
    return blocks
