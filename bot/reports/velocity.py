"""The one definition of a SKU's velocity, stock on hand and days of cover, for every place that shows them
(the digest's alerts and restock section, `/kpi`, `/restock` and the restock card).

- Velocity: units per *calendar* day over the VELOCITY_DAYS ending ``through``, starting no earlier than
  the day the SKU was first seen in a report other than returns (a new SKU is not averaged over days
  before it was listed; a return says nothing about when the SKU was on sale).
  A day without sales counts as zero; only a day whose stock snapshot said zero available is left out
  (units and day both), so a stock-out does not drag the velocity down exactly when it matters.
- On hand: the newest stock snapshot on or before the day asked about (at most STOCK_LOOKBACK_DAYS old),
  whatever else happened that day: a snapshot on a day without sales counts.
- Days of cover: (on hand + inbound) / velocity; none without a velocity above zero.
- As of: the day those figures describe (the on-hand snapshot's day, else the newest sales day): a
  reorder-by date counts from it, never from the day someone asks.

Computed for a whole catalogue at once (one query per table, pandas for the rest): a team with thousands
of SKUs gets its digest's cover checked in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.kpi import ALL_SKUS, InventoryDay, ReportSku, SalesDay
from bot.ops.restock_math import Velocity
from bot.reports.facts import frame_of
from bot.reports.kpi import KpiReport, Kpis

VELOCITY_DAYS = 30
STOCK_LOOKBACK_DAYS = 90
COLUMNS = ["marketplace", "sku", "first", "last", "days", "stockout_days", "units", "per_day", "sigma",
           "on_hand", "inbound", "cover", "as_of"]


@dataclass(frozen=True)
class StockFacts:
    """What the definition reads, per marketplace and SKU: first days seen, daily units, stock snapshots."""

    listed: pd.DataFrame  # marketplace, sku, first_day
    sales: pd.DataFrame  # marketplace, sku, day, units (the window's days only)
    snapshots: pd.DataFrame  # marketplace, sku, day, available, inbound (the lookback's days)


def sales_through(session: Session, team_id: str, today: date) -> date:
    """The last day a velocity may count: the newest day with sales data before today (a day whose data
    has not arrived is never read as a day of zero sales), yesterday when there is none."""
    found: Any = session.scalar(select(func.max(SalesDay.day)).where(SalesDay.team_id == team_id,
                                                                      SalesDay.day < today))
    if isinstance(found, str):
        return date.fromisoformat(found)
    return found if isinstance(found, date) else today - timedelta(days=1)


def read_stock_facts(session: Session, team_id: str, through: date, stock_day: date, *, sku: str | None = None,
                     marketplace: str | None = None) -> StockFacts:
    start = through - timedelta(days=VELOCITY_DAYS - 1)
    since = min(start, stock_day - timedelta(days=STOCK_LOOKBACK_DAYS - 1))

    def mine(model: Any) -> list[Any]:
        where = [model.team_id == team_id]
        where += [model.sku == sku] if sku else []
        where += [model.marketplace == marketplace] if marketplace else []
        return where

    listed = frame_of(session, select(ReportSku.marketplace, ReportSku.sku, ReportSku.first_day).where(
        *mine(ReportSku)), ["marketplace", "sku", "first_day"])
    sales = frame_of(session, select(SalesDay.marketplace, SalesDay.sku, SalesDay.day, SalesDay.units).where(
        *mine(SalesDay), SalesDay.sku != ALL_SKUS, SalesDay.day >= start, SalesDay.day <= through).order_by(
        SalesDay.day), ["marketplace", "sku", "day", "units"])
    snapshots = frame_of(session, select(InventoryDay.marketplace, InventoryDay.sku, InventoryDay.day,
                                         InventoryDay.available, InventoryDay.inbound).where(
        *mine(InventoryDay), InventoryDay.day >= since, InventoryDay.day <= max(through, stock_day)).order_by(
        InventoryDay.day), ["marketplace", "sku", "day", "available", "inbound"])
    # SQLite hands dates back as ISO text (frame_of parses only a "day" column).
    listed["first_day"] = [date.fromisoformat(d) if isinstance(d, str) else d for d in listed["first_day"]]
    return StockFacts(listed, sales, snapshots)


def stock_table(facts: StockFacts, through: date, stock_day: date, *, by_marketplace: bool = True) -> pd.DataFrame:
    """Per marketplace and SKU (or per SKU over every marketplace): COLUMNS. SKUs never seen are absent."""
    start = through - timedelta(days=VELOCITY_DAYS - 1)
    keys = ["marketplace", "sku"] if by_marketplace else ["sku"]
    listed, sales = facts.listed, facts.sales
    snaps = facts.snapshots[facts.snapshots["day"] <= stock_day] if len(facts.snapshots) else facts.snapshots
    if listed.empty and sales.empty and snaps.empty:
        return pd.DataFrame(columns=COLUMNS)
    seen = pd.concat([listed.rename(columns={"first_day": "day"})[["marketplace", "sku", "day"]],
                      sales[["marketplace", "sku", "day"]], snaps[["marketplace", "sku", "day"]]], ignore_index=True)
    seen = seen.dropna(subset=["day"])
    firsts = seen.groupby(keys)["day"].min()
    table = firsts.rename("first_day").reset_index()
    table["first"] = [max(start, d) for d in table["first_day"]]
    table = table[table["first"] <= through]
    # Days known out of stock: the snapshot (all marketplaces' together, when summed) said zero available.
    window_snaps = snaps[(snaps["day"] >= start) & (snaps["day"] <= through)] if len(snaps) else snaps
    level = window_snaps.groupby([*keys, "day"])["available"].sum(min_count=1).reset_index() \
        if len(window_snaps) else pd.DataFrame(columns=[*keys, "day", "available"])
    out = level[level["available"] == 0][[*keys, "day"]].merge(table[[*keys, "first"]], on=keys)
    out = out[out["day"] >= out["first"]].assign(stockout=True)
    daily = sales.groupby([*keys, "day"])["units"].sum().reset_index() if len(sales) else \
        pd.DataFrame(columns=[*keys, "day", "units"])
    daily = daily.merge(table[[*keys, "first"]], on=keys)
    daily = daily[daily["day"] >= daily["first"]].merge(out[[*keys, "day", "stockout"]], on=[*keys, "day"],
                                                        how="left")
    daily = daily[daily["stockout"].isna()]
    units = daily.groupby(keys)["units"].sum()
    squares = (pd.to_numeric(daily["units"]).astype(float) ** 2).groupby([daily[k] for k in keys]).sum()
    stockouts = out.groupby(keys).size()
    table = table.set_index(keys)
    table["last"] = through
    table["stockout_days"] = stockouts.reindex(table.index).fillna(0).astype(int)
    table["days"] = [(through - f).days + 1 for f in table["first"]] - table["stockout_days"]
    table["units"] = units.reindex(table.index).fillna(0).astype(int)
    used = table["days"].where(table["days"] > 0)
    table["per_day"] = table["units"] / used
    mean_square = squares.reindex(table.index).fillna(0.0) / used
    table["sigma"] = np.sqrt((mean_square - table["per_day"] ** 2).clip(lower=0))
    newest = snaps.groupby([*keys, "day"])[["available", "inbound"]].sum(min_count=1).reset_index() \
        .drop_duplicates(keys, keep="last").set_index(keys) if len(snaps) else None
    table["on_hand"] = newest["available"].reindex(table.index) if newest is not None else np.nan
    table["inbound"] = newest["inbound"].reindex(table.index) if newest is not None else np.nan
    # The day the figures describe: the on-hand snapshot's day, else the newest sales day. A reorder-by
    # date counts from here, so the same data gives the same date whatever day someone asks.
    snapped = newest["day"].reindex(table.index) if newest is not None else pd.Series(np.nan, index=table.index)
    table["as_of"] = [d if isinstance(d, date) else through for d in snapped]
    level_now = table["on_hand"].fillna(0) + table["inbound"].fillna(0)
    known = table["on_hand"].notna() | table["inbound"].notna()
    table["cover"] = (level_now / table["per_day"].where(table["per_day"] > 0)).where(known)
    table = table.reset_index()
    if not by_marketplace:
        table["marketplace"] = ""
    return table[COLUMNS].reset_index(drop=True)


def velocity_of(row: pd.Series) -> Velocity | None:
    """One row of stock_table as the domain's Velocity; None when no day was used."""
    if pd.isna(row["per_day"]):
        return None
    return Velocity(float(row["per_day"]), row["first"], row["last"], int(row["days"]), int(row["stockout_days"]),
                    int(row["units"]), float(row["sigma"]))


