"""The whole thread of one feedback item (``/feedback status F-12``) and the App Home's "Feedback routed to me"."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import feedback as card_words
from bot.blocks import feedback_lines as words
from bot.db import feedback as store
from bot.db import feedback_lines as stored_lines
from bot.db.core import AuditEntry
from bot.errors import N_, OpsError
from bot.flows import links
from bot.flows.context import Context, HomeReader
from bot.flows.feedback_cards import FeedbackCards
from bot.i18n import Translator
from bot.ops.feedback_playbook import FeedbackPlaybook
from bot.ops.links import Ref
from bot.ops.team import ROLE_NAMES, Role, Team


def may_read(ctx: Context, team: Team, user: str, item: store.FeedbackItem) -> bool:
    """Who reads an item's words. Words from a private conversation not cleared for the team: its reporter, its
    author and the manager; once cleared, the channels it went to have them, so anyone in the team may."""
    return item.share_publicly or user in (item.reporter, item.author) or ctx.has_role(team, user, Role.manager)


def private_readers(tr: Translator, item: store.FeedbackItem) -> list[str]:
    """Whom ``may_read`` lets read a private item's words, as the reader is told: its reporter and author by
    mention, and the manager by role (whoever holds it, as the card's "only the manager sees it" says)."""
    people = [f"<@{user}>" for user in dict.fromkeys((item.reporter, item.author)) if user]
    return [*people, tr._("the manager")]


class FeedbackStatus:
    def __init__(self, ctx: Context, playbook: FeedbackPlaybook, cards: FeedbackCards) -> None:
        self.ctx = ctx
        self.playbook = playbook
        self.cards = cards

    def status(self, user: str, item_id: int) -> tuple[str, list[dict[str, Any]]]:
        """Its lines, what it started with their states, who did what when (in the reader's zone)."""
        team = self.ctx.team_of(user)
        tr = self.ctx.translator_for(user, team)
        with self.ctx.db.transaction() as session:
            item = session.get(store.FeedbackItem, item_id)
            if item is None or item.team_id != team.id:
                raise OpsError(N_("There is no feedback F-{id} in your team."), id=item_id)
            if not self._may_read(team, user, item):
                # `/feedback list` shows this item to the whole team as "from a private conversation": saying it
                # does not exist would contradict that. Who may read its words is named; the words are not.
                raise OpsError(N_("Feedback F-{id} came from a private conversation: only {who} may read its "
                                  "words."), id=item_id, who=private_readers(tr, item))
            entries = stored_lines.history(session, team.id, item_id)
        zone = ZoneInfo(self.ctx.people.profile(user).tz or team.timezone)
        history = [words.HistoryRow(tr.datetime(e.at.astimezone(zone), "short"), e.actor,
                                    self._what(tr, e), self._note(e)) for e in entries]
        category = self.playbook.category_name(item.category, tr.locale)
        title = tr._("Feedback F-{id} · {category}", id=item_id, category=category)
        state = f"{card_words.STATE_ICON.get(item.state, '')} {card_words.state_label(tr, item.state)}"
        lines = self.cards.line_views(item, tr)
        started = links.started(self.ctx, Ref("feedback", item_id), tr)
        return title, words.status_blocks(tr, title, item.text, state, lines, started, history, item.outcome)

    def _may_read(self, team: Team, user: str, item: store.FeedbackItem) -> bool:
        return may_read(self.ctx, team, user, item)

    def _what(self, tr: Translator, entry: AuditEntry) -> str:
        if entry.entity == "feedback-line":
            role = entry.entity_id.split(":", 1)[1]
            name = tr._(ROLE_NAMES[Role(role)]) if role in Role.__members__ else role
            return tr._("{role}: {action}", role=name, action=words.line_state_label(tr, entry.to_state or ""))
        if entry.from_state is None:
            return tr._("filed it")
        if entry.note == "joined":
            return tr._("sent another report")
        if entry.to_state in self.playbook.categories and entry.from_state != entry.to_state:
            return tr._("re-routed it as {category}",
                        category=self.playbook.category_name(entry.to_state or "", tr.locale))
        return card_words.state_label(tr, entry.to_state or "")

    @staticmethod
    def _note(entry: AuditEntry) -> str | None:
        """What a person typed (an action, an outcome); Opsbot's own bookkeeping notes are not shown."""
        if entry.entity == "feedback-line" and entry.actor != "opsbot":
            return entry.note
        if entry.entity == "feedback" and entry.to_state == "closed" and entry.from_state != "closed":
            return entry.note
        return None

    def home(self, reader: HomeReader) -> list[dict[str, Any]]:
        """Items where one of my roles has an open line, with that line's buttons."""
        team, tr = reader.team, reader.tr
        if team is None:
            return []
        mine = {r for r in Role if self.ctx.has_role(team, reader.user, r)}
        with self.ctx.db.transaction() as session:
            found = stored_lines.open_lines_for(session, team.id, mine)
        items: dict[int, store.FeedbackItem] = {}
        roles: dict[int, set[Role]] = {}
        for item, line in found:
            if not item.share_publicly and not self._may_read(team, reader.user, item):
                continue
            items[item.id] = item
            roles.setdefault(item.id, set()).add(Role(line.role))
        entries = []
        for item_id, item in items.items():
            title = words.home_title(tr, item_id, self.playbook.category_name(item.category, tr.locale), item.sku,
                                     item.text)
            blocks = [b for view in self.cards.line_views(item, tr, roles[item_id])
                      for b in words.line_blocks(tr, item_id, view, item.sku, item.marketplace, closed=False)]
            entries.append((str(title), blocks))
        return words.home_blocks(tr, entries)
