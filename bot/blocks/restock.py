"""Restock requests as Block Kit: the form, the suggestion with its math, the card and its steps."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.lists import format_list

from bot.blocks.common import actions, button, context, header, input_block, modal, option, section
from bot.blocks.limits import SECTION_TEXT, clip
from bot.blocks.text import Mrkdwn, escape
from bot.errors import N_
from bot.i18n import NP_, Translator
from bot.ops import restock as ops
from bot.ops.links import Ref, source_metadata

REQUEST_VIEW = "restock.request"
STEP_VIEW = "restock.step"
REQUEST_PREFILLED = "restock.request_prefilled"
STEP = "restock.step_button"  # every lifecycle button: value {"id", "action"}
USE_ORDERABLE = "restock.use_orderable"  # the one-liner's offered quantity: value {"id", "quantity"}
ADJUST_FROM_FEEDBACK = "feedback_adjust_restock"  # the feedback card's button: value {"feedback", "sku", "marketplace"}
DIRECT = ("approve", "close", "cancel")  # the buttons that act at once; the others open a form
STATE_LABELS = {
    ops.REQUESTED: NP_("restock state", "requested"),
    ops.APPROVED: NP_("restock state", "approved"),
    ops.REJECTED: NP_("restock state", "rejected"),
    ops.ORDERED: NP_("restock state", "ordered"),
    ops.SHIPPED: NP_("restock state", "shipped"),
    ops.RECEIVED: NP_("restock state", "received"),
    ops.CLOSED: NP_("restock state", "closed"),
    ops.CANCELLED: NP_("restock state", "cancelled"),
    ops.HELD: NP_("restock state", "not posted yet"),
    ops.WITHDRAWN: NP_("restock state", "cancelled"),  # to its requester, the only one who sees it
}
# A card's lifecycle buttons in each state: (action, label).
BUTTONS = {
    ops.REQUESTED: (
        ("approve", NP_("button", "Approve")),
        ("reject", NP_("button", "Reject")),
        ("change_quantity", NP_("button", "Change quantity")),
        ("cancel", NP_("button", "Cancel request")),
    ),
    ops.APPROVED: (("order", NP_("button", "Mark ordered")), ("cancel", NP_("button", "Cancel request"))),
    ops.ORDERED: (("ship", NP_("button", "Mark shipped")), ("cancel", NP_("button", "Cancel request"))),
    ops.SHIPPED: (("receive", NP_("button", "Mark received")), ("cancel", NP_("button", "Cancel request"))),
    ops.RECEIVED: (("close", NP_("button", "Close")),),
}


# Each lifecycle action as its button names it, for a stale press's answer.
ACTION_LABELS = {action: label for moves in BUTTONS.values() for action, label in moves}


def action_label(tr: Translator, action: str) -> str:
    return tr.pgettext("button", ACTION_LABELS[action]) if action in ACTION_LABELS else escape(action)


# /restock list's scopes, as the list's title names them (any other scope is a SKU, shown as typed).
SCOPE_LABELS = {
    "open": NP_("restock list", "open"),
    "mine": NP_("restock list", "mine"),
    "all": NP_("restock list", "all"),
}


def scope_label(tr: Translator, scope: str) -> str:
    """For the list's header, which is plain_text: a SKU is shown as typed, not escaped (Slack shows it literally)."""
    label = SCOPE_LABELS.get(scope.lower())
    return tr.pgettext("restock list", label) if label else scope


DESTINATIONS = {"fba": N_("FBA"), "overseas_warehouse": N_("Overseas warehouse"), "own_warehouse": N_("Own warehouse")}
FREIGHT_MODES = {"sea": NP_("freight", "sea"), "air": NP_("freight", "air"), "express": NP_("freight", "express")}


def destination_label(tr: Translator, destination: str) -> str:
    return tr._(DESTINATIONS[destination]) if destination in DESTINATIONS else escape(destination)


def freight_label(tr: Translator, mode: str) -> str:
    return tr.pgettext("freight", FREIGHT_MODES[mode]) if mode in FREIGHT_MODES else escape(mode)


def state_label(tr: Translator, state: str) -> str:
    return tr.pgettext("restock state", STATE_LABELS[state]) if state in STATE_LABELS else state


