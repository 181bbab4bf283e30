"""Watching stock and requests: the watchlist, the workday watch, the digest's section, the SLA and ETA reminders."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial

from bot.blocks import restock_suggestion as blocks
from bot.blocks.restock import request_restock_button
from bot.db import restock as store
from bot.flows.catalog import live_restock
from bot.flows.context import Context
from bot.flows.restock_requests import RestockRequests
from bot.i18n import AnyOf, Translator, translator
from bot.ops import restock as ops
from bot.ops import restock_math as math_
from bot.ops.restock_playbook import RestockPlaybook
from bot.ops.team import ROLE_NAMES, ChannelKey, Team
from bot.reports.digest import DigestSection
from bot.scheduler import ScheduledJob, daily


class RestockWatch:
    def __init__(self, ctx: Context, playbook: RestockPlaybook, requests: RestockRequests) -> None:
        self.ctx = ctx
        self._base = playbook
        self.requests = requests  # for the suggestions

    @property
    def playbook(self) -> RestockPlaybook:
        """restock.yml with the catalogue imported since start (any replica's import, read now)."""
        return live_restock(self.ctx, self._base)

    def watchlist(self, team: Team, today: date | None = None) -> list[math_.Suggestion]:
        """Every catalogued SKU (restock.yml and the reports) whose cover is below lead time (+7 days), most
        urgent first; computed for the whole catalogue at once."""
        found = [s for s in self.requests.suggestions(team, today or self.ctx.today(team))
                 if s.status in (math_.ORDER_NOW, math_.REORDER_SOON)]
        return sorted(found, key=lambda s: (s.days_of_cover or 0.0, s.sku))

    def jobs(self) -> list[ScheduledJob]:
        watch_at = time.fromisoformat(self.playbook.watch_time)
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
            tr = translator(team.locale)
            self.ctx.delivery.post(channel, tr._("Restock watch"), blocks.watchlist_blocks(tr, items))

    def digest_section(self, team: Team, today: date) -> DigestSection | None:
        """The morning KPI digest's restock part: SKUs at order now / reorder soon, with Request restock."""
        items = self.watchlist(team, today)
        if not items:
            return None
        tr = translator(team.locale)
        lines = tuple(blocks.watch_line(tr, s) for s in items)
        buttons = tuple(request_restock_button(tr, s.sku, None) for s in items[:5])
        return DigestSection(tr._("Restock: order now / reorder soon"), lines, buttons)

    def _reminder(self, tr: Translator, team: Team, request: store.RestockRequest, playbook: RestockPlaybook) -> str:
        """To whoever decides, in order: purchasing, the manager above the threshold, for their own the second
        approver. A role held only by the requester passes to the next; when no one else holds any, the
        reminder names the roles, so it never ends in an empty list."""
        roles = ops.deciders(self.requests.rights.facts(team, request), playbook)
        hours = playbook.approval_sla_hours
        for role in roles:
            people = [f"<@{m.user}>" for m in team.people_with(role) if m.user != request.requester]
            if people:
                return tr.ngettext(
                    "⏰ {ref} has waited for a decision for more than {hours} hour: {people}.",
                    "⏰ {ref} has waited for a decision for more than {hours} hours: {people}.",
                    hours, ref=request.ref, hours=hours, people=people,
                )
        names = AnyOf(tr._(ROLE_NAMES[r]) for r in roles)
        return tr.ngettext(
            "⏰ {ref} has waited for a decision for more than {hours} hour, and no one but its requester holds "
            "{roles} to decide: add one in team.yml.",
            "⏰ {ref} has waited for a decision for more than {hours} hours, and no one but its requester holds "
            "{roles} to decide: add one in team.yml.",
            hours, ref=request.ref, hours=hours, roles=names,
        )

    def remind(self, team: Team, fire: datetime) -> None:
        """Requests waiting for a decision past the SLA, to whoever decides; orders past their ETA, to all."""
        playbook = self.playbook  # read before the write lock is taken, not once per request inside it
        # Marked and announced together: a reminder is sent once, and never lost.
        with self.ctx.db.transaction() as session:
            tr, today = translator(team.locale), fire.astimezone(team.zone).date()
            sla = timedelta(hours=playbook.approval_sla_hours)
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
                self.ctx.delivery.post(
                    # In the card's thread; a card Slack has not shown yet gets the reminder beside it.
                    str(request.card_channel or team.channel(ChannelKey.purchasing)),
                    self._reminder(tr, team, request, playbook),
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
