"""Meeting lines that carry their own control: an agenda line's menu (record an action or a decision on it) and an
action's menu for whoever may change it (its owner, a manager: done, blocked, moved). Each control is a section's
accessory, so it costs no block; what does not fit Slack's 50 blocks is still shown, in one section, without one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.blocks.common import option, section
from bot.blocks.text import Mrkdwn, escape

LINE_MENU = "meetings.agenda_line"  # value "a|d:meeting:section:line": an action or a decision on that line
ACTION_MENU = "meetings.action_menu"  # value "done|blocked|moved:action"
QUOTE_LIMIT = 80

Line = tuple[str, dict[str, Any] | None]  # a line of mrkdwn and its menu, if it has one


def line_menu(tr: Any, meeting_id: int, key: str, index: int) -> dict[str, Any]:
    where = f"{meeting_id}:{key}:{index}"
    return {"type": "overflow", "action_id": LINE_MENU,
            "options": [option(tr._("Add action"), "a:" + where), option(tr._("Record decision"), "d:" + where)]}


def action_menu(tr: Any, action_id: int) -> dict[str, Any]:
    return {"type": "overflow", "action_id": ACTION_MENU,
            "options": [option(tr._("Done"), f"done:{action_id}"), option(tr._("Blocked"), f"blocked:{action_id}"),
                        option(tr._("Move date"), f"moved:{action_id}")]}


def _sections(title: str | None, lines: Sequence[Line], menus: int) -> list[dict[str, Any]]:
    """In order: a line with a menu (the first ``menus`` of them) is a section of its own; the lines between are
    gathered in one. The title heads the first section."""
    blocks: list[dict[str, Any]] = []
    heading = [f"*{escape(title)}*"] if title else []
    waiting: list[str] = []
    kept = 0
    for text, menu in lines:
        if menu is None or kept >= menus:
            waiting.append(f"• {text}")
            continue
        kept += 1
        if waiting:
            blocks.append(section("\n".join([*heading, *waiting])))
            heading, waiting = [], []
        blocks.append(section("\n".join([*heading, f"• {text}"]), accessory=menu))
        heading = []
    if waiting or heading:
        blocks.append(section("\n".join([*heading, *waiting])))
    return blocks


def line_sections(title: str | None, lines: Sequence[Line], budget: int) -> list[dict[str, Any]]:
    """The lines under their title in at most ``budget`` blocks (at least one): the later lines give up their
    menus first."""
    menus = sum(1 for _, menu in lines if menu is not None)
    while menus > 0:
        blocks = _sections(title, lines, menus)
        if len(blocks) <= max(budget, 1):
            return blocks
        menus -= 1
    return _sections(title, lines, 0)


def quote(line: str, limit: int = QUOTE_LIMIT) -> str:
    """An agenda line (mrkdwn Opsbot made) cut short for a mention elsewhere, never inside an ``&lt;`` or a
    ``<@U…>``; on one line."""
    line = line.replace("\n", " ")
    if len(line) <= limit:
        return line
    cut = limit - 1
    opened = max(line.rfind("<", 0, cut), line.rfind("&", 0, cut))
    if opened >= 0 and line.find(">" if line[opened] == "<" else ";", opened) >= cut:
        cut = opened
    return line[:cut].rstrip() + "…"


def plain(line: str, names: dict[str, str]) -> str:
    """A Slack line as plain text: people by name, Slack's own escapes undone, bold marks dropped (to prefill a
    form, for a file or a canvas)."""
    line = re.sub(r"<@([UW][A-Z0-9_]+)>", lambda m: "@" + names.get(m.group(1), m.group(1)), line)
    line = re.sub(r"(^|\s)\*([^*\n]+)\*", r"\1\2", line)
    return line.replace("\n      ", " — ").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def from_line(tr: Any, line: str | None) -> str:
    """`` · from agenda line “…”`` for a decision or action recorded on one."""
    return " · " + tr._("from agenda line “{line}”", line=Mrkdwn(quote(line))) if line else ""
