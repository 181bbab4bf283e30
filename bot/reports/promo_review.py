"""A promotion's review: each SKU's units, GMV, ACoS and CVR in its marketplace during the promotion against the
same number of days just before it, from the loaded report facts. Missing data stays missing (None), never zero."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy.orm import Session

from bot.reports.facts import load_window
from bot.reports.kpi import ratio


@dataclass(frozen=True)
class Figures:
    """One SKU over one window; ``days`` is how many of its days have sales data (0: nothing loaded)."""

    start: date
    end: date
    days: int
    units: int | None = None
    gmv: float | None = None
    currency: str | None = None
    acos: float | None = None  # ad spend / ad sales; None without ads data or without ad sales
    cvr: float | None = None  # units / sessions; None without sessions

    @property
    def length(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class SkuReview:
    sku: str
    during: Figures
    before: Figures

    def change(self, name: str) -> float | None:
        """The relative change of a figure (0.25: up 25 %), when both sides have it and the base is not zero."""
        now, then = getattr(self.during, name), getattr(self.before, name)
        if now is None or then is None or then == 0:
            return None
        return float(now / then - 1)


def before_window(start: date, end: date) -> tuple[date, date]:
    """The same length just before ``start``."""
    length = (end - start).days + 1
    return start - timedelta(days=length), start - timedelta(days=1)


def review(session: Session, team_id: str, skus: list[str], marketplace: str, start: date, end: date
           ) -> list[SkuReview]:
    first, last = before_window(start, end)
    window = load_window(session, team_id, first, end, marketplace=marketplace)
    found = []
    for sku in skus:
        sales = window.sales[window.sales["sku"] == sku]
        ads = window.ads[window.ads["sku"] == sku]
        found.append(SkuReview(sku, _figures(sales, ads, start, end), _figures(sales, ads, first, last)))
    return found


def _figures(sales: pd.DataFrame, ads: pd.DataFrame, start: date, end: date) -> Figures:
    days = sales[(sales["day"] >= start) & (sales["day"] <= end)]
    if days.empty:
        return Figures(start, end, 0)
    spent = ads[(ads["day"] >= start) & (ads["day"] <= end)]
    currencies = days["currency"].dropna().unique()
    gmv = float(days["gmv"].sum()) if days["gmv"].notna().any() and len(currencies) <= 1 else None
    sessions = days["sessions"].dropna()
    acos = ratio(float(spent["spend"].sum()), float(spent["ad_sales"].sum())) if not spent.empty else None
    units = int(days["units"].sum())
    return Figures(start, end, int(days["day"].nunique()), units=units, gmv=gmv,
                   currency=str(currencies[0]) if len(currencies) == 1 else None, acos=acos,
                   cvr=ratio(float(days.loc[sessions.index, "units"].sum()), float(sessions.sum()))
                   if len(sessions) else None)
