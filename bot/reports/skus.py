"""What the digest needs per SKU, apart from the window's marketplace totals: GMV by day for the top
movers, and units over 30 days for the days of cover. Summed once from the window's per-SKU rows, so the
rest of the digest can work on marketplace totals (bot.reports.facts.by_day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from bot.reports.facts import Window, between

MOVERS_DAYS = 8  # the day itself and the seven before it
COVER_DAYS = 30


@dataclass(frozen=True)
class SkuFigures:
    gmv: pd.DataFrame  # sku, day, currency, gmv: the last MOVERS_DAYS days
    units: pd.DataFrame  # marketplace, sku, units: the last COVER_DAYS days
    days: pd.Series  # per marketplace: days with sales data in those COVER_DAYS days
    # Per marketplace and SKU: bot.reports.velocity's stock_table with each SKU's lead time ("lead"), the
    # one definition of velocity and cover the restock card uses too. None: work it out from `units`.
    stock: pd.DataFrame | None = None


def sku_figures(window: Window, through: date, stock: pd.DataFrame | None = None) -> SkuFigures:
    """The same figures from a window holding per-SKU rows."""
    recent = between(window.sales, through - timedelta(days=MOVERS_DAYS - 1), through)
    gmv = recent.groupby(["sku", "day", "currency"], as_index=False, dropna=False).agg(gmv=("gmv", "sum"))
    month = between(window.sales, cover_start(through), through)
    units = month.groupby(["marketplace", "sku"], as_index=False).agg(units=("units", "sum"))
    return SkuFigures(gmv, units, _days(month[["marketplace", "day"]]), stock)


def cover_start(through: date) -> date:
    """The first of the COVER_DAYS days ending ``through``."""
    return through - timedelta(days=COVER_DAYS - 1)


def _days(frame: pd.DataFrame) -> pd.Series:
    return frame.drop_duplicates().groupby("marketplace")["day"].size() if len(frame) else pd.Series(dtype=int)
