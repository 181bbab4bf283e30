"""What the people a feedback item was sent to do with it: acknowledge, work on, re-route, close."""

from __future__ import annotations

import json
import logging

from bot.db import feedback as store
from bot.db.audit import record
from bot.errors import N_, OpsError
from bot.flows.feedback_reports import FeedbackReports
from bot.ops import feedback as ops
from bot.ops.team import Role, Team

log = logging.getLogger(__name__)


class FeedbackActions(FeedbackReports):
    def _authorized(self, team: Team, user: str, item: store.FeedbackItem) -> None:
        actor_roles = {role for role in Role if self.ctx.has_role(team, user, role)}
        if not ops.may_act(actor_roles, [Role(r) for r in item.roles]):
            log.warning("feedback: refused a change to item %s from someone it was not sent to", item.id)
            raise OpsError(N_("Only the people this feedback was sent to, or the manager, can change it."))

    def _open_item(self, user: str, item_id: int) -> tuple[Team, store.FeedbackItem]:
        """The user's team and the item, once the server has checked this user may change it."""
        team = self.ctx.team_of(user)
        with self.ctx.db.transaction() as session:
            item = session.get(store.FeedbackItem, item_id)
        if item is None or item.team_id != team.id:
            raise OpsError(N_("That feedback no longer exists."))
        self._authorized(team, user, item)
        if item.state == ops.CLOSED:
            raise OpsError(N_("Feedback #{id} is already closed."), id=item_id)
        return team, item

    def check_may_act(self, user: str, item_id: int) -> str:
        """Refuse before a modal opens, not only when it is submitted; the item's category when allowed."""
        return self._open_item(user, item_id)[1].category

    def act(self, user: str, item_id: int, action: str, note: str = "") -> None:
        """acknowledge | on_it | close — each updates every card and tells the reporter."""
        team, item = self._open_item(user, item_id)
        target = ops.next_state(item.state, action, item_id)
        if action in ("on_it", "close") and not note.strip():
            raise OpsError(N_("Please add a short note."), field="note")
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            current = session.get(store.FeedbackItem, item_id)
            assert current is not None
            before = current.state
            if before != item.state:  # someone else changed it while this person was typing
                raise OpsError(N_("Feedback #{id} changed meanwhile; look at the card and try again."), id=item_id)
            current.state, current.updated_at = target, now
            if action == "on_it":
                current.owner, current.note = user, note.strip()
            if action == "close":
                current.outcome = note.strip()
            record(
                session, team_id=team.id, entity="feedback", entity_id=str(item_id), actor=user, at=now,
                from_state=before, to_state=target, note=note.strip() or None,
            )
            # Changed and announced together.
            item = self._item(item_id)
            self.refresh_cards(team, item)
            tr = self.ctx.translator_for(item.reporter, team)
            text = tr._(
                "Your feedback #{id} is now {state} ({who}).",
                id=item.id, state=self.state_label(item.state, tr), who=f"<@{user}>",
            )
            if item.outcome:
                text += "\n" + tr._("Outcome: {outcome}", outcome=item.outcome)
            self.ctx.delivery.dm(item.reporter, text)

    def reroute(self, user: str, item_id: int, category: str, roles: list[str] | None = None) -> None:
        """Another category (its route decides where) or, when chosen, other destination roles."""
        team, item = self._open_item(user, item_id)
        playbook = self.playbook()
        if category not in playbook.categories:
            raise OpsError(N_("Choose one of the categories."), field="category")
        chosen = [Role(r) for r in roles or [] if r in Role.__members__]
        to = chosen or ops.destinations(playbook, category, item.marketplace, item.urgent)
        now = self.ctx.clock.now()
        with self.ctx.db.transaction() as session:
            current = session.get(store.FeedbackItem, item_id)
            assert current is not None
            before = current.category
            current.category, current.updated_at = category, now
            current.roles_json = json.dumps([r.value for r in to])
            record(
                session, team_id=team.id, entity="feedback", entity_id=str(item_id), actor=user, at=now,
                from_state=before, to_state=category, note="re-routed to " + ", ".join(r.value for r in to),
            )
            # Changed and announced together.
            item = self._item(item_id)
            where = self.deliver(team, item, to)
            tr = self.ctx.translator_for(item.reporter, team)
            self.ctx.delivery.dm(item.reporter, tr._(
                "Your feedback #{id} was re-routed as {category} to {where} ({who}).",
                id=item.id, category=self.category_name(category, tr), where=", ".join(where), who=f"<@{user}>",
            ))
