"""The launch feature's modals: a new launch, a task's update and its confirmation, a no-go, an added task."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.blocks.common import context, input_block, modal, option, plain, section
from bot.blocks.launch import (
    ADD_TASK_VIEW,
    CONFIRM_VIEW,
    GO_CONFIRM_VIEW,
    NEW_VIEW,
    NO_GO_VIEW,
    SHORT_TIME_VIEW,
    TASK_VIEW,
    TaskRow,
    tight_plan_text,
)
from bot.blocks.limits import SECTION_TEXT, clip
from bot.blocks.text import escape
from bot.i18n import Translator
from bot.ops.launch import BLOCKED, DONE, MARKETPLACES, TightPlan

REMOVE = "remove"
COMPRESS, KEEP = "compress", "keep"
# People to pick from: (Slack user id, name as team.yml spells it).
People = list[tuple[str, str]]
# A launch's phases to pick from: (launch name, [(value, phase title)]).
PhaseGroups = list[tuple[str, list[tuple[str, str]]]]


def _people_select(action_id: str, people: People, current: str | None = None) -> dict[str, Any]:
    """Team members by name (never role keys); the value is the Slack id, checked against this list on submit."""
    options = [option(name, user) for user, name in people][:100]
    chosen = next((o for o in options if o["value"] == current), None)
    return {
        "type": "static_select",
        "action_id": action_id,
        "options": options,
        **({"initial_option": chosen} if chosen else {}),
    }


def new_launch_modal(
    tr: Translator, playbooks: dict[str, str], channel: str, today: date, *, in_dm: bool = False
) -> dict[str, Any]:
    playbook_options = [option(name, key) for key, name in playbooks.items()]
    channel_options = [
        option(tr._("Create a #launch- channel and invite the owners"), "create"),
        option(tr._("Use this channel"), "here"),
    ]
    blocks = [
        input_block("name", tr._("Product name"), {"type": "plain_text_input", "action_id": "name", "max_length": 80}),
        input_block("skus", tr._("SKUs (comma separated)"), {"type": "plain_text_input", "action_id": "skus"}),
        input_block(
            "marketplaces",
            tr._("Marketplaces"),
            {
                "type": "multi_static_select",
                "action_id": "marketplaces",
                "options": [option(m, m) for m in MARKETPLACES],
            },
        ),
        input_block("launch_date", tr._("Launch date"), {"type": "datepicker", "action_id": "launch_date"}),
        input_block(
            "playbook",
            tr._("Playbook"),
            {
                "type": "static_select",
                "action_id": "playbook",
                "options": playbook_options,
                **({"initial_option": playbook_options[0]} if playbook_options else {}),
            },
        ),
        input_block(
            "channel",
            tr._("Where"),
            {
                "type": "radio_buttons",
                "action_id": "channel",
                "options": channel_options,
                "initial_option": channel_options[0],
            },
        ),
    ]
    return modal(
        tr._("New launch"),
        blocks,
        callback_id=NEW_VIEW,
        submit=tr._("Create"),
        close=tr._("Cancel"),
        # Where it was opened, so its answer knows a DM without asking Slack.
        private_metadata=json.dumps({"channel": channel, "today": today.isoformat(), "dm": in_dm}),
    )


def task_modal(tr: Translator, row: TaskRow, description: str, people: People | None = None) -> dict[str, Any]:
    choices = [option(tr._("Done"), DONE), option(tr._("Not done yet"), "open"), option(tr._("Blocked"), BLOCKED)]
    current = next((c for c in choices if c["value"] == row.state), choices[1])
    blocks: list[dict[str, Any]] = [section(f"*{escape(row.title)}*\n<@{row.owner}> · {tr.date(row.due, 'full')}")]
    if description:
        blocks.append(context(clip(description, SECTION_TEXT)))
    blocks += [
        input_block(
            "state",
            tr._("State"),
            {"type": "radio_buttons", "action_id": "state", "options": choices, "initial_option": current},
        ),
        input_block(
            "reason",
            tr._("Why is it blocked?"),
            {"type": "plain_text_input", "action_id": "reason", "max_length": 500},
            optional=True,
        ),
        input_block("owner", tr._("Owner"), _people_select("owner", people or [], row.owner)),
        input_block(
            "due", tr._("Due"), {"type": "datepicker", "action_id": "due", "initial_date": row.due.isoformat()}
        ),
        input_block(
            "remove",
            tr._("Remove"),
            {
                "type": "checkboxes",
                "action_id": "remove",
                "options": [option(tr._("Remove this task from the checklist"), REMOVE)],
            },
            optional=True,
        ),
    ]
    return modal(
        tr._("Launch task"),
        blocks,
        callback_id=TASK_VIEW,
        submit=tr._("Save"),
        close=tr._("Cancel"),
        private_metadata=json.dumps({"task": row.id}),
    )


def confirm_view(tr: Translator, task_id: int, open_titles: list[str]) -> dict[str, Any]:
    text = tr._("These tasks it depends on are still open:") + "\n" + "\n".join(f"• {escape(t)}" for t in open_titles)
    blocks = [section(clip(text, SECTION_TEXT)), context(tr._("Tick it anyway?"))]
    return modal(
        tr._("Open dependencies"),
        blocks,
        callback_id=CONFIRM_VIEW,
        submit=tr._("Tick anyway"),
        close=tr._("Back"),
        private_metadata=json.dumps({"task": task_id}),
    )


def go_confirm_view(tr: Translator, value: str, open_titles: list[str]) -> dict[str, Any]:
    """Go on a gate whose dependencies are open asks first, as a tick does."""
    text = (
        tr._("This gate depends on tasks that are still open:")
        + "\n"
        + "\n".join(f"• {escape(t)}" for t in open_titles)
    )
    blocks = [section(clip(text, SECTION_TEXT)), context(tr._("Decide go anyway?"))]
    return modal(
        tr._("Open dependencies"),
        blocks,
        callback_id=GO_CONFIRM_VIEW,
        submit=tr._("Go anyway"),
        close=tr._("Back"),
        private_metadata=value,
    )


def short_time_modal(tr: Translator, plan: TightPlan, form: str) -> dict[str, Any]:
    """The new-launch form's second step when its date leaves too little time: compress the plan or keep it."""
    choices = [
        option(tr._("Compress the plan into the time left (order and dependencies kept)"), COMPRESS),
        option(tr._("Keep the plan: those tasks start overdue"), KEEP),
    ]
    blocks = [
        section(tight_plan_text(tr, plan)),
        input_block(
            "plan",
            tr._("Plan"),
            {"type": "radio_buttons", "action_id": "plan", "options": choices, "initial_option": choices[0]},
        ),
    ]
    return modal(
        tr._("Too little time"),
        blocks,
        callback_id=SHORT_TIME_VIEW,
        submit=tr._("Create"),
        close=tr._("Cancel"),
        private_metadata=form,
    )


