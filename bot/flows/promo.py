"""Promotions: the form, planning one (linked to the feedback item or meeting action it answers), and each step of
its lifecycle, checked on the server against the actor's roles whoever pressed which button where."""

from __future__ import annotations

import difflib
import logging
from typing import Any

from bot.blocks import promo as blocks
from bot.db import promo as store
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows import links
from bot.flows.context import Context
from bot.flows.promo_cards import PromoCards
from bot.i18n import AnyOf
from bot.ops import promo as ops
from bot.ops.links import Ref
from bot.ops.promo_playbook import PromoPlaybook
from bot.ops.team import ROLE_NAMES, Role, Team
from bot.reports.promo_review import review
from bot.reports.queries import known_skus

log = logging.getLogger(__name__)
SCHEDULER = "opsbot"  # the actor of the steps the team's scheduled jobs take


class Promotions:
    def __init__(self, ctx: Context, playbook: PromoPlaybook, cards: PromoCards) -> None:
        self.ctx = ctx
        self.playbook = playbook
        self.cards = cards

    def skus(self, team: Team) -> list[str]:
        with self.ctx.db.transaction() as session:
            return known_skus(session, team.id)

    def form(self, user: str, sku: str | None = None, marketplace: str | None = None,
             source: Ref | None = None, reason: str = "") -> dict[str, Any]:
        """``source``: the feedback item or meeting action it answers (a "Plan promotion" or "Turn into" press)."""
        team = self.ctx.team_of(user)
        self.may_plan(user, team)  # refused before the form opens, not only when it is submitted
        if source is not None:  # still open, in this team, and this person's to follow up (its feature says)
            links.check_source(self.ctx, user, source)
        tr = self.ctx.translator_for(user, team)
        return blocks.form_modal(tr, self.skus(team), self.playbook.marketplaces, sku=sku, marketplace=marketplace,
                                 source=source, reason=reason)

    def plans(self, team: Team, user: str) -> bool:
        """Whether ``user`` holds a role that plans promotions (promo.yml planners)."""
        return bool(self.cards.roles(team, user) & set(self.playbook.planners))

    def may_plan(self, user: str, team: Team) -> None:
        if not self.plans(team, user):
            raise OpsError(N_("Promotions are planned by {roles} (promo.yml planners)."),
                           roles=self._role_names(user, team, self.playbook.planners))

    def _resolve(self, team: Team, wanted: tuple[str, ...], field: str | None) -> list[str]:
        known = self.skus(team)
        resolved = []
        for sku in wanted:
            exact = next((k for k in known if k.lower() == sku.strip().lower()), None)
            if exact is None:
                close = difflib.get_close_matches(sku.upper(), [k.upper() for k in known], n=3, cutoff=0.6)
                if close:
                    raise OpsError(N_("{sku} is not a SKU I know. Did you mean {options}?"), field=field, sku=sku,
                                   options=AnyOf([k for k in known if k.upper() in close]))
                raise OpsError(N_("I don't know the SKU {sku}: no report has it yet. Load a report that lists it."),
                               field=field, sku=sku)
            resolved.append(exact)
        return list(dict.fromkeys(resolved))

    def file(self, user: str, wanted: ops.PromoForm, *, fields: bool = True) -> store.Promotion:
        """Plan a promotion; a bad value raises OpsError naming its form field (none for the one-liner)."""
        team = self.ctx.team_of(user)
        self.may_plan(user, team)
        roles = self.cards.roles(team, user)
        ops.check(wanted, self.playbook, self.ctx.today(team), fields=fields)
        skus = self._resolve(team, wanted.skus, "skus" if fields else None)
        marketplace = (wanted.marketplace or self.playbook.marketplaces[0]).upper()
        if marketplace not in self.playbook.marketplaces:
            raise OpsError(N_("{marketplace} is not one of the marketplaces in promo.yml: {known}."),
                           field="marketplace" if fields else None, marketplace=marketplace,
                           known=list(self.playbook.marketplaces))
        source = wanted.source
        if source is not None:
            links.check_source(self.ctx, user, source)
        needs = ops.needs_approval(wanted.discount, wanted.budget, self.playbook)
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            promo = store.Promotion(
                team_id=team.id, owner=user, skus=",".join(skus), marketplace=marketplace, kind=wanted.kind,
                discount=wanted.discount, amount=wanted.amount, budget=wanted.budget, currency=self.playbook.currency,
                start_day=wanted.start, end_day=wanted.end, reason=wanted.reason, needs_approval=needs,
                state=ops.PLANNED if needs else ops.APPROVED, version=1, created_at=now, updated_at=now)
            session.add(promo)
            session.flush()
            if needs and not self.cards.deciders(team, promo):
                roles_needed = ops.approver_roles(roles, self.playbook)
                raise OpsError(N_("Nobody in team.yml but you can approve this promotion: it needs one of {roles}. "
                                  "Lower the budget or discount, or add an approver to promo.yml."),
                               roles=self._role_names(user, team, roles_needed))
            audit = Audit(team.id, user, now)
            audit(session, "promo", promo.ref, None, ops.PLANNED, ",".join(skus))
            if not needs:
                audit(session, "promo", promo.ref, ops.PLANNED, ops.APPROVED, "within promo.yml thresholds")
            if source is not None:
                links.link(self.ctx, team.id, source, Ref("promo", promo.id), by=user)
            self.cards.post(team, promo)
        filed = self.cards.get(promo.id)
        assert filed is not None
        self.cards.homes(team, filed)
        links.moved(self.ctx, Ref("promo", filed.id))
        return filed

    def _role_names(self, user: str, team: Team, roles: tuple[Role, ...]) -> list[str]:
        """Roles in the words of whoever reads the refusal (an error's values are shown as given)."""
        tr = self.ctx.translator_for(user, team)
        return [tr._(ROLE_NAMES[r]) for r in roles]

    def check(self, user: str, promo_id: int, action: str) -> tuple[Team, store.Promotion]:
        """The promotion, if ``user`` may take ``action`` on it now; else OpsError saying why not."""
        team = self.ctx.team_of(user)
        promo = self.cards.get(promo_id)
        if promo is None or promo.team_id != team.id or action not in ("approve", "reject", "cancel"):
            raise OpsError(N_("That promotion no longer exists."))
        if promo.state not in ops.MOVES[action][0]:  # a stale card or App Home: say what it is now
            tr = self.ctx.translator_for(user, team)
            raise OpsError(N_("{ref} is {state} now: that button is out of date."), ref=promo.ref,
                           state=blocks.state_label(tr, promo.state))
        roles = self.cards.roles(team, user)
        if action == "cancel":
            if not ops.may_cancel(user, roles, promo.owner):
                raise OpsError(N_("Only its owner or the manager can cancel {ref}."), ref=promo.ref)
            return team, promo
        if not promo.needs_approval:
            raise OpsError(N_("{ref} is within the thresholds in promo.yml: it needs no approval."), ref=promo.ref)
        if user == promo.owner:
            raise OpsError(N_("Nobody approves their own promotion: {people} decides."),
                           people=AnyOf([f"<@{u}>" for u in self.cards.deciders(team, promo)]))
        if not ops.may_decide(user, roles, promo.owner, self.cards.roles(team, promo.owner), self.playbook):
            log.warning("promo: %s may not %s %s", user, action, promo.ref)
            raise OpsError(N_("You can't decide on {ref}: {people} decides."), ref=promo.ref,
                           people=AnyOf([f"<@{u}>" for u in self.cards.deciders(team, promo)]))
        return team, promo

    def step(self, user: str, promo_id: int, action: str) -> None:
        team, promo = self.check(user, promo_id, action)
        moved = self.move(team, promo, action, user)
        if moved.state == ops.APPROVED and moved.start_day <= self.ctx.today(team):
            self.move(team, moved, "start", SCHEDULER)  # approved on or after its first day: live at once

    def move(self, team: Team, promo: store.Promotion, action: str, actor: str) -> store.Promotion:
        """One step, audited; the card redrawn, the owner told, App Homes and the linked feedback refreshed."""
        target = ops.next_state(action, promo.state)
        now = self.ctx.clock.now()
        values: dict[str, object] = {"state": target, "updated_at": now}
        if action in ("approve", "reject"):
            values["decided_by"] = actor
        with self.ctx.db.transaction() as session:
            if not store.move(session, promo.id, promo.version, values):
                raise OpsError(N_("Someone else moved {ref} a moment ago; have a look at its card."), ref=promo.ref)
            Audit(team.id, actor, now)(session, "promo", promo.ref, promo.state, target, None)
            session.expire_all()
            moved = session.get(store.Promotion, promo.id)
            assert moved is not None
            self.cards.refresh(team, moved)
            if action in ("approve", "reject", "cancel") and actor not in (moved.owner, SCHEDULER):
                tr = self.ctx.translator_for(moved.owner, team)
                self.ctx.delivery.dm(moved.owner, tr._("{ref} is now {state} by <@{who}>.", ref=moved.ref,
                                                       state=blocks.state_label(tr, moved.state), who=actor))
        self.cards.homes(team, moved)
        links.moved(self.ctx, Ref("promo", moved.id))
        return moved

    def review_blocks(self, team: Team, promo: store.Promotion, tr: Any) -> list[dict[str, Any]]:
        with self.ctx.db.transaction() as session:
            found = review(session, team.id, promo.sku_list, promo.marketplace, promo.start_day, promo.end_day)
        return blocks.review_blocks(tr, self.cards.view(team, promo, tr, with_actions=False), found)
