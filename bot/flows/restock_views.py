"""Restock cards kept current everywhere, lists, the CSV export and the reminders."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

from bot.blocks import restock as blocks
from bot.db import restock as store
from bot.db.audit import history
from bot.errors import N_
from bot.flows.context import Context
from bot.i18n import Translator, translator
from bot.ops import restock as ops
from bot.ops.restock_playbook import RestockPlaybook
from bot.ops.team import ChannelKey, Role, Team

STATE_LABELS = {
    ops.REQUESTED: N_("requested"),
    ops.APPROVED: N_("approved"),
    ops.REJECTED: N_("rejected"),
    ops.ORDERED: N_("ordered"),
    ops.SHIPPED: N_("shipped"),
    ops.RECEIVED: N_("received"),
    ops.CLOSED: N_("closed"),
    ops.CANCELLED: N_("cancelled"),
}
BUTTONS = {
    ops.REQUESTED: (
        ("approve", N_("Approve")),
        ("reject", N_("Reject")),
        ("change_quantity", N_("Change quantity")),
        ("cancel", N_("Cancel request")),
    ),
    ops.APPROVED: (("order", N_("Mark ordered")), ("cancel", N_("Cancel request"))),
    ops.ORDERED: (("ship", N_("Mark shipped")), ("cancel", N_("Cancel request"))),
    ops.SHIPPED: (("receive", N_("Mark received")), ("cancel", N_("Cancel request"))),
    ops.RECEIVED: (("close", N_("Close")),),
}


class RestockViews:
    ctx: Context

    def playbook(self) -> RestockPlaybook:
        return self.ctx.playbook(RestockPlaybook)

    def request(self, request_id: int) -> store.RestockRequest:
        with self.ctx.db.transaction() as session:
            found = session.get(store.RestockRequest, request_id)
        if found is None:
            raise LookupError(f"restock request {request_id} is gone")
        return found

    @staticmethod
    def team_tr(team: Team) -> Translator:
        return translator(team.locale)

    @staticmethod
    def state_label(state: str, tr: Translator) -> str:
        return tr._(STATE_LABELS.get(state, state))

    def card_text(self, team: Team, request: store.RestockRequest, tr: Translator | None = None) -> str:
        tr = tr or self.team_tr(team)
        return tr._(
            "Restock {ref}: {quantity} × {sku} ({state})",
            ref=request.ref,
            quantity=request.quantity,
            sku=request.sku,
            state=self.state_label(request.state, tr),
        )

    def _history(self, tr: Translator, request: store.RestockRequest) -> list[str]:
        lines = []
        if request.decided_by and request.state not in (ops.REQUESTED,):
            lines.append(tr._("{state} by <@{who}>", state=self.state_label(request.state, tr), who=request.decided_by))
        if request.state == ops.REJECTED and request.note:
            lines.append(tr._("Reason: {reason}", reason=request.note))
        if request.po_number:
            eta = tr.date(request.eta) if request.eta else "—"
            lines.append(
                tr._(
                    "PO {po} · {supplier} · ETA {eta}", po=request.po_number, supplier=request.supplier or "—", eta=eta
                )
            )
        if request.tracking:
            lines.append(
                tr._(
                    "Shipped by {carrier} ({mode}), tracking {tracking}",
                    carrier=request.carrier or "—",
                    mode=request.freight_mode,
                    tracking=request.tracking,
                )
            )
        if request.received_quantity is not None:
            lines.append(
                tr._("Received {received} of {quantity}", received=request.received_quantity, quantity=request.quantity)
            )
            if request.received_quantity != request.quantity:
                lines.append(
                    tr._(
                        "⚠️ Discrepancy: {diff:+d} units against the order",
                        diff=request.received_quantity - request.quantity,
                    )
                )
        return lines

    def card(
        self, team: Team, request: store.RestockRequest, suggestion: str = "", tr: Translator | None = None
    ) -> list[dict[str, Any]]:
        tr = tr or self.team_tr(team)
        facts = ops.RequestFacts(request.requester, request.quantity, request.unit_cost)
        view = blocks.CardView(
            ref=request.ref,
            id=request.id,
            sku=request.sku,
            marketplace=request.marketplace,
            destination=request.destination,
            quantity=request.quantity,
            value=tr.money(request.quantity * request.unit_cost, request.currency),
            requester=request.requester,
            state=request.state,
            state_label=self.state_label(request.state, tr),
            needs_manager=request.state == ops.REQUESTED and ops.needs_manager(facts, self.playbook()),
            needed_by=request.needed_by,
            reason=request.reason,
            history=self._history(tr, request),
            suggestion=suggestion,
            buttons=[(tr._(label), action) for action, label in BUTTONS.get(request.state, ())],
        )
        return blocks.card_blocks(tr, view)

    def refresh(self, team: Team, request: store.RestockRequest) -> None:
        if request.card_channel and request.card_ts:
            self.ctx.delivery.update(
                request.card_channel, request.card_ts, self.card_text(team, request), self.card(team, request)
            )
        if request.copy_channel and request.copy_ts:
            tr = self.ctx.translator_for(request.requester, team)
            self.ctx.delivery.update(
                request.copy_channel,
                request.copy_ts,
                self.card_text(team, request, tr),
                self.card(team, request, tr=tr),
            )

    # -- reading ---------------------------------------------------------------------------------
    def list_blocks(self, user: str, scope: str) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            found = store.requests_of(session, team.id)
        if scope.lower() == "mine":
            found = [r for r in found if r.requester == user]
        elif scope.lower() == "open":
            found = [r for r in found if r.state in ops.OPEN_STATES]
        elif scope.lower() != "all":
            found = [r for r in found if r.sku.lower() == scope.lower()]
        lines = [
            f"*{r.ref}* · {r.quantity} × {r.sku} · {r.marketplace} · {self.state_label(r.state, tr)} · <@{r.requester}>"
            for r in found
        ]
        return blocks.list_blocks(tr, tr._("Restock requests: {scope}", scope=scope), lines)

    def status_blocks(self, user: str, request_id: int) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        try:
            request = self.request(request_id)
        except LookupError:
            request = None
        if request is None or request.team_id != team.id:
            return blocks.list_blocks(tr, tr._("No restock request R-{id}", id=request_id), [])
        return self.card(team, request, tr=tr)

    def export_csv(self, team: Team) -> str:
        """Every request with its full audit trail, one row per state change."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                "ref",
                "sku",
                "marketplace",
                "quantity",
                "unit_cost",
                "currency",
                "requester",
                "state",
                "po_number",
                "eta",
                "received_quantity",
                "changed_at",
                "actor",
                "from_state",
                "to_state",
                "note",
            ]
        )
        with self.ctx.db.transaction() as session:
            for request in reversed(store.requests_of(session, team.id)):
                for entry in history(session, team.id, "restock", request.ref):
                    writer.writerow(
                        [
                            request.ref,
                            request.sku,
                            request.marketplace,
                            request.quantity,
                            request.unit_cost,
                            request.currency,
                            request.requester,
                            request.state,
                            request.po_number or "",
                            request.eta or "",
                            "" if request.received_quantity is None else request.received_quantity,
                            entry.at.isoformat(),
                            entry.actor,
                            entry.from_state or "",
                            entry.to_state or "",
                            entry.note or "",
                        ]
                    )
        return buffer.getvalue()

    # -- reminders -------------------------------------------------------------------------------
    def remind(self, team: Team, fire: datetime) -> None:
        # Marked and announced together: a reminder is sent once, and never lost.
        with self.ctx.db.transaction() as session:
            tr, today = self.team_tr(team), fire.astimezone(team.zone).date()
            sla = timedelta(hours=self.playbook().approval_sla_hours)
            waiting = [
                r
                for r in store.requests_of(session, team.id)
                if r.state == ops.REQUESTED and r.reminded_at is None and fire - r.created_at >= sla
            ]
            late = [
                r
                for r in store.requests_of(session, team.id)
                if r.state in (ops.ORDERED, ops.SHIPPED) and r.eta and r.eta < today and r.eta_alerted_at is None
            ]
            for request in waiting:
                request.reminded_at = fire
            for request in late:
                request.eta_alerted_at = fire
            for request in waiting:
                role = (
                    Role.manager
                    if ops.needs_manager(
                        ops.RequestFacts(request.requester, request.quantity, request.unit_cost), self.playbook()
                    )
                    else Role.purchasing
                )
                people = ", ".join(f"<@{m.user}>" for m in team.people_with(role))
                self.ctx.delivery.post(
                    # In the card's thread; a card Slack has not shown yet gets the reminder beside it.
                    str(request.card_channel or team.channel(ChannelKey.purchasing)),
                    tr._(
                        "⏰ {ref} has waited for a decision for more than {hours} hours: {people}.",
                        ref=request.ref,
                        hours=self.playbook().approval_sla_hours,
                        people=people,
                    ),
                    thread_ts=request.card_ts,
                )
            for request in late:
                text = tr._(
                    "🚚 {ref} was due on {eta} and has not been received yet.",
                    ref=request.ref,
                    eta=tr.date(request.eta) if request.eta else "—",
                )
                self.ctx.delivery.post(str(team.channel(ChannelKey.purchasing)), text)
                self.ctx.delivery.dm(
                    request.requester,
                    self.ctx.translator_for(request.requester, team)._(
                        "🚚 {ref} was due on {eta} and has not been received yet.",
                        ref=request.ref,
                        eta=tr.date(request.eta) if request.eta else "—",
                    ),
                )
