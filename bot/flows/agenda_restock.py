"""Restock's agenda section "restock": requests waiting for a decision and orders late against their ETA."""

from __future__ import annotations

from bot.blocks.meeting_agenda import restock_line
from bot.blocks.restock import state_label
from bot.db import restock as store
from bot.flows.context import AgendaPart, AgendaPeriod, AgendaSection, Context
from bot.i18n import Translator
from bot.ops.restock import ORDERED, REQUESTED, SHIPPED
from bot.ops.team import Team


def restock_part(ctx: Context, team: Team, period: AgendaPeriod, tr: Translator) -> AgendaPart | None:
    with ctx.db.transaction() as session:
        requests = store.requests_of(session, team.id)
    waiting = [r for r in requests if r.state == REQUESTED]
    late = [r for r in requests if r.state in (ORDERED, SHIPPED) and r.eta is not None and r.eta < period.held_on]
    lines = tuple(restock_line(tr, r.ref, r.sku, r.quantity, state_label(tr, r.state), r.eta if r in late else None)
                  for r in sorted(waiting + late, key=lambda r: r.id))
    return AgendaPart("restock", tr._("Restock waiting or late"), lines) if lines else None


SECTIONS = (AgendaSection("restock", restock_part),)
