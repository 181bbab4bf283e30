"""What the people a feedback item was sent to do with it: acknowledge, work on, close, re-route; and who may."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.blocks import feedback as blocks
from bot.db import feedback as store
from bot.db import feedback_lines as stored_lines
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.flows.feedback_cards import FeedbackCards
from bot.flows.home import homes_changed
from bot.ops import feedback as ops
from bot.ops import feedback_lines as line_ops
from bot.ops.feedback_playbook import FeedbackPlaybook
from bot.ops.team import Role, Team

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rerouting:
    """The re-route form: another category, and the roles to send it to instead of its route's (when any)."""

    category: str
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class ConsentAnswer:
    """What the author is told, and whether it answered the question (its message becomes the answer) or is a
    note beside it (a question asked again, which replaces it)."""

    text: str
    answered: bool


class FeedbackActions:
    def __init__(self, ctx: Context, playbook: FeedbackPlaybook, cards: FeedbackCards) -> None:
        self.ctx = ctx
        self.playbook = playbook
        self.cards = cards

    def check_may_act(self, user: str, item_id: int) -> str:
        """Refuse before a modal opens, not only when it is submitted; the item's category when allowed."""
        return self._open_item(user, item_id)[1].category

    def reroute(self, user: str, item_id: int, rerouting: Rerouting) -> None:
        """Another category (its route decides where) or, when chosen, other destination roles."""
        team, item = self._open_item(user, item_id)
        before = item.roles
        where = self._route(team, user, item, rerouting)
        roles = {Role(r) for r in [*before, *self.cards.item(item_id).roles]}  # lines added and put aside
        homes_changed(self.ctx, team, [m.user for r in roles for m in team.people_with(r)])
        tr = self.ctx.translator_for(item.reporter, team)
        category = self.playbook.category_name(rerouting.category, tr.locale)
        if set(where) <= {f"<@{user}>"}:  # a private item stays with the manager who re-routed it: named once
            text = tr._("Your feedback #{id} was re-routed as {category} by {who}.", id=item.id, category=category,
                        who=f"<@{user}>")
        else:
            text = tr._("Your feedback #{id} was re-routed as {category} to {where} ({who}).", id=item.id,
                        category=category, where=blocks.listed(tr, where), who=f"<@{user}>")
        self.ctx.delivery.dm(item.reporter, text)

    def pick(self, user: str, item_id: int, category: str) -> str:
        """The reporter's answer when Opsbot was unsure: the item is re-routed as that category."""
        team = self.ctx.team_of(user)
        item = self._item(team, item_id)
        if item.reporter != user:
            raise OpsError(N_("Only the person who sent feedback #{id} can answer this."), id=item_id)
        if not item.unsure or item.state == ops.CLOSED:
            raise OpsError(N_("Feedback #{id} already has its category."), id=item_id)
        self._route(team, user, item, Rerouting(category))
        tr = self.ctx.translator_for(user, team)
        return blocks.picked_text(tr, item_id, self.playbook.category_name(category, tr.locale))

    def consent(self, user: str, item_id: int, shared: bool, asked: list[str] | None = None,
                question: int = 0) -> ConsentAnswer:
        """The author's answer: shared, the item goes where its route says; kept private, the manager alone has it.
        Only the question now live counts (``question``, its number): one a newer question replaced answers what
        is no longer asked, and changes nothing. A "Yes" counts only for the destinations its question named
        (``asked``): where the item would go has changed since (the team's channels set up anew), nothing is
        shared and the author is asked again."""
        team = self.ctx.team_of(user)
        item = self._item(team, item_id)
        self._asked(item, user, question)
        if shared and (asked is None or set(asked) != set(self.cards.where(team, item))):
            self.cards.ask_consent(team, item, again=True)
            return ConsentAnswer(blocks.consent_changed_text(self.ctx.translator_for(user, team), item_id), False)
        audit = Audit(team.id, user, self.ctx.clock.now())
        with self.ctx.db.transaction() as session:
            current = session.get(store.FeedbackItem, item_id)
            assert current is not None
            self._asked(current, user, question)  # again, in the transaction: two presses at once answer once
            current.consent = ops.CONSENT_GIVEN if shared else ops.CONSENT_DECLINED
            current.share_publicly, current.updated_at = shared, audit.at
            audit(session, "feedback", str(item_id), current.state, current.state,
                  "shared by its author" if shared else "kept private by its author")
            if shared:  # the route's lines now; the manager's own, kept till now, is put aside with its state
                self._reconcile_lines(session, current, [Role(r) for r in current.roles], audit.at)
            # Answered and announced together.
            item = self.cards.item(item_id)
            where = self.cards.deliver(team, item, [Role(r) for r in item.roles])
            if item.reporter != user:
                tr = self.ctx.translator_for(item.reporter, team)
                self.ctx.delivery.dm(item.reporter, blocks.consent_reporter_text(tr, item_id, user, shared, where))
        homes_changed(self.ctx, team, [m.user for r in {Role.manager, *(Role(x) for x in item.roles)}
                                       for m in team.people_with(r)])
        return ConsentAnswer(blocks.consent_answer_text(self.ctx.translator_for(user, team), item_id, shared), True)

    @staticmethod
    def _asked(item: store.FeedbackItem, user: str, question: int) -> None:
        """Refused unless ``user`` wrote the item's words and ``question`` is the share question now live."""
        if item.author != user:
            raise OpsError(N_("Only the person who wrote that message can say whether it is shared."))
        if item.consent != ops.CONSENT_ASKED:
            raise OpsError(N_("You already answered about feedback #{id}."), id=item.id)
        if item.state == ops.CLOSED:  # closed stays closed: an answer now would reopen it and send it out as new
            log.info("feedback: %s answered the share question of item %s after it was closed", user, item.id)
            raise OpsError(N_("Feedback #{id} was closed by the manager before you answered: nothing was shared."),
                           id=item.id)
        if question != (item.consent_question or 0):
            log.info("feedback: %s answered share question %s of item %s, replaced by question %s", user, question,
                     item.id, item.consent_question)
            raise OpsError(N_("That question about feedback #{id} was replaced by a newer one, as where it would go "
                              "has changed: answer the newest question in your DM with Opsbot."), id=item.id)

    def _route(self, team: Team, user: str, item: store.FeedbackItem, rerouting: Rerouting) -> list[str]:
        """Files the item as another category and sends its cards where that goes; the new destinations."""
        category = rerouting.category
        if category not in self.playbook.categories:
            raise OpsError(N_("Choose one of the categories."), field="category")
        to = list(dict.fromkeys(rerouting.roles)) or ops.destinations(self.playbook, category, item.marketplace,
                                                                      item.urgent)
        audit = Audit(team.id, user, self.ctx.clock.now())
        with self.ctx.db.transaction() as session:
            current = session.get(store.FeedbackItem, item.id)
            assert current is not None
            before = current.category
            current.category, current.updated_at, current.unsure = category, audit.at, False
            current.roles_json = json.dumps([r.value for r in to])
            audit(session, "feedback", str(item.id), before, category,
                  "re-routed to " + ", ".join(r.value for r in to))
            self._reconcile_lines(session, current, ops.line_roles(to, current.share_publicly), audit.at)
            # Changed and announced together; the author's "Yes" must name where it goes now.
            now = self.cards.item(item.id)
            where = self.cards.deliver(team, now, to)
            moved = set(self.cards.where(team, now)) != set(self.cards.where(team, item))
            if now.consent == ops.CONSENT_ASKED and moved:
                self.cards.ask_consent(team, now, again=True)
            return where

    @staticmethod
    def _reconcile_lines(session: Session, item: store.FeedbackItem, to: list[Role], at: datetime) -> None:
        """New destinations get a new line; lines no longer routed are put aside with their state (and come back
        with it); the others keep theirs. The item's one state follows its lines."""
        rows = stored_lines.lines_of(session, item, everything=True)
        by_role = {Role(r.role): r for r in rows}
        create, back, aside = line_ops.reconcile(list(by_role), {k for k, r in by_role.items() if r.active}, to)
        for role in create:
            session.add(stored_lines.FeedbackLine(team_id=item.team_id, item_id=item.id, role=role.value,
                                                  state=line_ops.NEW, active=True, updated_at=at))
        for role in back:
            by_role[role].active = True
        for role in aside:
            by_role[role].active = False
        session.flush()
        item.state = line_ops.item_state([r.as_line() for r in stored_lines.lines_of(session, item)])

    def _item(self, team: Team, item_id: int) -> store.FeedbackItem:
        with self.ctx.db.transaction() as session:
            item = session.get(store.FeedbackItem, item_id)
        if item is None or item.team_id != team.id:
            raise OpsError(N_("That feedback no longer exists."))
        return item

    def _open_item(self, user: str, item_id: int) -> tuple[Team, store.FeedbackItem]:
        """The user's team and the item, once the server has checked this user may change it."""
        team = self.ctx.team_of(user)
        item = self._item(team, item_id)
        self._authorized(team, user, item)
        if item.state == ops.CLOSED:
            raise OpsError(N_("Feedback #{id} is already closed."), id=item_id)
        return team, item

    def _authorized(self, team: Team, user: str, item: store.FeedbackItem) -> None:
        actor_roles = {role for role in Role if self.ctx.has_role(team, user, role)}
        if not ops.may_act(actor_roles, [Role(r) for r in item.roles]):
            log.warning("feedback: refused a change to item %s from someone it was not sent to", item.id)
            raise OpsError(N_("Only the people this feedback was sent to, or the manager, can change it."))
