"""Facts for a range (a Business Report by child item): which one answers a window, and what it lends it.

A period fact is never spread over its days: a window gets a SKU's sessions, page views and conversion from
the period fact that covers it best, and only when that fact is close to the window (see MIN_COVERAGE).
Units, sales and orders of a window always come from daily sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.kpi import SalesPeriod
from bot.reports.kpi import METRICS, KpiReport, Kpis, ratio

# The shared days over the days either covers (window and report): below this the report says little about
# the window (a two-year report does not tell a week's sessions).
MIN_COVERAGE = 0.8


@dataclass(frozen=True)
class PeriodFact:
    marketplace: str
    first: date
    last: date
    units: int
    sessions: int | None
    page_views: int | None


def coverage(first: date, last: date, start: date, end: date) -> float:
    shared = (min(last, end) - max(first, start)).days + 1
    if shared <= 0:
        return 0.0
    either = (max(last, end) - min(first, start)).days + 1
    return shared / either


def best_periods(session: Session, team_id: str, sku: str, start: date, end: date,
                 marketplace: str | None = None) -> dict[str, PeriodFact]:
    """Per marketplace, the SKU's period fact covering start..end best (at least MIN_COVERAGE); ties go
    to the newer report."""
    query = select(SalesPeriod.marketplace, SalesPeriod.first_day, SalesPeriod.last_day, SalesPeriod.units,
                   SalesPeriod.sessions, SalesPeriod.page_views).where(
        SalesPeriod.team_id == team_id, SalesPeriod.sku == sku, SalesPeriod.first_day <= end,
        SalesPeriod.last_day >= start)
    if marketplace:
        query = query.where(SalesPeriod.marketplace == marketplace)
    best: dict[str, tuple[tuple[float, date], PeriodFact]] = {}
    for market, first, last, units, sessions, page_views in session.execute(query):
        score = (coverage(first, last, start, end), last)
        if score[0] >= MIN_COVERAGE and (market not in best or score > best[market][0]):
            best[market] = score, PeriodFact(market, first, last, units, sessions, page_views)
    return {m: fact for m, (_, fact) in best.items()}


def with_period_traffic(report: KpiReport, facts: dict[str, PeriodFact], currencies: Mapping[str, str]) -> KpiReport:
    """A SKU's report with sessions, page views and conversion from its period facts (its own units over its
    own sessions: both sides from the same report, over the same range)."""
    if not facts:
        return report

    def lend(kpis: Kpis, chosen: list[PeriodFact]) -> Kpis:
        sessions = sum(f.sessions or 0 for f in chosen) if any(f.sessions is not None for f in chosen) else None
        views = sum(f.page_views or 0 for f in chosen) if any(f.page_views is not None for f in chosen) else None
        units = sum(f.units for f in chosen)
        values = {**kpis.values, "sessions": sessions, "page_views": views,
                  "cvr": ratio(float(units), sessions)}
        return replace(kpis, values=values)

    def each(found: dict[str, Kpis], local: bool) -> dict[str, Kpis]:
        # A marketplace with traffic in the report and no daily sales in the window still shows its traffic.
        empty = {m: Kpis(currencies.get(m, report.base) if local else report.base, dict.fromkeys(METRICS), 0)
                 for m in facts if m not in found}
        return {m: lend(k, [facts[m]]) if m in facts else k for m, k in sorted({**found, **empty}.items())}

    return replace(report, marketplaces=each(report.marketplaces, True),
                   marketplaces_base=each(report.marketplaces_base, False),
                   total=lend(report.total, list(facts.values())))
