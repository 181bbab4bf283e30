"""Numbers people report for their goals (``/goals report``): every report kept, the newest one counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base


class GoalReport(Base):
    __tablename__ = "goal_reports"
    __table_args__ = (Index("ix_goal_reports_goal", "team_id", "goal_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    goal_id: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(8))  # 2026-11 or 2026-Q4
    value: Mapped[float] = mapped_column(Float)
    reported_by: Mapped[str] = mapped_column(String(32))
    reported_at: Mapped[datetime]


def latest_report(session: Session, team_id: str, goal_id: str, period: str) -> GoalReport | None:
    return session.scalar(select(GoalReport).where(
        GoalReport.team_id == team_id, GoalReport.goal_id == goal_id, GoalReport.period == period,
    ).order_by(GoalReport.reported_at.desc(), GoalReport.id.desc()).limit(1))


class GoalEdit(Base):
    """A goal set, changed or removed in Slack (``/goals set``, ``/goals remove``) by a manager: the newest edit of a
    goal id wins over goals.yml's, on every replica at once. ``definition`` is the goal as JSON; None: removed."""

    __tablename__ = "goal_edits"
    __table_args__ = (Index("ix_goal_edits_goal", "team_id", "goal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(64))
    goal_id: Mapped[str] = mapped_column(String(40))
    definition: Mapped[str | None] = mapped_column(Text)
    edited_by: Mapped[str] = mapped_column(String(32))
    edited_at: Mapped[datetime]


def latest_edits(session: Session, team_id: str) -> dict[str, GoalEdit]:
    """Each goal id's newest edit in the team."""
    found: dict[str, GoalEdit] = {}
    for edit in session.scalars(select(GoalEdit).where(GoalEdit.team_id == team_id)
                                .order_by(GoalEdit.edited_at, GoalEdit.id)):
        found[edit.goal_id] = edit
    return found
