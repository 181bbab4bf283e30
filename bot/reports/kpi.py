"""KPI math over a window of daily facts, per marketplace (its own currency) and in total (the base currency).

Rules users check: a zero denominator is None ("n/a"), never infinity; money is converted with the FX
rate in effect on each day before it is added across currencies; days whose data has not arrived are
missing, not zero (``data_through`` says how far the data goes); cancelled orders never got here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from bot.reports.facts import Window

METRICS = (
    "gmv", "orders", "units", "aov", "asp", "sessions", "page_views", "cvr", "impressions", "clicks", "ctr", "cpc",
    "ad_spend", "ad_sales", "acos", "roas", "tacos", "units_returned", "return_rate", "available", "inbound",
    "velocity", "days_of_cover",
)
MONEY = frozenset({"gmv", "aov", "asp", "cpc", "ad_spend", "ad_sales"})
RATES = frozenset({"cvr", "ctr", "acos", "tacos", "return_rate"})
Rate = Callable[[str, str, date], float]


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class Kpis:
    currency: str
    values: dict[str, float | None]
    days: int  # days with data

    def __getitem__(self, name: str) -> float | None:
        return self.values.get(name)


@dataclass(frozen=True)
class KpiReport:
    start: date
    end: date
    data_through: date | None
    base: str
    marketplaces: dict[str, Kpis]  # in each marketplace's currency
    marketplaces_base: dict[str, Kpis]  # the same, money in the base currency
    total: Kpis  # base currency

    def as_json(self) -> dict[str, Any]:
        def one(k: Kpis) -> dict[str, Any]:
            return {"currency": k.currency, "days_with_data": k.days, **k.values}

        return {
            "start": self.start.isoformat(), "end": self.end.isoformat(),
            "data_through": self.data_through.isoformat() if self.data_through else None,
            "base_currency": self.base,
            "marketplaces": {m: {"local": one(k), "base": one(self.marketplaces_base[m])}
                             for m, k in self.marketplaces.items()},
            "total": one(self.total),
        }


def _money(frame: pd.DataFrame, columns: list[str], to: Callable[[str, date], float]) -> pd.DataFrame:
    """Money columns converted row by row with the rate of that row's day (rates looked up once each)."""
    if frame.empty:
        return frame
    factors: dict[tuple[str, date], float] = {}
    keys = list(zip(frame["currency"].fillna(""), frame["day"], strict=True))
    for key in set(keys):
        factors[key] = to(*key)
    factor = pd.Series([factors[k] for k in keys], index=frame.index)
    out = frame.copy()
    for column in columns:
        out[column] = frame[column].astype(float) * factor
    return out


def _sum(series: pd.Series) -> float | None:
    return float(series.sum()) if series.notna().any() else None


def _measures(sales: pd.DataFrame, totals: pd.DataFrame, ads: pd.DataFrame, returns: pd.DataFrame,
              stock: pd.DataFrame) -> dict[str, float | None]:
    """Additive measures; marketplace-wide rows (Business Report by date) win over the sum of SKU rows."""
    fields = ["units", "orders", "gmv", "sessions", "page_views"]
    by_day = sales.groupby("day")[fields].sum(min_count=1) if not sales.empty else pd.DataFrame(columns=fields)
    if not totals.empty:
        by_day = totals.groupby("day")[fields].sum(min_count=1).combine_first(by_day)
    values: dict[str, float | None] = {f: _sum(by_day[f]) if len(by_day) else None for f in fields}
    for name, column in (("impressions", "impressions"), ("clicks", "clicks"), ("ad_spend", "spend"),
                         ("ad_sales", "ad_sales")):
        values[name] = _sum(ads[column]) if not ads.empty else None
    values["units_returned"] = _sum(returns["units"]) if not returns.empty else None
    values["available"] = _sum(stock["available"]) if not stock.empty else None
    values["inbound"] = _sum(stock["inbound"]) if not stock.empty else None
    values["_days"] = float(len(by_day))
    return values


def _ratios(v: dict[str, float | None]) -> dict[str, float | None]:
    days = v.pop("_days") or 0
    velocity = ratio(v["units"], days)
    cover = None
    if velocity and (v["available"] is not None or v["inbound"] is not None):
        cover = ((v["available"] or 0) + (v["inbound"] or 0)) / velocity
    spend = v["ad_spend"]
    derived = {
        "aov": ratio(v["gmv"], v["orders"]), "asp": ratio(v["gmv"], v["units"]),
        "cvr": ratio(v["units"], v["sessions"]), "ctr": ratio(v["clicks"], v["impressions"]),
        "cpc": ratio(spend, v["clicks"]), "acos": ratio(spend, v["ad_sales"]), "roas": ratio(v["ad_sales"], spend),
        "tacos": ratio(spend, v["gmv"]), "return_rate": ratio(v["units_returned"], v["units"]),
        "velocity": velocity, "days_of_cover": cover,
    }
    return {m: (v.get(m) if m in v else derived[m]) for m in METRICS}


def latest_stock(inventory: pd.DataFrame) -> pd.DataFrame:
    """Each SKU's newest snapshot in the window: stock is a level, never summed over days."""
    if inventory.empty:
        return inventory
    newest = inventory.sort_values("day").groupby(["marketplace", "sku"], as_index=False).tail(1)
    return newest.reset_index(drop=True)


def compute(window: Window, base: str, currencies: Mapping[str, str], rate: Rate) -> KpiReport:
    stock = latest_stock(window.inventory)
    markets = sorted({*window.sales["marketplace"], *window.totals["marketplace"], *window.ads["marketplace"],
                      *window.returns["marketplace"], *stock["marketplace"]} - {""})
    local: dict[str, Kpis] = {}
    in_base: dict[str, Kpis] = {}
    totals: dict[str, float | None] = {}
    for market in markets:
        currency = currencies.get(market, base)

        def pick(frame: pd.DataFrame, market: str = market) -> pd.DataFrame:
            return frame[frame["marketplace"] == market]

        def to_base(cur: str, day: date) -> float:
            return rate(cur or base, base, day)

        def to_local(cur: str, day: date, currency: str = currency) -> float:
            return 1.0 if (cur or currency) == currency else rate(cur, base, day) / rate(currency, base, day)

        parts = (pick(window.sales), pick(window.totals), pick(window.ads), pick(window.returns), pick(stock))
        for target, convert, label in ((local, to_local, currency), (in_base, to_base, base)):
            measures = _measures(_money(parts[0], ["gmv"], convert), _money(parts[1], ["gmv"], convert),
                                 _money(parts[2], ["spend", "ad_sales"], convert), parts[3], parts[4])
            days = int(measures["_days"] or 0)
            if target is in_base:
                for name, value in measures.items():
                    if value is not None and name != "_days":
                        totals[name] = (totals.get(name) or 0) + value
            target[market] = Kpis(label, _ratios(measures), days)
    through = max([*window.sales["day"], *window.totals["day"]], default=None)
    all_days = len({*window.sales["day"], *window.totals["day"]})
    total_values = {m: totals.get(m) for m in ("units", "orders", "gmv", "sessions", "page_views", "impressions",
                                               "clicks", "ad_spend", "ad_sales", "units_returned", "available",
                                               "inbound")}
    total_values["_days"] = float(all_days)
    return KpiReport(window.start, window.end, through, base, local, in_base,
                     Kpis(base, _ratios(total_values), all_days))
