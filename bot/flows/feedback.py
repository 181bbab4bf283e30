"""Market feedback use cases: file it, route it, join duplicates, act on it, re-route and close it."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.blocks import feedback as blocks
from bot.db import feedback as store
from bot.db.audit import record
from bot.db.launch import Launch
from bot.errors import N_, OpsError
from bot.flows.feedback_reports import FeedbackReports
from bot.i18n import Translator, translator
from bot.ops import feedback as ops
from bot.ops.feedback_playbook import FeedbackPlaybook
from bot.ops.team import Role, Team
from bot.services import Services

log = logging.getLogger(__name__)


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
    share_publicly: bool = False


class FeedbackFlow(FeedbackReports):
    def __init__(self, services: Services) -> None:
        self.services = services

    def playbook(self) -> FeedbackPlaybook:
        return self.services.playbook(FeedbackPlaybook)

    def known_skus(self, team: Team) -> list[str]:
        with self.services.db.transaction() as session:
            launched = [
                sku
                for launch in session.scalars(select(Launch).where(Launch.team_id == team.id))
                for sku in launch.skus
            ]
        return sorted({*self.playbook().known_skus, *launched})

    def categories(self, tr: Translator) -> list[tuple[str, str]]:
        return [(key, self.pick(c.name, tr.locale)) for key, c in self.playbook().categories.items()]

    def modal(self, user: str, *, text: str = "", link: str = "", source: str | None = None) -> dict[str, Any]:
        team = self.services.team_of(user)
        tr = self.services.translator_for(user, team)
        private = source is not None and self.services.people.channel_is_private(source)
        return blocks.file_modal(
            tr,
            self.categories(tr),
            text=text,
            link=link,
            private_source=private,
            metadata={"source": source, "link": link},
        )

    # -- filing ----------------------------------------------------------------------------------
    def file(self, report: Report) -> str:
        """File (or join) the feedback and say where it went, in the reporter's words."""
        team = self.services.team_of(report.reporter)
        playbook, tr = self.playbook(), self.services.translator_for(report.reporter, team)
        known = self.known_skus(team)
        found = ops.classify(report.text, playbook, known, urgent=report.urgent)
        category = report.category if report.category in playbook.categories else found.category
        sku = self._sku(report.sku, known) or found.sku
        private = report.source_channel is not None and self.services.people.channel_is_private(report.source_channel)
        now = self.services.clock.now()
        with self.services.db.transaction() as session:
            existing = store.open_item_for(session, team.id, sku, category) if sku else None
            if existing and ops.joins_open_item(sku, category, existing.created_at, now, playbook.dedupe_hours):
                existing.count += 1
                existing.updated_at = now
                record(
                    session,
                    team_id=team.id,
                    entity="feedback",
                    entity_id=str(existing.id),
                    actor=report.reporter,
                    at=now,
                    from_state=existing.state,
                    to_state=existing.state,
                    note="joined",
                )
                item_id, count = existing.id, existing.count
            else:
                item_id, count = 0, 1
        if item_id:
            self._joined(team, item_id, report, found.text)
            return tr._(
                "Joined the open feedback #{id} on {sku} ({count} reports so far).", id=item_id, sku=sku, count=count
            )
        roles = ops.destinations(playbook, category, report.marketplace, found.urgent)
        with self.services.db.transaction() as session:
            item = store.FeedbackItem(
                team_id=team.id,
                reporter=report.reporter,
                text=found.text,
                link=report.link,
                source_channel=report.source_channel,
                source_private=private,
                share_publicly=not private or report.share_publicly,
                marketplace=report.marketplace,
                sku=sku,
                category=category,
                urgent=found.urgent,
                roles_json=json.dumps([r.value for r in roles]),
                state=ops.NEW,
                count=1,
                created_at=now,
                updated_at=now,
            )
            session.add(item)
            session.flush()
            record(
                session,
                team_id=team.id,
                entity="feedback",
                entity_id=str(item.id),
                actor=report.reporter,
                at=now,
                from_state=None,
                to_state=ops.NEW,
                note=category,
            )
            item_id = item.id
        where = self._deliver(team, item_id, roles)
        return tr._(
            "Thanks! Feedback #{id} ({category}) went to {where}.",
            id=item_id,
            category=self.category_name(category, tr),
            where=", ".join(where),
        )

    @staticmethod
    def _sku(given: str | None, known: list[str]) -> str | None:
        if not given or not given.strip():
            return None
        wanted = given.strip()
        return next((s for s in known if s.lower() == wanted.lower()), wanted.upper())

    def _deliver(self, team: Team, item_id: int, roles: list[Role]) -> list[str]:
        """Post the card to each destination; a private report not cleared for reposting goes by DM."""
        item = self._item(item_id)
        where: list[str] = []
        targets: list[str] = []
        for role in roles:
            channel = team.channel(self.playbook().channel_key(role))
            if channel and (item.share_publicly or self.services.people.channel_is_private(channel)):
                targets.append(channel)
            else:
                targets += [f"dm:{m.user}" for m in team.people_with(role)]
        if item.urgent:
            targets += [f"dm:{m.user}" for r in self.playbook().urgent_dm for m in team.people_with(r)]
        for target in dict.fromkeys(targets):
            if target.startswith("dm:"):
                user = target[3:]
                posted = self.services.delivery.dm(user, self._card_text(team, item), self.card(team, item))
                where.append(f"<@{user}>")
            else:
                posted = self.services.delivery.post(target, self._card_text(team, item), self.card(team, item))
                where.append(f"<#{target}>")
            with self.services.db.transaction() as session:
                session.add(store.FeedbackCard(team_id=team.id, item_id=item_id, channel=posted.channel, ts=posted.ts))
        return where

    def _joined(self, team: Team, item_id: int, report: Report, text: str) -> None:
        tr = translator(team.locale)
        item = self._item(item_id)
        with self.services.db.transaction() as session:
            cards = store.cards_of(session, item_id)
        for card in cards:
            self.services.delivery.post(
                card.channel,
                tr._("Another report from {who}: {text}", who=f"<@{report.reporter}>", text=text),
                thread_ts=card.ts,
            )
        self.refresh_cards(team, item)

    # -- acting on it ----------------------------------------------------------------------------
    def _authorized(self, team: Team, user: str, item: store.FeedbackItem) -> None:
        actor_roles = {role for role in Role if self.services.has_role(team, user, role)}
        if not ops.may_act(actor_roles, [Role(r) for r in item.roles]):
            log.warning("feedback: %s may not act on item %s", user, item.id)
            raise OpsError(N_("Only the people this feedback was sent to, or the manager, can change it."))

    def check_may_act(self, user: str, item_id: int) -> None:
        """Refuse before a modal opens, not only when it is submitted."""
        team = self.services.team_of(user)
        item = self._item(item_id)
        if item.team_id != team.id:
            raise OpsError(N_("That feedback no longer exists."))
        self._authorized(team, user, item)

    def act(self, user: str, item_id: int, action: str, note: str = "") -> None:
        """acknowledge | on_it | close — each updates every card and tells the reporter."""
        team = self.services.team_of(user)
        item = self._item(item_id)
        if item.team_id != team.id:
            raise OpsError(N_("That feedback no longer exists."))
        self._authorized(team, user, item)
        if item.state == ops.CLOSED:
            raise OpsError(N_("Feedback #{id} is already closed."), id=item_id)
        if action in ("on_it", "close") and not note.strip():
            raise OpsError(N_("Please add a short note."), field="note")
        target = {"acknowledge": ops.ACKNOWLEDGED, "on_it": ops.IN_PROGRESS, "close": ops.CLOSED}[action]
        now = self.services.clock.now()
        with self.services.db.transaction() as session:
            current = session.get(store.FeedbackItem, item_id)
            assert current is not None
            before = current.state
            current.state, current.updated_at = target, now
            if action == "on_it":
                current.owner, current.note = user, note.strip()
            if action == "close":
                current.outcome = note.strip()
            record(
                session,
                team_id=team.id,
                entity="feedback",
                entity_id=str(item_id),
                actor=user,
                at=now,
                from_state=before,
                to_state=target,
                note=note.strip() or None,
            )
        item = self._item(item_id)
        self.refresh_cards(team, item)
        self._tell_reporter(team, item, user)

    def reroute(self, user: str, item_id: int, category: str) -> None:
        team = self.services.team_of(user)
        item = self._item(item_id)
        self._authorized(team, user, item)
        playbook = self.playbook()
        if category not in playbook.categories:
            raise OpsError(N_("Choose one of the categories."), field="category")
        roles = ops.destinations(playbook, category, item.marketplace, item.urgent)
        now = self.services.clock.now()
        with self.services.db.transaction() as session:
            current = session.get(store.FeedbackItem, item_id)
            assert current is not None
            before = current.category
            current.category, current.roles_json, current.updated_at = (
                category,
                json.dumps([r.value for r in roles]),
                now,
            )
            record(
                session,
                team_id=team.id,
                entity="feedback",
                entity_id=str(item_id),
                actor=user,
                at=now,
                from_state=before,
                to_state=category,
                note="re-routed",
            )
        self.refresh_cards(team, self._item(item_id))
        self._deliver(team, item_id, roles)
        self._tell_reporter(team, self._item(item_id), user)

    def _tell_reporter(self, team: Team, item: store.FeedbackItem, actor: str) -> None:
        tr = self.services.translator_for(item.reporter, team)
        text = tr._(
            "Your feedback #{id} is now {state} ({who}).",
            id=item.id,
            state=self.state_label(item.state, tr),
            who=f"<@{actor}>",
        )
        if item.outcome:
            text += "\n" + tr._("Outcome: {outcome}", outcome=item.outcome)
        self.services.delivery.dm(item.reporter, text)
