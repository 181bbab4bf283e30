"""Launch checklists, modals and reminders, as Block Kit. Pure: built from plain values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.lists import format_list

from bot.blocks.common import actions, button, context, header, option, plain, section
from bot.blocks.limits import MESSAGE_BLOCKS, SECTION_TEXT, clip, fit_blocks
from bot.blocks.text import Mrkdwn, escape, escape_clipped
from bot.i18n import Translator
from bot.ops.launch import BLOCKED, DONE, GO, Progress, TightPlan

NEW_VIEW = "launch.new"
TASK_PICKED = "launch.task_picked"
TASK_VIEW = "launch.task"
CONFIRM_VIEW = "launch.task_confirm"
GO_BUTTON = "launch.go"
GO_CONFIRM_VIEW = "launch.go_confirm"
NO_GO = "launch.no_go"
REOPEN = "launch.reopen"
ADD_TASK = "launch.add_task_button"
MOVE_PLAN = "launch.move_plan"
SHORT_TIME_VIEW = "launch.short_time"
NO_GO_VIEW = "launch.no_go_view"
LAUNCH_ADD_TASK_PREFILLED = "launch.add_task_prefilled"
ADD_TASK_VIEW = "launch.add_task"
STATE_ICON = {DONE: "✅", BLOCKED: "⛔", "open": "⬜"}
# A blocked reason is shown shortened on the checklist; the task modal has it whole.
REASON_ON_CHECKLIST = 200


@dataclass(frozen=True)
class TaskRow:
    id: int
    title: str
    owner: str
    due: date
    state: str
    blocked_reason: str | None
    stand_in: bool
    gate: bool
    source: str | None = None  # what it was added from: "F-12", "A-7"


def _task_line(tr: Translator, row: TaskRow, today: date) -> str:
    due = tr.date(row.due, "medium")
    late = row.state != DONE and row.due < today
    line = f"{STATE_ICON.get(row.state, '⬜')} {'🚦 ' if row.gate else ''}{escape(row.title)} · <@{row.owner}> · "
    line += tr._("*overdue* since {due}", due=due) if late else due
    if row.state == BLOCKED and row.blocked_reason:
        line += "\n      " + tr._("blocked: {reason}", reason=escape_clipped(row.blocked_reason, REASON_ON_CHECKLIST))
    if row.stand_in:
        line += " " + tr._("(standing in: nobody holds this role in team.yml)")
    if row.source:
        line += " · " + tr._("from {ref}", ref=row.source)
    return line


def checklist_blocks(
    tr: Translator,
    name: str,
    launch_day: date,
    playbook_name: str,
    skus: list[str],
    marketplaces: list[str],
    phases: list[tuple[str, list[TaskRow]]],
    done: Progress,
    today: date,
    launch_id: int = 0,
) -> list[dict[str, Any]]:
    blocks = [
        header(tr._("🚀 Launch: {name} · {day}", name=name, day=tr.date(launch_day, "medium"))),
        context(
            tr._(
                "{playbook} · SKUs {skus} · {marketplaces} · {done}/{total} done · {overdue} overdue",
                playbook=playbook_name,
                skus=escape(tr.join(skus)),
                marketplaces=escape(tr.join(marketplaces)),
                done=done.done,
                total=done.total,
                overdue=done.overdue,
            )
        ),
    ]
    for title, rows in phases:
        for part, chunk in enumerate(_fitting_chunks(tr, rows, today)):
            heading = f"*{title}*" if part == 0 else tr._("*{phase}* (continued)", phase=title)
            menu = {
                "type": "static_select",
                "action_id": TASK_PICKED,
                "placeholder": plain(tr._("Update a task")),
                "options": [option(row.title, str(row.id)) for row, _ in chunk][:100],
            }
            blocks.append(section(heading + "\n" + "\n".join(line for _, line in chunk), accessory=menu))
    footer = context(
        tr._("Owners and the manager can tick, reopen, block, reassign, re-date or remove their tasks from the menus.")
    )
    more = context(tr._("The checklist is too long to show whole here: /launch status shows every open task."))
    add = actions([button(tr._("Add a task"), ADD_TASK, str(launch_id))])
    return fit_blocks([*blocks, footer, add], more, MESSAGE_BLOCKS)


def _fitting_chunks(tr: Translator, rows: list[TaskRow], today: date) -> list[list[tuple[TaskRow, str]]]:
    """A phase's task lines cut into sections under Slack's text limit, so no task is hidden by a cut."""
    budget = SECTION_TEXT - 200  # room for the phase heading
    chunks: list[list[tuple[TaskRow, str]]] = [[]]
    used = 0
    for row in rows:
        line = clip(_task_line(tr, row, today), budget)
        if chunks[-1] and used + len(line) + 1 > budget:
            chunks.append([])
            used = 0
        chunks[-1].append((row, line))
        used += len(line) + 1
    return chunks


def gate_blocks(
    tr: Translator, name: str, gate_title: str, waiting: list[TaskRow], value: str, today: date
) -> list[dict[str, Any]]:
    """A gate's ask: what it waits on that is still open (not the whole launch), and the two buttons."""
    if waiting:
        text = tr.ngettext("This gate waits on {n} open task:", "This gate waits on {n} open tasks:", len(waiting))
        text += "\n" + "\n".join(_task_line(tr, row, today) for row in waiting[:30])
    else:
        text = tr._("Everything this gate depends on is done.")
    return [
        header(tr._("🚦 {gate}: {name}", gate=gate_title, name=name)),
        section(clip(text, SECTION_TEXT)),
        actions(
            [
                button(tr._("Go: carry on with the launch"), GO_BUTTON, value, style="primary"),
                button(tr._("No-go: hold the launch"), NO_GO, value, style="danger"),
            ]
        ),
    ]


