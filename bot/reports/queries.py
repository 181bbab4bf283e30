"""What other features ask of the report data: known SKUs, a SKU's daily history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.kpi import SalesDay


@dataclass(frozen=True)
class SkuDay:
    day: date
    units: int
    available: int | None
    inbound: int | None = None


def known_skus(session: Session, team_id: str) -> list[str]:
    return sorted(set(session.scalars(select(SalesDay.sku).where(SalesDay.team_id == team_id))))


def sku_history(
    session: Session, team_id: str, sku: str, marketplace: str | None, start: date, end: date
) -> list[SkuDay]:
    """One entry per day with data, summed over marketplaces unless one is named; missing days are absent."""
    query = select(SalesDay).where(
        SalesDay.team_id == team_id, SalesDay.sku == sku, SalesDay.day >= start, SalesDay.day <= end
    )
    if marketplace:
        query = query.where(SalesDay.marketplace == marketplace)
    days: dict[date, SkuDay] = {}
    for row in session.scalars(query.order_by(SalesDay.day)):
        seen = days.get(row.day)
        days[row.day] = SkuDay(
            row.day,
            row.units + (seen.units if seen else 0),
            _add(seen.available if seen else None, row.available),
            _add(seen.inbound if seen else None, row.inbound),
        )
    return list(days.values())


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None and b is None else (a or 0) + (b or 0)


@dataclass(frozen=True)
class KpiSummary:
    units: int
    orders: int
    gmv: dict[str, float]  # by currency: money is never summed across currencies
    sessions: int

    @property
    def cvr(self) -> float | None:
        """Units per session, Amazon's Unit Session Percentage; None (n/a) without sessions."""
        return self.units / self.sessions if self.sessions else None


def sku_summary(session: Session, team_id: str, sku: str, start: date, end: date) -> KpiSummary | None:
    """A SKU's totals over a window, or None when no day of it has data."""
    rows = list(
        session.scalars(
            select(SalesDay).where(
                SalesDay.team_id == team_id, SalesDay.sku == sku, SalesDay.day >= start, SalesDay.day <= end
            )
        )
    )
    if not rows:
        return None
    gmv: dict[str, float] = {}
    for row in rows:
        if row.gmv is not None and row.currency:
            gmv[row.currency] = gmv.get(row.currency, 0.0) + row.gmv
    return KpiSummary(
        sum(r.units for r in rows), sum(r.orders or 0 for r in rows), gmv, sum(r.sessions or 0 for r in rows)
    )