def buttons(tr: Translator, state: str) -> list[tuple[str, str]]:
    """The card's buttons in ``state`` as (label, action)."""
    return [(tr.pgettext("button", label), action) for action, label in BUTTONS.get(state, ())]


def card_text(tr: Translator, ref: str, quantity: int, sku: str, state: str) -> str:
    """A card's notification text (what a phone shows)."""
    return tr._(
        "Restock {ref}: {quantity} × {sku} ({state})",
        ref=ref,
        quantity=tr.number(quantity),
        sku=escape(sku),
        state=state_label(tr, state),
    )


def filed_text(tr: Translator, ref: str, quantity: int, sku: str) -> str:
    """The requester's answer to a one-line /restock."""
    return tr._(
        "Filed {ref}: {quantity} × {sku}, sent to purchasing.", ref=ref, quantity=tr.number(quantity), sku=escape(sku)
    )


def filed_with_offer(tr: Translator, text: str, request_id: int, sku: str, quantity: int, moq: int, carton: int,
                     rounded: int) -> list[dict[str, Any]]:
    """The one-liner's reply when the quantity is not what the supplier ships: the nearest one in one click."""
    flag, offer = orderable_offer(tr, request_id, sku, quantity, moq, carton, rounded)
    return [section(text), flag, actions([offer])]