def decided_blocks(
    tr: Translator, name: str, gate_title: str, decision: str, manager: str, when: str, reason: str, value: str
) -> list[dict[str, Any]]:
    """A gate's ask once decided: the decision, who made it and when, in place of the buttons; a manager can
    reopen it."""
    if decision == GO:
        text = tr._("🟢 Go, decided by {who} on {when}.", who=f"<@{manager}>", when=when)
    else:
        text = tr._(
            "🔴 No-go, decided by {who} on {when}: {reason}",
            who=f"<@{manager}>",
            when=when,
            reason=escape_clipped(reason, 1000),
        )
    return [
        header(tr._("🚦 {gate}: {name}", gate=gate_title, name=name)),
        section(text),
        actions([button(tr._("Reopen the decision"), REOPEN, value)]),
    ]


def reminder_blocks(tr: Translator, items: list[tuple[str, TaskRow]], today: date) -> list[dict[str, Any]]:
    """One DM a morning: each owner's tasks due soon or overdue, across launches."""
    lines = [f"*{escape(launch)}* · {_task_line(tr, row, today)}" for launch, row in items]
    return [section(clip(tr._("Your launch tasks due soon:") + "\n" + "\n".join(lines), SECTION_TEXT))]


def progress_blocks(
    tr: Translator, name: str, done: Progress, days_to_go: int, escalate: list[str], late: list[TaskRow], today: date
) -> list[dict[str, Any]]:
    """The morning's short progress line in the launch channel; managers mentioned for long-overdue tasks."""
    text = tr._(
        "{name}: {done}/{total} done · {overdue} overdue · {blocked} blocked · T{offset:+d}",
        name=escape(name),
        done=done.done,
        total=done.total,
        overdue=done.overdue,
        blocked=done.blocked,
        offset=-days_to_go,
    )
    if escalate and late:
        text += "\n" + tr._("⚠️ {managers}: tasks overdue for days need you.", managers=[f"<@{u}>" for u in escalate])
        text += "\n" + "\n".join(_task_line(tr, row, today) for row in late[:10])
        if len(late) > 10:
            text += "\n" + tr.ngettext("… and {n} more.", "… and {n} more.", len(late) - 10)
    return [section(text)]


