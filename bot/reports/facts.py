"""The daily facts of a window, read from the database into pandas frames for the KPI math."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.orm import Session

from bot.db.kpi import ALL_SKUS, AdsDay, InventoryDay, ReturnDay, SalesDay
from bot.reports.upsert import TABLES

# Up to this many stock rows in a window are read whole (a couple of monthly snapshots of a large catalogue).
_READ_WHOLE = 250_000


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
        where = [model.team_id == team_id, model.day >= start, model.day <= end]
        where += [model.sku == sku] if sku else []
        where += [model.marketplace == marketplace] if marketplace else []
        if table == "inventory":
            frames[table] = _newest_snapshots(session, where)
            continue
        # Day order costs nothing (the unique key starts with the day) and lets slices be binary searches.
        query = select(*(getattr(model, c) for c in (*keys, *values))).where(*where).order_by(model.day)
        frames[table] = frame_of(session, query, [*keys, *values])
    sales = frames["sales"]
    return Window(start, end, sales[sales["sku"] != ALL_SKUS].reset_index(drop=True),
                  sales[sales["sku"] == ALL_SKUS].reset_index(drop=True),
                  frames["ads"], frames["inventory"], frames["returns"])


def by_day(window: Window) -> Window:
    """The window with sales and ads summed per marketplace, day and currency (their ``sku`` empty): all the
    KPI math needs, so a catalogue of thousands of SKUs is summed once, not again for every sub-window."""

    def summed(frame: pd.DataFrame, values: tuple[str, ...]) -> pd.DataFrame:
        keys = ["marketplace", "day", "currency"]
        out = frame.groupby(keys, sort=False, dropna=False)[list(values)].sum(min_count=1).reset_index()
        return out.assign(sku="").sort_values("day", kind="stable", ignore_index=True)

    return Window(window.start, window.end,
                  summed(window.sales, ("units", "orders", "gmv", "sessions", "page_views")), window.totals,
                  summed(window.ads, ("impressions", "clicks", "spend", "ad_sales", "ad_orders")),
                  window.inventory, window.returns)


def _newest_snapshots(session: Session, where: list[Any]) -> pd.DataFrame:
    """Only each SKU's newest stock in the window: stock is a level, each SKU at its latest snapshot.

    A few snapshots (a monthly inventory report) are read whole and the newest kept here; many (daily ones,
    thirty times the rows) are narrowed down by the database first, each in its own fastest way: SQLite
    takes a group's other columns from the row holding its max() (documented behaviour), PostgreSQL has
    DISTINCT ON. Both give the same rows."""
    model = InventoryDay
    columns = ["marketplace", "sku", "day", "available", "inbound"]
    rows = session.scalar(select(func.count()).select_from(model).where(*where)) or 0
    if rows <= _READ_WHOLE:
        every = frame_of(session, select(*(getattr(model, c) for c in columns)).where(*where).order_by(model.day),
                         columns)
        return every.drop_duplicates(["marketplace", "sku"], keep="last").reset_index(drop=True)
    if session.connection().dialect.name == "sqlite":
        newest: Any = select(model.marketplace, model.sku, func.max(model.day).label("day"), model.available,
                             model.inbound).where(*where).group_by(model.marketplace, model.sku)
    else:
        newest = select(*(getattr(model, c) for c in columns)).where(*where).ext(
            distinct_on(model.marketplace, model.sku)).order_by(model.marketplace, model.sku, model.day.desc())
    inner = newest.subquery()
    return frame_of(session, select(*(inner.c[c] for c in columns)).order_by(inner.c.day), columns)


def frame_of(session: Session, query: Any, columns: list[str]) -> pd.DataFrame:
    """The query's rows straight from the driver: SQLAlchemy's row objects cost more than the query itself
    for a month of a large catalogue. SQLite hands dates back as ISO text: each distinct day is parsed once."""
    result = session.connection().execute(query)
    frame = pd.DataFrame.from_records(result.cursor.fetchall(), columns=columns)
    if len(frame) and "day" in frame.columns and isinstance(frame["day"].iloc[0], str):
        codes, days = pd.factorize(frame["day"])
        frame["day"] = np.array([date.fromisoformat(d) for d in days], dtype=object)[codes]
    return frame
