"""Restock in the team's loop: a feedback item's "Adjust restock" (a prefilled request, or a change to the pending
one, linked F → R), restock as other cards show it, and each person's App Home part."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import restock as blocks
from bot.blocks import restock_home as home
from bot.db import restock as store
from bot.errors import N_, OpsError
from bot.flows import links
from bot.flows.context import Context, HomeReader
from bot.flows.restock_requests import RestockRequests
from bot.ops import restock as ops
from bot.ops.links import Ref
from bot.ops.team import Role, Team


class RestockLoop:
    def __init__(self, ctx: Context, requests: RestockRequests) -> None:
        self.ctx = ctx
        self.requests = requests

    # -- from another feature's card (a feedback item, a meeting action) --------------------------
    def adjust(self, user: str, raw: str) -> dict[str, Any]:
        """A feedback card's "Adjust restock" (value {"feedback": id, "sku", "marketplace"})."""
        feedback, sku, marketplace = _adjust_value(raw)
        return self.from_source(user, Ref("feedback", feedback), sku, marketplace)

    def from_source(self, user: str, source: Ref, sku: str | None, marketplace: str | None,
                    reason: str = "") -> dict[str, Any]:
        """The modal a follow-up opens: the request form prefilled with the suggestion and its math, or the pending
        request of that SKU to change. Only purchasing and the manager adjust restock; the source must still be
        open to this person (its feature says), and both are asked again when the form comes back. Whether the source
        is private (feedback kept private, a meeting in a private channel) is asked when it is filed: such a request
        waits for its requester's word before it is posted (flows/restock_private.py)."""
        team = self.ctx.team_of(user)
        self.may_adjust(team, user)
        links.check_source(self.ctx, user, source)
        if sku is None:
            return self.requests.form(user, source=source, reason=reason)
        sku = self.requests.resolve_sku(team, sku, None)
        with self.ctx.db.transaction() as session:
            pending = store.pending_of_sku(session, team.id, sku, marketplace)
        if pending is None:
            return self.requests.form(user, sku, marketplace, source=source, reason=reason)
        _, pending = self.requests.check(user, pending.id, "change_quantity")
        tr = self.ctx.translator_for(user, team)
        intro = tr._("{ref} ({quantity} × {sku}, {state}) is waiting for a decision: change its quantity here for "
                     "{feedback}, or /restock files a new request.", ref=pending.ref,
                     quantity=tr.number(pending.quantity), sku=pending.sku,
                     state=blocks.state_label(tr, pending.state), feedback=source.label)
        return blocks.step_modal(tr, pending.id, "change_quantity", pending.ref, pending.quantity, intro=intro,
                                 source=source)

    def adjusts(self, team: Team, user: str) -> bool:
        """Whether ``user`` files restock from another feature's card: purchasing and the manager."""
        return self.ctx.has_role(team, user, Role.purchasing) or self.ctx.has_role(team, user, Role.manager)

    def may_adjust(self, team: Team, user: str) -> None:
        if not self.adjusts(team, user):
            raise OpsError(N_("Adjusting restock is for purchasing or the manager."))

    def origin_of(self, user: str, metadata: str) -> Ref | None:
        """What a form was opened for (its private_metadata: F-12, A-7), checked again on submit: the source still
        open to this person, and this person still one who adjusts restock from it."""
        source = links.source_of_form(self.ctx, user, metadata)
        if source is not None:
            self.may_adjust(self.ctx.team_of(user), user)
        return source

    # -- App Home --------------------------------------------------------------------------------
    def approvals(self, reader: HomeReader) -> list[dict[str, Any]]:
        team = reader.team
        if team is None:
            return []
        roles = {role for role in Role if self.ctx.has_role(team, reader.user, role)}
        mine = [r for r in self._open(team) if r.state == ops.REQUESTED
                and ops.may("approve", reader.user, roles, self.requests.rights.facts(team, r), self.requests.playbook)]
        return home.approvals_section(reader.tr, [self._line(team, reader, r) for r in mine])

    def in_flight(self, reader: HomeReader) -> list[dict[str, Any]]:
        team = reader.team
        if team is None:
            return []
        mine = [r for r in self._open(team) if r.requester == reader.user]
        return home.in_flight_section(reader.tr, [self._line(team, reader, r) for r in mine])

    def _open(self, team: Team) -> list[store.RestockRequest]:
        with self.ctx.db.transaction() as session:
            return [r for r in reversed(store.requests_of(session, team.id)) if r.state in ops.OPEN_STATES]

    def _line(self, team: Team, reader: HomeReader, r: store.RestockRequest) -> home.HomeLine:
        filed = r.created_at.replace(tzinfo=r.created_at.tzinfo or ZoneInfo("UTC")).astimezone(
            ZoneInfo(reader.timezone)).date()
        return home.HomeLine(id=r.id, ref=r.ref, sku=r.sku, marketplace=r.marketplace, quantity=r.quantity,
                             value=reader.tr.money(r.quantity * r.unit_cost, r.currency), requester=r.requester,
                             state=r.state, filed=filed, needed_by=r.needed_by, eta=r.eta,
                             deciders=tuple(self.requests.rights.approvers(team, r)))


def _adjust_value(raw: str) -> tuple[int, str | None, str | None]:
    """The button's value {"feedback": id, "sku": sku or null, "marketplace": code or null}; anything else is
    refused as a forged payload would be."""
    try:
        value = json.loads(raw)
        feedback = _whole(value["feedback"])
        sku, marketplace = value.get("sku"), value.get("marketplace")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OpsError(N_("That feedback item no longer exists.")) from exc
    if not (sku is None or isinstance(sku, str)) or not (marketplace is None or isinstance(marketplace, str)):
        raise OpsError(N_("That feedback item no longer exists."))
    return feedback, sku or None, (marketplace or "").upper() or None


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not an id: {value!r}")
    return value
