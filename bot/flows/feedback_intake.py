"""Market feedback coming in: the form, filing a report, classifying and routing it, joining the open item."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks import feedback as blocks
from bot.db import feedback as store
from bot.db import feedback_lines as stored_lines
from bot.db.audit import Audit
from bot.db.launch import Launch
from bot.flows.context import Context
from bot.flows.feedback_cards import FeedbackCards
from bot.flows.home import homes_changed
from bot.ops import feedback as ops
from bot.ops import feedback_lines as line_ops
from bot.ops.feedback_playbook import FeedbackPlaybook
from bot.ops.team import Role, Team
from bot.reports.queries import known_skus as skus_with_data


@dataclass(frozen=True)
class Report:
    """One piece of feedback as a person gave it."""

    reporter: str
    text: str
    source_channel: str | None = None
    link: str | None = None
    marketplace: str | None = None
    sku: str | None = None
    category: str | None = None  # chosen explicitly; None lets the rules decide
    urgent: bool = False
    share_publicly: bool = False  # the reporter's own words, cleared by them in the form
    author: str | None = None  # who wrote the message it was taken from (the message shortcut)
    # Whether the place it came from is private, as decided when its form opened (None: asked now, for a report
    # typed now): a form's answer never waits on Slack to ask.
    source_private: bool | None = None


def carried_private(metadata: dict[str, Any]) -> bool:
    """Whether a submitted form came from a private place, as the form was opened with it (its private_metadata).
    Anything but a plain "no" counts as private — a form opened before this was carried, or metadata forged — so
    the words reach the manager alone rather than leak."""
    return metadata.get("private") is not False


class FeedbackIntake:
    def __init__(self, ctx: Context, playbook: FeedbackPlaybook, cards: FeedbackCards) -> None:
        self.ctx = ctx
        self.playbook = playbook
        self.cards = cards

    def known_skus(self, team: Team) -> list[str]:
        """The playbook's SKUs, every launch's SKUs and every SKU with report data."""
        with self.ctx.db.transaction() as session:
            launched = [
                sku
                for launch in session.scalars(select(Launch).where(Launch.team_id == team.id))
                for sku in launch.skus
            ]
            with_data = skus_with_data(session, team.id)
        return sorted({*self.playbook.known_skus, *launched, *with_data})

    def modal(
        self, user: str, *, text: str = "", link: str = "", source: str | None = None, author: str | None = None
    ) -> dict[str, Any]:
        """The form; for a message taken from a private place, its author is asked afterwards, not the sender."""
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        # Decided now, as the form opens, and carried to its submission, whose answer never waits on Slack.
        private = source is not None and self.ctx.people.channel_is_private(source)
        return blocks.file_modal(
            tr, self.playbook.category_choices(tr.locale), text=text, link=link,
            private_source=private and author is None, asks_author=private and author is not None,
            metadata={"source": source, "link": link, "author": author, "private": private},
        )

    def file(self, report: Report) -> str:
        """File (or join) the feedback and say where it went, in the reporter's words."""
        team = self.ctx.team_of(report.reporter)
        playbook, tr = self.playbook, self.ctx.translator_for(report.reporter, team)
        known = self.known_skus(team)
        found = ops.classify(report.text, playbook, known, urgent=report.urgent)
        chosen = report.category in playbook.categories
        category = report.category if chosen and report.category else found.category
        sku = self._sku(report.sku, known) or found.sku
        marketplace = report.marketplace or found.marketplace
        private = report.source_private
        if private is None:
            private = report.source_channel is not None and self.ctx.people.channel_is_private(report.source_channel)
        # Someone's message from a private place: its author, not whoever sent it on, says whether it goes public.
        author = report.author if private and report.author else None
        public_ok = not private or (report.share_publicly and author is None)
        roles = ops.destinations(playbook, category, marketplace, found.urgent)
        now = self.ctx.clock.now()
        audit = Audit(team.id, report.reporter, now)
        with self.ctx.db.transaction() as session:
            existing = self._open_item(session, team.id, sku, category, public_ok) if sku else None
            joined = existing is not None and ops.joins_open_item(sku, existing.created_at, now, playbook.dedupe_hours)
            if existing is not None and joined:
                before = existing.state
                existing.count += 1
                existing.updated_at = now
                item = existing
            else:
                before = None
                item = store.FeedbackItem(
                    team_id=team.id, reporter=report.reporter, text=found.text, link=report.link,
                    source_channel=report.source_channel, source_private=private, share_publicly=public_ok,
                    marketplace=marketplace, sku=sku, category=category, urgent=found.urgent,
                    roles_json=json.dumps([r.value for r in roles]), state=ops.NEW, count=1,
                    created_at=now, updated_at=now, author=author,
                    consent=ops.CONSENT_ASKED if author else None, unsure=found.unsure and not chosen,
                    asins_json=json.dumps(list(found.asins)),
                )
                session.add(item)
                session.flush()
                if not public_ok:  # the manager alone sees it: hers is its one line till its author shares it
                    session.add(stored_lines.FeedbackLine(team_id=team.id, item_id=item.id, role=Role.manager.value,
                                                          state=line_ops.NEW, active=True, updated_at=now))
                    session.flush()
            audit(session, "feedback", str(item.id), before, item.state, "joined" if joined else category)
            item_id, count = item.id, item.count
            # Filed and sent in one transaction: the feedback is routed, or was never taken.
            if joined:
                self._joined(team, item_id, report, found.text, public_ok)
            else:
                where = self.cards.deliver(team, item, roles)
                if author:
                    self.cards.ask_consent(team, item)
                if item.unsure:
                    self._ask_category(team, item)
        if not joined:  # a new item is in the App Home of the people of its lines
            homes_changed(self.ctx, team, [m.user for r in ops.line_roles(roles, public_ok)
                                           for m in team.people_with(r)])
        if joined:
            return blocks.joined_text(tr, item_id, sku, count)
        if author:
            return blocks.held_text(tr, item_id, author, report.reporter)
        return tr._(
            "Thanks! Feedback #{id} ({category}) went to {where}.",
            id=item_id, category=playbook.category_name(category, tr.locale), where=blocks.listed(tr, where),
        )

    @staticmethod
    def _open_item(session: Session, team_id: str, sku: str, category: str,
                   public: bool) -> store.FeedbackItem | None:
        """The open item a report of this SKU and category may join. A public report joins only an item the team
        can see: an item whose words still wait for their author's consent (or were kept private) reached the
        manager alone, so a public report joining it would never reach the team's channels."""
        query = select(store.FeedbackItem).where(
            store.FeedbackItem.team_id == team_id, store.FeedbackItem.sku == sku,
            store.FeedbackItem.category == category, store.FeedbackItem.state != ops.CLOSED)
        if public:
            query = query.where(store.FeedbackItem.share_publicly.is_(True))
        return session.scalar(query.order_by(store.FeedbackItem.created_at.desc()).limit(1))

    def _ask_category(self, team: Team, item: store.FeedbackItem) -> None:
        tr = self.ctx.translator_for(item.reporter, team)
        self.ctx.delivery.dm(item.reporter, blocks.category_question_text(tr, item.id), blocks.category_question(
            tr, item.id, item.text, self.playbook.category_choices(tr.locale)))

    @staticmethod
    def _sku(given: str | None, known: list[str]) -> str | None:
        if not given or not given.strip():
            return None
        wanted = given.strip()
        return next((s for s in known if s.lower() == wanted.lower()), wanted.upper())

    def _joined(self, team: Team, item_id: int, report: Report, text: str, public_ok: bool) -> None:
        """A reply in every card's thread; a private report's words reach the manager alone, by DM."""
        with self.ctx.db.transaction() as session:
            cards = [c for c in store.cards_of(session, item_id) if c.channel and c.ts]  # those Slack shows
            for card in cards:
                tr = self.cards.reader(team, card.destination)  # a DM's card is read in its person's language
                reply = blocks.another_report_text(tr, report.reporter, text if public_ok else None)
                self.ctx.delivery.post(str(card.channel), reply, thread_ts=card.ts)
            if not public_ok:
                for manager in team.people_with(Role.manager):
                    mine = self.ctx.translator_for(manager.user, team)
                    self.ctx.delivery.dm(manager.user, blocks.private_join_text(mine, item_id, report.reporter, text))
            self.cards.refresh(team, self.cards.item(item_id))