def no_go_modal(tr: Translator, value: str, launch_day: date) -> dict[str, Any]:
    blocks = [
        input_block(
            "reason",
            tr._("Why not yet?"),
            {"type": "plain_text_input", "action_id": "reason", "multiline": True, "max_length": 1000},
        ),
        input_block(
            "new_date",
            tr._("Move the launch to"),
            {"type": "datepicker", "action_id": "new_date", "initial_date": launch_day.isoformat()},
            optional=True,
        ),
    ]
    return modal(
        tr._("No-go"),
        blocks,
        callback_id=NO_GO_VIEW,
        submit=tr._("Decide"),
        close=tr._("Cancel"),
        private_metadata=value,
    )


def add_task_modal(
    tr: Translator,
    launches: list[tuple[int, str]],
    title: str,
    people: People,
    phases: PhaseGroups,
    today: date,
    preselected: int | None = None,
    metadata: str = "",
) -> dict[str, Any]:
    """Add a task to a launch, in a phase of it, owned by a person; ``preselected`` is the launch selling the SKU
    the button came with (or the checklist's own); ``metadata`` where it came from (a feedback item)."""
    launch_options = [option(name, str(lid)) for lid, name in launches]
    chosen = next((o for o in launch_options if o["value"] == str(preselected)), None)
    groups = [
        {"label": plain(clip(name, 75)), "options": [option(t, v) for v, t in rows][:100]}
        for name, rows in phases
        if rows
    ][:100]
    blocks = [
        input_block(
            "launch",
            tr._("Launch"),
            {
                "type": "static_select",
                "action_id": "launch",
                "options": launch_options,
                **({"initial_option": chosen} if chosen else {}),
            },
        ),
        input_block(
            "title",
            tr._("Task"),
            {"type": "plain_text_input", "action_id": "title", "initial_value": title, "max_length": 150},
        ),
        input_block("phase", tr._("Phase"), {"type": "static_select", "action_id": "phase", "option_groups": groups}),
        input_block("owner", tr._("Owner"), _people_select("owner", people)),
        input_block("due", tr._("Due"), {"type": "datepicker", "action_id": "due", "initial_date": today.isoformat()}),
    ]
    return modal(tr._("Add launch task"), blocks, callback_id=ADD_TASK_VIEW, submit=tr._("Add"), close=tr._("Cancel"),
                 private_metadata=metadata)
