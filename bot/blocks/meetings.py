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
from bot.blocks.text import Mrkdwn, escape, escape_clipped
from bot.errors import N_
from bot.i18n import NP_, Translator

SHORTCUT = "meetings.add_to_agenda"
ADD_ACTION = "meetings.add_action"  # on an agenda section: record an action linked to it
NEW_ACTION_VIEW = "meetings.new_action"
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
                *, overdue: bool = False, note: str | None = None) -> Mrkdwn:
    """``◻️ A-3 @Amy · due Fri, Dec 4 · Lower the DE bids`` (and the owner's latest note)."""
    icon = "⚠️" if overdue else STATE_ICONS.get(state, "◻️")
    parts = [f"{icon} *{label}*", f"<@{owner}>" if owner else "", tr.pgettext("action", STATE_NAMES[state])
             if state in STATE_NAMES else state]
    if due is not None:
        parts.append(tr._("overdue since {day}", day=tr.date(due)) if overdue else tr._("due {day}", day=tr.date(due)))
    line = " · ".join(p for p in parts if p) + f" · {escape_clipped(text, TEXT_LIMIT)}"
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


def decision_line(tr: Translator, text: str, by: str, section_title: str | None = None) -> Mrkdwn:
    line = "🔷 " + tr._("{text} (<@{who}>)", text=escape_clipped(text, TEXT_LIMIT), who=by)
    if section_title:
        line += " · " + tr._("on {section}", section=escape(section_title))
    return Mrkdwn(line)


def notice(text: str) -> dict[str, Any]:
    """A line Opsbot made (user parts already escaped by the builders above)."""
    return section(text)


def part_text(title: str, lines: Sequence[str]) -> str:
    return f"*{escape(title)}*\n" + "\n".join(f"• {line}" for line in lines)


def agenda_blocks(tr: Translator, title: str, when: str, parts: list[tuple[str, str, tuple[str, ...]]],
                  meeting_id: int | None, intro: str | None = None) -> list[dict[str, Any]]:
    """The agenda: one section per part (key, title, lines), each with a button that records an action on it."""
    blocks: list[dict[str, Any]] = [header(title), context(when)]
    if intro:
        blocks.append(context(intro))
    for key, part_title, lines in parts:
        accessory = button(tr._("Add action"), ADD_ACTION, f"{meeting_id}:{key}") if meeting_id else None
        blocks.append(section(part_text(part_title, lines), accessory=accessory))
    if not parts:
        blocks.append(section(tr._("Nothing on the agenda yet: add an item with /agenda add.")))
    return fit_blocks(blocks, context(tr._("The agenda is longer than Slack shows; /meeting show has all of it.")),
                      MESSAGE_BLOCKS)


def summary_blocks(tr: Translator, title: str, when: str, decisions: list[Mrkdwn], action_lines: list[Mrkdwn]
                   ) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [header(title), context(when)]
    blocks.append(section(part_text(tr._("Decisions"), decisions or [tr._("No decisions recorded.")])))
    blocks.append(section(part_text(tr._("Actions"), action_lines or [tr._("No actions recorded.")])))
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


def new_action_modal(tr: Translator, meeting_id: int, key: str, section_title: str) -> dict[str, Any]:
    blocks = [
        context(tr._("On the agenda's {section}", section=escape(section_title))),
        input_block("owner", tr._("Owner"), {"type": "users_select", "action_id": "owner"}),
        input_block("due", tr._("Due"), {"type": "datepicker", "action_id": "due"}),
        input_block("text", tr._("What is to be done?"),
                    {"type": "plain_text_input", "action_id": "text", "multiline": True, "max_length": 1000}),
    ]
    return modal(tr._("New action"), blocks, callback_id=NEW_ACTION_VIEW, submit=tr._("Save"), close=tr._("Cancel"),
                 private_metadata=json.dumps({"meeting": meeting_id, "section": key}))


def record_blocks(tr: Translator, title: str, when: str, parts: list[tuple[str, str, tuple[str, ...]]],
                  decisions: list[Mrkdwn], action_lines: list[Mrkdwn]) -> list[dict[str, Any]]:
    """``/meeting show``: the agenda as it went out, then what was decided and who does what."""
    blocks = agenda_blocks(tr, title, when, parts, None)[: MESSAGE_BLOCKS - 3]
    blocks += summary_blocks(tr, title, when, decisions, action_lines)[2:]
    return blocks


def list_blocks(tr: Translator, lines: list[str]) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [header(tr._("Meetings"))]
    blocks.append(section("\n".join(lines) if lines else tr._("No meetings yet.")))
    blocks.append(context(tr._("/meeting show DATE shows one meeting's agenda, decisions and actions.")))
    return blocks


def list_line(tr: Translator, rhythm: str, day: date, decisions: int, action_count: int) -> str:
    return tr._("{day} · {meeting} · {decisions} · {actions}", day=tr.date(day), meeting=rhythm_name(tr, rhythm),
                decisions=tr.ngettext("{n} decision", "{n} decisions", decisions),
                actions=tr.ngettext("{n} action", "{n} actions", action_count))


def home_blocks(tr: Translator, mine: list[tuple[Mrkdwn, int, str]], overdue: list[Mrkdwn],
                follow_ups: Mapping[int, FollowUps] | None = None) -> list[dict[str, Any]]:
    """App Home: my open actions with their buttons; the team's overdue actions for a manager."""
    if not mine and not overdue:
        return []
    blocks: list[dict[str, Any]] = [header(tr._("My actions"))] if mine else []
    for line, action_id, state in mine[:10]:
        blocks += action_card(tr, line, action_id, state, (follow_ups or {}).get(action_id))
    if overdue:
        blocks.append(header(tr._("Overdue actions")))
        blocks.append(section("\n".join(overdue[:30])))
    return blocks
