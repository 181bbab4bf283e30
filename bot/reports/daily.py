"""Day-by-day team totals in the base currency: the series behind headlines, movers and the chart."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd

from bot.reports.facts import Window, between
from bot.reports.kpi import Rate, money, ratio

ADDITIVE = ("gmv", "orders", "units", "sessions", "ad_spend", "ad_sales", "impressions", "clicks", "units_returned")


def daily_totals(window: Window, base: str, rate: Rate) -> pd.DataFrame:
    """One row per day with sales data (index: day); marketplace-wide rows win over the sum of their SKUs."""

    def to_base(cur: str, day: date) -> float:
        return rate(cur or base, base, day)

    fields = ["gmv", "orders", "units", "sessions"]
    sales = money(window.sales, ["gmv"], to_base)
    per_market = sales.groupby(["marketplace", "day"])[fields].sum(min_count=1) if not sales.empty else None
    if not window.totals.empty:
        totals = money(window.totals, ["gmv"], to_base).groupby(["marketplace", "day"])[fields].sum(min_count=1)
        per_market = totals if per_market is None else totals.combine_first(per_market)
    if per_market is None:
        return pd.DataFrame(columns=list(ADDITIVE))
    days = per_market.groupby(level="day").sum(min_count=1)
    if not window.ads.empty:
        ads = money(window.ads, ["spend", "ad_sales"], to_base).groupby("day")[
            ["spend", "ad_sales", "impressions", "clicks"]].sum()
        days = days.join(ads.rename(columns={"spend": "ad_spend"}), how="left")
    if not window.returns.empty:
        days = days.join(window.returns.groupby("day")["units"].sum().rename("units_returned"), how="left")
    for column in ADDITIVE:
        if column not in days:
            days[column] = None
    return days[list(ADDITIVE)].sort_index()


def headline(frame: pd.DataFrame) -> dict[str, float | None]:
    """The headline KPIs of some days of ``daily_totals``; per-day averages of additive ones."""
    if frame.empty:
        return {}
    n = len(frame)
    sums = {c: (float(frame[c].sum()) if frame[c].notna().any() else None) for c in ADDITIVE}

    def over(numerator: str, denominator: str) -> float | None:
        """A ratio over the days where both sides have data: a day not loaded is not a zero."""
        both = frame[frame[numerator].notna() & frame[denominator].notna()]
        return ratio(float(both[numerator].sum()), float(both[denominator].sum())) if len(both) else None

    return {
        "gmv": ratio(sums["gmv"], n), "orders": ratio(sums["orders"], n), "units": ratio(sums["units"], n),
        "sessions": ratio(sums["sessions"], n), "ad_spend": ratio(sums["ad_spend"], n),
        "aov": ratio(sums["gmv"], sums["orders"]), "cvr": over("units", "sessions"),
        "ctr": ratio(sums["clicks"], sums["impressions"]), "acos": ratio(sums["ad_spend"], sums["ad_sales"]),
        "tacos": over("ad_spend", "gmv"), "return_rate": ratio(sums["units_returned"], sums["units"]),
    }


def sku_gmv(gmv: pd.DataFrame, base: str, rate: Rate, start: date, end: date) -> pd.Series:
    """Each SKU's GMV in the base currency over start..end, from rows of sku, day, currency and gmv."""
    sales = between(gmv, start, end) if gmv["day"].is_monotonic_increasing else \
        gmv[(gmv["day"] >= start) & (gmv["day"] <= end)]
    if sales.empty:
        return pd.Series(dtype=float)
    converted = money(sales, ["gmv"], lambda cur, day: rate(cur or base, base, day))
    return converted.groupby("sku")["gmv"].sum()


def market_currencies(defaults: Mapping[str, str], overrides: Mapping[str, str]) -> dict[str, str]:
    return {**defaults, **overrides}
