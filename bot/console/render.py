"""Renders what the emulator recorded as a plain-text transcript a person can read.

Each entry starts with a line saying where it appeared and for whom, then the blocks: headers,
sections and fields, context lines, buttons numbered for ``!click N``, images and files by name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.console.slack_state import Record, SlackState

_MENTION = re.compile(r"<([@#!])([A-Za-z0-9_^-]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")


@dataclass
class Clickable:
    number: int
    label: str
    element: dict[str, Any]
    block_id: str
    record: Record
    option: dict[str, Any] | None = None  # for overflow menus and selects


class Renderer:
    def __init__(self, state: SlackState) -> None:
        self.state = state
        self.clickables: list[Clickable] = []

    def name_of(self, user: str | None) -> str:
        if not user:
            return "?"
        known = self.state.users.get(user)
        return known.name if known else user

    def channel_label(self, channel_id: str | None) -> str:
        if not channel_id:
            return "?"
        channel = self.state.channel(channel_id)
        if channel.is_im:
            return f"DM with {self.name_of(channel.user)}"
        return f"#{channel.name}"

    def mrkdwn(self, text: str) -> str:
        def mention(match: re.Match[str]) -> str:
            sigil, ident, label = match.groups()
            if sigil == "@":
                return "@" + self.name_of(ident)
            if sigil == "#":
                return "#" + (label or self.state.channel(ident).name)
            return "@" + (label or ident.split("^")[0])

        text = _MENTION.sub(mention, text)
        text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(2) else m.group(1), text)
        # Slack shows escaped text as typed: &lt;!channel&gt; reads <!channel> (and &amp; last, so &amp;lt; is "&lt;").
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")

    def title(self, record: Record) -> str:
        where = self.channel_label(record.channel)
        if record.kind == "ephemeral":
            return f"── {where} · only visible to {self.name_of(record.user)}"
        if record.kind == "update":
            return f"── {where} · message updated{' in thread' if record.thread_ts else ''}"
        if record.kind in ("view_open", "view_push", "view_update"):
            verb = {"view_open": "opened", "view_push": "opened on top", "view_update": "updated"}[record.kind]
            return f"── modal {verb} for {self.name_of(record.user)}: “{record.text}”"
        if record.kind == "home":
            return f"── App Home of {self.name_of(record.user)}"
        if record.kind == "file":
            return f"── {where}{' · in thread' if record.thread_ts else ''} · file"
        if record.kind == "pin":
            return f"── {where} · message pinned"
        if record.kind == "channel":
            return f"── channel #{record.text} created"
        if record.kind == "invite":
            people = ", ".join("@" + self.name_of(u) for u in record.text.split(",") if u)
            return f"── invited {people} to {where}"
        thread = " · in thread" if record.thread_ts else ""
        author = self.name_of(record.user) if record.user and record.kind == "message" else "Opsbot"
        return f"── {where}{thread} · {author}"

    def render(self, records: list[Record], *, number_from: int = 1) -> str:
        self.clickables = []
        lines: list[str] = []
        for record in records:
            lines.append(self.title(record))
            lines += self.body(record)
        return "\n".join(lines)

    def body(self, record: Record) -> list[str]:
        if record.kind == "file":
            comment = [f"  {line}" for line in self.mrkdwn(record.text).splitlines()] if record.text else []
            return [*comment, f"  📎 {record.file_name}"]
        if record.kind in ("pin", "channel", "invite"):
            return []
        blocks = record.view.get("blocks", []) if record.view else record.blocks
        if not blocks:
            return [f"  {line}" for line in self.mrkdwn(record.text).splitlines()]
        lines: list[str] = []
        for block in blocks:
            lines += self.block(block, record)
        if record.view and record.view.get("submit"):
            lines.append(f"  [{record.view['submit'].get('text', 'Submit')}] (!submit)")
        return lines

    def _text(self, obj: dict[str, Any] | None) -> str:
        text = str((obj or {}).get("text", ""))
        return text if (obj or {}).get("type") == "plain_text" else self.mrkdwn(text)  # plain_text shows literally

    def _button(
        self, label: str, element: dict[str, Any], block_id: str, record: Record, option: dict[str, Any] | None = None
    ) -> str:
        number = len(self.clickables) + 1
        self.clickables.append(Clickable(number, label, element, block_id, record, option))
        return f"[{number}: {label}]"

    def _accessory(self, element: dict[str, Any], block_id: str, record: Record) -> list[str]:
        kind = element.get("type")
        if kind == "button":
            return [self._button(self._text(element.get("text")), element, block_id, record)]
        if kind in ("overflow", "static_select"):
            return [self._button(self._text(o.get("text")), element, block_id, record, o) for o in _options(element)]
        if kind == "image":
            return [f"[image: {element.get('alt_text', '')}]"]
        return [f"[{kind}]"]

    def block(self, block: dict[str, Any], record: Record) -> list[str]:
        kind = block.get("type")
        block_id = str(block.get("block_id", ""))
        if kind == "header":
            return [f"  ══ {self._text(block.get('text'))} ══"]
        if kind == "divider":
            return ["  ────────"]
        if kind == "section":
            lines = [f"  {line}" for line in self._text(block.get("text")).splitlines()]
            lines += [f"    {self._text(f)}".replace("\n", " · ") for f in block.get("fields", [])]
            if block.get("accessory"):
                lines.append("    " + " ".join(self._accessory(block["accessory"], block_id, record)))
            return lines
        if kind == "context":
            parts = [
                self._text(e) if e.get("type") != "image" else f"[image: {e.get('alt_text', '')}]"
                for e in block.get("elements", [])
            ]
            return [f"  · {'  '.join(parts)}"]
        if kind == "actions":
            labels: list[str] = []
            for element in block.get("elements", []):
                labels += self._accessory(element, block_id, record)
            return ["  " + " ".join(labels)]
        if kind == "image":
            return [f"  [image: {block.get('alt_text', '')}]"]
        if kind == "input":
            element = block.get("element", {})
            label = self._text(block.get("label"))
            optional = " (optional)" if block.get("optional") else ""
            return [f"  ✎ {label}{optional}: {self._initial(element)}"]
        if kind == "rich_text":
            return [f"  {_rich_text(block)}"]
        return [f"  [{kind}]"]

    def _initial(self, element: dict[str, Any]) -> str:
        """An input as Slack shows it before anyone touches it: people and channels by name, as a picker does."""
        for key in ("initial_value", "initial_date", "initial_time"):
            if element.get(key):
                return str(element[key])
        if element.get("initial_user"):
            return "@" + self.name_of(str(element["initial_user"]))
        if element.get("initial_users"):
            return ", ".join("@" + self.name_of(str(u)) for u in element["initial_users"])
        for key in ("initial_conversation", "initial_channel"):
            if element.get(key):
                return self.channel_label(str(element[key]))
        for key in ("initial_conversations", "initial_channels"):
            if element.get(key):
                return ", ".join(self.channel_label(str(c)) for c in element[key])
        if element.get("initial_option"):
            return str(element["initial_option"]["text"]["text"])
        if element.get("initial_options"):
            return ", ".join(o["text"]["text"] for o in element["initial_options"])
        options = _options(element)
        if options:
            return "____ (" + " | ".join(str(o["text"]["text"]) for o in options[:12]) + ")"
        return "____"


def _options(element: dict[str, Any]) -> list[dict[str, Any]]:
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options += group.get("options", [])
    return options


def _rich_text(block: dict[str, Any]) -> str:
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "text":
                out.append(str(node.get("text", "")))
            for child in node.get("elements", []):
                walk(child)

    walk(block)
    return "".join(out)
