"""Numbers people report for their goals (``/goals report``): every report kept, the newest one counts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, Index, String, select
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
