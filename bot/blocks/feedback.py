"""Market feedback cards, modals and summaries, as Block Kit. Pure: built from plain values."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from babel.lists import format_list

from bot.blocks.common import actions, button, context, header, input_block, modal, option, section
from bot.blocks.feedback_lines import LineView, line_blocks, started_block
from bot.blocks.figures import summary_line
from bot.blocks.limits import SECTION_TEXT, clip
from bot.blocks.text import Mrkdwn, escape, escape_clipped
from bot.errors import N_
from bot.i18n import Translator
from bot.ops.feedback import WeekCount
from bot.ops.links import LinkState
from bot.reports.queries import KpiSummary

FILE_VIEW = "feedback.file"
REROUTE = "feedback.reroute"
CLOSE = "feedback.close"
NOTE_VIEW = "feedback.note"
REROUTE_VIEW = "feedback.reroute_view"
SHORTCUT = "feedback.from_message"
PICK = "feedback.pick"  # + ":<category>": the reporter's answer when Opsbot was unsure (one action id per button)
SHARE = "feedback.share"
KEEP_PRIVATE = "feedback.keep_private"
MARKETPLACES = ("US", "CA", "MX", "UK", "DE", "FR", "IT", "ES", "NL", "JP", "AU")
STATE_ICON = {"new": "🆕", "acknowledged": "👀", "in_progress": "🛠", "closed": "✅"}
STATE_LABELS = {"new": N_("new"), "acknowledged": N_("acknowledged"), "in_progress": N_("in progress"),
                "closed": N_("closed")}
LIST_SCOPES = {"open": N_("open"), "mine": N_("mine"), "all": N_("all")}  # /feedback list SCOPE, as typed


@dataclass(frozen=True)
class Card:
    id: int
    reporter: str
    text: str
    link: str | None
    category: str  # its name in the reader's language
    sku: str | None
    marketplace: str | None
    urgent: bool
    state: str
    state_label: str
    outcome: str | None  # the manager's, when they closed it for everyone
    count: int
    destinations: Mrkdwn  # Opsbot's channel references, e.g. "<#C0PURCHASING>, <#C0MANAGER>"
    lines: tuple[LineView, ...] = ()  # each destination role's work on it
    started: tuple[LinkState, ...] = ()  # what it started (R-3, P-2, T-40), each with its state
    asins: tuple[str, ...] = ()
    unsure: bool = False  # no rule chose the category: the reporter was asked
    waiting_for: str | None = None  # the author whose consent it waits for before going to team channels
    kept_private_by: str | None = None  # the author who chose to keep it with the manager


def listed(tr: Translator, items: list[str]) -> str:
    """Items joined the way the reader's language joins a list ("A, B and C"; "A、B和C")."""
    return str(format_list(items, locale=tr.locale)) if items else ""


def file_modal(
    tr: Translator,
    categories: list[tuple[str, str]],
    *,
    text: str = "",
    link: str = "",
    private_source: bool,
    metadata: dict[str, Any],
    asks_author: bool = False,
) -> dict[str, Any]:
    """The feedback form. ``private_source``: the sender's own words from a private place, a box clears them for
    team channels; ``asks_author``: someone's message from a private place, whose author is asked afterwards."""
    category_options = [option(tr._("Let Opsbot decide"), "auto")] + [option(n, k) for k, n in categories]
    what: dict[str, Any] = {"type": "plain_text_input", "action_id": "what", "multiline": True, "max_length": 3000}
    if text:
        what["initial_value"] = text[:3000]
    evidence: dict[str, Any] = {"type": "plain_text_input", "action_id": "link"}
    if link:
        evidence["initial_value"] = link
    blocks = [
        input_block("what", tr._("What happened?"), what),
        input_block(
            "marketplace",
            tr._("Marketplace"),
            {"type": "static_select", "action_id": "marketplace", "options": [option(m, m) for m in MARKETPLACES]},
            optional=True,
        ),
        input_block("sku", tr._("SKU"), {"type": "plain_text_input", "action_id": "sku", "max_length": 64},
                    optional=True),  # the width of feedback_items.sku
        input_block(
            "category",
            tr._("Category"),
            {
                "type": "static_select",
                "action_id": "category",
                "options": category_options,
                "initial_option": category_options[0],
            },
        ),
        input_block(
            "urgent",
            tr._("Urgency"),
            {
                "type": "checkboxes",
                "action_id": "urgent",
                "options": [option(tr._("Urgent: tell the manager now"), "yes")],
            },
            optional=True,
        ),
        input_block("link", tr._("Link or evidence"), evidence, optional=True),
    ]
    if private_source:
        blocks.append(
            input_block(
                "share",
                tr._("This came from a private conversation"),
                {
                    "type": "checkboxes",
                    "action_id": "share",
                    "options": [option(tr._("OK to repost it in team channels"), "yes")],
                },
                optional=True,
            )
        )
    if asks_author:
        blocks.append(context(tr._("🔒 This came from a private conversation: only the manager will see it until "
                                   "the person who wrote it agrees to share it. Opsbot will ask them.")))
    return modal(
        tr._("Market feedback"),
        blocks,
        callback_id=FILE_VIEW,
        submit=tr._("Send"),
        close=tr._("Cancel"),
        private_metadata=json.dumps(metadata),
    )


