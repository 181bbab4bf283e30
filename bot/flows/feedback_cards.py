"""Feedback cards: one per destination the item was routed to, each kept current in place as the item changes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.blocks import feedback as blocks
from bot.blocks.feedback_lines import LineView
from bot.blocks.text import Mrkdwn
from bot.db import feedback as store
from bot.db import feedback_lines as stored_lines
from bot.flows import links
from bot.flows.context import Context
from bot.i18n import Translator, translator
from bot.ops import feedback as ops
from bot.ops import feedback_lines as line_ops
from bot.ops.feedback_playbook import FeedbackPlaybook
from bot.ops.links import Ref
from bot.ops.team import ROLE_NAMES, Role, Team
from bot.outbox import Receipt, ReceiptHook, Target
from bot.reports.queries import sku_summary

# Each card, kept current in place; the author's latest share question, replaced when it is asked again.
CONSENT_QUESTION = "feedback.consent"
RECEIPTS = (ReceiptHook("feedback.card", store.FeedbackCard, channel="channel", ts="ts"),
            ReceiptHook(CONSENT_QUESTION, store.FeedbackItem, channel="consent_channel", ts="consent_ts"))


class FeedbackCards:
    def __init__(self, ctx: Context, playbook: FeedbackPlaybook) -> None:
        self.ctx = ctx
        self.playbook = playbook

    def item(self, item_id: int) -> store.FeedbackItem:
        """The item as it is now, to build its cards from."""
        with self.ctx.db.transaction() as session:
            item = session.get(store.FeedbackItem, item_id)
        if item is None:
            raise LookupError(f"feedback {item_id} is gone")
        return item

    def deliver(self, team: Team, item: store.FeedbackItem, roles: list[Role]) -> list[str]:
        """A card for each destination that has none yet; the item's older cards are brought up to date."""
        wanted = self._targets(team, item, roles)
        with self.ctx.db.transaction() as session:
            existing = store.cards_of(session, item.id)
            have = {c.destination for c in existing}
            for target in wanted:
                if target.key in have:
                    continue
                row = store.FeedbackCard(team_id=team.id, item_id=item.id, destination=target.key)
                session.add(row)
                session.flush()
                tr = self.reader(team, target.key)
                self.ctx.delivery.post(target.channel or str(target.dm), self._text(tr, item),
                                       self._blocks(team, item, tr), receipt=Receipt("feedback.card", str(row.id)))
            self._update(team, item, existing)
        return [f"<{t.key}>" for t in wanted]

    def refresh(self, team: Team, item: store.FeedbackItem) -> None:
        with self.ctx.db.transaction() as session:
            cards = store.cards_of(session, item.id)
        self._update(team, item, cards)

    def where(self, team: Team, item: store.FeedbackItem) -> list[str]:
        """Where the item goes by its route once nothing holds it back: what an author is asked to allow."""
        roles = [Role(r) for r in item.roles]
        found = ops.targets(team, self.playbook, roles, urgent=item.urgent, public_ok=True)
        return [f"<{t.key}>" for t in found]

    def ask_consent(self, team: Team, item: store.FeedbackItem, *, again: bool = False) -> None:
        """The author's question, in their language, naming where "Yes" sends the item now. Asked again, it
        replaces the one before in their DM (edited to say so, without its buttons: they answered what is no
        longer asked) and carries the next number, so a press on an older one is told apart (FeedbackActions)."""
        author = str(item.author)
        tr = self.ctx.translator_for(author, team)
        receipt = Receipt(CONSENT_QUESTION, str(item.id))
        with self.ctx.db.transaction() as session:
            current = session.get(store.FeedbackItem, item.id)
            assert current is not None
            # The one before: still in the outbox (edited there, so Slack shows it replaced), or where it landed.
            before: Target | None = self.ctx.delivery.waiting(receipt) or current.consent_ts
            if before is not None:
                self.ctx.delivery.update(current.consent_channel or author, before,
                                         blocks.consent_replaced_text(tr, item.id),
                                         blocks.consent_replaced(tr, item.id, current.text))
            current.consent_question = number = (current.consent_question or 0) + 1
            self.ctx.delivery.dm(author, blocks.consent_question_text(tr, item.id), blocks.consent_question(
                tr, item.id, item.reporter, author, current.text, self.where(team, current), number, again=again),
                receipt=receipt)

    def close_consent(self, team: Team, item: store.FeedbackItem, closer: str) -> None:
        """The manager closed the item before its author answered: the question is edited to say so, without its
        buttons (a closed item is shared nowhere), wherever it is — still in the outbox or where it landed."""
        if item.consent != ops.CONSENT_ASKED or not item.author:
            return
        tr = self.ctx.translator_for(item.author, team)
        question = self.ctx.delivery.waiting(Receipt(CONSENT_QUESTION, str(item.id))) or item.consent_ts
        if question is not None:
            self.ctx.delivery.update(item.consent_channel or item.author, question,
                                     blocks.consent_closed_text(tr, item.id, closer),
                                     blocks.consent_closed(tr, item.id, closer, item.text))

    def _update(self, team: Team, item: store.FeedbackItem, cards: list[store.FeedbackCard]) -> None:
        for card in cards:
            # A card still in the outbox (Slack slow or away) is edited there, so it is posted as the item is now.
            target: Target | None = card.ts or self.ctx.delivery.waiting(Receipt("feedback.card", str(card.id)))
            if target is None:
                continue
            tr = self.reader(team, card.destination)
            channel = card.channel or card.destination[1:]  # "#C…" or "@U…": whom the waiting post is addressed to
            self.ctx.delivery.update(channel, target, self._text(tr, item), self._blocks(team, item, tr))

    def reader(self, team: Team, destination: str) -> Translator:
        """A DM reads in its person's own language; a channel in the team's."""
        if destination.startswith("@"):
            return self.ctx.translator_for(destination[1:], team)
        return translator(team.locale)

    def _targets(self, team: Team, item: store.FeedbackItem, roles: list[Role]) -> list[ops.Target]:
        return ops.targets(team, self.playbook, roles, urgent=item.urgent, public_ok=item.share_publicly)

    def _text(self, tr: Translator, item: store.FeedbackItem) -> str:
        return blocks.card_text(tr, item.id, self.playbook.category_name(item.category, tr.locale))

    def _blocks(self, team: Team, item: store.FeedbackItem, tr: Translator) -> list[dict[str, Any]]:
        where = self._targets(team, item, [Role(r) for r in item.roles])
        view = blocks.Card(
            id=item.id,
            reporter=item.reporter,
            text=item.text,
            link=item.link,
            category=self.playbook.category_name(item.category, tr.locale),
            sku=item.sku,
            marketplace=item.marketplace,
            urgent=item.urgent,
            state=item.state,
            state_label=blocks.state_label(tr, item.state),
            outcome=item.outcome,
            count=item.count,
            destinations=Mrkdwn(blocks.listed(tr, [f"<{t.key}>" for t in where])),
            asins=tuple(item.asins),
            unsure=item.unsure,
            waiting_for=item.author if item.consent == ops.CONSENT_ASKED else None,
            kept_private_by=self._kept_private_by(item),
            lines=tuple(self.line_views(item, tr)),
            started=tuple(links.started(self.ctx, Ref("feedback", item.id), tr)),
        )
        return blocks.card_blocks(tr, view, self._sku_context(team, item, tr))

    @staticmethod
    def _kept_private_by(item: store.FeedbackItem) -> str | None:
        """Who kept the item with the manager: its author who answered No, or — typed in the form opened from a
        private place with "OK to repost" unticked, so never asked — its reporter, who wrote it."""
        if item.consent == ops.CONSENT_DECLINED:
            return item.author
        if item.consent is None and not item.share_publicly:
            return item.author or item.reporter
        return None

    def line_views(self, item: store.FeedbackItem, tr: Translator, roles: set[Role] | None = None) -> list[LineView]:
        """The item's lines as ``tr``'s reader sees them (only ``roles``' when given), each with what it offers."""
        with self.ctx.db.transaction() as session:
            rows = stored_lines.lines_of(session, item)
        views = []
        for row in rows:
            role = Role(row.role)
            if roles is not None and role not in roles:
                continue
            finished = row.state in line_ops.FINISHED
            views.append(LineView(
                role=row.role, role_name=tr._(ROLE_NAMES[role]), state=row.state, actor=row.actor, note=row.note,
                outcome=row.outcome, offered=line_ops.OFFERED.get(row.state, ()),
                follow_ups=() if finished else self._follow_ups(item, role),
            ))
        return views

    def _follow_ups(self, item: store.FeedbackItem, role: Role) -> tuple[str, ...]:
        """A line's follow-ups; the manager's line on an item only she sees (ops.line_roles) offers those of its
        route's lines too (adjust restock, plan a promotion), as nobody else can start them."""
        roles = [role] if item.share_publicly or role != Role.manager else [role, *(Role(r) for r in item.roles)]
        return tuple(dict.fromkeys(f for r in roles for f in self.playbook.follow_ups_for(item.category, r)))

    def _sku_context(self, team: Team, item: store.FeedbackItem, tr: Translator) -> Mrkdwn | None:
        """The SKU's last 7 days, when report data for it has been loaded."""
        if not item.sku:
            return None
        day = item.created_at.astimezone(team.zone).date()
        with self.ctx.db.transaction() as session:
            found = sku_summary(session, team.id, item.sku, day - timedelta(days=7), day - timedelta(days=1))
        return blocks.sku_context(tr, item.sku, found) if found else None