def summary_blocks(tr: Translator, title: str, lines: list[Mrkdwn], empty: str = "") -> list[dict[str, Any]]:
    body = "\n".join(lines) or empty or tr._("No active launches. Start one with /launch new.")
    return [header(title), section(clip(body, SECTION_TEXT))]


def review_blocks(tr: Translator, name: str, label: str, kpi_lines: list[Mrkdwn]) -> list[dict[str, Any]]:
    blocks = [header(tr._("📈 {label} review: {name}", label=label, name=name))]
    if kpi_lines:
        blocks.append(section(clip("\n".join(kpi_lines), SECTION_TEXT)))
    else:
        blocks.append(
            section(
                tr._(
                    "No KPI data for these SKUs yet: ingest the latest reports, then check "
                    "sessions, conversion, ACoS and reviews."
                )
            )
        )
    return blocks


def add_launch_task_button(tr: Translator, sku: str, title: str) -> dict[str, Any]:
    """The button other features show (e.g. on market feedback) to add a task to a launch."""
    return button(tr._("Add launch task"), LAUNCH_ADD_TASK_PREFILLED, json.dumps({"sku": sku, "title": title[:150]}))


# -- what the flows post and reply, in words ---------------------------------------------------------------
def launch_line(tr: Translator, name: str, slug: str, day: date, channel: str, done: Progress) -> Mrkdwn:
    """One active launch in /launch list."""
    return Mrkdwn(
        tr._(
            "*{name}* (`{slug}`) · {day} · <#{channel}> · {done}/{total} done · {overdue} overdue",
            name=escape(name),
            slug=escape(slug),
            day=tr.date(day),
            channel=channel,
            done=done.done,
            total=done.total,
            overdue=done.overdue,
        )
    )


def closed_line(tr: Translator, name: str, slug: str, day: date, channel: str) -> Mrkdwn:
    """One closed launch in /launch list closed."""
    return Mrkdwn(
        tr._(
            "🏁 *{name}* (`{slug}`) · launched {day} · <#{channel}>",
            name=escape(name),
            slug=escape(slug),
            day=tr.date(day),
            channel=channel,
        )
    )


def status_title(tr: Translator, name: str, done: Progress, closed: bool = False) -> str:
    if closed:
        return tr._("{name}: closed, {done}/{total} done", name=name, done=done.done, total=done.total)
    return tr._(
        "{name}: {done}/{total} done, {open} open",
        name=name,
        done=done.done,
        total=done.total,
        open=done.total - done.done,
    )


def status_line(tr: Translator, title: str, owner: str, due: date, today: date) -> Mrkdwn:
    """One open task in /launch status; overdue ones are flagged."""
    return Mrkdwn(f"• {escape(title)} · <@{owner}> · {tr.date(due)}" + (" ⚠️" if due < today else ""))


def unknown_launch_text(tr: Translator, name: str, close: list[str]) -> str:
    """/launch status NAME for a name no launch has: say so, with names that look like it."""
    if close:
        return tr._(
            "I don't know a launch called {name}. Did you mean {names}? /launch list shows them all.",
            name=escape(name),
            names=format_list([escape(n) for n in close], style="or", locale=tr.locale),
        )
    return tr._(
        "I don't know a launch called {name}. /launch list shows the active ones, /launch list closed the closed ones.",
        name=escape(name),
    )


def tight_plan_text(tr: Translator, plan: TightPlan) -> str:
    """How many tasks a launch date would start overdue, and why."""
    late = tr.ngettext(
        "{late} of {total} tasks would start overdue",
        "{late} of {total} tasks would start overdue",
        plan.late,
        late=plan.late,
        total=plan.total,
    )
    if plan.unit == "days":
        why = tr._(
            "the plan needs {needed} days before launch day and {available} are left.",
            needed=plan.needed,
            available=plan.available,
        )
    else:
        why = tr._(
            "the plan needs {needed} workdays before launch day and {available} are left.",
            needed=plan.needed,
            available=plan.available,
        )
    return tr._("{late}: {why}", late=late, why=why)