def orderable_offer(tr: Translator, request_id: int, sku: str, quantity: int, moq: int, carton: int,
                    rounded: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the supplier ships instead of ``quantity`` (a section) and the button that makes it so."""
    flag = tr._("⚠️ {sku} ships at least {moq}, in cartons of {carton}: {quantity} would be ordered as {rounded}.",
                sku=escape(sku), moq=tr.number(moq), carton=tr.number(carton), quantity=tr.number(quantity),
                rounded=tr.number(rounded))
    offer = button(tr._("Make it {rounded}", rounded=tr.number(rounded)), USE_ORDERABLE,
                   json.dumps({"id": request_id, "quantity": rounded}), style="primary")
    return section(flag), offer


def origin_line(tr: Translator, label: str, title: str) -> str:
    return tr._("From {ref}: {title}", ref=label, title=escape(title))


def list_line(
    tr: Translator, ref: str, quantity: int, sku: str, marketplace: str, state: str, requester: str
) -> Mrkdwn:
    return Mrkdwn(
        f"*{ref}* · {tr.number(quantity)} × {escape(sku)} · {escape(marketplace)} · {state_label(tr, state)} · "
        f"<@{requester}>"
    )


@dataclass(frozen=True)
class Progress:
    """What has happened to a request so far, as its card's history shows it."""

    state: str
    quantity: int
    decided_by: str | None
    note: str | None
    po_number: str | None
    supplier: str | None
    eta: date | None
    carrier: str | None
    tracking: str | None
    freight_mode: str
    received_quantity: int | None


def history_lines(tr: Translator, p: Progress) -> list[Mrkdwn]:
    """Who decided, why it was rejected, the PO, the shipment, what arrived and any discrepancy."""
    lines: list[str] = []
    if p.decided_by and p.state not in (ops.REQUESTED,):
        lines.append(tr._("{state} by <@{who}>", state=state_label(tr, p.state), who=p.decided_by))
    if p.state == ops.REJECTED and p.note:
        lines.append(tr._("Reason: {reason}", reason=escape(p.note)))
    if p.po_number:
        eta = tr.date(p.eta) if p.eta else "—"
        lines.append(
            tr._(
                "PO {po} · {supplier} · ETA {eta}", po=escape(p.po_number), supplier=escape(p.supplier or "—"), eta=eta
            )
        )
    if p.tracking:
        lines.append(
            tr._(
                "Shipped by {carrier} ({mode}), tracking {tracking}",
                carrier=escape(p.carrier or "—"),
                mode=freight_label(tr, p.freight_mode),
                tracking=escape(p.tracking),
            )
        )
    if p.received_quantity is not None:
        lines.append(
            tr._(
                "Received {received} of {quantity}",
                received=tr.number(p.received_quantity),
                quantity=tr.number(p.quantity),
            )
        )
        if p.received_quantity != p.quantity:
            lines.append(
                tr._("⚠️ Discrepancy: {diff:+d} units against the order", diff=p.received_quantity - p.quantity)
            )
    return [Mrkdwn(line) for line in lines]


def request_modal(
    tr: Translator,
    skus: list[str],
    marketplaces: tuple[str, ...],
    destinations: tuple[str, ...],
    *,
    sku: str | None,
    marketplace: str | None,
    quantity: int | None,
    explanation: Mrkdwn,
    source: Ref | None = None,
    reason: str = "",
    private: bool = False,
) -> dict[str, Any]:
    """``source``: what it is filed for (F-12, A-7), kept with the form and linked when it is filed; ``reason``
    prefilled (an action's words); ``private``: opened in a private place or for something private (filed, it waits
    for its requester's word before it is posted)."""
    sku_options = [option(s, s) for s in skus[:100]]
    sku_element: dict[str, Any] = {"type": "static_select", "action_id": "sku", "options": sku_options}
    if sku in skus:
        sku_element["initial_option"] = option(sku, sku)
    market_options = [option(m, m) for m in marketplaces]
    market: dict[str, Any] = {
        "type": "static_select",
        "action_id": "marketplace",
        "options": market_options,
        "initial_option": next((o for o in market_options if o["value"] == marketplace), market_options[0]),
    }
    dest_names = {
        "fba": tr._("FBA"),
        "overseas_warehouse": tr._("Overseas warehouse"),
        "own_warehouse": tr._("Own warehouse"),
    }
    dest_options = [option(dest_names.get(d, d), d) for d in destinations]
    freight = [option(tr._("Sea"), "sea"), option(tr._("Air"), "air"), option(tr._("Express"), "express")]
    qty: dict[str, Any] = {"type": "plain_text_input", "action_id": "quantity"}
    if quantity:
        qty["initial_value"] = str(quantity)
    blocks: list[dict[str, Any]] = []
    if explanation:
        blocks.append(section(clip(explanation, SECTION_TEXT)))
    blocks += [
        input_block("sku", tr._("SKU"), sku_element),
        input_block("marketplace", tr._("Marketplace"), market),
        input_block(
            "destination",
            tr._("Destination"),
            {
                "type": "static_select",
                "action_id": "destination",
                "options": dest_options,
                "initial_option": dest_options[0],
            },
        ),
        input_block("quantity", tr._("Quantity (empty: the suggestion)"), qty, optional=True),
        input_block("needed_by", tr._("Needed by"), {"type": "datepicker", "action_id": "needed_by"}, optional=True),
        input_block(
            "freight",
            tr._("Freight"),
            {"type": "static_select", "action_id": "freight", "options": freight, "initial_option": freight[0]},
        ),
        input_block(
            "reason",
            tr._("Reason"),
            {"type": "plain_text_input", "action_id": "reason", "multiline": True,
             **({"initial_value": reason} if reason else {})},
            optional=True,
        ),
    ]
    kept = {**(source_metadata(source) if source else {}), **({"private": True} if private else {})}
    return modal(
        tr._("Restock request"), blocks, callback_id=REQUEST_VIEW, submit=tr._("Request"), close=tr._("Cancel"),
        private_metadata=json.dumps(kept) if kept else "",
    )


@dataclass(frozen=True)
class CardView:
    ref: str
    id: int
    sku: str
    marketplace: str
    destination: str
    quantity: int
    value: str
    requester: str
    state: str
    state_label: str
    needs_manager: bool
    needed_by: date | None
    reason: str
    history: list[Mrkdwn]  # history_lines: "approved by @x", "PO 123 · Supplier · ETA", ...
    suggestion: Mrkdwn
    buttons: list[tuple[str, str]]  # (label, action)
    origins: tuple[str, ...] = ()  # "From F-12: Price too high in the US", in the reader's words
    orderable: int | None = None  # the nearest quantity the supplier ships, when the request's is not
    waits_for: tuple[str, ...] = ()  # the manager's own request: who decides it instead (restock.yml's second)
    reason_withheld: str = ""  # in place of a note its requester kept private, for readers who may not see it


def card_blocks(tr: Translator, card: CardView) -> list[dict[str, Any]]:
    facts = tr._(
        "{quantity} × {sku} → {marketplace} {destination} · {value} · requested by <@{who}>",
        quantity=tr.number(card.quantity),
        sku=escape(card.sku),
        marketplace=escape(card.marketplace),
        destination=destination_label(tr, card.destination),
        value=card.value,
        who=card.requester,
    )
    blocks = [header(tr._("📦 Restock {ref} · {state}", ref=card.ref, state=card.state_label)), section(facts)]
    notes = []
    if card.needed_by:
        notes.append(tr._("needed by {day}", day=tr.date(card.needed_by)))
    if card.needs_manager and card.waits_for:
        who = str(format_list([f"<@{u}>" for u in card.waits_for], locale=tr.locale))
        notes.append(tr._("waits for approval from {who}", who=who))
    elif card.needs_manager:
        notes.append(tr._("needs the manager's approval"))
    if card.orderable is not None:
        notes.append(tr._("⚠️ not what the supplier ships: {rounded} would be", rounded=tr.number(card.orderable)))
    if card.reason:
        notes.append(escape(card.reason))
    elif card.reason_withheld:
        notes.append(card.reason_withheld)
    if notes:
        blocks.append(context(clip(" · ".join(notes), SECTION_TEXT)))
    if card.origins:
        blocks.append(context(clip("\n".join(card.origins), SECTION_TEXT)))
    if card.suggestion:
        blocks.append(section(clip(card.suggestion, SECTION_TEXT)))
    if card.history:
        blocks.append(context(clip("\n".join(card.history), SECTION_TEXT)))
    if card.buttons:
        blocks.append(
            actions(
                [
                    button(
                        label,
                        STEP,
                        json.dumps({"id": card.id, "action": action}),
                        style="primary"
                        if action == "approve"
                        else ("danger" if action in ("reject", "cancel") else None),
                    )
                    for label, action in card.buttons
                ]
            )
        )
    return blocks


def step_modal(tr: Translator, request_id: int, action: str, ref: str, quantity: int, *, intro: str | None = None,
               source: Ref | None = None) -> dict[str, Any]:
    """``intro``: a line above the fields; ``source``: what the step is taken for (F-12, A-7; linked on save)."""
    text = {"type": "plain_text_input"}
    fields: dict[str, list[dict[str, Any]]] = {
        "reject": [
            input_block("reason", tr._("Why is it rejected?"), {**text, "action_id": "reason", "multiline": True})
        ],
        "change_quantity": [
            input_block(
                "quantity", tr._("New quantity"), {**text, "action_id": "quantity", "initial_value": str(quantity)}
            )
        ],
        # max_length is the database column's width: Slack stops longer text, and the server checks it too.
        "order": [
            input_block("po", tr._("PO number"), {**text, "action_id": "po", "max_length": 64}),
            input_block(
                "supplier", tr._("Supplier"), {**text, "action_id": "supplier", "max_length": 120}, optional=True
            ),
            input_block("eta", tr._("ETA"), {"type": "datepicker", "action_id": "eta"}),
        ],
        "ship": [
            input_block("carrier", tr._("Carrier"), {**text, "action_id": "carrier", "max_length": 64}, optional=True),
            input_block(
                "tracking", tr._("Tracking number"), {**text, "action_id": "tracking", "max_length": 120}, optional=True
            ),
            input_block(
                "mode",
                tr._("Mode"),
                {
                    "type": "static_select",
                    "action_id": "mode",
                    "options": [
                        option(tr._("Sea"), "sea"),
                        option(tr._("Air"), "air"),
                        option(tr._("Express"), "express"),
                    ],
                },
                optional=True,
            ),  # empty keeps the request's freight mode
        ],
        "receive": [
            input_block(
                "received", tr._("Quantity received"), {**text, "action_id": "received", "initial_value": str(quantity)}
            )
        ],
    }
    return modal(
        ref,
        ([section(intro)] if intro else []) + fields[action],
        callback_id=STEP_VIEW,
        submit=tr._("Save"),
        close=tr._("Cancel"),
        private_metadata=json.dumps({"id": request_id, "action": action, **source_metadata(source)}),
    )


def request_restock_button(tr: Translator, sku: str, marketplace: str | None) -> dict[str, Any]:
    """The button the digest and feedback cards show: opens the request form prefilled."""
    return button(tr._("Request restock"), REQUEST_PREFILLED, json.dumps({"sku": sku, "marketplace": marketplace}))


def list_blocks(tr: Translator, title: str, lines: list[Mrkdwn]) -> list[dict[str, Any]]:
    return [header(title), section(clip("\n".join(lines[:40]) or tr._("No restock requests here."), SECTION_TEXT))]
