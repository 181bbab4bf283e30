"""Block Kit pieces shared by every feature."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from bot.blocks.limits import BUTTON_TEXT, HEADER_TEXT, MODAL_TITLE, SECTION_TEXT, clip
from bot.blocks.text import escape
from bot.errors import OpsError
from bot.i18n import Translator


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, HEADER_TEXT), "emoji": True}}


def section(text: str, *, accessory: dict[str, Any] | None = None, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": clip(text, SECTION_TEXT)}}
    if accessory:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id
    return block


def fields(pairs: list[str]) -> dict[str, Any]:
    return {"type": "section", "fields": [{"type": "mrkdwn", "text": clip(p, 2000)} for p in pairs[:10]]}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(text, SECTION_TEXT)}]}


def divider() -> dict[str, Any]:
    return {"type": "divider"}


def button(
    text: str, action_id: str, value: str = "", *, style: str | None = None, confirm: dict[str, Any] | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(text, BUTTON_TEXT), "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def actions(elements: list[dict[str, Any]], block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "actions", "elements": elements[:25]}
    if block_id:
        block["block_id"] = block_id
    return block


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def modal(
    title: str,
    blocks: list[dict[str, Any]],
    *,
    callback_id: str,
    submit: str | None,
    close: str,
    private_metadata: str = "",
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(clip(title, MODAL_TITLE)),
        "close": plain(clip(close, MODAL_TITLE)),
        "blocks": blocks[:100],
        "private_metadata": private_metadata,
    }
    if submit:
        view["submit"] = plain(clip(submit, MODAL_TITLE))
    return view


def option(text: str, value: str) -> dict[str, Any]:
    """A select/radio/checkbox option; Slack cuts option text at 75 characters."""
    return {"text": plain(clip(text, 75)), "value": value}


def input_block(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> dict[str, Any]:
    """A modal input; the block id is what a field error names."""
    return {"type": "input", "block_id": block_id, "label": plain(label), "element": element, "optional": optional}


_MENTION = re.compile(r"<@([^<>|]*)(\|[^<>]*)?>")


def error_text(tr: Translator, error: OpsError, members: Collection[str] = ()) -> str:
    """An OpsError as a message (mrkdwn): its parameters carry what people typed, so each is escaped.

    A message that names someone puts ``<@{param}>`` in the message itself and passes only the id. That id may
    be one a person typed (``<@U0123|fake> is not on the team``): it stays a mention only when it is one of
    ``members`` (the reader's team); any other shows as typed. (A modal field error is plain text to Slack and
    is not built here.)
    """
    params = {key: escape(value) if isinstance(value, str) else value for key, value in error.params.items()}
    text = tr._(error.message, **params)
    return _MENTION.sub(lambda found: found.group(0) if found.group(1) in members else escape(found.group(0)), text)


def as_text(blocks: list[dict[str, Any]]) -> list[str]:
    """What a message says, for a terminal: headers, sections and context lines, without its buttons."""
    lines = []
    for block in blocks:
        if block.get("type") in ("header", "section"):
            text = (block.get("text") or {}).get("text", "")
        elif block.get("type") == "context":
            text = " ".join(e["text"] for e in block.get("elements", []) if isinstance(e.get("text"), str))
        else:
            continue
        if text:
            lines.append(str(text))
    return lines
