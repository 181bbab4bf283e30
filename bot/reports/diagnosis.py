"""A first diagnosis of a gap, drawn from the data: what moved against the period before, and what the team heard.

- traffic (sessions) down by ``traffic_drop`` or more -> the listing and the ads;
- conversion down by ``cvr_drop`` or more while traffic is not down -> the product page and the price;
- days a SKU was out of stock -> purchasing;
- market feedback about price or competitors in the period -> competition.

Each cause keeps the figures it was drawn from, so the agenda can show them; none found says so with the figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.db.feedback import FeedbackItem
from bot.ops.goals import GoalPeriod
from bot.ops.goals_playbook import Diagnosis
from bot.reports.goals import Scope, scope_kpis, scope_report, stockout_days
from bot.reports.kpi import Rate

CauseKind = Literal["traffic", "conversion", "stock", "competition"]


@dataclass(frozen=True)
class Figures:
    """What a diagnosis looks at, for one scope: this period and the one before."""

    period: GoalPeriod
    before: GoalPeriod
    sessions: float | None
    sessions_before: float | None
    cvr: float | None
    cvr_before: float | None
    stockouts: tuple[tuple[str, date], ...]  # (SKU, day) with nothing available nor inbound
    feedback: tuple[tuple[int, str], ...]  # (id, category) of price and competitor notes

    @property
    def sessions_change(self) -> float | None:
        return _change(self.sessions, self.sessions_before)

    @property
    def cvr_change(self) -> float | None:
        return _change(self.cvr, self.cvr_before)


def _change(now: float | None, before: float | None) -> float | None:
    return None if now is None or not before else now / before - 1


def read_figures(session: Session, team_id: str, zone: ZoneInfo, scope: Scope, period: GoalPeriod,
                 before: GoalPeriod, settings: Diagnosis, base: str, currencies: Mapping[str, str],
                 rate: Rate) -> Figures:
    """The period is compared with the same number of days of the period before (a month to date with as many
    days of the month before), so that a month not over yet is not read as traffic lost."""
    now = scope_kpis(scope_report(session, team_id, scope, period.start, period.end, base, currencies, rate), scope)
    last = before.end if now is None or not now.days else \
        min(before.end, before.start + timedelta(days=now.days - 1))
    then = scope_kpis(scope_report(session, team_id, scope, before.start, last, base, currencies, rate), scope)
    start = datetime.combine(period.start, time(), zone)
    end = datetime.combine(period.end + timedelta(days=1), time(), zone)
    notes = select(FeedbackItem.id, FeedbackItem.category, FeedbackItem.text).where(
        FeedbackItem.team_id == team_id, FeedbackItem.created_at >= start, FeedbackItem.created_at < end)
    if scope.marketplace:
        notes = notes.where(or_(FeedbackItem.marketplace.is_(None), FeedbackItem.marketplace == scope.marketplace))
    if scope.skus:
        notes = notes.where(or_(FeedbackItem.sku.is_(None), FeedbackItem.sku.in_(scope.skus)))
    words = [w.lower() for w in settings.competition_words]
    heard = tuple((item, category) for item, category, text in session.execute(notes.order_by(FeedbackItem.id))
                  if category in settings.competition_categories or any(w in text.lower() for w in words))
    return Figures(period, before, now["sessions"] if now else None, then["sessions"] if then else None,
                   now["cvr"] if now else None, then["cvr"] if then else None,
                   tuple(stockout_days(session, team_id, scope, period.start, period.end)), heard)


def causes(figures: Figures, settings: Diagnosis) -> list[CauseKind]:
    """The causes the figures point at, in the order the agenda reads them."""
    found: list[CauseKind] = []
    sessions, cvr = figures.sessions_change, figures.cvr_change
    if sessions is not None and sessions <= -settings.traffic_drop:
        found.append("traffic")
    if cvr is not None and cvr <= -settings.cvr_drop and (sessions is None or sessions >= 0):
        found.append("conversion")
    if figures.stockouts:
        found.append("stock")
    if figures.feedback:
        found.append("competition")
    return found