def state_label(tr: Translator, state: str) -> str:
    return tr._(STATE_LABELS.get(state, state))


def card_text(tr: Translator, item_id: int, category: str) -> str:
    """A card's plain text: what a notification shows."""
    return tr._("Feedback #{id}: {category}", id=item_id, category=category)


def joined_text(tr: Translator, item_id: int, sku: str | None, count: int) -> str:
    """The reporter's answer when their feedback joined an open item."""
    return tr._("Joined the open feedback #{id} on {sku} ({count} reports so far).", id=item_id, sku=escape(sku or ""),
                count=count)


def another_report_text(tr: Translator, reporter: str, text: str | None) -> str:
    """A joined report in the open item's threads; ``text`` is None where the thread may not see its words."""
    if text is None:
        return tr._("Another report from {who}, from a private conversation.", who=f"<@{reporter}>")
    return tr._("Another report from {who}: {text}", who=f"<@{reporter}>", text=escape(text))


def outcome_text(tr: Translator, outcome: str) -> str:
    return tr._("Outcome: {outcome}", outcome=escape(outcome))


def reminder_text(tr: Translator, people: list[str]) -> str:
    return tr._("⏰ Nobody has acknowledged this yet: {people}, please take a look.",
                people=listed(tr, [f"<@{u}>" for u in people]))


