"""KPI math over a window of daily facts, per marketplace (its own currency) and in total (the base currency).

Rules users check: a zero denominator is None ("n/a"), never infinity; money is converted with the FX
rate in effect on each day before it is added across currencies; days whose data has not arrived are
missing, not zero (``data_through`` says how far the data goes); cancelled orders never got here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
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
    coverage: dict[str, date] = field(default_factory=dict)  # source (sales, ads, returns) -> its newest day

    def as_json(self) -> dict[str, Any]:
        def one(k: Kpis) -> dict[str, Any]:
            return {"currency": k.currency, "days_with_data": k.days, **k.values}

        return {
            "start": self.start.isoformat(), "end": self.end.isoformat(),
            "data_through": self.data_through.isoformat() if self.data_through else None,
            "base_currency": self.base,
            "coverage": {source: day.isoformat() for source, day in self.coverage.items()},
            "marketplaces": {m: {"local": one(k), "base": one(self.marketplaces_base[m])}
                             for m, k in self.marketplaces.items()},
            "total": one(self.total),
        }


def money(frame: pd.DataFrame, columns: list[str], to: Callable[[str, date], float]) -> pd.DataFrame:
    """Money columns converted with the rate of each row's currency and day (each pair looked up once)."""
    if frame.empty:
        return frame
    factor = _factors(frame["currency"], frame["day"], to)
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_numeric(frame[column]).astype(float).to_numpy() * factor
    return out


