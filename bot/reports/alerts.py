"""Alerts with a diagnosis. Each fires once when its threshold is crossed and re-arms after recovery."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from numbers import Real

import pandas as pd

from bot.reports.facts import Window
from bot.reports.kpi import Kpis, Rate, compute, latest_stock, ratio
from bot.reports.playbook import KpiPlaybook


@dataclass(frozen=True)
class Finding:
    key: str  # stable: the alert state is stored by it
    kind: str  # ctr_cvr | acos_target | acos_rising | sessions_down | returns_up | low_cover
    marketplace: str
    sku: str | None = None
    values: dict[str, float] = field(default_factory=dict)
    reasons: tuple[tuple[str, int], ...] = ()


def _slice(window: Window, start: date, end: date) -> Window:
    def cut(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[(frame["day"] >= start) & (frame["day"] <= end)] if not frame.empty else frame

    return Window(start, end, cut(window.sales), cut(window.totals), cut(window.ads), cut(window.inventory),
                  cut(window.returns))


def findings(window: Window, through: date, base: str, currencies: Mapping[str, str], rate: Rate,
             playbook: KpiPlaybook) -> list[Finding]:
    rules = playbook.alerts
    day = compute(_slice(window, through, through), base, currencies, rate).marketplaces
    week = compute(_slice(window, through - timedelta(days=7), through - timedelta(days=1)), base, currencies,
                   rate).marketplaces
    last7 = _slice(window, through - timedelta(days=6), through)
    recent = compute(last7, base, currencies, rate).marketplaces
    month = compute(_slice(window, through - timedelta(days=29), through), base, currencies, rate).marketplaces
    found: list[Finding] = []
    for market, today in day.items():
        before, target = week.get(market), playbook.target(market, through)
        seven, thirty = recent.get(market), month.get(market)
        ctr, cvr = (seven["ctr"], seven["cvr"]) if seven else (None, None)
        if ctr is not None and cvr is not None and ctr >= rules.ctr_high and cvr < rules.cvr_low:
            found.append(Finding(f"ctr_cvr:{market}", "ctr_cvr", market, values={"ctr": ctr, "cvr": cvr}))
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
    found += _cover(window, through, playbook)
    return found


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


def _cover(window: Window, through: date, playbook: KpiPlaybook) -> list[Finding]:
    stock = latest_stock(window.inventory)
    if stock.empty:
        return []
    start = through - timedelta(days=29)
    sales = window.sales[(window.sales["day"] >= start) & (window.sales["day"] <= through)]
    if sales.empty:
        return []
    days = sales.groupby("marketplace")["day"].nunique()
    totals = sales.groupby(["marketplace", "sku"], as_index=False)["units"].sum()
    units = {(str(m), str(s)): float(u) for m, s, u in
             zip(totals["marketplace"], totals["sku"], totals["units"], strict=True)}
    found: list[Finding] = []
    for row in stock.to_dict("records"):
        market, sku = str(row["marketplace"]), str(row["sku"])
        velocity = ratio(units.get((market, sku)), float(days.get(market, 0)))
        if not velocity:
            continue
        cover = (_count(row["available"]) + _count(row["inbound"])) / velocity
        lead = playbook.lead_time(sku)
        if cover < lead:
            found.append(Finding(f"low_cover:{market}:{sku}", "low_cover", market, sku,
                                 values={"cover": cover, "lead": float(lead)}))
    return sorted(found, key=lambda f: f.values["cover"])


def _count(value: object) -> float:
    return float(value) if isinstance(value, Real) and value == value else 0.0


def transitions(current: list[Finding], firing: set[str]) -> tuple[list[Finding], set[str]]:
    """What to announce (newly crossed) and what re-arms (was firing, no longer found)."""
    keys = {f.key for f in current}
    return [f for f in current if f.key not in firing], firing - keys
