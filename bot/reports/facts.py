"""The daily facts of a window, read from the database into pandas frames for the KPI math."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.kpi import ALL_SKUS, AdsDay, InventoryDay, ReturnDay, SalesDay
from bot.reports.upsert import TABLES


@dataclass(frozen=True)
class Window:
    start: date
    end: date
    sales: pd.DataFrame  # per SKU rows; marketplace-wide rows (Business Report by date) are in `totals`
    totals: pd.DataFrame
    ads: pd.DataFrame
    inventory: pd.DataFrame
    returns: pd.DataFrame


def load_window(session: Session, team_id: str, start: date, end: date, *, sku: str | None = None,
                marketplace: str | None = None) -> Window:
    frames: dict[str, pd.DataFrame] = {}
    for table, model in (("sales", SalesDay), ("ads", AdsDay), ("inventory", InventoryDay), ("returns", ReturnDay)):
        _, keys, values = TABLES[table]
        query: Any = select(*(getattr(model, c) for c in (*keys, *values))).where(
            model.team_id == team_id, model.day >= start, model.day <= end)
        if sku:
            query = query.where(model.sku == sku)
        if marketplace:
            query = query.where(model.marketplace == marketplace)
        frames[table] = pd.DataFrame(session.execute(query).all(), columns=[*keys, *values])
    sales = frames["sales"]
    return Window(start, end, sales[sales["sku"] != ALL_SKUS].reset_index(drop=True),
                  sales[sales["sku"] == ALL_SKUS].reset_index(drop=True),
                  frames["ads"], frames["inventory"], frames["returns"])
