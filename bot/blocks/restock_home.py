"""Restock in each person's App Home: the requests waiting for their decision (with the card's buttons) and their
own requests in flight (state, next step, dates in their zone)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks.common import actions, button, context, section
from bot.blocks.home import title
from bot.blocks.restock import STEP, state_label
from bot.blocks.text import escape
from bot.errors import N_
from bot.i18n import NP_, Translator
from bot.ops import restock as ops

SHOWN = 10  # a Home holds 100 blocks for every feature together
NEXT_STEPS = {
    ops.REQUESTED: N_("next: a decision by {who}"),
    ops.APPROVED: N_("next: purchasing places the order"),
    ops.ORDERED: N_("next: the supplier ships it"),
    ops.SHIPPED: N_("next: it is received"),
    ops.RECEIVED: N_("next: purchasing closes it"),
}
HOME_BUTTONS = (("approve", NP_("button", "Approve")), ("reject", NP_("button", "Reject")),
                ("change_quantity", NP_("button", "Change")))


@dataclass(frozen=True)
class HomeLine:
    """One request as a Home lists it; dates already in the reader's zone."""

    id: int
    ref: str
    sku: str
    marketplace: str
    quantity: int
    value: str
    requester: str
    state: str
    filed: date
    needed_by: date | None
    eta: date | None
    deciders: tuple[str, ...] = ()  # who decides next (requested), as user ids


def approvals_section(tr: Translator, lines: list[HomeLine]) -> list[dict[str, Any]]:
    if not lines:
        return []
    blocks: list[dict[str, Any]] = [title(tr._("Approvals waiting for me"))]
    for line in lines[:SHOWN]:
        blocks.append(section(tr._(
            "*{ref}* · {quantity} × {sku} · {marketplace} · {value} · requested by <@{who}> on {day}",
            ref=line.ref, quantity=tr.number(line.quantity), sku=escape(line.sku), marketplace=escape(line.marketplace),
            value=line.value, who=line.requester, day=tr.date(line.filed))))
        blocks.append(actions([
            button(tr.pgettext("button", label), STEP, json.dumps({"id": line.id, "action": action}),
                   style="primary" if action == "approve" else ("danger" if action == "reject" else None))
            for action, label in HOME_BUTTONS
        ]))
    if len(lines) > SHOWN:
        blocks.append(context(tr._("…and {n} more: /restock list open shows them all.", n=len(lines) - SHOWN)))
    return blocks


def in_flight_section(tr: Translator, lines: list[HomeLine]) -> list[dict[str, Any]]:
    if not lines:
        return []
    texts = []
    for line in lines[:SHOWN]:
        step = tr._(NEXT_STEPS[line.state], who=tr.join(f"<@{u}>" for u in line.deciders) or "—")
        dates = [tr._("filed {day}", day=tr.date(line.filed))]
        if line.needed_by:
            dates.append(tr._("needed by {day}", day=tr.date(line.needed_by)))
        if line.eta:
            dates.append(tr._("ETA {day}", day=tr.date(line.eta)))
        texts.append(tr._("*{ref}* · {quantity} × {sku} · {state} · {step} · {dates}", ref=line.ref,
                          quantity=tr.number(line.quantity), sku=escape(line.sku), state=state_label(tr, line.state),
                          step=step, dates=" · ".join(dates)))
    blocks = [title(tr._("My requests in flight")), section("\n".join(texts))]
    if len(lines) > SHOWN:
        blocks.append(context(tr._("…and {n} more: /restock list mine shows them all.", n=len(lines) - SHOWN)))
    return blocks
