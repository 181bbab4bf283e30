"""Alerts with a diagnosis. Each fires once when its threshold is crossed and re-arms after recovery."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from bot.reports.facts import Window, slice_window
from bot.reports.kpi import Kpis, Rate, compute, latest_stock, ratio
from bot.reports.playbook import KpiPlaybook
from bot.reports.skus import SkuFigures, sku_figures


@dataclass(frozen=True)
class Finding:
    key: str  # stable: the alert state is stored by it
    # ctr_cvr | acos_target | acos_rising | tacos_target | cvr_target | sessions_down | returns_up | low_cover |
    # spend_no_sales
    kind: str
    marketplace: str
    sku: str | None = None
    values: dict[str, float] = field(default_factory=dict)
    reasons: tuple[tuple[str, int], ...] = ()
    currency: str | None = None  # of money in ``values``: the team's base currency


def findings(window: Window, through: date, base: str, currencies: Mapping[str, str], rate: Rate,
             playbook: KpiPlaybook, skus: SkuFigures | None = None) -> list[Finding]:
    rules = playbook.alerts
    day = compute(slice_window(window, through, through), base, currencies, rate, local=False).marketplaces
    week = compute(slice_window(window, through - timedelta(days=7), through - timedelta(days=1)), base, currencies,
                   rate, local=False).marketplaces
    last7 = slice_window(window, through - timedelta(days=6), through)
    recent = compute(last7, base, currencies, rate, local=False).marketplaces
    month = compute(slice_window(window, through - timedelta(days=29), through), base, currencies, rate,
                    local=False).marketplaces
    found: list[Finding] = []
    for market, today in day.items():
        before, target = week.get(market), playbook.target(market, through)
        seven, thirty = recent.get(market), month.get(market)
        ctr, cvr = (seven["ctr"], seven["cvr"]) if seven else (None, None)
        if ctr is not None and cvr is not None and ctr >= rules.ctr_high and cvr < rules.cvr_low:
            found.append(Finding(f"ctr_cvr:{market}", "ctr_cvr", market, values={"ctr": ctr, "cvr": cvr}))
        elif cvr is not None and target.cvr_min is not None and cvr < target.cvr_min:
            # (When CTR is high too, the CTR-but-not-CVR diagnosis above says it more precisely.)
            found.append(Finding(f"cvr_target:{market}", "cvr_target", market,
                                 values={"cvr": cvr, "target": target.cvr_min, "ctr": ctr or 0.0}))
        if seven and target.tacos_max is not None and (seven["tacos"] or 0) > target.tacos_max:
            found.append(Finding(f"tacos_target:{market}", "tacos_target", market,
                                 values={"tacos": seven["tacos"] or 0.0, "target": target.tacos_max,
                                         "acos": seven["acos"] or 0.0}))
        acos = today["acos"]
        if acos is not None and target.acos_max is not None and acos > target.acos_max:
            found.append(Finding(f"acos_target:{market}", "acos_target", market,
                                 values={"acos": acos, "target": target.acos_max}))
        if acos is not None and before and before["acos"] and acos > before["acos"] * (1 + rules.acos_rise):
            found.append(Finding(f"acos_rising:{market}", "acos_rising", market,
                                 values={"acos": acos, "before": before["acos"]}))
        sessions, usual = today["sessions"], _per_day(before, "sessions")
        if sessions is not None and usual and sessions < usual * (1 - rules.sessions_drop):
            found.append(Finding(f"sessions_down:{market}", "sessions_down", market,
                                 values={"sessions": sessions, "usual": usual, "cvr": today["cvr"] or 0.0,
                                         "usual_cvr": (before["cvr"] if before else None) or 0.0}))
        found += _returns(market, seven, thirty, target.return_rate_max, rules.return_rate_rise, last7)
        found += _spend_no_sales(market, today, seven, rules.spend_without_sales_day, rules.spend_without_sales_week,
                                 base)
    found += _cover(window, skus if skus is not None else sku_figures(window, through), playbook)
    return found


def _spend_no_sales(market: str, day: Kpis, week: Kpis | None, day_limit: float, week_limit: float,
                    base: str) -> list[Finding]:
    """Spend with no ad sales at all has no ACoS to cross a target: it is watched by the money instead."""
    def unsold(k: Kpis | None, limit: float) -> bool:
        return k is not None and (k["ad_spend"] or 0) > limit and not k["ad_sales"]

    if not (unsold(day, day_limit) or unsold(week, week_limit)):
        return []
    return [Finding(f"spend_no_sales:{market}", "spend_no_sales", market, currency=base,
                    values={"day": day["ad_spend"] or 0.0, "week": (week["ad_spend"] if week else None) or 0.0})]


def _per_day(kpis: Kpis | None, name: str) -> float | None:
    return ratio(kpis[name], kpis.days) if kpis else None


def _returns(market: str, seven: Kpis | None, thirty: Kpis | None, maximum: float | None, rise: float,
             last7: Window) -> list[Finding]:
    rate7 = seven["return_rate"] if seven else None
    rate30 = thirty["return_rate"] if thirty else None
    if rate7 is None:
        return []
    over_target = maximum is not None and rate7 > maximum
    rising = rate30 is not None and rate30 > 0 and rate7 > rate30 * (1 + rise)
    if not (over_target or rising):
        return []
    mine = last7.returns[last7.returns["marketplace"] == market]
    reasons = mine.groupby("reason")["units"].sum().sort_values(ascending=False).head(3)
    return [Finding(f"returns_up:{market}", "returns_up", market, values={"rate": rate7, "before": rate30 or 0.0},
                    reasons=tuple((str(r), int(n)) for r, n in reasons.items()))]


def _cover(window: Window, skus: SkuFigures, playbook: KpiPlaybook) -> list[Finding]:
    if skus.stock is not None:  # the one definition (bot.reports.velocity), with each SKU's own lead time
        table = skus.stock
        low = table[table["cover"].astype(float) < table["lead"].astype(float)].sort_values(["cover", "sku"])
        return [Finding(f"low_cover:{m}:{s}", "low_cover", str(m), str(s),
                        values={"cover": float(c), "lead": float(ld), "velocity": float(v), "days": float(d)})
                for m, s, c, ld, v, d in zip(low["marketplace"], low["sku"], low["cover"], low["lead"],
                                             low["per_day"], low["days"], strict=True)]
    stock = latest_stock(window.inventory)
    if stock.empty or skus.units.empty:
        return []
    sold = skus.units.set_index(["marketplace", "sku"])["units"].rename("sold")
    # Vectorised: a team with 50,000 SKU-marketplaces gets its cover checked in one pass.
    table = stock.join(sold, on=["marketplace", "sku"]).join(skus.days.rename("days"), on="marketplace")
    velocity = pd.to_numeric(table["sold"]) / pd.to_numeric(table["days"])
    level = pd.to_numeric(table["available"]).fillna(0) + pd.to_numeric(table["inbound"]).fillna(0)
    leads = {sku: float(playbook.lead_time(str(sku))) for sku in table["sku"].unique()}
    table = table.assign(cover=level / velocity.where(velocity > 0), lead=table["sku"].map(leads))
    low = table[table["cover"] < table["lead"]].sort_values(["cover", "sku"])
    return [Finding(f"low_cover:{m}:{s}", "low_cover", str(m), str(s), values={"cover": float(c), "lead": float(ld)})
            for m, s, c, ld in zip(low["marketplace"], low["sku"], low["cover"], low["lead"], strict=True)]


def transitions(current: list[Finding], firing: set[str]) -> tuple[list[Finding], set[str]]:
    """What to announce (newly crossed) and what re-arms (was firing, no longer found)."""
    keys = {f.key for f in current}
    return [f for f in current if f.key not in firing], firing - keys