def _count(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def on_hand(row: pd.Series) -> tuple[int | None, int | None]:
    return _count(row["on_hand"]), _count(row["inbound"])


def as_of(row: pd.Series) -> date:
    """The day a row's stock and velocity describe (its snapshot's day, else the newest sales day)."""
    day = row["as_of"]
    return day if isinstance(day, date) else date.fromisoformat(str(day))


def with_stock(report: KpiReport, table: pd.DataFrame) -> KpiReport:
    """A SKU's KPI report with velocity, available, inbound and days of cover by this definition."""

    def one(kpis: Kpis, rows: pd.DataFrame) -> Kpis:
        if rows.empty:
            return kpis
        per_day = float(rows["per_day"].sum(min_count=1)) if rows["per_day"].notna().any() else None
        hand = float(rows["on_hand"].sum()) if rows["on_hand"].notna().any() else None
        coming = float(rows["inbound"].sum()) if rows["inbound"].notna().any() else None
        cover = (hand or 0) + (coming or 0)
        values = {**kpis.values, "velocity": per_day, "available": hand, "inbound": coming,
                  "days_of_cover": cover / per_day if per_day and (hand is not None or coming is not None) else None}
        return replace(kpis, values=values)

    def each(found: dict[str, Kpis]) -> dict[str, Kpis]:
        return {m: one(k, table[table["marketplace"] == m]) for m, k in found.items()}

    return replace(report, marketplaces=each(report.marketplaces), marketplaces_base=each(report.marketplaces_base),
                   total=one(report.total, table))
