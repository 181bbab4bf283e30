"""The launch feature's modals: a new launch, a task's update and its confirmation, a no-go, an added task."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.blocks.common import context, input_block, modal, option, section
from bot.blocks.launch import ADD_TASK_VIEW, CONFIRM_VIEW, NEW_VIEW, NO_GO_VIEW, TASK_VIEW, TaskRow
from bot.blocks.limits import SECTION_TEXT, clip
from bot.blocks.text import escape
from bot.i18n import Translator
from bot.ops.launch import BLOCKED, DONE, MARKETPLACES


def new_launch_modal(tr: Translator, playbooks: dict[str, str], channel: str, today: date) -> dict[str, Any]:
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
        private_metadata=json.dumps({"channel": channel, "today": today.isoformat()}),
    )


def task_modal(tr: Translator, row: TaskRow, description: str) -> dict[str, Any]:
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
    roles: list[tuple[str, str]],
    today: date,
    preselected: int | None = None,
) -> dict[str, Any]:
    """Add a task to a launch; ``preselected`` is the launch selling the SKU the button came with."""
    launch_options = [option(name, str(lid)) for lid, name in launches]
    role_options = [option(label, value) for value, label in roles]
    chosen = next((o for o in launch_options if o["value"] == str(preselected)), None)
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
        input_block(
            "role", tr._("Owner's role"), {"type": "static_select", "action_id": "role", "options": role_options}
        ),
        input_block("due", tr._("Due"), {"type": "datepicker", "action_id": "due", "initial_date": today.isoformat()}),
    ]
    return modal(tr._("Add launch task"), blocks, callback_id=ADD_TASK_VIEW, submit=tr._("Add"), close=tr._("Cancel"))
