"""Feedback lines: each destination role's work on a feedback item; and what an item started, with who started it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint, or_, select, true
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base
from bot.db.core import AuditEntry
from bot.db.feedback import FeedbackItem
from bot.db.links import LinkRow
from bot.ops import feedback_lines as ops
from bot.ops.feedback import line_roles
from bot.ops.links import Ref
from bot.ops.team import Role


class FeedbackLine(Base):
    __tablename__ = "feedback_lines"
    __table_args__ = (UniqueConstraint("item_id", "role", name="uq_feedback_line_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[int] = mapped_column(ForeignKey("feedback_items.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)  # what they will do (on it)
    outcome: Mapped[str | None] = mapped_column(Text)  # what came of it (done, not ours)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    updated_at: Mapped[datetime]

    def as_line(self) -> ops.Line:
        return ops.Line(Role(self.role), self.state, self.actor, self.note)


def lines_of(session: Session, item: FeedbackItem, *, everything: bool = False) -> list[FeedbackLine]:
    """The item's lines in its route's order. An item its team may not see yet (from a private conversation, not
    shared) has the manager's line alone (``line_roles``): lines that older code made for its route are left out
    wherever lines are read, so nobody else's line shows it, moves it or starts anything from it. A line the item
    should have and lacks (filed before lines existed, or private from before that rule) is made now, from the
    item's one state. ``everything``: every stored line, those a re-route put aside or left out here too."""
    rows = list(session.scalars(select(FeedbackLine).where(FeedbackLine.item_id == item.id)))
    shared = item.share_publicly
    if not rows or not shared:
        wanted = [r.value for r in line_roles([Role(r) for r in item.roles], shared)]
        have = {r.role: r for r in rows}
        for role in wanted:
            if role in have:
                have[role].active = True  # the manager's, put aside by an older re-route: hers is its only line
                continue
            rows.append(_made_from_state(session, item, role))
        session.flush()
    order = {role: n for n, role in enumerate(item.roles)}
    rows.sort(key=lambda r: (order.get(r.role, len(order)), r.id or 0))
    if everything:
        return rows
    return [r for r in rows if r.active and (shared or r.role == Role.manager.value)]


def _made_from_state(session: Session, item: FeedbackItem, role: str) -> FeedbackLine:
    state = ops.line_from_item_state(item.state)
    row = FeedbackLine(team_id=item.team_id, item_id=item.id, role=role, state=state, active=True,
                       actor=item.owner if state == ops.ON_IT else None,
                       note=item.note if state == ops.ON_IT else None, updated_at=item.updated_at)
    session.add(row)
    return row


def open_lines_for(session: Session, team_id: str, roles: set[Role]) -> list[tuple[FeedbackItem, FeedbackLine]]:
    """Unfinished lines of these roles on the team's open items, oldest item first."""
    if not roles:
        return []
    rows = session.execute(
        select(FeedbackItem, FeedbackLine)
        .join(FeedbackLine, FeedbackLine.item_id == FeedbackItem.id)
        .where(FeedbackItem.team_id == team_id, FeedbackItem.state != "closed", FeedbackLine.active.is_(True),
               FeedbackLine.role.in_([r.value for r in roles]), FeedbackLine.state.not_in(list(ops.FINISHED)),
               # as lines_of: an item its team may not see yet is on the manager's line alone
               or_(FeedbackItem.share_publicly.is_(True), FeedbackLine.role == Role.manager.value))
        .order_by(FeedbackItem.created_at, FeedbackItem.id, FeedbackLine.id))
    return [(item, line) for item, line in rows]


def started_with_authors(session: Session, item_id: int) -> list[tuple[Ref, str]]:
    """What the item started, oldest first, each with who created the link."""
    rows = session.scalars(select(LinkRow).where(LinkRow.source_kind == "feedback", LinkRow.source_id == item_id)
                           .order_by(LinkRow.id))
    return [(Ref(r.target_kind, r.target_id), r.created_by) for r in rows]  # type: ignore[arg-type]


def history(session: Session, team_id: str, item_id: int) -> list[AuditEntry]:
    """Who did what to the item and its lines, oldest first."""
    return list(session.scalars(select(AuditEntry).where(
        AuditEntry.team_id == team_id,
        ((AuditEntry.entity == "feedback") & (AuditEntry.entity_id == str(item_id)))
        | ((AuditEntry.entity == "feedback-line") & AuditEntry.entity_id.like(f"{item_id}:%")),
    ).order_by(AuditEntry.at, AuditEntry.id)))