def _factors(currency: pd.Series, day: pd.Series, to: Callable[[str, date], float]) -> np.ndarray:
    currency_codes, currencies = pd.factorize(currency.fillna("").astype(object))
    day_codes, days = pd.factorize(day)
    pairs, which = np.unique(currency_codes * len(days) + day_codes, return_inverse=True)
    rates = np.array([to(str(currencies[p // len(days)]), days[p % len(days)]) for p in pairs], dtype=float)
    return rates[which]


def _sum(series: pd.Series) -> float | None:
    return float(series.sum()) if series.notna().any() else None


def _value(table: pd.DataFrame, market: str, column: str) -> float | None:
    if market not in table.index or column not in table.columns:
        return None
    value = table.at[market, column]
    return float(value) if isinstance(value, int | float | np.number) and not pd.isna(value) else None


def _measures(sales: pd.DataFrame, totals: pd.DataFrame, ads: pd.DataFrame, returns: pd.DataFrame,
              stock: pd.DataFrame, markets: list[str]) -> dict[str, dict[str, float | None]]:
    """Additive measures per marketplace; its marketplace-wide rows (Business Report by date) win, day by
    day, over the sum of its SKU rows. Sums over nothing are None (no data), not zero."""
    fields = ["units", "orders", "gmv", "sessions", "page_views"]
    daily = [f.groupby(["marketplace", "day"])[fields].sum(min_count=1) for f in (totals, sales) if not f.empty]
    by_day = daily[0].combine_first(daily[1]) if len(daily) == 2 else daily[0] if daily else None
    sold = by_day.groupby(level="marketplace").sum(min_count=1) if by_day is not None else pd.DataFrame()
    days = by_day.groupby(level="marketplace").size() if by_day is not None else pd.Series(dtype=int)
    advertised = ads.groupby("marketplace")[["impressions", "clicks", "spend", "ad_sales"]].sum(min_count=1) \
        if not ads.empty else pd.DataFrame()
    returned = returns.groupby("marketplace")[["units"]].sum(min_count=1) if not returns.empty else pd.DataFrame()
    stocked = stock.groupby("marketplace")[["available", "inbound"]].sum(min_count=1) \
        if not stock.empty else pd.DataFrame()
    covered = _covered(by_day, ads, returns)
    # The team's total covers the days the team has both sides for, whichever marketplace they came from.
    team = _covered(_as_team(by_day), _as_team(ads), _as_team(returns))
    out: dict[str, dict[str, float | None]] = {TEAM: {c: _value(team, TEAM, c) for c in COVERED}}
    for market in markets:
        values = {f: _value(sold, market, f) for f in fields}
        values |= {"impressions": _value(advertised, market, "impressions"),
                   "clicks": _value(advertised, market, "clicks"),
                   "ad_spend": _value(advertised, market, "spend"), "ad_sales": _value(advertised, market, "ad_sales"),
                   "units_returned": _value(returned, market, "units"),
                   "available": _value(stocked, market, "available"), "inbound": _value(stocked, market, "inbound"),
                   "_days": float(days.get(market, 0))}
        out[market] = values | {c: _value(covered, market, c) for c in COVERED}
    return out


# Each ratio's two sides summed over the days where both have data (bot.reports.kpi._covered).
COVERED = ("_tacos_spend", "_tacos_gmv", "_cvr_units", "_cvr_sessions", "_returned")
TEAM = ""  # the key of the team-wide covered sums among _measures' marketplaces


def _as_team(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """Facts with every marketplace's rows taken as the team's, for the total's coverage."""
    if frame is None or frame.empty:
        return frame
    if isinstance(frame.index, pd.MultiIndex):
        return frame.groupby(level="day").sum(min_count=1).assign(marketplace=TEAM).set_index(
            "marketplace", append=True).reorder_levels(["marketplace", "day"])
    return frame.assign(marketplace=TEAM)


def _covered(by_day: pd.DataFrame | None, ads: pd.DataFrame | None, returns: pd.DataFrame | None) -> pd.DataFrame:
    """Per marketplace: TACoS's spend on days with sales and GMV on days with ads; CVR's units and sessions on
    days with both; returns up to the newest day with sales (a later return waits for its day's sales). A day
    whose report is not loaded is missing, so it must not count on one side of a ratio only."""
    if by_day is None:
        return pd.DataFrame(columns=list(COVERED))
    sold = by_day[by_day["units"].notna() | by_day["gmv"].notna()]
    spent = ads.groupby(["marketplace", "day"])["spend"].sum(min_count=1) if ads is not None and not ads.empty else \
        pd.Series(dtype=float, index=pd.MultiIndex.from_tuples([], names=["marketplace", "day"]))
    both = sold.join(spent.rename("_spend"), how="inner")
    out = pd.DataFrame({"_tacos_spend": both.groupby(level="marketplace")["_spend"].sum(min_count=1),
                        "_tacos_gmv": both.groupby(level="marketplace")["gmv"].sum(min_count=1)})
    traffic = sold[sold["units"].notna() & sold["sessions"].notna()].groupby(level="marketplace")
    out = out.join(pd.DataFrame({"_cvr_units": traffic["units"].sum(min_count=1),
                                 "_cvr_sessions": traffic["sessions"].sum(min_count=1)}), how="outer")
    if returns is not None and not returns.empty:
        newest = sold.reset_index().groupby("marketplace")["day"].max()
        limit = returns["marketplace"].map(newest)
        kept = returns[limit.notna() & (returns["day"] <= limit)]
        out = out.join(kept.groupby("marketplace")["units"].sum().rename("_returned"), how="outer")
    return out.reindex(columns=list(COVERED))


def _ratios(measures: dict[str, float | None]) -> dict[str, float | None]:
    v = dict(measures)
    days = v.pop("_days", None) or 0
    pairs = {c: v.pop(c, None) for c in COVERED}
    velocity = ratio(v["units"], days)
    cover = None
    if velocity and (v["available"] is not None or v["inbound"] is not None):
        cover = ((v["available"] or 0) + (v["inbound"] or 0)) / velocity
    spend = v["ad_spend"]
    # ROAS on spend with no ad sales is None, not 0.00: like ACoS, it then reads "spend, no sales".
    derived = {
        "aov": ratio(v["gmv"], v["orders"]), "asp": ratio(v["gmv"], v["units"]),
        "ctr": ratio(v["clicks"], v["impressions"]),
        "cpc": ratio(spend, v["clicks"]), "acos": ratio(spend, v["ad_sales"]),
        "roas": ratio(v["ad_sales"], spend) if v["ad_sales"] else None,
        "tacos": ratio(pairs["_tacos_spend"], pairs["_tacos_gmv"]),
        "cvr": ratio(pairs["_cvr_units"], pairs["_cvr_sessions"]),
        "return_rate": ratio(pairs["_returned"], v["units"]) if v["units_returned"] is not None else None,
        "velocity": velocity, "days_of_cover": cover,
    }
    return {m: (v.get(m) if m in v else derived[m]) for m in METRICS}


def latest_stock(inventory: pd.DataFrame) -> pd.DataFrame:
    """Each SKU's newest snapshot in the window: stock is a level, never summed over days."""
    if inventory.empty:
        return inventory
    in_order = inventory if inventory["day"].is_monotonic_increasing else inventory.sort_values("day", kind="stable")
    newest = in_order.drop_duplicates(["marketplace", "sku"], keep="last")
    return newest.reset_index(drop=True)


ADDITIVE = ("units", "orders", "gmv", "sessions", "page_views", "impressions", "clicks", "ad_spend", "ad_sales",
            "units_returned", "available", "inbound")


def compute(window: Window, base: str, currencies: Mapping[str, str], rate: Rate, *, local: bool = True) -> KpiReport:
    """``local=False`` skips the per-marketplace currency figures (ratios are the same in either currency)."""
    stock = latest_stock(window.inventory)
    frames = (window.sales, window.totals, window.ads, window.returns, stock)
    markets = sorted({str(m) for f in frames for m in f["marketplace"].unique()} - {""})

    def to_base(cur: str, day: date) -> float:
        return rate(cur or base, base, day)

    def converted(to: Callable[[str, date], float]) -> dict[str, dict[str, float | None]]:
        return _measures(money(window.sales, ["gmv"], to), money(window.totals, ["gmv"], to),
                         money(window.ads, ["spend", "ad_sales"], to), window.returns, stock, markets)

    in_base = converted(to_base)
    team = in_base.pop(TEAM)
    totals: dict[str, float | None] = {c: team[c] for c in COVERED}
    for values in in_base.values():
        for name in ADDITIVE:
            if values[name] is not None:
                totals[name] = (totals.get(name) or 0.0) + (values[name] or 0.0)
    in_local = {m: _in_local(window, stock, m, currencies.get(m, base), base, rate) for m in markets} if local else {}
    days = pd.concat([window.sales["day"], window.totals["day"]], ignore_index=True).unique()
    through = max(days, default=None)
    all_days = len(days)
    total_values: dict[str, float | None] = {m: totals.get(m) for m in (*ADDITIVE, *COVERED)}
    total_values["_days"] = float(all_days)
    base_kpis = {m: Kpis(base, _ratios(v), int(v["_days"] or 0)) for m, v in in_base.items()}
    return KpiReport(window.start, window.end, through, base, in_local if local else base_kpis, base_kpis,
                     Kpis(base, _ratios(total_values), all_days), coverage(window))


def coverage(window: Window) -> dict[str, date]:
    """How far each source's data goes: what a reader needs when one side of a ratio stops earlier."""
    sold = pd.concat([window.sales["day"], window.totals["day"]], ignore_index=True)
    sources = {"sales": sold, "ads": window.ads["day"], "returns": window.returns["day"]}
    return {name: days.max() for name, days in sources.items() if len(days)}


def _in_local(window: Window, stock: pd.DataFrame, market: str, currency: str, base: str, rate: Rate) -> Kpis:
    """One marketplace in its own currency: money in another currency goes through the base currency."""

    def to_local(cur: str, day: date) -> float:
        return 1.0 if (cur or currency) == currency else rate(cur, base, day) / rate(currency, base, day)

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["marketplace"] == market] if not frame.empty else frame

    values = _measures(money(mine(window.sales), ["gmv"], to_local), money(mine(window.totals), ["gmv"], to_local),
                       money(mine(window.ads), ["spend", "ad_sales"], to_local), mine(window.returns), mine(stock),
                       [market])[market]
    return Kpis(currency, _ratios(values), int(values["_days"] or 0))
