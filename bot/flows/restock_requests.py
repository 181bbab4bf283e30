"""Restock requests: resolve a SKU, suggest a quantity, file a request, check and take one lifecycle step."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from typing import Any

import pandas as pd

from bot.blocks import restock as blocks
from bot.blocks.restock_suggestion import suggestion_lines
from bot.blocks.text import Mrkdwn, escape
from bot.db import restock as store
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows import links
from bot.flows.catalog import live_restock
from bot.flows.context import Context
from bot.flows.home import homes_changed
from bot.flows.restock_cards import RestockCards
from bot.flows.restock_places import from_private_place
from bot.flows.restock_rights import Checked, RestockRights
from bot.i18n import AnyOf, Count
from bot.ops import restock as ops
from bot.ops import restock_math as math_
from bot.ops.links import Ref
from bot.ops.restock_forms import RequestForm, StepForm
from bot.ops.restock_playbook import FreightMode, RestockPlaybook
from bot.ops.team import Team
from bot.reports.playbook import KpiPlaybook
from bot.reports.queries import known_skus
from bot.reports.velocity import as_of, on_hand, read_stock_facts, sales_through, stock_table, velocity_of

log = logging.getLogger(__name__)
# A delivery this far above the order is a typing slip, not a count (and beyond what a column holds).
RECEIVED_OVER_ORDERED = 10


class RestockRequests:
    def __init__(self, ctx: Context, playbook: RestockPlaybook, cards: RestockCards) -> None:
        self.ctx = ctx
        self._base = playbook
        self.cards = cards
        self.rights = RestockRights(ctx, playbook, cards)

    @property
    def playbook(self) -> RestockPlaybook:
        """restock.yml with the catalogue imported since start (any replica's import, read now)."""
        return live_restock(self.ctx, self._base)

    def skus(self, team: Team) -> list[str]:
        with self.ctx.db.transaction() as session:
            from_data = known_skus(session, team.id)
        return sorted({*self.playbook.skus, *from_data})

    def resolve_sku(self, team: Team, wanted: str, field: str | None = "sku") -> str:
        known = self.skus(team)
        exact = next((k for k in known if k.lower() == wanted.strip().lower()), None)
        if exact:
            return exact
        close = ops.closest_skus(wanted, known)
        if close:
            raise OpsError(
                N_("I don't know the SKU {sku}. Did you mean {options}?"),
                field=field,
                sku=wanted,
                options=AnyOf(close),
            )
        raise OpsError(N_("I don't know the SKU {sku}: no report has it yet. Load a report that lists it, or add it "
                          "under skus: in restock.yml."), field=field, sku=wanted)

    def suggestion(self, team: Team, sku: str, marketplace: str | None, mode: FreightMode,
                   today: date | None = None) -> math_.Suggestion:
        """The suggestion as of ``today`` (the team's today by default; a digest's own morning when it has one).

        Every SKU in a report has one: without a supplier the lead time is kpi.yml's default and the
        suggestion says which setting would sharpen it."""
        today = today or self.ctx.today(team)
        with self.ctx.db.transaction() as session:
            through = sales_through(session, team.id, today)
            facts = read_stock_facts(session, team.id, through, today, sku=sku, marketplace=marketplace)
        table = stock_table(facts, through, today, by_marketplace=False)
        return self._suggest(sku, table.iloc[0] if len(table) else None, mode, today)

    def suggestions(self, team: Team, today: date, mode: FreightMode = "sea") -> list[math_.Suggestion]:
        """Every SKU of the catalogue (restock.yml and the reports) at once: the watchlist and the digest."""
        with self.ctx.db.transaction() as session:
            through = sales_through(session, team.id, today)
            facts = read_stock_facts(session, team.id, through, today)
        table = stock_table(facts, through, today, by_marketplace=False)
        rows = {str(r["sku"]): r for _, r in table.iterrows()}
        playbook = self.playbook  # read once for the whole catalogue
        return [self._suggest(sku, rows.get(sku), mode, today, playbook) for sku in sorted({*playbook.skus, *rows})]

    def _suggest(self, sku: str, row: pd.Series | None, mode: FreightMode, today: date,
                 playbook: RestockPlaybook | None = None) -> math_.Suggestion:
        playbook = playbook or self.playbook
        entry = playbook.catalogued(sku)
        supplier = playbook.suppliers[entry.supplier] if entry.supplier else None
        lead = math_.lead_for(playbook, sku, mode, today, self.default_lead_days(sku))
        available, inbound = on_hand(row) if row is not None else (None, None)
        found = math_.suggest(sku, velocity_of(row) if row is not None else None, available or 0, inbound or 0,
                              entry.settings, lead, supplier.lead_time_sd_days if supplier else 0.0,
                              playbook.service_level, playbook.review_period_days, today,
                              as_of(row) if row is not None else None)
        return replace(found, missing=entry.missing)

    def default_lead_days(self, sku: str) -> int:
        """kpi.yml's lead time: only for SKUs with no supplier."""
        try:
            return self.ctx.playbook(KpiPlaybook).lead_time(sku)
        except LookupError:
            return KpiPlaybook().lead_time(sku)

    # -- filing ----------------------------------------------------------------------------------
    def form(self, user: str, sku: str | None = None, marketplace: str | None = None,
             source: Ref | None = None, reason: str = "", place: str | None = None) -> dict[str, Any]:
        """The request form; ``place``: the conversation it was opened in. Whether that or ``source`` is private is
        decided now and kept with the form, so its submission (whose answer must not wait on Slack) need not ask."""
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        explanation, quantity = Mrkdwn(""), None
        if sku:
            found = self.suggestion(team, self.resolve_sku(team, sku), marketplace, "sea")
            explanation, quantity = suggestion_lines(tr, found), found.quantity or None
        return blocks.request_modal(
            tr,
            self.skus(team),
            self.playbook.marketplaces,
            self.playbook.destinations,
            sku=sku,
            marketplace=marketplace,
            quantity=quantity,
            explanation=explanation,
            source=source,
            reason=reason,
            private=from_private_place(self.ctx, place, source),
        )

    def check_orderable(self, sku: str, quantity: int, field: str | None) -> None:
        """A quantity the supplier does not ship (below the MOQ, part of a carton) is refused with the nearest one."""
        entry = self.playbook.catalogued(sku)
        rounded = ops.orderable(quantity, entry.moq, entry.carton)
        if rounded is not None:
            raise OpsError(N_("{sku} ships at least {moq}, in cartons of {carton}: {quantity} would be ordered as "
                              "{rounded}. Make it {rounded}?"), field=field, sku=sku, moq=Count(entry.moq),
                           carton=Count(entry.carton), quantity=Count(quantity), rounded=Count(rounded))

    def file_line(self, user: str, wanted: RequestForm, place: str | None = None) -> tuple[str, list[dict[str, Any]]]:
        """The one-line /restock: filed as typed; a quantity the supplier does not ship is flagged on the reply with
        the nearest one as a button. Typed in a private conversation (``place``), the reply asks where it goes."""
        filed = self.file(user, wanted, fields=False, private=from_private_place(self.ctx, place, None),
                          asked_in_reply=True)
        team = self.ctx.team_of(user)
        if filed.state == ops.HELD:
            return self.cards.held_question(team, filed)
        tr = self.ctx.translator_for(user, team)
        text = blocks.filed_text(tr, filed.ref, filed.quantity, filed.sku)
        entry = self.playbook.catalogued(filed.sku)
        rounded = ops.orderable(filed.quantity, entry.moq, entry.carton)
        if rounded is None:
            return text, []
        return text, blocks.filed_with_offer(tr, text, filed.id, filed.sku, filed.quantity, entry.moq, entry.carton,
                                             rounded)

    def file(self, user: str, wanted: RequestForm, *, fields: bool = True, origin: Ref | None = None,
             private: bool = False, asked_in_reply: bool = False) -> store.RestockRequest:
        """File a request; a bad value raises OpsError naming its modal field (or none, for the one-liner, which
        files a quantity the supplier does not ship and flags it). ``origin``: what started it (F-12), linked.

        Filed from a private place (``private``: the conversation, or what it is for) it is held, not posted: its
        requester is asked where it goes (by DM, unless the caller's reply asks: ``asked_in_reply``)."""
        team = self.ctx.team_of(user)
        playbook = self.playbook

        def field(name: str) -> str | None:
            return name if fields else None

        sku = self.resolve_sku(team, wanted.sku, field("sku"))
        marketplace = (wanted.marketplace or playbook.marketplaces[0]).upper()
        if marketplace not in playbook.marketplaces:
            raise OpsError(
                N_("{marketplace} is not one of the marketplaces in restock.yml: {known}."),
                field=field("marketplace"),
                marketplace=marketplace,
                known=list(playbook.marketplaces),
            )
        mode: FreightMode = wanted.freight or "sea"
        needed_by = wanted.needed_by
        if needed_by and needed_by < self.ctx.today(team):
            raise OpsError(
                N_("The needed-by date {day} is in the past."), field=field("needed_by"), day=needed_by
            )
        found = self.suggestion(team, sku, marketplace, mode)
        quantity = wanted.quantity
        if quantity is None:
            if not found.quantity:
                raise OpsError(
                    N_("There is no suggestion for {sku} (no sales history, or enough stock): please give a quantity."),
                    field=field("quantity"),
                    sku=sku,
                )
            quantity = found.quantity
        ops.check_quantity(quantity, found.quantity, playbook, field("quantity"))
        if fields:
            self.check_orderable(sku, quantity, "quantity")
        entry = playbook.catalogued(sku)
        held = private
        state = ops.HELD if held else ops.REQUESTED
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            request = store.RestockRequest(
                team_id=team.id,
                requester=user,
                sku=sku,
                marketplace=marketplace,
                destination=wanted.destination or "fba",
                quantity=quantity,
                suggested=found.quantity,
                unit_cost=entry.unit_cost or 0.0,  # unknown: the card says to set it
                currency=playbook.approval.currency,
                needed_by=needed_by,
                freight_mode=mode,
                reason=wanted.reason,
                state=state,
                filed_privately=held,
                version=1,
                created_at=now,
                updated_at=now,
            )
            session.add(request)
            session.flush()
            Audit(team.id, user, now)(session, "restock", request.ref, None, state, f"{quantity} x {sku}")
            if origin is not None:
                links.link(self.ctx, team.id, origin, Ref("restock", request.id), by=user)
            # In the same transaction: filed and announced (or asked about), or neither.
            if not held:
                self.cards.post(team, request, found)
            elif not asked_in_reply:
                self.ctx.delivery.dm(user, *self.cards.held_question(team, request))
        filed = self.cards.request(request.id)
        if not held:  # a held request is in nobody's App Home and on no card yet
            self.announce(team, None, filed)
        return filed

    # -- one step of the lifecycle ---------------------------------------------------------------
    def check(self, user: str, request_id: int, action: str, quantity: int | None = None) -> Checked:
        """The request, if ``user`` may take ``action`` on it now; else OpsError saying why not."""
        return self.rights.check(user, request_id, action, quantity)

    def step(self, user: str, request_id: int, action: str) -> None:
        """A button that acts at once: approve, close, cancel."""
        self.take(user, self.check(user, request_id, action), action, StepForm())

    def change(self, user: str, request_id: int, quantity: int) -> None:
        """A new quantity in one click (the orderable figure offered for a one-line request)."""
        self.take(user, self.check(user, request_id, "change_quantity", quantity), "change_quantity",
                  StepForm(quantity=quantity))

    def take(self, user: str, checked: Checked, action: str, form: StepForm, origin: Ref | None = None) -> None:
        """Move a checked request one step, audited, its cards updated, its requester told, every App Home that
        shows it and every card it came from redrawn. ``origin``: what it was taken for (F-12, A-7), linked."""
        team, request = checked
        target = ops.next_state(action, request.state)
        if action == "change_quantity" and form.quantity is not None:
            self.check(user, request.id, action, form.quantity)  # purchasing's own limit, for the figure given
        changes = self._changes(action, request, form)
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            if not store.move(
                session,
                request.id,
                request.version,
                {"state": target, "updated_at": now, "decided_by": user, **changes},
            ):
                raise OpsError(N_("Someone else changed {ref} a moment ago; have a look at the card."), ref=request.ref)
            Audit(team.id, user, now)(session, "restock", request.ref, request.state, target, _note(changes))
            if origin is not None:
                links.link(self.ctx, team.id, origin, Ref("restock", request.id), by=user)
            session.expire_all()  # the move was a bare UPDATE: read the request as it now is
            updated = self.cards.request(request.id)
            self.cards.refresh(team, updated)
            if user != updated.requester:
                tr = self.ctx.translator_for(updated.requester, team)
                self.ctx.delivery.dm(
                    updated.requester,
                    tr._("{ref}: {who} changed the quantity from {before} to {quantity} × {sku}.", ref=updated.ref,
                         who=f"<@{user}>", before=tr.number(request.quantity), quantity=tr.number(updated.quantity),
                         sku=escape(updated.sku))
                    if action == "change_quantity" else tr._(
                        "{ref} ({quantity} × {sku}) is now {state} by {who}.",
                        ref=updated.ref,
                        quantity=tr.number(updated.quantity),
                        sku=escape(updated.sku),
                        state=blocks.state_label(tr, updated.state),
                        who=f"<@{user}>",
                    ),
                )
        self.announce(team, request, updated)

    def announce(self, team: Team, before: store.RestockRequest | None, now: store.RestockRequest) -> None:
        """After a change is committed: the cards it came from redraw, the App Homes that show it republish."""
        links.moved(self.ctx, Ref("restock", now.id))
        waiting = self.rights.approvers(team, before) if before is not None else []
        homes_changed(self.ctx, team, [now.requester, *waiting, *self.rights.approvers(team, now)])

    def _changes(self, action: str, request: store.RestockRequest, form: StepForm) -> dict[str, Any]:
        if action == "reject":
            return {"note": form.reason}
        if action == "change_quantity":
            assert form.quantity is not None
            ops.check_quantity(form.quantity, request.suggested, self.playbook)
            self.check_orderable(request.sku, form.quantity, "quantity")
            return {"quantity": form.quantity}
        if action == "order":
            return {"po_number": form.po, "supplier": form.supplier, "eta": form.eta}
        if action == "ship":
            mode = form.mode or request.freight_mode
            return {"carrier": form.carrier, "tracking": form.tracking, "freight_mode": mode}
        if action == "receive":
            assert form.received is not None
            if form.received > request.quantity * RECEIVED_OVER_ORDERED:
                raise OpsError(N_("{received} is more than {times} times the {ordered} ordered: check the number."),
                               field="received", received=form.received, times=RECEIVED_OVER_ORDERED,
                               ordered=request.quantity)
            return {"received_quantity": form.received}
        return {}


def _note(changes: dict[str, Any]) -> str | None:
    if not changes:
        return None
    return ", ".join(f"{k}={v}" for k, v in changes.items())
