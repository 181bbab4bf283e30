"""Keeping feedback in view: what is open (the lists), reminders where nobody acknowledged, the weekly summary."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from bot.blocks import feedback as blocks
from bot.db import feedback as store
from bot.flows.context import Context
from bot.flows.feedback_status import may_read
from bot.i18n import translator
from bot.ops import feedback as ops
from bot.ops.feedback_playbook import FeedbackPlaybook
from bot.ops.team import Role, Team
from bot.scheduler import ScheduledJob, daily


class FeedbackWeekly:
    def __init__(self, ctx: Context, playbook: FeedbackPlaybook) -> None:
        self.ctx = ctx
        self.playbook = playbook

    def list_blocks(self, user: str, scope: str) -> list[dict[str, Any]]:
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            items = store.items_since(session, team.id, datetime.min.replace(tzinfo=self.ctx.clock.now().tzinfo))
        scope = self._scope(scope, tr.locale, blocks.list_scope_words(tr))
        if scope == "mine":
            chosen = [i for i in items if i.reporter == user or i.owner == user]
        elif scope in self.playbook.categories:
            chosen = [i for i in items if i.category == scope]
        elif scope in ("open", "all"):
            chosen = [i for i in items if scope == "all" or i.state != ops.CLOSED]
        else:
            return blocks.unknown_list_blocks(tr, [name for _, name in self.playbook.category_choices(tr.locale)])
        name = partial(self.playbook.category_name, locale=tr.locale)
        # The same rule as /feedback status: an item from a private conversation is listed without its words.
        lines = [blocks.list_line(tr, i.id, name(i.category), i.state, i.sku, i.text)
                 if may_read(self.ctx, team, user, i) else blocks.private_list_line(tr, i.id, name(i.category), i.state)
                 for i in reversed(chosen)]
        return blocks.list_blocks(tr, blocks.list_title(tr, scope, name(scope)), lines)

    def _scope(self, typed: str, locale: str, scope_words: dict[str, str]) -> str:
        """A scope or category key from what was typed: a key, or a word or name in the reader's language."""
        word = typed.lower()
        if word in blocks.LIST_SCOPES or word in scope_words:
            return scope_words.get(word, word)
        for key, category in self.playbook.categories.items():
            names = {key, self.playbook.category_name(key, locale).lower(), *(a.lower() for a in category.aliases)}
            if word in names:
                return key
        return word

    def jobs(self) -> list[ScheduledJob]:
        weekly = self.playbook.weekly_summary
        at = time.fromisoformat(weekly.time)
        jobs = []
        for team in self.ctx.teams.teams:
            jobs.append(daily("feedback.sla", team.id, team.zone, None, partial(self.remind_unacknowledged, team),
                              grace=timedelta(hours=2)))
            jobs.append(daily("feedback.weekly", team.id, team.zone, at, partial(self.weekly_summary, team),
                              days=[weekly.day], grace=timedelta(hours=6)))
        return jobs

    def remind_unacknowledged(self, team: Team, fire: datetime) -> None:
        limit = fire - timedelta(hours=self.playbook.ack_sla_hours)
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
                # Named are those who can see it: private words not yet cleared reached the manager alone.
                roles = [Role(r) for r in item.roles] if item.share_publicly else [Role.manager]
                people = sorted({m.user for r in roles for m in team.people_with(r)})
                for card in cards[item.id]:
                    if card.channel and card.ts:
                        # A card in someone's DM is read in their language; a channel's in the team's.
                        reader = (self.ctx.translator_for(card.destination[1:], team)
                                  if card.destination.startswith("@") else tr)
                        self.ctx.delivery.post(card.channel, blocks.reminder_text(reader, people),
                                               thread_ts=card.ts)

    def weekly_summary(self, team: Team, fire: datetime) -> None:
        channel = team.channels.get(self.playbook.channel_key(Role.manager))
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
        name = partial(self.playbook.category_name, locale=tr.locale)
        categories = ops.week_over_week([i.category for i in this_week], [i.category for i in last_week])
        skus = ops.week_over_week([i.sku for i in this_week if i.sku], [i.sku for i in last_week if i.sku])
        markets = ops.week_over_week([i.marketplace for i in this_week if i.marketplace],
                                     [i.marketplace for i in last_week if i.marketplace])
        counts = blocks.weekly_counts(tr, [(name(c.key), c) for c in categories], skus, markets)
        open_lines = [
            blocks.weekly_open_line(tr, i.id, name(i.category), (fire - i.created_at).days, i.state)
            for i in sorted(still_open, key=lambda i: (i.created_at, i.id))
        ]
        self.ctx.delivery.post(
            channel, tr._("Market feedback this week"), blocks.weekly_blocks(tr, counts, open_lines)
        )
