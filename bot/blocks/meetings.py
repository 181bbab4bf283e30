"""Block Kit for meetings: the agenda, the record and its summary, an action's card, its modals, the App Home part.

Every value a person typed (an item, an action, a decision, a note) is escaped here, once.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from bot.blocks.common import actions, button, context, header, input_block, modal, section
from bot.blocks.limits import MESSAGE_BLOCKS, fit_blocks
from bot.blocks.meeting_follow_ups import FollowUps, follow_up_blocks
from bot.blocks.meeting_lines import Line, from_line, line_menu, line_sections
from bot.blocks.text import Mrkdwn, escape, escape_clipped
from bot.errors import N_
from bot.i18n import NP_, Translator

SHORTCUT = "meetings.add_to_agenda"
ADD_ACTION = "meetings.add_action"  # on an agenda section: record an action linked to it
NEW_ACTION_VIEW = "meetings.new_action"
NEW_DECISION_VIEW = "meetings.new_decision"
DONE, BLOCKED, MOVE = "meetings.action_done", "meetings.action_blocked", "meetings.action_move"
UPDATE_VIEW = "meetings.update_action"
UPDATES = {DONE: "done", BLOCKED: "blocked", MOVE: "moved"}

RHYTHM_NAMES = {"weekly": N_("Weekly meeting"), "monthly": N_("Monthly review")}
STATE_NAMES = {"open": NP_("action", "open"), "done": NP_("action", "done"), "blocked": NP_("action", "blocked")}
STATE_ICONS = {"open": "◻️", "done": "✅", "blocked": "⛔"}
TEXT_LIMIT = 500


def rhythm_name(tr: Translator, rhythm: str) -> str:
    return tr._(RHYTHM_NAMES.get(rhythm, rhythm))


def when_text(tr: Translator, start: datetime, end: datetime, zone: str) -> str:
    """The meeting's day and hours in the reader's zone, named."""
    return tr._("{day}, {start}–{end} ({zone})", day=tr.date(start.date(), "full"), start=tr.time(start),
                end=tr.time(end), zone=tr.timezone_name(zone))


def action_line(tr: Translator, label: str, owner: str | None, due: date | None, state: str, text: str,
                *, overdue: bool = False, note: str | None = None, source: str | None = None) -> Mrkdwn:
    """``◻️ A-3 @Amy · due Fri, Dec 4 · Lower the DE bids`` (the agenda line it came from; the owner's latest
    note)."""
    icon = "⚠️" if overdue else STATE_ICONS.get(state, "◻️")
    parts = [f"{icon} *{label}*", f"<@{owner}>" if owner else "", tr.pgettext("action", STATE_NAMES[state])
             if state in STATE_NAMES else state]
    if due is not None:
        parts.append(tr._("overdue since {day}", day=tr.date(due)) if overdue else tr._("due {day}", day=tr.date(due)))
    line = " · ".join(p for p in parts if p) + f" · {escape_clipped(text, TEXT_LIMIT)}" + from_line(tr, source)
    if note:
        line += "\n      " + tr._("Note: {note}", note=escape_clipped(note, TEXT_LIMIT))
    return Mrkdwn(line)


def item_line(tr: Translator, added_by: str, text: str, owner: str | None, section_title: str | None = None) -> Mrkdwn:
    line = tr._("<@{who}>: {text}", who=added_by, text=escape_clipped(text, TEXT_LIMIT))
    if owner and owner != added_by:
        line += " · " + tr._("to speak to it: <@{who}>", who=owner)
    if section_title:
        line += " · " + tr._("on {section}", section=escape(section_title))
    return Mrkdwn(line)


def decision_line(tr: Translator, text: str, by: str, section_title: str | None = None,
                  source: str | None = None) -> Mrkdwn:
    line = "🔷 " + tr._("{text} (<@{who}>)", text=escape_clipped(text, TEXT_LIMIT), who=by)
    if section_title and not source:
        line += " · " + tr._("on {section}", section=escape(section_title))
    return Mrkdwn(line + from_line(tr, source))


def notice(text: str) -> dict[str, Any]:
    """A line Opsbot made (user parts already escaped by the builders above)."""
    return section(text)


def part_text(title: str, lines: Sequence[str]) -> str:
    return f"*{escape(title)}*\n" + "\n".join(f"• {line}" for line in lines)


def agenda_blocks(tr: Translator, title: str, when: str, parts: list[tuple[str, str, tuple[str, ...]]],
                  meeting_id: int | None, intro: str | None = None, canvas: bool = False) -> list[dict[str, Any]]:
    """The agenda: each part (key, title, lines) under its title, every line with a menu that records an action or
    a decision on it, as long as Slack's 50 blocks allow (the later lines give up their menus first)."""
    blocks: list[dict[str, Any]] = [header(title), context(when)]
    if intro:
        blocks.append(context(intro))
    if canvas:
        blocks.append(context(tr._("📄 The agenda is also a canvas in this channel; it keeps the record.")))
    room = MESSAGE_BLOCKS - len(blocks) - 1
    for n, (key, part_title, lines) in enumerate(parts):
        shown: list[Line] = [(line, line_menu(tr, meeting_id, key, i) if meeting_id else None)
                             for i, line in enumerate(lines)]
        made = line_sections(part_title, shown, room - (len(parts) - n - 1))
        blocks += made
        room -= len(made)
    if not parts:
        blocks.append(section(tr._("Nothing on the agenda yet: add an item with /agenda add.")))
    return fit_blocks(blocks, context(tr._("The agenda is longer than Slack shows; /meeting show has all of it.")),
                      MESSAGE_BLOCKS)


