"""A feedback card's destination lines, what the item started, its follow-ups, ``/feedback status`` and the App
Home's "Feedback routed to me", as Block Kit. Pure: built from plain values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.blocks.common import actions, button, context, header, section
from bot.blocks.limits import SECTION_TEXT, clip
from bot.blocks.text import Mrkdwn, escape, escape_clipped
from bot.errors import N_
from bot.i18n import Translator
from bot.ops.links import LinkState

LINE_ACTION = "feedback.line"  # + ".<action>": a line's own buttons, value {"feedback": id, "role": role}
FOLLOW_UP_IDS = {"adjust_restock": "feedback_adjust_restock", "plan_promo": "feedback_plan_promo",
                 "add_launch_task": "feedback_add_launch_task"}
FOLLOW_UP_LABELS = {"adjust_restock": N_("Adjust restock"), "plan_promo": N_("Plan promotion"),
                    "add_launch_task": N_("Add launch task")}
ACTION_LABELS = {"acknowledge": N_("Acknowledge"), "on_it": N_("I'm on it"), "done": N_("Done"),
                 "not_ours": N_("Not ours")}
LINE_ICON = {"new": "🆕", "acknowledged": "👀", "on_it": "🛠", "done": "✅", "not_ours": "↪️"}
LINE_LABELS = {"new": N_("new"), "acknowledged": N_("acknowledged"), "on_it": N_("on it"), "done": N_("done"),
               "not_ours": N_("not ours")}
AUDIT_WORDS = {"acknowledged": N_("acknowledged"), "on_it": N_("on it"), "done": N_("done"),
               "not_ours": N_("not ours"), "closed": N_("closed"), "new": N_("new"), "in_progress": N_("in progress")}


@dataclass(frozen=True)
class LineView:
    """One destination's line as a reader sees it: ``role_name`` in their language, ``offered`` the line
    actions left, ``follow_ups`` the keys of the one-click next steps it offers."""

    role: str
    role_name: str
    state: str
    actor: str | None = None
    note: str | None = None
    outcome: str | None = None
    offered: tuple[str, ...] = ()
    follow_ups: tuple[str, ...] = ()


def line_action_id(action: str) -> str:
    return f"{LINE_ACTION}.{action}"


def line_value(item_id: int, role: str) -> str:
    return json.dumps({"feedback": item_id, "role": role})


def follow_up_value(item_id: int, sku: str | None, marketplace: str | None) -> str:
    return json.dumps({"feedback": item_id, "sku": sku, "marketplace": marketplace})


def line_state_label(tr: Translator, state: str) -> str:
    return tr._(LINE_LABELS.get(state, state))


def line_text(tr: Translator, line: LineView) -> str:
    """"*Purchasing* · 🛠 on it · @Chen Jie" and the action or outcome under it."""
    text = f"*{escape(line.role_name)}* · {LINE_ICON.get(line.state, '')} {line_state_label(tr, line.state)}"
    if line.actor:
        text += f" · <@{line.actor}>"
    if line.note:
        text += "\n" + tr._("Action: {note}", note=escape(line.note))
    if line.outcome:
        text += "\n" + tr._("Outcome: {outcome}", outcome=escape(line.outcome))
    return clip(text, SECTION_TEXT)


def line_blocks(
    tr: Translator, item_id: int, line: LineView, sku: str | None, marketplace: str | None, *, closed: bool
) -> list[dict[str, Any]]:
    blocks = [section(line_text(tr, line))]
    if closed:
        return blocks
    value = line_value(item_id, line.role)
    buttons = [button(tr._("{role}: {action}", role=line.role_name, action=tr._(ACTION_LABELS[a])),
                      line_action_id(a), value, style="primary" if a == "on_it" else None) for a in line.offered]
    buttons += [button(tr._(FOLLOW_UP_LABELS[f]), FOLLOW_UP_IDS[f], follow_up_value(item_id, sku, marketplace))
                for f in line.follow_ups]
    if buttons:
        blocks.append(actions(buttons))
    return blocks


def started_line(tr: Translator, state: LinkState) -> str:
    """"R-3 LED-100 ×900 · approved", the label a link when it has one."""
    label = f"<{state.permalink}|{state.ref.label}>" if state.permalink else state.ref.label
    mark = "✅ " if state.finished else ""
    return f"{mark}{label} {escape_clipped(state.title, 120)} · {escape(state.state)}"


def started_block(tr: Translator, started: list[LinkState]) -> list[dict[str, Any]]:
    if not started:
        return []
    body = tr._("Started: {things}", things="\n" + "\n".join(f"• {started_line(tr, s)}" for s in started))
    return [context(clip(body, SECTION_TEXT))]


def step_text(tr: Translator, item_id: int, role_name: str, state: str, who: str, words: str | None) -> str:
    """What the reporter hears when one destination moved their feedback."""
    text = tr._("Your feedback #{id}: {role} · {state} ({who}).", id=item_id, role=escape(role_name),
                state=line_state_label(tr, state), who=f"<@{who}>")
    if words:
        text += "\n" + escape(words)
    return text


def finished_text(tr: Translator, item_id: int) -> str:
    return tr._("Your feedback #{id} is closed: every team it went to has finished with it.", id=item_id)


def manager_only_text() -> str:
    return N_("Only the manager can close feedback #{id} for everyone; close your own line with Done.")


@dataclass(frozen=True)
class HistoryRow:
    """One change in the thread, already in the reader's words and zone."""

    when: str
    who: str
    what: str
    note: str | None = None


def status_blocks(
    tr: Translator, title: str, text: str, state: str, lines: list[LineView], started: list[LinkState],
    history: list[HistoryRow], outcome: str | None = None,
) -> list[dict[str, Any]]:
    """``/feedback status F-12``: the lines, what it started with their states, and who did what when."""
    summary = escape(state) + ("\n" + tr._("Outcome: {outcome}", outcome=escape(outcome)) if outcome else "")
    blocks = [header(title), section(escape_clipped(text, SECTION_TEXT)), context(clip(summary, SECTION_TEXT))]
    blocks += [section(line_text(tr, line)) for line in lines]
    blocks += started_block(tr, started)
    if history:
        rows = [f"{escape(h.when)} · {_who(h.who)} · {escape(h.what)}"
                + (f" — {escape_clipped(h.note, 200)}" if h.note else "")
                for h in history[-30:]]
        blocks.append(section(clip(tr._("*History*") + "\n" + "\n".join(rows), SECTION_TEXT)))
    return blocks


def _who(user: str) -> str:
    """A person's mention; Opsbot's own changes (a line done once everything it started finished) by name."""
    return "Opsbot" if user == "opsbot" else f"<@{user}>"


def home_blocks(tr: Translator, entries: list[tuple[str, list[dict[str, Any]]]]) -> list[dict[str, Any]]:
    """App Home: "Feedback routed to me", each item's title then the lines of mine with their buttons."""
    blocks: list[dict[str, Any]] = [header(tr._("Feedback routed to me"))]
    if not entries:
        return [*blocks, context(tr._("Nothing routed to you is open."))]
    for title, lines in entries[:10]:
        blocks.append(section(clip(title, SECTION_TEXT)))
        blocks += lines
    if len(entries) > 10:
        blocks.append(context(tr._("…and {n} more.", n=len(entries) - 10)))
    return blocks


def home_title(tr: Translator, item_id: int, category: str, sku: str | None, text: str) -> Mrkdwn:
    return Mrkdwn(f"*F-{item_id}* · {escape(category)}" + (f" · {escape(sku)}" if sku else "")
                  + f"\n{escape_clipped(text, 200)}")