def category_question(
    tr: Translator, item_id: int, text: str, categories: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """Asks the reporter what their feedback is about when no rule knew: a button per category."""
    question = tr._("Opsbot was not sure what your feedback #{id} is about, so for now it went to the manager. "
                    "What is it about?", id=item_id)
    buttons = [button(name, f"{PICK}:{key}", str(item_id)) for key, name in categories]
    return [section(question), context(escape_clipped(text, 300)), actions(buttons)]


def category_question_text(tr: Translator, item_id: int) -> str:
    return tr._("What is your feedback #{id} about?", id=item_id)


def picked_text(tr: Translator, item_id: int, category: str) -> str:
    return tr._("Thanks: feedback #{id} is now filed as {category}.", id=item_id, category=category)


def consent_question(
    tr: Translator, item_id: int, reporter: str, author: str, text: str, destinations: list[str], question: int, *,
    again: bool = False,
) -> list[dict[str, Any]]:
    """Asks the author of a message from a private conversation whether it may go to the team's channels. Both
    buttons carry the question's number (a newer question replaces this one) and its "Yes" the destinations it
    named: where the item goes has changed since, it shares nothing and the author is asked again (``again``),
    naming where it goes now."""
    if reporter == author:
        asked = tr._("You sent a message from a private conversation as market feedback #{id}. Only the manager "
                     "has seen it so far. May it also go to {where}?", id=item_id, where=listed(tr, destinations))
    else:
        asked = tr._("{who} sent your message from a private conversation as market feedback #{id}. Only the "
                     "manager has seen it so far. May it also go to {where}?", who=f"<@{reporter}>", id=item_id,
                     where=listed(tr, destinations))
    if again:
        asked = tr.sentences(tr._("Where feedback #{id} would go has changed since you were asked.", id=item_id), asked)
    buttons = [button(tr._("Yes, share it"), SHARE, consent_value(item_id, question, destinations), style="primary"),
               button(tr._("No, keep it private"), KEEP_PRIVATE, consent_value(item_id, question))]
    return [section(asked), context(escape_clipped(text, 300)), actions(buttons)]


def consent_replaced(tr: Translator, item_id: int, text: str) -> list[dict[str, Any]]:
    """A share question once a newer one is asked: without its buttons, which answered what is no longer asked."""
    return [section(consent_replaced_text(tr, item_id)), context(escape_clipped(text, 300))]


def consent_replaced_text(tr: Translator, item_id: int) -> str:
    return tr._("This question about feedback #{id} was replaced by a newer one below: where it would go has "
                "changed since.", id=item_id)


def consent_closed(tr: Translator, item_id: int, closer: str, text: str) -> list[dict[str, Any]]:
    """A share question once the manager closed the item: without its buttons, as a closed item goes nowhere."""
    return [section(consent_closed_text(tr, item_id, closer)), context(escape_clipped(text, 300))]


def consent_closed_text(tr: Translator, item_id: int, closer: str) -> str:
    return tr._("Feedback #{id} was closed by {who} before you answered: it was not shared, and this question no "
                "longer applies.", id=item_id, who=f"<@{closer}>")


@dataclass(frozen=True)
class ConsentPress:
    """A press on a share question: the item, the question's number (0: asked before questions were numbered)
    and, for "Yes", the destinations it named (None: asked before they were carried)."""

    item_id: int
    question: int = 0
    asked: list[str] | None = None


def consent_value(item_id: int, question: int, destinations: list[str] | None = None) -> str:
    """A share question's button value: {"feedback": 12, "question": 2, "to": ["<#C0OPS>", "<@U0LI>"]}."""
    value: dict[str, Any] = {"feedback": item_id, "question": question}
    if destinations is not None:
        value["to"] = destinations
    return json.dumps(value)


def parse_consent_value(value: str) -> ConsentPress:
    """What a share question's button carried; older questions carried "12 <#C0OPS> <@U0LI>" ("Yes") or "12"
    ("No"). Anything else names no item (0), which nobody has."""
    try:
        carried = json.loads(value)
    except ValueError:
        carried = None
    if isinstance(carried, dict):
        item, question, to = carried.get("feedback"), carried.get("question"), carried.get("to")
        if isinstance(item, int) and isinstance(question, int) and (
                to is None or (isinstance(to, list) and all(isinstance(t, str) for t in to))):
            return ConsentPress(item, question, to)
        return ConsentPress(0)
    first, *named = value.split() or ["0"]
    return ConsentPress(int(first) if first.isdigit() else 0, 0, named or None)


def consent_changed_text(tr: Translator, item_id: int) -> str:
    """A "Yes" pressed on a question whose destinations are no longer where the item would go."""
    return tr._("Feedback #{id} was not shared: where it would go has changed since you were asked. Opsbot asked "
                "you again, naming where it goes now.", id=item_id)


def consent_question_text(tr: Translator, item_id: int) -> str:
    return tr._("May feedback #{id} go to the team's channels?", id=item_id)


def consent_answer_text(tr: Translator, item_id: int, shared: bool) -> str:
    if shared:
        return tr._("Feedback #{id} was shared with the team. Thank you.", id=item_id)
    return tr._("Feedback #{id} stays private: only the manager sees it.", id=item_id)


def consent_reporter_text(tr: Translator, item_id: int, author: str, shared: bool, where: list[str]) -> str:
    """What the reporter is told once the author has answered."""
    if shared:
        return tr._("{who} agreed: feedback #{id} went to {where}.", who=f"<@{author}>", id=item_id,
                    where=listed(tr, where))
    return tr._("{who} asked to keep feedback #{id} private: only the manager sees it.", who=f"<@{author}>",
                id=item_id)


def held_text(tr: Translator, item_id: int, author: str, reporter: str) -> str:
    """The reporter's answer when what they sent waits for its author's consent."""
    if author == reporter:
        return tr._("Thanks! Feedback #{id} went to the manager only, by DM. Opsbot sent you a question: say "
                    "whether it may go to the team's channels too.", id=item_id)
    return tr._("Thanks! Feedback #{id} went to the manager only, by DM, until {who} agrees to share it "
                "(Opsbot asked them).", id=item_id, who=f"<@{author}>")


def private_join_text(tr: Translator, item_id: int, reporter: str, text: str) -> str:
    """A report from a private conversation joining an open item: the manager alone hears its words, by DM."""
    return tr._("Another report on feedback #{id} from {who}, from a private conversation: {text}", id=item_id,
                who=f"<@{reporter}>", text=escape(text))


def card_blocks(tr: Translator, card: Card, sku_context: Mrkdwn | None = None) -> list[dict[str, Any]]:
    """The card: the report, then each destination's line with its own buttons and follow-ups, what the item
    started, and the item's own buttons (re-route; close, which only the manager may)."""
    flag = "🚨 " if card.urgent else ""
    title = tr._("{flag}Feedback #{id} · {category}", flag=flag, id=card.id, category=card.category)
    facts = [tr._("From <@{reporter}>", reporter=card.reporter)]
    if card.sku:
        facts.append(tr._("SKU {sku}", sku=escape(card.sku)))
    if card.marketplace:
        facts.append(escape(card.marketplace))
    if card.asins:
        facts.append(tr._("ASIN {asins}", asins=listed(tr, [escape(a) for a in card.asins])))
    if card.count > 1:
        facts.append(tr.ngettext("{n} report", "{n} reports", card.count))
    blocks = [header(title), section(escape_clipped(card.text, SECTION_TEXT)), context(" · ".join(facts))]
    if card.link:
        blocks.append(context(tr._("Source: {link}", link=escape(card.link))))
    if sku_context:
        blocks.append(context(clip(sku_context, SECTION_TEXT)))
    status = f"{STATE_ICON.get(card.state, '')} {card.state_label}"
    if card.outcome:
        status += "\n" + outcome_text(tr, card.outcome)
    blocks.append(section(clip(status, SECTION_TEXT)))
    closed = card.state == "closed"
    for line in card.lines:
        blocks += line_blocks(tr, card.id, line, card.sku, card.marketplace, closed=closed)
    blocks += started_block(tr, list(card.started))
    if card.unsure:
        blocks.append(context(tr._("❓ Opsbot was not sure what this is about and asked {who} to pick the category.",
                                   who=f"<@{card.reporter}>")))
    if card.waiting_for and closed:  # closed before its author answered: never shared now
        blocks.append(context(tr._("🔒 From a private conversation: closed before {who} answered; only the manager "
                                   "sees it.", who=f"<@{card.waiting_for}>")))
    elif card.waiting_for:
        blocks.append(context(tr._("🔒 From a private conversation: only the manager sees it until {who} agrees to "
                                   "share it.", who=f"<@{card.waiting_for}>")))
    if card.kept_private_by:
        blocks.append(context(tr._("🔒 From a private conversation: {who} chose to keep it private; only the manager "
                                   "sees it.", who=f"<@{card.kept_private_by}>")))
    blocks.append(context(tr._("Routed to {destinations}", destinations=card.destinations)))
    if not closed:
        value = str(card.id)
        blocks.append(actions([button(tr._("Re-route"), REROUTE, value), button(tr._("Close"), CLOSE, value)]))
    return blocks


def sku_context(tr: Translator, sku: str, found: KpiSummary) -> Mrkdwn:
    """The SKU's figures of the last 7 days, under a card."""
    return Mrkdwn(tr._("Last 7 days: {figures}", figures=summary_line(tr, sku, found)))


def note_modal(tr: Translator, item_id: int, kind: str, role: str | None = None) -> dict[str, Any]:
    """The words an action needs: ``on_it`` what they will do, ``done`` what came of it (for ``role``'s line),
    ``close`` the outcome when the manager closes the item for everyone."""
    label = tr._("What will you do?") if kind == "on_it" else tr._("What was the outcome?")
    title = {"on_it": tr._("I'm on it"), "done": tr._("Done")}.get(kind) or tr._("Close feedback")
    blocks = [
        input_block(
            "note", label, {"type": "plain_text_input", "action_id": "note", "multiline": True, "max_length": 1000}
        )
    ]
    return modal(
        title,
        blocks,
        callback_id=NOTE_VIEW,
        submit=tr._("Save"),
        close=tr._("Cancel"),
        private_metadata=json.dumps({"item": item_id, "kind": kind, "role": role}),
    )


def reroute_modal(
    tr: Translator, item_id: int, categories: list[tuple[str, str]], roles: list[tuple[str, str]], current: str
) -> dict[str, Any]:
    """Another category (its route picks the people) or, when chosen, the roles it should go to instead."""
    category_options = [option(n, k) for k, n in categories]
    category: dict[str, Any] = {"type": "static_select", "action_id": "category", "options": category_options}
    category["initial_option"] = next((o for o in category_options if o["value"] == current), category_options[0])
    blocks = [
        input_block("category", tr._("Send it as"), category),
        input_block(
            "roles",
            tr._("Send it to (leave empty to follow the rules)"),
            {"type": "multi_static_select", "action_id": "roles", "options": [option(n, k) for k, n in roles]},
            optional=True,
        ),
    ]
    return modal(
        tr._("Re-route feedback"),
        blocks,
        callback_id=REROUTE_VIEW,
        submit=tr._("Re-route"),
        close=tr._("Cancel"),
        private_metadata=json.dumps({"item": item_id}),
    )


def list_line(tr: Translator, item_id: int, category: str, state: str, sku: str | None, text: str) -> Mrkdwn:
    return Mrkdwn(f"#{item_id} · {category} · {state_label(tr, state)}" + (f" · {escape(sku)}" if sku else "")
                  + f" · {escape(text[:80])}")


def private_words(tr: Translator) -> str:
    """Stands for the words of feedback from a private conversation wherever its reader may not see them."""
    return tr._("from a private conversation")


def private_list_line(tr: Translator, item_id: int, category: str, state: str) -> Mrkdwn:
    return Mrkdwn(f"#{item_id} · {escape(category)} · {state_label(tr, state)} · {private_words(tr)}")


def list_title(tr: Translator, scope: str, category: str) -> str:
    """The title of ``/feedback list SCOPE``; ``category`` is the scope's name when it is a category."""
    titles = {"open": tr._("Open market feedback"), "mine": tr._("Market feedback you sent or work on"),
              "all": tr._("All market feedback")}
    return titles.get(scope) or tr._("Market feedback: {category}", category=category)


def list_scope_words(tr: Translator) -> dict[str, str]:
    """The words /feedback list accepts for its scopes in the reader's language (the English ones always work)."""
    return {tr._(word).lower(): scope for scope, word in LIST_SCOPES.items()}


def unknown_list_blocks(tr: Translator, categories: list[str]) -> list[dict[str, Any]]:
    """``categories``: the categories' names in the reader's language."""
    names = listed(tr, [*(tr._(word) for word in LIST_SCOPES.values()), *categories])
    return [section(clip(tr._("Use /feedback list with one of: {names}", names=names), SECTION_TEXT))]


def list_blocks(tr: Translator, title: str, lines: list[Mrkdwn]) -> list[dict[str, Any]]:
    body = "\n".join(lines[:40]) or tr._("Nothing here.")
    blocks = [header(title), section(clip(body, SECTION_TEXT))]
    if len(lines) > 40:
        blocks.append(context(tr._("…and {n} more.", n=len(lines) - 40)))
    return blocks


def weekly_counts(
    tr: Translator, categories: list[tuple[str, WeekCount]], skus: list[WeekCount], markets: list[WeekCount]
) -> list[Mrkdwn]:
    """This week's count against last week's: by category (with its name), the top SKUs, marketplaces."""
    lines = [Mrkdwn(tr._("{category}: {n} ({change:+d} vs last week)", category=name, n=c.now, change=c.change))
             for name, c in categories]
    if skus:
        lines.append(Mrkdwn(tr._("SKUs: {skus}", skus=_counts(tr, skus[:8]))))
    if markets:
        lines.append(Mrkdwn(tr._("Marketplaces: {markets}", markets=_counts(tr, markets))))
    return lines


def _counts(tr: Translator, counts: list[WeekCount]) -> str:
    return listed(tr, [f"{escape(c.key)} {c.now} ({c.change:+d})" for c in counts])


def weekly_open_line(tr: Translator, item_id: int, category: str, days: int, state: str) -> Mrkdwn:
    return Mrkdwn(tr.ngettext("#{id} {category} · open {n} day · {state}", "#{id} {category} · open {n} days · {state}",
                       days, id=item_id, category=category, state=state_label(tr, state)))


def weekly_blocks(tr: Translator, counts: list[Mrkdwn], open_lines: list[Mrkdwn]) -> list[dict[str, Any]]:
    return [
        header(tr._("Market feedback this week")),
        section(clip("\n".join(counts) or tr._("No feedback this week."), SECTION_TEXT)),
        section(clip(tr._("*Still open*") + "\n" + ("\n".join(open_lines) or tr._("nothing")), SECTION_TEXT)),
    ]