def summary_blocks(tr: Translator, title: str, when: str, decisions: list[Mrkdwn], action_lines: list[Line],
                   room: int = MESSAGE_BLOCKS - 3, items: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The items people added (late ones too), decisions, then actions: one with a menu (for a reader who may
    change it) in a section of its own."""
    blocks: list[dict[str, Any]] = [header(title), context(when)]
    if items:
        blocks.append(section(part_text(tr._("Items added"), items)))
        room -= 1
    blocks.append(section(part_text(tr._("Decisions"), decisions or [tr._("No decisions recorded.")])))
    blocks += line_sections(tr._("Actions"), action_lines or [(tr._("No actions recorded."), None)], room)
    return blocks


def action_card(tr: Translator, line: Mrkdwn, action_id: int, state: str, follow_ups: FollowUps | None = None
                ) -> list[dict[str, Any]]:
    """An action as its owner sees it: its line and what they can do with it; ``follow_ups``: what it started and
    the "Turn into…" menu (bot/blocks/meeting_follow_ups.py)."""
    blocks = [section(line)]
    if state != "done":
        value = str(action_id)
        blocks.append(actions([button(tr._("Done"), DONE, value, style="primary"),
                               button(tr._("Blocked"), BLOCKED, value), button(tr._("Move date"), MOVE, value)]))
    return blocks + follow_up_blocks(tr, action_id, state, follow_ups)


def update_modal(tr: Translator, action_id: int, label: str, kind: str, version: int, due: date | None
                 ) -> dict[str, Any]:
    note = {"type": "plain_text_input", "action_id": "note", "multiline": True, "max_length": 1000}
    blocks = []
    if kind == "moved":
        picker: dict[str, Any] = {"type": "datepicker", "action_id": "due"}
        if due is not None:
            picker["initial_date"] = due.isoformat()
        blocks.append(input_block("due", tr._("New date"), picker))
    labels = {"done": tr._("What came of it?"), "blocked": tr._("What is blocking it?"),
              "moved": tr._("Why does it move?")}
    blocks.append(input_block("note", labels[kind], note, optional=kind == "done"))
    titles = {"done": tr._("{label} done", label=label), "blocked": tr._("{label} blocked", label=label),
              "moved": tr._("Move {label}", label=label)}
    return modal(titles[kind], blocks, callback_id=UPDATE_VIEW, submit=tr._("Save"), close=tr._("Cancel"),
                 private_metadata=json.dumps({"action": action_id, "kind": kind, "version": version}))


def _where(tr: Translator, section_title: str, line: str | None) -> dict[str, Any]:
    where = tr._("On the agenda's {section}", section=escape(section_title))
    return context(where + from_line(tr, line))


def _text_input(label: str, prefill: str | None) -> dict[str, Any]:
    element = {"type": "plain_text_input", "action_id": "text", "multiline": True, "max_length": 1000}
    if prefill:
        element["initial_value"] = prefill[:1000]  # plain_text: shown as typed, never escaped
    return input_block("text", label, element)


def new_action_modal(tr: Translator, meeting_id: int, key: str, section_title: str, line: int | None = None,
                     quoted: str | None = None, prefill: str | None = None) -> dict[str, Any]:
    """An action on an agenda section, or on one of its lines (``quoted``; its words ``prefill`` the text)."""
    blocks = [
        _where(tr, section_title, quoted),
        input_block("owner", tr._("Owner"), {"type": "users_select", "action_id": "owner"}),
        input_block("due", tr._("Due"), {"type": "datepicker", "action_id": "due"}),
        _text_input(tr._("What is to be done?"), prefill),
    ]
    return modal(tr._("New action"), blocks, callback_id=NEW_ACTION_VIEW, submit=tr._("Save"), close=tr._("Cancel"),
                 private_metadata=json.dumps({"meeting": meeting_id, "section": key, "line": line}))


def new_decision_modal(tr: Translator, meeting_id: int, key: str, section_title: str, line: int, quoted: str,
                       prefill: str) -> dict[str, Any]:
    blocks = [_where(tr, section_title, quoted), _text_input(tr._("What was decided?"), prefill)]
    return modal(tr._("New decision"), blocks, callback_id=NEW_DECISION_VIEW, submit=tr._("Save"),
                 close=tr._("Cancel"), private_metadata=json.dumps({"meeting": meeting_id, "section": key,
                                                                    "line": line}))


def record_blocks(tr: Translator, title: str, when: str, parts: list[tuple[str, str, tuple[str, ...]]],
                  decisions: list[Mrkdwn], action_lines: list[Line]) -> list[dict[str, Any]]:
    """``/meeting show``: the agenda as it went out, then what was decided and who does what (an action the reader
    may change with its menu)."""
    outcome = summary_blocks(tr, title, when, decisions, action_lines, room=20)[2:]
    agenda = agenda_blocks(tr, title, when, parts, None)
    if len(agenda) + len(outcome) > MESSAGE_BLOCKS:
        agenda = [*agenda[: MESSAGE_BLOCKS - len(outcome) - 1],
                  context(tr._("The agenda is longer than Slack shows; the export has all of it."))]
    return agenda + outcome


def list_blocks(tr: Translator, lines: list[str]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [header(tr._("Meetings"))]
    blocks.append(section("\n".join(lines) if lines else tr._("No meetings yet.")))
    blocks.append(context(tr._("/meeting show DATE shows one meeting's agenda, decisions and actions.")))
    return blocks


def list_line(tr: Translator, rhythm: str, day: date, decisions: int, action_count: int) -> str:
    return tr._("{day} · {meeting} · {decisions} · {actions}", day=tr.date(day), meeting=rhythm_name(tr, rhythm),
                decisions=tr.ngettext("{n} decision", "{n} decisions", decisions),
                actions=tr.ngettext("{n} action", "{n} actions", action_count))


def home_blocks(tr: Translator, mine: list[tuple[Mrkdwn, int, str]], overdue: list[Line],
                follow_ups: Mapping[int, FollowUps] | None = None) -> list[dict[str, Any]]:
    """App Home: my open actions with their buttons (and what each may be turned into); the team's overdue
    actions for a manager, each with a menu (the first ten: App Home has room for 100 blocks in all)."""
    if not mine and not overdue:
        return []
    blocks: list[dict[str, Any]] = [header(tr._("My actions"))] if mine else []
    for line, action_id, state in mine[:10]:
        blocks += action_card(tr, line, action_id, state, (follow_ups or {}).get(action_id))
    if overdue:
        blocks.append(header(tr._("Overdue actions")))
        blocks += line_sections(None, overdue[:30], 11)
    return blocks
