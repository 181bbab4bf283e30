"""A goal's value measured from the loaded reports: GMV of its SKUs, ACoS of their ads, their return rate, and the
share of days their cover stayed above the lead time. The KPI math is the digest's (``bot.reports.kpi``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.ad_campaigns import AdCampaignDay
from bot.db.kpi import InventoryDay, SalesDay
from bot.ops.goals import GoalPeriod, Measured
from bot.ops.goals_playbook import Goal
from bot.reports.facts import Window, by_day, frame_of, load_window
from bot.reports.kpi import KpiReport, Kpis, Rate, compute

# Velocity for days of cover: the units of the 30 days up to a snapshot, over the days of them with data.
VELOCITY_DAYS = 30


@dataclass(frozen=True)
class Scope:
    """What a figure is about: one marketplace (or all) and some SKUs (or all)."""

    marketplace: str | None = None
    skus: tuple[str, ...] = ()


def of_skus(window: Window, skus: tuple[str, ...]) -> Window:
    """Only these SKUs' facts; a marketplace-wide row (Business Report by date) is no SKU's."""
    if not skus:
        return window

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["sku"].isin(skus)] if not frame.empty else frame

    return replace(window, sales=mine(window.sales), totals=window.totals.iloc[0:0], ads=mine(window.ads),
                   inventory=mine(window.inventory), returns=mine(window.returns))


def scope_report(session: Session, team_id: str, scope: Scope, start: date, end: date, base: str,
                 currencies: Mapping[str, str], rate: Rate) -> KpiReport:
    window = of_skus(load_window(session, team_id, start, end, marketplace=scope.marketplace), scope.skus)
    return compute(by_day(window), base, currencies, rate)


def scope_kpis(report: KpiReport, scope: Scope) -> Kpis | None:
    """One marketplace in its own currency, or every marketplace in the base currency."""
    if scope.marketplace is None:
        return report.total if report.data_through is not None else None
    return report.marketplaces.get(scope.marketplace)


def measure(session: Session, team_id: str, goal: Goal, period: GoalPeriod, base: str,
            currencies: Mapping[str, str], rate: Rate, lead_days: Callable[[str], int]) -> Measured:
    """A computed goal's value over its period so far (a reported one is read from what its owner reported)."""
    scope = Scope(goal.marketplace, goal.skus)
    if goal.campaigns:
        return campaign_acos(session, team_id, goal, period, currencies)
    if goal.kpi == "cover_days":
        kept, through = cover_kept(session, team_id, scope, period.start, period.end, lead_days)
        return Measured(kept, through, "rate")
    report = scope_report(session, team_id, scope, period.start, period.end, base, currencies, rate)
    kpis = scope_kpis(report, scope)
    if kpis is None:
        return Measured(None, None, "sum" if goal.kpi == "gmv" else "rate")
    if goal.kpi == "gmv":
        return Measured(kpis["gmv"], report.data_through, "sum", currency=kpis.currency)
    if goal.kpi == "acos":
        return Measured(kpis["acos"], report.coverage.get("ads"), "rate", currency=kpis.currency,
                        spend=kpis["ad_spend"], ad_sales=kpis["ad_sales"])
    return Measured(kpis["return_rate"], report.data_through, "rate")


def campaign_acos(session: Session, team_id: str, goal: Goal, period: GoalPeriod,
                  currencies: Mapping[str, str]) -> Measured:
    """The ACoS of the goal's campaigns (names or patterns) in its marketplace: their spend over their ad sales.
    Spend without any ad sales has no ACoS: the spend is kept, and read as "spend, no sales"."""
    where = [AdCampaignDay.team_id == team_id, AdCampaignDay.marketplace == goal.marketplace,
             AdCampaignDay.day >= period.start, AdCampaignDay.day <= period.end]
    if goal.skus:
        where.append(AdCampaignDay.sku.in_(goal.skus))
    rows = session.execute(select(AdCampaignDay.campaign, AdCampaignDay.day, AdCampaignDay.spend,
                                  AdCampaignDay.ad_sales).where(*where)).all()
    mine = [(day, spend, sold) for campaign, day, spend, sold in rows if goal.campaign_matches(campaign)]
    currency = currencies.get(goal.marketplace or "")
    if not mine:
        return Measured(None, None, "rate", currency=currency)
    spend, sold = sum(r[1] for r in mine), sum(r[2] for r in mine)
    return Measured(spend / sold if sold else None, max(r[0] for r in mine), "rate", currency=currency, spend=spend,
                    ad_sales=sold)


def cover_kept(session: Session, team_id: str, scope: Scope, start: date, end: date,
               lead_days: Callable[[str], int]) -> tuple[float | None, date | None]:
    """The share of stock snapshots (a SKU in a marketplace on a day) whose days of cover reached the SKU's lead
    time; a SKU that sold nothing in its 30 days is covered while it has stock. None without snapshots."""
    stock_where = [InventoryDay.team_id == team_id, InventoryDay.day >= start, InventoryDay.day <= end]
    sales_where = [SalesDay.team_id == team_id, SalesDay.day >= start - timedelta(days=VELOCITY_DAYS - 1),
                   SalesDay.day <= end]
    if scope.marketplace:
        stock_where.append(InventoryDay.marketplace == scope.marketplace)
        sales_where.append(SalesDay.marketplace == scope.marketplace)
    if scope.skus:
        stock_where.append(InventoryDay.sku.in_(scope.skus))
        sales_where.append(SalesDay.sku.in_(scope.skus))
    columns = ["marketplace", "sku", "day", "available", "inbound"]
    stock = frame_of(session, select(*(getattr(InventoryDay, c) for c in columns)).where(*stock_where), columns)
    if stock.empty:
        return None, None
    sold = frame_of(session, select(SalesDay.marketplace, SalesDay.sku, SalesDay.day, SalesDay.units)
                    .where(*sales_where), ["marketplace", "sku", "day", "units"])
    units = {(m, s, d): u for m, s, d, u in sold.itertuples(index=False)}
    kept = 0
    for market, sku, day, available, inbound in stock.itertuples(index=False):
        on_hand = (0 if pd.isna(available) else int(available)) + (0 if pd.isna(inbound) else int(inbound))
        recent = [units[key] for n in range(VELOCITY_DAYS)
                  if (key := (market, sku, day - timedelta(days=n))) in units]
        velocity = sum(recent) / len(recent) if recent else 0.0
        if on_hand > 0 and (velocity == 0 or on_hand / velocity >= lead_days(str(sku))):
            kept += 1
    return kept / len(stock), max(stock["day"])


def stockout_days(session: Session, team_id: str, scope: Scope, start: date, end: date) -> list[tuple[str, date]]:
    """Each SKU's days with a snapshot showing nothing available nor inbound, in day order."""
    where = [InventoryDay.team_id == team_id, InventoryDay.day >= start, InventoryDay.day <= end,
             InventoryDay.available == 0]
    if scope.marketplace:
        where.append(InventoryDay.marketplace == scope.marketplace)
    if scope.skus:
        where.append(InventoryDay.sku.in_(scope.skus))
    rows = session.execute(select(InventoryDay.sku, InventoryDay.day, InventoryDay.inbound).where(*where)
                           .order_by(InventoryDay.day, InventoryDay.sku))
    return [(sku, day) for sku, day, inbound in rows if not inbound]
