"""Slack's Block Kit limits, as Slack applies them to what it is sent.

Slack refuses a message or a view that breaks a limit (a button value over 2,000 characters, a section over
3,000, a modal title over 24, an option value over 150…) with ``invalid_blocks`` / ``invalid_arguments``: the
message never shows, whatever the bot meant. The emulator refuses the same, so a test that makes Opsbot build
such a message fails the way production would. The limits are slack_sdk's own Block Kit models' validators,
applied to every object in the tree (slack_sdk validates one object at a time).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block, Option, OptionGroup
from slack_sdk.models.views import View

MESSAGE_BLOCKS = 50


def blocks_problem(blocks: Iterable[dict[str, Any]], *, most: int = MESSAGE_BLOCKS) -> str | None:
    """What Slack would refuse in these blocks, or None."""
    listed = list(blocks)
    if len(listed) > most:
        return f"{len(listed)} blocks: Slack takes at most {most}"
    for raw in listed:
        block = Block.parse(raw) if isinstance(raw, dict) else None
        if block is None:
            continue  # a block type slack_sdk does not model: nothing to check it against
        problem = _problem(block)
        if problem is not None:
            return f"block {raw.get('block_id') or raw.get('type')}: {problem}"
    return None


def view_problem(view: dict[str, Any]) -> str | None:
    """What Slack would refuse in a modal or an App Home (its own limits, then its blocks')."""
    try:
        # One stand-in block: the view's own blocks are counted and checked below, each with its path.
        View(**{k: v for k, v in view.items() if k != "blocks"}, blocks=[{"type": "divider"}]).validate_json()
    except SlackObjectFormationError as error:
        return str(error)
    return blocks_problem(view.get("blocks") or [], most=100)


def _problem(thing: JsonObject) -> str | None:
    try:
        thing.validate_json()
    except SlackObjectFormationError as error:
        return str(error)
    for name, value in vars(thing).items():
        if name in ("options", "initial_options") and value:  # kept as dicts by the select elements
            value = Option.parse_all(value)
        elif name == "option_groups" and value:
            value = OptionGroup.parse_all(value)
        for part in value if isinstance(value, list | tuple) else (value,):
            if isinstance(part, JsonObject):
                problem = _problem(part)
                if problem is not None:
                    return problem
    return None
