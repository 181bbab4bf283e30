"""Each destination works a feedback item on its own line: acknowledge, on it (with its action), done, not ours.
The item closes itself when every line is finished (or when the manager closes it), and a line whose started
consequences (R-3, P-2, T-40) have all finished is done by itself. The reporter hears each step; the people on
the lines see it in their App Home."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from bot.blocks import feedback as card_words
from bot.blocks import feedback_lines as words
from bot.blocks.text import escape
from bot.db import feedback as store
from bot.db import feedback_lines as stored_lines
from bot.db.audit import Audit
from bot.errors import N_, OpsError
from bot.flows import links
from bot.flows.context import Context
from bot.flows.feedback_cards import FeedbackCards
from bot.flows.home import homes_changed
from bot.i18n import Translator
from bot.ops import feedback_lines as ops
from bot.ops.links import LinkState, Ref
from bot.ops.team import ROLE_NAMES, Role, Team

log = logging.getLogger(__name__)


class FeedbackLines:
    def __init__(self, ctx: Context, cards: FeedbackCards) -> None:
        self.ctx = ctx
        self.cards = cards

    # -- who may ----------------------------------------------------------------------------------
    def _open_item(self, user: str, item_id: int) -> tuple[Team, store.FeedbackItem]:
        team = self.ctx.team_of(user)
        with self.ctx.db.transaction() as session:
            item = session.get(store.FeedbackItem, item_id)
        if item is None or item.team_id != team.id:
            log.warning("feedback: %s pressed a button of an item (%s) not in their team", user, item_id)
            raise OpsError(N_("That feedback no longer exists."))
        if item.state == ops.ITEM_CLOSED:
            raise OpsError(N_("Feedback #{id} is already closed."), id=item_id)
        return team, item

    def check(self, user: str, item_id: int, role: str) -> Role:
        """Refused before a modal opens, not only when it is submitted: the line's role when this user holds it."""
        team, item = self._open_item(user, item_id)
        return self._holder(team, user, item, role)

    def _holder(self, team: Team, user: str, item: store.FeedbackItem, role: str) -> Role:
        wanted = Role(role) if role in Role.__members__ else None
        if wanted is not None and self.ctx.has_role(team, user, wanted):
            return wanted
        log.warning("feedback: refused %s on the %s line of item %s", user, role, item.id)
        if wanted is None or self._has_own_line(team, user, item):
            raise OpsError(N_("Only the people of that line can move it; yours has its own buttons."))
        # No line of theirs is open on this card (they filed it, or it was not sent to them): pointing at buttons
        # of their own would be untrue, so they are told whose line it is.
        tr = self.ctx.translator_for(user, team)
        raise OpsError(N_("Only the people of that line ({role}) can move it."), role=tr._(ROLE_NAMES[wanted]))

    def _has_own_line(self, team: Team, user: str, item: store.FeedbackItem) -> bool:
        """Whether one of the user's roles has an unfinished line on the item, with buttons of its own."""
        with self.ctx.db.transaction() as session:
            lines = stored_lines.lines_of(session, item)
            return any(bool(ops.OFFERED.get(line.state)) and line.role in Role.__members__
                       and self.ctx.has_role(team, user, Role(line.role)) for line in lines)

    def redraw(self, user: str, item_id: int) -> str:
        """A card from before lines, pressed: every copy is redrawn with a line per destination."""
        team, item = self._open_item(user, item_id)
        self.cards.refresh(team, item)
        tr = self.ctx.translator_for(user, team)
        return tr._("Feedback #{id} now has a line for each team it went to: press your line's button.", id=item_id)

    # -- a line moves -----------------------------------------------------------------------------
    def act(self, user: str, item_id: int, role: str, action: str, note: str = "") -> None:
        team, item = self._open_item(user, item_id)
        wanted = self._holder(team, user, item, role)
        note = note.strip()
        if action == "on_it" and not note:
            raise OpsError(N_("Please add a short note."), field="note")
        audit = Audit(team.id, user, self.ctx.clock.now())
        with self.ctx.db.transaction() as session:
            current = session.get(store.FeedbackItem, item_id)
            assert current is not None
            row = next((r for r in stored_lines.lines_of(session, current) if r.role == wanted.value), None)
            if row is None:
                raise OpsError(N_("That line is no longer on feedback #{id}."), id=item_id)
            target = ops.next_line_state(row.state, action, item_id)
            audit(session, "feedback-line", f"{item_id}:{wanted.value}", row.state, target, note or None)
            row.state, row.actor, row.updated_at = target, user, audit.at
            if action == "on_it":
                row.note = note
                current.owner, current.note = user, note  # "/feedback list mine" finds what one works on
            elif note:
                row.outcome = note
            closed = self._settle(session, current, audit)
            # Changed and announced together.
            self.cards.refresh(team, current)
            self._tell_step(team, current, wanted, target, user, note or None)
            if closed:
                self._tell_finished(team, current)
        self._homes(team, item_id)

    def check_close(self, user: str, item_id: int) -> Team:
        """Only the manager closes an item for everyone; refused before the modal opens too."""
        team, _item = self._open_item(user, item_id)
        if not self.ctx.has_role(team, user, Role.manager):
            log.warning("feedback: %s tried to close item %s without the manager role", user, item_id)
            raise OpsError(words.manager_only_text(), id=item_id)
        return team

    def close(self, user: str, item_id: int, note: str) -> None:
        """The manager closes the item for everyone, whatever its lines say."""
        team = self.check_close(user, item_id)
        if not note.strip():
            raise OpsError(N_("Please add a short note."), field="note")
        audit = Audit(team.id, user, self.ctx.clock.now())
        with self.ctx.db.transaction() as session:
            current = session.get(store.FeedbackItem, item_id)
            assert current is not None
            audit(session, "feedback", str(item_id), current.state, ops.ITEM_CLOSED, note.strip())
            current.state, current.outcome, current.updated_at = ops.ITEM_CLOSED, note.strip(), audit.at
            self.cards.refresh(team, current)
            self.cards.close_consent(team, current, user)  # its author's share question no longer applies
            tr = self.ctx.translator_for(current.reporter, team)
            text = tr._("Your feedback #{id} is now {state} ({who}).", id=item_id,
                        state=card_words.state_label(tr, current.state), who=f"<@{user}>")
            self.ctx.delivery.dm(current.reporter, text + "\n" + card_words.outcome_text(tr, note.strip()))
        self._homes(team, item_id)

    # -- what it started moved --------------------------------------------------------------------
    def consequences_moved(self, item_id: int) -> None:
        """Redraw every card; a line whose consequences have all finished is done, and the item with it."""
        with self.ctx.db.transaction() as session:
            item = session.get(store.FeedbackItem, item_id)
            team = self.ctx.teams.by_id(item.team_id) if item is not None else None
        if team is None:
            return
        tr = self.ctx.translator_for(None, team)
        finished = {s.ref for s in links.started(self.ctx, Ref("feedback", item_id), tr) if s.finished}
        audit = Audit(team.id, "opsbot", self.ctx.clock.now())
        with self.ctx.db.transaction() as session:
            current = session.get(store.FeedbackItem, item_id)
            assert current is not None
            done: list[Role] = []
            if current.state != ops.ITEM_CLOSED:
                rows = stored_lines.lines_of(session, current)
                started = stored_lines.started_with_authors(session, item_id)
                roles_of = {by: {r for r in Role if self.ctx.has_role(team, by, r)} for _ref, by in started}
                lines = [r.as_line() for r in rows]
                done = ops.done_by_consequences(lines, ops.attribute(lines, started, roles_of), finished)
                for row in rows:
                    if Role(row.role) in done:
                        audit(session, "feedback-line", f"{item_id}:{row.role}", row.state, ops.DONE,
                              "everything it started is finished")
                        row.state, row.updated_at = ops.DONE, audit.at
            closed = self._settle(session, current, audit) if done else False
            self.cards.refresh(team, current)
            for role in done:
                self._tell_step(team, current, role, ops.DONE, None, None)
            if closed:
                self._tell_finished(team, current)
        if done:
            self._homes(team, item_id)

    def describe(self, ref: Ref, tr: Translator) -> LinkState | None:
        """F-12 as another card shows it: its words, its state. Those cards go to team channels (a restock, a
        promotion, a launch task started from it), so words from a private conversation that its author has not
        cleared are named, not shown."""
        with self.ctx.db.transaction() as session:
            item = session.get(store.FeedbackItem, ref.id)
        if item is None:
            return None
        title = item.text[:80] if item.share_publicly else card_words.private_words(tr)
        return LinkState(ref, title, card_words.state_label(tr, item.state),
                         finished=item.state == ops.ITEM_CLOSED)

    # -- helpers ----------------------------------------------------------------------------------
    def _settle(self, session: Session, current: store.FeedbackItem, audit: Audit) -> bool:
        """The item's one state from its lines; True when that just closed it."""
        rows = stored_lines.lines_of(session, current)
        before, after = current.state, ops.item_state([r.as_line() for r in rows])
        if after != before:
            audit(session, "feedback", str(current.id), before, after,
                  None)
            current.state, current.updated_at = after, audit.at
        return after == ops.ITEM_CLOSED and before != after

    def _tell_step(self, team: Team, item: store.FeedbackItem, role: Role, state: str, who: str | None,
                   note: str | None) -> None:
        tr = self.ctx.translator_for(item.reporter, team)
        if who is None:
            text = tr._("Your feedback #{id}: {role} · {state}, as everything it started has finished.",
                        id=item.id, role=escape(tr._(ROLE_NAMES[role])), state=words.line_state_label(tr, state))
        else:
            text = words.step_text(tr, item.id, tr._(ROLE_NAMES[role]), state, who, note)
        self.ctx.delivery.dm(item.reporter, text)

    def _tell_finished(self, team: Team, item: store.FeedbackItem) -> None:
        tr = self.ctx.translator_for(item.reporter, team)
        self.ctx.delivery.dm(item.reporter, words.finished_text(tr, item.id))

    def _homes(self, team: Team, item_id: int) -> None:
        """The people on the item's lines, and its reporter, see it change in their App Home."""
        with self.ctx.db.transaction() as session:
            item = session.get(store.FeedbackItem, item_id)
            assert item is not None
            roles = [Role(r.role) for r in stored_lines.lines_of(session, item, everything=True)]
        people = [m.user for r in roles for m in team.people_with(r)]
        homes_changed(self.ctx, team, [*people, item.reporter])
