"""Feedback cards kept current, lists, the acknowledgement reminder and the weekly summary."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from bot.blocks import feedback as blocks
from bot.blocks.figures import summary_line
from bot.blocks.launch import add_launch_task_button
from bot.blocks.restock import request_restock_button
from bot.db import feedback as store
from bot.errors import N_
from bot.flows.context import Context
from bot.i18n import Translator, pick, translator
from bot.ops import feedback as ops
from bot.ops.feedback_playbook import FeedbackPlaybook
from bot.ops.team import Role, Team
from bot.outbox import Receipt, ReceiptHook
from bot.reports.queries import sku_summary
from bot.scheduler import ScheduledJob, daily

STATE_LABELS = {
    ops.NEW: N_("new"),
    ops.ACKNOWLEDGED: N_("acknowledged"),
    ops.IN_PROGRESS: N_("in progress"),
    ops.CLOSED: N_("closed"),
}
# Feedback that may call for stock or a launch change offers those flows right on the card.
ACTIONABLE = ("quality", "stock")


class FeedbackReports:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def playbook(self) -> FeedbackPlaybook:
        return self.ctx.playbook(FeedbackPlaybook)

    @staticmethod
    def pick(text: str | dict[str, str], locale: str) -> str:
        return pick(text, locale)

    def category_name(self, key: str, tr: Translator) -> str:
        category = self.playbook().categories.get(key)
        return self.pick(category.name, tr.locale) if category else key

    @staticmethod
    def state_label(state: str, tr: Translator) -> str:
        return tr._(STATE_LABELS.get(state, state))

    def _item(self, item_id: int) -> store.FeedbackItem:
        with self.ctx.db.transaction() as session:
            item = session.get(store.FeedbackItem, item_id)
        if item is None:
            raise LookupError(f"feedback {item_id} is gone")
        return item

    def _targets(self, team: Team, item: store.FeedbackItem, roles: list[Role]) -> list[ops.Target]:
        return ops.targets(
            team, self.playbook(), roles, urgent=item.urgent, public_ok=item.share_publicly,
            is_private=self.ctx.people.channel_is_private,
        )

    def card(self, team: Team, item: store.FeedbackItem) -> list[dict[str, Any]]:
        tr = translator(team.locale)
        where = self._targets(team, item, [Role(r) for r in item.roles])
        view = blocks.Card(
            id=item.id,
            reporter=item.reporter,
            text=item.text,
            link=item.link,
            category=self.category_name(item.category, tr),
            sku=item.sku,
            marketplace=item.marketplace,
            urgent=item.urgent,
            state=item.state,
            state_label=self.state_label(item.state, tr),
            owner=item.owner,
            note=item.note,
            outcome=item.outcome,
            count=item.count,
            destinations=", ".join(f"<{t.key}>" for t in where),
        )
        context = self._sku_context(team, item, tr)
        extra = (
            [request_restock_button(tr, item.sku, item.marketplace), add_launch_task_button(tr, item.sku, item.text)]
            if item.sku and item.category in ACTIONABLE
            else []
        )
        return blocks.card_blocks(tr, view, extra, context)

    def deliver(self, team: Team, item: store.FeedbackItem, roles: list[Role]) -> list[str]:
        """A card for each destination that has none yet; the item's older cards are brought up to date."""
        wanted = self._targets(team, item, roles)
        with self.ctx.db.transaction() as session:
            existing = store.cards_of(session, item.id)
            have = {c.destination for c in existing}
            text, card = self._card_text(team, item), self.card(team, item)
            for target in wanted:
                if target.key in have:
                    continue
                row = store.FeedbackCard(team_id=team.id, item_id=item.id, destination=target.key)
                session.add(row)
                session.flush()
                self.ctx.delivery.post(target.channel or str(target.dm), text, card,
                                            receipt=Receipt("feedback.card", str(row.id)))
            self._update(team, item, existing)
        return [f"<{t.key}>" for t in wanted]

    def _sku_context(self, team: Team, item: store.FeedbackItem, tr: Translator) -> str | None:
        """The SKU's last 7 days, when report data for it has been loaded."""
        if not item.sku:
            return None
        day = item.created_at.astimezone(team.zone).date()
        with self.ctx.db.transaction() as session:
            found = sku_summary(session, team.id, item.sku, day - timedelta(days=7), day - timedelta(days=1))
        return tr._("Last 7 days: {figures}", figures=summary_line(tr, item.sku, found)) if found else None

    def _card_text(self, team: Team, item: store.FeedbackItem) -> str:
        tr = translator(team.locale)
        return tr._("Feedback #{id}: {category}", id=item.id, category=self.category_name(item.category, tr))

    def refresh_cards(self, team: Team, item: store.FeedbackItem) -> None:
        with self.ctx.db.transaction() as session:
            cards = store.cards_of(session, item.id)
        self._update(team, item, cards)

    def _update(self, team: Team, item: store.FeedbackItem, cards: list[store.FeedbackCard]) -> None:
        if not cards:
            return
        text, blocks_now = self._card_text(team, item), self.card(team, item)
        for card in cards:
            if card.channel and card.ts:  # a card still on its way is sent as the item is now
                self.ctx.delivery.update(card.channel, card.ts, text, blocks_now)

    # -- lists -----------------------------------------------------------------------------------
    def list_blocks(self, user: str, scope: str) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            items = store.items_since(session, team.id, datetime.min.replace(tzinfo=self.ctx.clock.now().tzinfo))
        if scope == "mine":
            chosen = [i for i in items if i.reporter == user or i.owner == user]
        elif scope in self.playbook().categories:
            chosen = [i for i in items if i.category == scope]
        elif scope in ("open", "all"):
            chosen = [i for i in items if scope == "all" or i.state != ops.CLOSED]
        else:
            names = ", ".join(["open", "mine", "all", *self.playbook().categories])
            return blocks.list_blocks(tr, tr._("Use /feedback list with one of: {names}", names=names), [])
        lines = [
            f"#{i.id} · {self.category_name(i.category, tr)} · {self.state_label(i.state, tr)}"
            + (f" · {i.sku}" if i.sku else "")
            + f" · {i.text[:80]}"
            for i in reversed(chosen)
        ]
        titles = {"open": tr._("Open market feedback"), "mine": tr._("Market feedback you sent or work on"),
                  "all": tr._("All market feedback")}
        title = titles.get(scope) or tr._("Market feedback: {category}", category=self.category_name(scope, tr))
        return blocks.list_blocks(tr, title, lines)

    # -- scheduled -------------------------------------------------------------------------------
    def jobs(self) -> list[ScheduledJob]:
        weekly = self.playbook().weekly_summary
        at = time.fromisoformat(weekly.time)
        jobs = []
        for team in self.ctx.teams.teams:
            jobs.append(daily("feedback.sla", team.id, team.zone, None, partial(self.remind_unacknowledged, team),
                              grace=timedelta(hours=2)))
            jobs.append(daily("feedback.weekly", team.id, team.zone, at, partial(self.weekly_summary, team),
                              days=[weekly.day], grace=timedelta(hours=6)))
        return jobs

    def remind_unacknowledged(self, team: Team, fire: datetime) -> None:
        limit = fire - timedelta(hours=self.playbook().ack_sla_hours)
        tr = translator(team.locale)
        with self.ctx.db.transaction() as session:
            due = [
                i
                for i in store.open_items(session, team.id)
                if i.state == ops.NEW and i.created_at <= limit and i.reminded_at is None
            ]
            for item in due:
                item.reminded_at = fire
            cards = {item.id: store.cards_of(session, item.id) for item in due}
            for item in due:  # marked and sent together
                people = sorted({m.user for r in item.roles for m in team.people_with(Role(r))})
                text = tr._(
                    "⏰ Nobody has acknowledged this yet: {people}, please take a look.",
                    people=", ".join(f"<@{u}>" for u in people),
                )
                for card in cards[item.id]:
                    if card.channel and card.ts:
                        self.ctx.delivery.post(card.channel, text, thread_ts=card.ts)

    def weekly_summary(self, team: Team, fire: datetime) -> None:
        channel = team.channels.get(self.playbook().channel_key(Role.manager))
        if channel is None:
            return
        tr = translator(team.locale)
        with self.ctx.db.transaction() as session:
            this_week = store.items_since(session, team.id, fire - timedelta(days=7))
            last_week = [
                i
                for i in store.items_since(session, team.id, fire - timedelta(days=14))
                if i.created_at < fire - timedelta(days=7)
            ]
            still_open = store.open_items(session, team.id)
        categories = [
            tr._("{category}: {n} ({change:+d} vs last week)",
                 category=self.category_name(c.key, tr), n=c.now, change=c.change)
            for c in ops.week_over_week([i.category for i in this_week], [i.category for i in last_week])
        ]
        skus = ops.week_over_week([i.sku for i in this_week if i.sku], [i.sku for i in last_week if i.sku])
        if skus:
            top = ", ".join(f"{c.key} {c.now} ({c.change:+d})" for c in skus[:8])
            categories.append(tr._("SKUs: {skus}", skus=top))
        markets = ops.week_over_week([i.marketplace for i in this_week if i.marketplace],
                                     [i.marketplace for i in last_week if i.marketplace])
        if markets:
            categories.append(tr._("Marketplaces: {markets}",
                                   markets=", ".join(f"{c.key} {c.now} ({c.change:+d})" for c in markets)))
        open_lines = [
            tr.ngettext("#{id} {category} · open {n} day · {state}", "#{id} {category} · open {n} days · {state}",
                        (fire - i.created_at).days, id=i.id, category=self.category_name(i.category, tr),
                        state=self.state_label(i.state, tr))
            for i in sorted(still_open, key=lambda i: (i.created_at, i.id))
        ]
        self.ctx.delivery.post(
            channel, tr._("Market feedback this week"), blocks.weekly_blocks(tr, categories, open_lines)
        )


# Each card, kept current in place.
RECEIPTS = (ReceiptHook("feedback.card", store.FeedbackCard, channel="channel", ts="ts"),)
