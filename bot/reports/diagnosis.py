"""A first diagnosis of a gap, drawn from the data: what moved against the period before, and what the team heard.

- traffic (sessions) down by ``traffic_drop`` or more -> the listing and the ads;
- conversion down by ``cvr_drop`` or more while traffic is not down -> the product page and the price;
- days a SKU was out of stock -> purchasing;
- market feedback about price or competitors in the period -> competition.

A marketplace's gap also looks at the SKUs whose GMV fell most, each with its own traffic and conversion. Each cause
keeps the figures it was drawn from, so the agenda can show them; none found says so with the figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.db.feedback import FeedbackItem
from bot.ops.goals import GoalPeriod
from bot.ops.goals_playbook import Diagnosis
from bot.reports.facts import load_window
from bot.reports.goals import Scope, of_skus, scope_kpis, scope_report, stockout_days
from bot.reports.kpi import Rate, ratio

CauseKind = Literal["traffic", "conversion", "stock", "competition"]
TOP_SKUS = 3  # a marketplace's gap looks at this many SKUs whose GMV fell most


@dataclass(frozen=True)
class Traffic:
    """Sessions and conversion over a period and over as many days of the period before."""

    sessions: float | None
    sessions_before: float | None
    cvr: float | None
    cvr_before: float | None

    @property
    def sessions_change(self) -> float | None:
        return _change(self.sessions, self.sessions_before)

    @property
    def cvr_change(self) -> float | None:
        return _change(self.cvr, self.cvr_before)

    def causes(self, settings: Diagnosis) -> list[CauseKind]:
        found: list[CauseKind] = []
        sessions, cvr = self.sessions_change, self.cvr_change
        if sessions is not None and sessions <= -settings.traffic_drop:
            found.append("traffic")
        if cvr is not None and cvr <= -settings.cvr_drop and (sessions is None or sessions >= 0):
            found.append("conversion")
        return found


@dataclass(frozen=True)
class SkuShift:
    sku: str
    gmv: float
    gmv_before: float
    traffic: Traffic


@dataclass(frozen=True)
class Figures:
    """What a diagnosis looks at, for one scope: this period and the one before."""

    traffic: Traffic
    stockouts: tuple[tuple[str, date], ...]  # (SKU, day) with nothing available nor inbound
    feedback: tuple[tuple[int, str], ...]  # (id, category) of price and competitor notes
    skus: tuple[SkuShift, ...] = ()  # a marketplace's SKUs whose GMV fell most


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
    traffic = Traffic(now["sessions"] if now else None, then["sessions"] if then else None,
                      now["cvr"] if now else None, then["cvr"] if then else None)
    skus: tuple[SkuShift, ...] = ()
    if scope.marketplace is not None and len(scope.skus) != 1:
        skus = sku_shifts(session, team_id, scope, (period.start, period.end), (before.start, last), settings)
    return Figures(traffic, tuple(stockout_days(session, team_id, scope, period.start, period.end)),
                   competition_notes(session, team_id, zone, scope, period, settings), skus)


def competition_notes(session: Session, team_id: str, zone: ZoneInfo, scope: Scope, period: GoalPeriod,
                      settings: Diagnosis) -> tuple[tuple[int, str], ...]:
    """Feedback filed in the period (the team's days) about price or competitors, for the scope or no SKU."""
    start = datetime.combine(period.start, time(), zone)
    end = datetime.combine(period.end + timedelta(days=1), time(), zone)
    notes = select(FeedbackItem.id, FeedbackItem.category, FeedbackItem.text).where(
        FeedbackItem.team_id == team_id, FeedbackItem.created_at >= start, FeedbackItem.created_at < end)
    if scope.marketplace:
        notes = notes.where(or_(FeedbackItem.marketplace.is_(None), FeedbackItem.marketplace == scope.marketplace))
    if scope.skus:
        notes = notes.where(or_(FeedbackItem.sku.is_(None), FeedbackItem.sku.in_(scope.skus)))
    words = [w.lower() for w in settings.competition_words]
    return tuple((item, category) for item, category, text in session.execute(notes.order_by(FeedbackItem.id))
                 if category in settings.competition_categories or any(w in text.lower() for w in words))


def _per_sku(session: Session, team_id: str, scope: Scope, start: date, end: date) -> pd.DataFrame:
    """Per SKU: GMV, and units and sessions over the days that have both (the digest's CVR rule)."""
    sales = of_skus(load_window(session, team_id, start, end, marketplace=scope.marketplace), scope.skus).sales
    if sales.empty:
        return pd.DataFrame(columns=["gmv", "units", "sessions"])
    both = sales[sales["units"].notna() & sales["sessions"].notna()]
    return pd.DataFrame({"gmv": sales.groupby("sku")["gmv"].sum(min_count=1)}).join(
        both.groupby("sku")[["units", "sessions"]].sum(min_count=1), how="left")


def sku_shifts(session: Session, team_id: str, scope: Scope, now: tuple[date, date], then: tuple[date, date],
               settings: Diagnosis) -> tuple[SkuShift, ...]:
    """The SKUs whose GMV fell most against as many days before, where their traffic or conversion says why."""
    current, before = _per_sku(session, team_id, scope, *now), _per_sku(session, team_id, scope, *then)
    shifts = []
    for sku in current.index.intersection(before.index):
        a, b = current.loc[sku], before.loc[sku]

        def value(row: pd.Series, column: str) -> float | None:
            return None if pd.isna(row[column]) else float(row[column])

        traffic = Traffic(value(a, "sessions"), value(b, "sessions"), ratio(value(a, "units"), value(a, "sessions")),
                          ratio(value(b, "units"), value(b, "sessions")))
        gmv, gmv_before = value(a, "gmv") or 0.0, value(b, "gmv") or 0.0
        if gmv < gmv_before and traffic.causes(settings):
            shifts.append(SkuShift(str(sku), gmv, gmv_before, traffic))
    shifts.sort(key=lambda s: (s.gmv - s.gmv_before, s.sku))
    return tuple(shifts[:TOP_SKUS])


def causes(figures: Figures, settings: Diagnosis) -> list[CauseKind]:
    """The causes the figures point at, in the order the agenda reads them."""
    found = figures.traffic.causes(settings)
    if figures.stockouts:
        found.append("stock")
    if figures.feedback:
        found.append("competition")
    return found