def tight_move_blocks(
    tr: Translator, name: str, day: date, plan: TightPlan, compress: str, keep: str
) -> list[dict[str, Any]]:
    """A move to a date that leaves too little time: compress the plan, or keep the date as it is."""
    return [
        section(
            tr._(
                "Moving {name} to {day}: {problem}",
                name=escape(name),
                day=tr.date(day),
                problem=tight_plan_text(tr, plan),
            )
        ),
        actions(
            [
                button(tr._("Compress the plan"), MOVE_PLAN, compress, style="primary"),
                button(tr._("Keep the date, tasks start overdue"), MOVE_PLAN, keep),
            ]
        ),
    ]


def assigned_text(tr: Translator, name: str, title: str, due: date, by: str) -> str:
    """The DM to a task's new owner."""
    return tr._(
        "{who} gave you a launch task for {name}: {title}, due {due}.",
        who=f"<@{by}>",
        name=escape(name),
        title=escape(title),
        due=tr.date(due),
    )


def same_date_text(tr: Translator, name: str, day: date) -> str:
    return tr._("{name} already launches on {day}: nothing changed.", name=escape(name), day=tr.date(day))


def reopened_text(tr: Translator, name: str, gate: str, manager: str) -> str:
    return tr._(
        "🚦 {who} reopened the decision on {gate} for {name}.",
        who=f"<@{manager}>",
        gate=escape(gate),
        name=escape(name),
    )


def go_text(tr: Translator, name: str, manager: str) -> str:
    return tr._("🟢 Go for {name}, decided by {who}.", name=escape(name), who=f"<@{manager}>")


def no_go_text(tr: Translator, name: str, manager: str, reason: str) -> str:
    return tr._(
        "🔴 No-go for {name}, decided by {who}: {reason}", name=escape(name), who=f"<@{manager}>", reason=escape(reason)
    )


def moved_text(tr: Translator, name: str, before: date, after: date, manager: str) -> str:
    return tr._(
        "📅 {name} moved from {before} to {after} by {who}; open tasks moved with it.",
        name=escape(name),
        before=tr.date(before),
        after=tr.date(after),
        who=f"<@{manager}>",
    )


def checklist_text(name: str) -> str:
    """The checklist message's notification text: the launch's name as typed."""
    return escape(name)


def set_up_text(tr: Translator, name: str, channel: str) -> str:
    return tr._("{name} is set up in <#{channel}>.", name=escape(name), channel=channel)


def set_up_renamed_text(tr: Translator, name: str, channel: str, wanted: str) -> str:
    """Its channel took the next free name: the person looking for #wanted learns where it is."""
    return tr._(
        "{name} is set up in <#{channel}>: Slack already has a channel called #{wanted}, so this one took the next "
        "free name.",
        name=escape(name),
        channel=channel,
        wanted=escape(wanted),
    )


def set_up_here_text(tr: Translator, name: str, channel: str, wanted: str, reason: str) -> str:
    """Slack created no channel: where the launch is followed instead, and why, so the person can act on it."""
    return tr._(
        "Slack did not create #{wanted} ({reason}), so {name} is set up in <#{channel}>, where you started it: its "
        "checklist, reminders and go/no-go come there. A Slack admin can allow Opsbot to create channels for the "
        "next launch.",
        name=escape(name),
        channel=channel,
        wanted=escape(wanted),
        reason=escape(reason),
    )


def now_launches_text(tr: Translator, name: str, day: date) -> str:
    return tr._("{name} now launches on {day}.", name=escape(name), day=tr.date(day))


def closed_text(tr: Translator, name: str) -> str:
    return tr._("🏁 {name}: every launch task is done; the launch is closed.", name=escape(name))
