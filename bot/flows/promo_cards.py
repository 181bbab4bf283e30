"""Promotion cards: what a promotion reads as (to its card, lists, App Home, other features' cards), posted to
marketing and kept current; the people whose App Home it touches."""

from __future__ import annotations

from typing import Any

from bot.blocks import promo as blocks
from bot.blocks.text import Mrkdwn
from bot.db import links as stored_links
from bot.db import promo as store
from bot.flows.context import Context
from bot.flows.home import homes_changed
from bot.i18n import Translator, translator
from bot.ops import promo as ops
from bot.ops.links import LinkState, Ref
from bot.ops.promo_playbook import PromoPlaybook
from bot.ops.team import ChannelKey, Role, Team
from bot.outbox import Receipt, ReceiptHook

RECEIPTS = (ReceiptHook("promo.card", store.Promotion, channel="card_channel", ts="card_ts"),)


class PromoCards:
    def __init__(self, ctx: Context, playbook: PromoPlaybook) -> None:
        self.ctx = ctx
        self.playbook = playbook

    def get(self, promo_id: int) -> store.Promotion | None:
        with self.ctx.db.transaction() as session:
            return session.get(store.Promotion, promo_id)

    def roles(self, team: Team, user: str) -> set[Role]:
        return {role for role in Role if self.ctx.has_role(team, user, role)}

    def deciders(self, team: Team, promo: store.Promotion) -> list[str]:
        """Everyone who may approve ``promo``: the approvers, or for an approver's own the second approvers."""
        wanted = ops.approver_roles(self.roles(team, promo.owner), self.playbook)
        return [m.user for m in team.members if m.active and m.user != promo.owner
                and any(self.ctx.has_role(team, m.user, role) for role in wanted)]

    def view(self, team: Team, promo: store.Promotion, tr: Translator, *, with_actions: bool = True
             ) -> blocks.PromoView:
        wanted: tuple[str, ...] = ()
        if with_actions and promo.state == ops.PLANNED:
            wanted = ("approve", "reject", "cancel") if promo.needs_approval else ("cancel",)
        elif with_actions and promo.state in (ops.APPROVED, ops.LIVE):
            wanted = ("cancel",)
        return blocks.PromoView(
            id=promo.id, ref=promo.ref, owner=promo.owner, skus=tuple(promo.sku_list), marketplace=promo.marketplace,
            kind=promo.kind, discount=promo.discount, amount=promo.amount, budget=promo.budget,
            currency=promo.currency, start=promo.start_day, end=promo.end_day, reason=promo.reason,
            state=promo.state, needs_approval=promo.needs_approval, decided_by=promo.decided_by,
            origins=tuple(self.origins(promo, tr)), actions=wanted)

    def origins(self, promo: store.Promotion, tr: Translator) -> list[Mrkdwn]:
        """"From F-12: …" for each object it came from; a kind no feature describes still shows its label."""
        with self.ctx.db.transaction() as session:
            refs = stored_links.sources(session, Ref("promo", promo.id))
        lines = []
        for ref in refs:
            kind = self.ctx.link_kinds.get(ref.kind)
            state = kind.describe(self.ctx, ref, tr) if kind else None
            lines.append(blocks.origin_line(tr, ref.label, state.title if state else "", state.state if state else "")
                         if state else Mrkdwn(tr._("From {ref}", ref=ref.label)))
        return lines

    def card(self, team: Team, promo: store.Promotion, tr: Translator | None = None
             ) -> tuple[str, list[dict[str, Any]]]:
        tr = tr or translator(team.locale)
        shown = self.view(team, promo, tr)
        return blocks.card_text(tr, shown), blocks.card_blocks(tr, shown)

    def post(self, team: Team, promo: store.Promotion) -> None:
        """A new promotion's card to marketing (in the caller's transaction)."""
        text, card = self.card(team, promo)
        channel = team.channel(ChannelKey.marketing) or team.channel(ChannelKey.ops)
        self.ctx.delivery.post(str(channel), text, card, receipt=Receipt("promo.card", str(promo.id)))

    def refresh(self, team: Team, promo: store.Promotion) -> None:
        card = promo.card_ts or self.ctx.delivery.waiting(Receipt("promo.card", str(promo.id)))
        if card is not None:
            channel = promo.card_channel or str(team.channel(ChannelKey.marketing) or team.channel(ChannelKey.ops))
            text, shown = self.card(team, promo)
            self.ctx.delivery.update(channel, card, text, shown)

    def homes(self, team: Team, promo: store.Promotion) -> None:
        """The owner's and the deciders' App Homes show this promotion: publish them again."""
        homes_changed(self.ctx, team, [promo.owner, *self.deciders(team, promo)])

    def describe(self, ctx: Context, ref: Ref, tr: Translator) -> LinkState | None:
        promo = self.get(ref.id)
        if promo is None:
            return None
        team = ctx.teams.by_id(promo.team_id)
        if team is None:
            return None
        shown = self.view(team, promo, tr, with_actions=False)
        return LinkState(ref, blocks.title(tr, shown), blocks.state_label(tr, promo.state),
                         finished=promo.state in ops.FINISHED_STATES)

    def list_blocks(self, user: str, scope: str) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            found = store.promotions_of(session, team.id, None if scope != "open" else ops.OPEN_STATES)
        if scope == "mine":
            found = [p for p in found if p.owner == user]
        headings = {"open": tr._("Promotions planned or live"), "mine": tr._("My promotions"),
                    "all": tr._("All promotions")}
        lines = [blocks.list_line(tr, self.view(team, p, tr, with_actions=False)) for p in found]
        return blocks.list_blocks(tr, headings.get(scope, headings["open"]), lines)

    def status_blocks(self, user: str, promo_id: int, review: list[dict[str, Any]] | None = None
                      ) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        promo = self.get(promo_id)
        if promo is None or promo.team_id != team.id:
            return blocks.list_blocks(tr, tr._("No promotion P-{id}", id=promo_id), [])
        return [*self.card(team, promo, tr)[1], *(review or [])]
