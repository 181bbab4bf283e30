"""What other features ask of the report data: known SKUs, a SKU's daily history, a SKU's KPI summary.

These signatures are used by restock (known_skus) and feedback/launch (sku_summary); sku_history is a SKU's
daily rows as stored (restock's velocity is bot.reports.velocity).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.core import AuditEntry
from bot.db.kpi import InventoryDay, ReportSku, SalesDay


@dataclass(frozen=True)
class SkuDay:
    day: date
    units: int
    available: int | None
    inbound: int | None = None


def known_skus(session: Session, team_id: str) -> list[str]:
    """Every SKU the team's reports have mentioned, in any marketplace."""
    return sorted(set(session.scalars(select(ReportSku.sku).where(ReportSku.team_id == team_id))))


def find_sku(session: Session, team_id: str, word: str) -> str | None:
    """The known SKU spelled ``word`` in any case, or None."""
    return session.scalar(select(ReportSku.sku).where(
        ReportSku.team_id == team_id, func.lower(ReportSku.sku) == word.lower()).limit(1))


def latest_ingest(session: Session, team_id: str) -> int:
    """A number that changes whenever a report is loaded for the team (the audit row each load writes)."""
    return int(session.scalar(select(func.max(AuditEntry.id)).where(
        AuditEntry.team_id == team_id, AuditEntry.entity == "report")) or 0)


def sku_history(
    session: Session, team_id: str, sku: str, marketplace: str | None, start: date, end: date
) -> list[SkuDay]:
    """One entry per day with sales data, summed over marketplaces unless one is named.

    Days whose data has not arrived are absent, never zero; stock is that day's snapshot (None without one).
    """
    sales = select(SalesDay.day, SalesDay.units).where(
        SalesDay.team_id == team_id, SalesDay.sku == sku, SalesDay.day >= start, SalesDay.day <= end)
    stock = select(InventoryDay.day, InventoryDay.available, InventoryDay.inbound).where(
        InventoryDay.team_id == team_id, InventoryDay.sku == sku, InventoryDay.day >= start, InventoryDay.day <= end)
    if marketplace:
        sales = sales.where(SalesDay.marketplace == marketplace)
        stock = stock.where(InventoryDay.marketplace == marketplace)
    units: dict[date, int] = {}
    for day, sold in session.execute(sales):
        units[day] = units.get(day, 0) + sold
    available: dict[date, int | None] = {}
    inbound: dict[date, int | None] = {}
    for day, on_hand, coming in session.execute(stock):
        available[day] = _add(available.get(day), on_hand)
        inbound[day] = _add(inbound.get(day), coming)
    return [SkuDay(day, units[day], available.get(day), inbound.get(day)) for day in sorted(units)]


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None and b is None else (a or 0) + (b or 0)


@dataclass(frozen=True)
class KpiSummary:
    """A SKU's figures over a window. Money stays per currency: it is never summed across currencies."""

    units: int
    orders: int
    gmv: dict[str, float]
    sessions: int
    ad_spend: dict[str, float] | None = None
    ad_sales: dict[str, float] | None = None
    units_returned: int = 0
    days_with_data: int = 0
    data_through: date | None = None
    # When the sessions come from a period report (a Business Report by child item): its own units, so
    # conversion takes both sides from the same report.
    session_units: int | None = None

    @property
    def cvr(self) -> float | None:
        """Units per session, Amazon's Unit Session Percentage; None (n/a) without sessions."""
        units = self.units if self.session_units is None else self.session_units
        return units / self.sessions if self.sessions else None

    @property
    def return_rate(self) -> float | None:
        return self.units_returned / self.units if self.units else None

    @property
    def acos(self) -> dict[str, float | None]:
        spend, sales = self.ad_spend or {}, self.ad_sales or {}
        return {c: (spend[c] / sales[c] if sales.get(c) else None) for c in spend}


def sku_summary(session: Session, team_id: str, sku: str, start: date, end: date) -> KpiSummary | None:
    """A SKU's totals over a window, or None when no day of it has data."""
    from bot.reports.facts import load_window
    from bot.reports.period_facts import best_periods

    window = load_window(session, team_id, start, end, sku=sku)
    if window.sales.empty:
        return None
    sales = window.sales
    daily_sessions = sales["sessions"].notna().any()
    periods = {} if daily_sessions else best_periods(session, team_id, sku, start, end)
    sessions = sum(p.sessions or 0 for p in periods.values()) if periods else int(sales["sessions"].fillna(0).sum())
    gmv = sales.dropna(subset=["gmv", "currency"]).groupby("currency")["gmv"].sum()
    ads = window.ads.groupby("currency")[["spend", "ad_sales"]].sum() if not window.ads.empty else None
    return KpiSummary(
        units=int(sales["units"].sum()), orders=int(sales["orders"].fillna(0).sum()),
        gmv={str(c): float(v) for c, v in gmv.items()}, sessions=sessions,
        ad_spend={str(c): float(v) for c, v in ads["spend"].items()} if ads is not None else None,
        ad_sales={str(c): float(v) for c, v in ads["ad_sales"].items()} if ads is not None else None,
        units_returned=int(window.returns["units"].sum()) if not window.returns.empty else 0,
        days_with_data=int(sales["day"].nunique()), data_through=max(sales["day"]),
        session_units=sum(p.units for p in periods.values()) if periods else None,
    )
