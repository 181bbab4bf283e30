"""Promotions over time, in each team's zone: going live and ending, the owners' reminders on the first and last
day, the review once the reports are in; and where promotions show beyond their card: the morning digest, App
Home and the meetings' agenda."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from bot.blocks import promo as blocks
from bot.blocks.text import Mrkdwn, escape
from bot.db import promo as store
from bot.flows.context import AgendaPart, AgendaPeriod, Context, HomeReader
from bot.flows.promo import SCHEDULER, Promotions
from bot.i18n import Translator, translator
from bot.ops import promo as ops
from bot.ops.team import ChannelKey, Team
from bot.reports.digest import DigestSection
from bot.scheduler import ScheduledJob, daily


class PromoSchedule:
    def __init__(self, ctx: Context, promotions: Promotions) -> None:
        self.ctx = ctx
        self.promotions = promotions
        self.cards = promotions.cards
        self.playbook = promotions.playbook

    def _of(self, team: Team, states: tuple[str, ...]) -> list[store.Promotion]:
        with self.ctx.db.transaction() as session:
            return store.promotions_of(session, team.id, states)

    def jobs(self) -> list[ScheduledJob]:
        jobs = []
        for team in self.ctx.teams.teams:
            jobs.append(daily("promo.lifecycle", team.id, team.zone, time.fromisoformat(self.playbook.start_time),
                              partial(self.lifecycle, team), grace=timedelta(hours=6)))
            jobs.append(daily("promo.reminders", team.id, team.zone, time.fromisoformat(self.playbook.reminder_time),
                              partial(self.remind, team), grace=timedelta(hours=6)))
        return jobs

    def lifecycle(self, team: Team, fire: datetime) -> None:
        """Approved promotions whose first day has come go live; live ones past their last day end."""
        today = fire.astimezone(team.zone).date()
        for promo in self._of(team, (ops.PLANNED, ops.APPROVED, ops.LIVE)):
            if promo.state == ops.PLANNED and promo.end_day < today:
                self._expire(team, promo)
                continue
            if promo.state == ops.APPROVED and promo.start_day <= today:
                promo = self.promotions.move(team, promo, "start", SCHEDULER)
            if promo.state == ops.LIVE and promo.end_day < today:
                self.promotions.move(team, promo, "end", SCHEDULER)

    def _expire(self, team: Team, promo: store.Promotion) -> None:
        """Never approved and its last day has passed: cancelled, and its owner told why."""
        moved = self.promotions.move(team, promo, "cancel", SCHEDULER)
        tr = self.ctx.translator_for(moved.owner, team)
        title = escape(blocks.title(tr, self.cards.view(team, moved, tr, with_actions=False)))
        self.ctx.delivery.dm(moved.owner, tr._("⌛ {ref} ({title}) was never approved and its last day has passed: it "
                                               "is cancelled.", ref=moved.ref, title=title))

    def remind(self, team: Team, fire: datetime) -> None:
        """The owner's reminders on the first and the last day; a review once the reports of the last day are in."""
        today = fire.astimezone(team.zone).date()
        for promo in self._of(team, (ops.PLANNED, ops.LIVE)):
            tr = self.ctx.translator_for(promo.owner, team)
            shown = self.cards.view(team, promo, tr, with_actions=False)
            title = escape(blocks.title(tr, shown))
            if promo.state == ops.PLANNED and promo.start_day == today:
                self.ctx.delivery.dm(promo.owner, tr._("⏳ {ref} ({title}) should start today but still waits for an "
                                                       "approver.", ref=promo.ref, title=title))
            elif promo.state == ops.LIVE and promo.start_day == today:
                self.ctx.delivery.dm(promo.owner, tr._("🚀 {ref} ({title}) is live from today until {end}: check it "
                                                       "is switched on in Seller Central.", ref=promo.ref, title=title,
                                                       end=tr.date(promo.end_day)))
            if promo.state == ops.LIVE and promo.end_day == today:
                self.ctx.delivery.dm(promo.owner, tr._("🏁 {ref} ({title}) ends today: switch it off tonight. Its "
                                                       "review follows in {days} days.", ref=promo.ref, title=title,
                                                       days=self.playbook.review_after_days))
        due = today - timedelta(days=self.playbook.review_after_days)
        for promo in self._of(team, (ops.ENDED,)):
            if promo.end_day <= due:
                self.post_review(team, promo)

    def post_review(self, team: Team, promo: store.Promotion) -> None:
        tr = translator(team.locale)
        shown = self.promotions.review_blocks(team, promo, tr)
        text = tr._("Review of {ref}", ref=promo.ref)
        with self.ctx.db.transaction():
            channel = promo.card_channel or str(team.channel(ChannelKey.marketing) or team.channel(ChannelKey.ops))
            self.ctx.delivery.post(channel, text, shown, thread_ts=promo.card_ts)
            self.ctx.delivery.dm(promo.owner, text, self.promotions.review_blocks(
                team, promo, self.ctx.translator_for(promo.owner, team)))
        self.promotions.move(team, promo, "review", SCHEDULER)

    def status_blocks(self, user: str, promo_id: int) -> list[dict[str, Any]]:
        """``/promo status P-2``: its card, and its review once it has ended."""
        team = self.ctx.team_of(user)
        promo = self.cards.get(promo_id)
        if promo is None or promo.team_id != team.id or promo.state not in (ops.ENDED, ops.REVIEWED):
            return self.cards.status_blocks(user, promo_id)
        tr = self.ctx.translator_for(user, team)
        return self.cards.status_blocks(user, promo_id, self.promotions.review_blocks(team, promo, tr))

    # -- beyond the card ---------------------------------------------------------------------------------------
    def digest_section(self, team: Team, today: date) -> DigestSection | None:
        """Live promotions beside the SKUs they touch: a jump in sales or ACoS has its reason next to it."""
        live = [p for p in self._of(team, (ops.APPROVED, ops.LIVE)) if p.start_day <= today <= p.end_day]
        if not live:
            return None
        tr = translator(team.locale)
        lines = [blocks.digest_line(tr, sku, self.cards.view(team, p, tr, with_actions=False))
                 for p in live for sku in p.sku_list]
        return DigestSection(tr._("Promotions running"), tuple(sorted(lines)))

    def waiting_home(self, ctx: Context, reader: HomeReader) -> list[dict[str, Any]]:
        team, tr = reader.team, reader.tr
        if team is None:
            return []
        waiting = [p for p in self._of(team, (ops.PLANNED,))
                   if p.needs_approval and reader.user in self.cards.deciders(team, p)]
        if not waiting:
            return []
        lines = []
        for promo in waiting:
            shown = self.cards.view(team, promo, tr, with_actions=False)
            lines.append((blocks.list_line(tr, shown), blocks.step_buttons(tr, promo.id, ("approve", "reject"))))
        return blocks.home_blocks(tr, tr._("Promotions waiting for my approval"), lines, "")

    def mine_home(self, ctx: Context, reader: HomeReader) -> list[dict[str, Any]]:
        team, tr = reader.team, reader.tr
        if team is None:
            return []
        mine = [p for p in self._of(team, (*ops.OPEN_STATES, ops.ENDED)) if p.owner == reader.user]
        if not mine:
            return []
        lines: list[tuple[Mrkdwn, list[dict[str, Any]]]] = [
            (blocks.list_line(tr, self.cards.view(team, p, tr, with_actions=False)), []) for p in mine]
        return blocks.home_blocks(tr, tr._("My promotions"), lines, "")

    def agenda(self, ctx: Context, team: Team, period: AgendaPeriod, tr: Translator) -> AgendaPart | None:
        """Promotions live during the period or ending within it (the agenda's week or month)."""
        found = [p for p in self._of(team, (ops.APPROVED, ops.LIVE, ops.ENDED, ops.REVIEWED))
                 if ops.overlaps(p.start_day, p.end_day, period.start, period.end)]
        if not found:
            return None
        lines = tuple(blocks.list_line(tr, self.cards.view(team, p, tr, with_actions=False)) for p in found)
        return AgendaPart("promotions", tr._("Promotions"), lines)
