"""Restock use cases: suggest, file, decide, order, ship, receive — one audited step at a time."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from bot.blocks import restock as blocks
from bot.db import restock as store
from bot.db.audit import record
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.restock_views import RestockViews
from bot.i18n import translator
from bot.ops import restock as ops
from bot.ops import restock_math as math_
from bot.ops.restock_playbook import FreightMode, RestockPlaybook
from bot.ops.team import ChannelKey, Role, Team
from bot.outbox import Receipt, ReceiptHook
from bot.reports.digest import DigestSection
from bot.reports.queries import known_skus, sku_history
from bot.scheduler import ScheduledJob, daily

log = logging.getLogger(__name__)
# A delivery this far above the order is a typing slip, not a count (and beyond what a column holds).
RECEIVED_OVER_ORDERED = 10


class RestockFlow(RestockViews):
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def playbook(self) -> RestockPlaybook:
        return self.ctx.playbook(RestockPlaybook)

    def skus(self, team: Team) -> list[str]:
        with self.ctx.db.transaction() as session:
            from_data = known_skus(session, team.id)
        return sorted({*self.playbook().skus, *from_data})

    def today(self, team: Team) -> date:
        return self.ctx.clock.now().astimezone(team.zone).date()

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
                options=", ".join(close),
            )
        raise OpsError(N_("I don't know the SKU {sku}. Add it under skus: in restock.yml."), field=field, sku=wanted)

    def suggestion(self, team: Team, sku: str, marketplace: str | None, mode: FreightMode,
                   today: date | None = None) -> math_.Suggestion:
        """The suggestion as of ``today`` (the team's today by default; a digest's own morning when it has one)."""
        playbook = self.playbook()
        settings = playbook.skus.get(sku)
        if settings is None:
            raise OpsError(
                N_("{sku} has no settings yet: add it under skus: in restock.yml with its unit_cost, moq and carton."),
                field="sku",
                sku=sku,
            )
        if not settings.supplier:
            raise OpsError(N_("{sku} has no supplier: set skus.{sku}.supplier in restock.yml."), field="sku", sku=sku)
        today = today or self.today(team)
        with self.ctx.db.transaction() as session:
            history = sku_history(session, team.id, sku, marketplace, today - timedelta(days=90), today)
        latest = next((d for d in reversed(history) if d.available is not None), None)
        return math_.suggest(
            sku,
            history,
            latest.available or 0 if latest else 0,
            (latest.inbound or 0) if latest else 0,
            settings,
            playbook.suppliers[settings.supplier],
            mode,
            playbook.service_level,
            playbook.review_period_days,
            today,
        )

    def watchlist(self, team: Team, today: date | None = None) -> list[math_.Suggestion]:
        """SKUs with a supplier whose cover is below lead time (+7 days), most urgent first."""
        found = []
        for sku, settings in self.playbook().skus.items():
            if settings.supplier:
                suggestion = self.suggestion(team, sku, None, "sea", today)
                if suggestion.status in (math_.ORDER_NOW, math_.REORDER_SOON):
                    found.append(suggestion)
        return sorted(found, key=lambda s: s.days_of_cover or 0.0)

    def jobs(self) -> list[ScheduledJob]:
        watch_at = time.fromisoformat(self.playbook().watch_time)
        jobs = []
        for team in self.ctx.teams.teams:
            jobs.append(daily("restock.reminders", team.id, team.zone, None, partial(self.remind, team),
                              grace=timedelta(hours=2)))
            jobs.append(daily("restock.watch", team.id, team.zone, watch_at, partial(self.watch, team),
                              days=team.workdays, grace=timedelta(hours=3)))
        return jobs

    def watch(self, team: Team, fire: datetime) -> None:
        """Each workday morning: the SKUs at "order now" or "reorder soon", to purchasing, most urgent first."""
        items = self.watchlist(team)
        channel = team.channel(ChannelKey.purchasing)
        if items and channel:
            tr = self.team_tr(team)
            self.ctx.delivery.post(channel, tr._("Restock watch"), blocks.watchlist_blocks(tr, items))

    # -- filing ----------------------------------------------------------------------------------
    def form(self, user: str, sku: str | None = None, marketplace: str | None = None) -> dict[str, Any]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        explanation, quantity = "", None
        if sku:
            found = self.suggestion(team, self.resolve_sku(team, sku), marketplace, "sea")
            explanation, quantity = blocks.suggestion_lines(tr, found), found.quantity or None
        playbook = self.playbook()
        return blocks.request_modal(
            tr,
            self.skus(team),
            playbook.marketplaces,
            playbook.destinations,
            sku=sku,
            marketplace=marketplace,
            quantity=quantity,
            explanation=explanation,
        )

    def file(self, user: str, values: dict[str, Any], *, fields: bool = True) -> store.RestockRequest:
        """File a request; a bad value raises OpsError naming its modal field (or none, for the one-liner)."""
        team = self.ctx.team_of(user)
        playbook = self.playbook()

        def field(name: str) -> str | None:
            return name if fields else None

        sku = self.resolve_sku(team, values.get("sku") or "", field("sku"))
        marketplace = (values.get("marketplace") or playbook.marketplaces[0]).upper()
        if marketplace not in playbook.marketplaces:
            raise OpsError(
                N_("{marketplace} is not one of the marketplaces in restock.yml: {known}."),
                field=field("marketplace"),
                marketplace=marketplace,
                known=", ".join(playbook.marketplaces),
            )
        mode: FreightMode = values.get("freight") or "sea"
        needed_by = values.get("needed_by")
        if needed_by and needed_by < self.today(team):
            raise OpsError(
                N_("The needed-by date {day} is in the past."), field=field("needed_by"), day=needed_by.isoformat()
            )
        found = self.suggestion(team, sku, marketplace, mode)
        quantity = values.get("quantity")
        if quantity is None:
            if not found.quantity:
                raise OpsError(
                    N_("There is no suggestion for {sku} (no sales history, or enough stock): please give a quantity."),
                    field=field("quantity"),
                    sku=sku,
                )
            quantity = found.quantity
        ops.check_quantity(int(quantity), found.quantity, playbook, field("quantity"))
        settings = playbook.skus[sku]
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            request = store.RestockRequest(
                team_id=team.id,
                requester=user,
                sku=sku,
                marketplace=marketplace,
                destination=values.get("destination") or "fba",
                quantity=int(quantity),
                suggested=found.quantity,
                unit_cost=settings.unit_cost,
                currency=playbook.approval.currency,
                needed_by=needed_by,
                freight_mode=mode,
                reason=values.get("reason") or "",
                state=ops.REQUESTED,
                version=1,
                created_at=now,
                updated_at=now,
            )
            session.add(request)
            session.flush()
            record(
                session,
                team_id=team.id,
                entity="restock",
                entity_id=request.ref,
                actor=user,
                at=now,
                from_state=None,
                to_state=ops.REQUESTED,
                note=f"{quantity} x {sku}",
            )
            self._post_cards(team, request, found)  # in the same transaction: filed and announced, or neither
        return self.request(request.id)

    def _post_cards(self, team: Team, request: store.RestockRequest, found: math_.Suggestion) -> None:
        channel = team.channel(ChannelKey.purchasing)
        suggestion = blocks.suggestion_lines(self.team_tr(team), found)
        self.ctx.delivery.post(
            str(channel), self.card_text(team, request), self.card(team, request, suggestion),
            receipt=Receipt("restock.card", str(request.id)),
        )
        tr = self.ctx.translator_for(request.requester, team)
        self.ctx.delivery.dm(
            request.requester, self.card_text(team, request, tr), self.card(team, request, suggestion, tr),
            receipt=Receipt("restock.copy", str(request.id)),
        )

    # -- one step of the lifecycle ---------------------------------------------------------------
    def check(self, user: str, request_id: int, action: str) -> tuple[Team, store.RestockRequest]:
        team = self.ctx.team_of(user)
        request = self.request(request_id)
        if request.team_id != team.id:
            raise OpsError(N_("That restock request no longer exists."))
        ops.next_state(action, request.state)
        roles = {role for role in Role if self.ctx.has_role(team, user, role)}
        facts = ops.RequestFacts(request.requester, request.quantity, request.unit_cost)
        if not ops.may(action, user, roles, facts, self.playbook()):
            log.warning("restock: %s may not %s %s", user, action, request.ref)
            if action in ("approve", "reject", "change_quantity") and user == request.requester:
                raise OpsError(N_("Nobody approves their own request: purchasing or the manager decides."))
            if ops.needs_manager(facts, self.playbook()) and action in ("approve", "reject", "change_quantity"):
                raise OpsError(
                    N_("{ref} is above the approval threshold in restock.yml: only the manager can decide."),
                    ref=request.ref,
                )
            raise OpsError(N_("You can't do that with {ref}: it needs purchasing or the manager."), ref=request.ref)
        return team, request

    def step(self, user: str, request_id: int, action: str, values: dict[str, Any] | None = None) -> None:
        team, request = self.check(user, request_id, action)
        target = ops.next_state(action, request.state)
        changes = self._changes(action, request, values or {})
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            if not store.move(
                session,
                request_id,
                request.version,
                {"state": target, "updated_at": now, "decided_by": user, **changes},
            ):
                raise OpsError(N_("Someone else changed {ref} a moment ago; have a look at the card."), ref=request.ref)
            record(
                session,
                team_id=team.id,
                entity="restock",
                entity_id=request.ref,
                actor=user,
                at=now,
                from_state=request.state,
                to_state=target,
                note=self._note(action, changes),
            )
            session.expire_all()  # the move was a bare UPDATE: read the request as it now is
            updated = self.request(request_id)
            self.refresh(team, updated)
            if user != updated.requester:
                tr = self.ctx.translator_for(updated.requester, team)
                self.ctx.delivery.dm(
                    updated.requester,
                    tr._(
                        "{ref} ({quantity} × {sku}) is now {state} by {who}.",
                        ref=updated.ref,
                        quantity=updated.quantity,
                        sku=updated.sku,
                        state=self.state_label(updated.state, tr),
                        who=f"<@{user}>",
                    ),
                )

    def _changes(self, action: str, request: store.RestockRequest, values: dict[str, Any]) -> dict[str, Any]:
        if action == "reject":
            if not (values.get("reason") or "").strip():
                raise OpsError(N_("Say why it is rejected."), field="reason")
            return {"note": values["reason"].strip()}
        if action == "change_quantity":
            quantity = _whole(values.get("quantity"), "quantity")
            ops.check_quantity(quantity, request.suggested, self.playbook())
            return {"quantity": quantity}
        if action == "order":
            if not values.get("po") or not values.get("eta"):
                raise OpsError(N_("Give the PO number and the ETA."), field="po" if not values.get("po") else "eta")
            return {
                "po_number": values["po"],
                "supplier": values.get("supplier"),
                "eta": date.fromisoformat(values["eta"]),
            }
        if action == "ship":
            return {
                "carrier": values.get("carrier"),
                "tracking": values.get("tracking"),
                "freight_mode": values.get("mode") or request.freight_mode,
            }
        if action == "receive":
            received = _whole(values.get("received"), "received", allow_zero=True)
            if received > request.quantity * RECEIVED_OVER_ORDERED:
                raise OpsError(N_("{received} is more than {times} times the {ordered} ordered: check the number."),
                               field="received", received=received, times=RECEIVED_OVER_ORDERED,
                               ordered=request.quantity)
            return {"received_quantity": received}
        return {}

    @staticmethod
    def _note(action: str, changes: dict[str, Any]) -> str | None:
        if not changes:
            return None
        return ", ".join(f"{k}={v}" for k, v in changes.items())


def _whole(raw: object, field: str, *, allow_zero: bool = False) -> int:
    try:
        value = int(str(raw).replace(",", "").strip())
    except ValueError as exc:
        raise OpsError(N_("Give a whole number, e.g. 500."), field=field) from exc
    if value < 0 or (value == 0 and not allow_zero):
        raise OpsError(N_("The quantity must be a whole number above zero."), field=field)
    return value




def digest_section(ctx: Context, team: Team, today: date) -> DigestSection | None:
    """The morning KPI digest's restock part: SKUs at order now / reorder soon, with Request restock."""
    items = RestockFlow(ctx).watchlist(team, today)
    if not items:
        return None
    tr = translator(team.locale)
    lines = tuple(blocks.watch_line(tr, s) for s in items)
    buttons = tuple(blocks.request_restock_button(tr, s.sku, None) for s in items[:5])
    return DigestSection(tr._("Restock: order now / reorder soon"), lines, buttons)


# Where the card and the requester's copy landed, once Slack has them: kept current from then on.
RECEIPTS = (
    ReceiptHook("restock.card", store.RestockRequest, channel="card_channel", ts="card_ts"),
    ReceiptHook("restock.copy", store.RestockRequest, channel="copy_channel", ts="copy_ts"),
)
