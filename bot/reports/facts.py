"""The daily facts of a window, read from the database into pandas frames for the KPI math."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
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
    inventory: pd.DataFrame  # each SKU's newest snapshot in the window: stock is a level, not a flow
    returns: pd.DataFrame


def between(frame: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """The rows of days start..end. Frames come from the database in day order, so two binary searches do;
    a frame built elsewhere in another order is filtered row by row."""
    if frame.empty:
        return frame
    days = frame["day"]
    if days.is_monotonic_increasing:
        return frame.iloc[days.searchsorted(start, side="left"):days.searchsorted(end, side="right")]
    return frame[(days >= start) & (days <= end)]


def slice_window(window: Window, start: date, end: date) -> Window:
    return Window(start, end, between(window.sales, start, end), between(window.totals, start, end),
                  between(window.ads, start, end), between(window.inventory, start, end),
                  between(window.returns, start, end))


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
        if table == "inventory":
            query = _newest_snapshots(query, model)
        # Day order costs nothing (the unique key starts with the day) and lets slices be binary searches.
        query = query.order_by(query.selected_columns.day)
        frames[table] = _frame(session, query, [*keys, *values])
    sales = frames["sales"]
    return Window(start, end, sales[sales["sku"] != ALL_SKUS].reset_index(drop=True),
                  sales[sales["sku"] == ALL_SKUS].reset_index(drop=True),
                  frames["ads"], frames["inventory"], frames["returns"])


def _newest_snapshots(query: Any, model: Any) -> Any:
    """Only each SKU's newest row: a month of daily inventory snapshots is thirty times the rows otherwise."""
    newest = func.row_number().over(partition_by=(model.marketplace, model.sku), order_by=model.day.desc())
    ranked = query.add_columns(newest.label("newest")).subquery()
    return select(*(c for c in ranked.c if c.name != "newest")).where(ranked.c.newest == 1)


def _frame(session: Session, query: Any, columns: list[str]) -> pd.DataFrame:
    """The query's rows straight from the driver: SQLAlchemy's row objects cost more than the query itself
    for a month of a large catalogue. SQLite hands dates back as ISO text: each distinct day is parsed once."""
    result = session.connection().execute(query)
    frame = pd.DataFrame.from_records(result.cursor.fetchall(), columns=columns)
    if len(frame) and isinstance(frame["day"].iloc[0], str):
        codes, days = pd.factorize(frame["day"])
        frame["day"] = np.array([date.fromisoformat(d) for d in days], dtype=object)[codes]
    return frame
