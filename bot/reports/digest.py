"""The morning digest as data: headlines vs. yesterday, last week and the 7-day average, month to date vs.
target and forecast, top movers, alerts and the chart series. Blocks and chart render it.

``extra`` sections are the extension point for other features (restock's "order now / reorder soon"
list): they arrive already worded and are appended after the alerts.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from numbers import Real
from typing import Any

import pandas as pd

from bot.reports.alerts import Finding, findings
from bot.reports.daily import daily_totals, headline, sku_gmv
from bot.reports.facts import Window
from bot.reports.kpi import Rate, coverage, ratio
from bot.reports.playbook import KpiPlaybook
from bot.reports.skus import SkuFigures, sku_figures

HEADLINES = ("gmv", "orders", "units", "aov", "sessions", "cvr", "ad_spend", "acos", "tacos", "return_rate")


@dataclass(frozen=True)
class DigestSection:
    title: str
    lines: tuple[str, ...]
    buttons: tuple[dict[str, Any], ...] = ()  # Block Kit buttons another feature offers (e.g. Request restock)


@dataclass(frozen=True)
class Headline:
    name: str
    value: float | None
    previous_day: float | None
    last_week: float | None
    average_7d: float | None
    ad_spend: float | None = None  # the day's spend: an ACoS of None with spend is "spend, no sales"


@dataclass(frozen=True)
class Mover:
    sku: str
    gmv: float
    usual: float


@dataclass(frozen=True)
class MonthPace:
    mtd: float
    target: float | None
    pace: float | None  # the target's share for the days gone
    forecast: float  # the month at today's pace
    ad_spend: float | None = None  # month to date: its ACoS is shown every morning, whatever the day's
    ad_sales: float | None = None
    acos: float | None = None


@dataclass(frozen=True)
class ChartDay:
    day: date
    gmv: float | None
    pace: float | None
    acos: float | None
    ad_spend: float | None = None
    acos_target: float | None = None  # the strictest acos_max of the month's targets, drawn as a line


@dataclass(frozen=True)
class DigestData:
    team_id: str
    base: str
    through: date | None
    headlines: tuple[Headline, ...] = ()
    month: MonthPace | None = None
    movers: tuple[Mover, ...] = ()
    alerts: tuple[Finding, ...] = ()
    chart: tuple[ChartDay, ...] = ()
    extra: tuple[DigestSection, ...] = field(default_factory=tuple)
    today: date | None = None  # the morning it is for: data older than two days is said to be old
    coverage: dict[str, date] = field(default_factory=dict)  # source -> its newest day


def window_start(through: date) -> date:
    """The first day a digest needs: 30 days back (returns, cover) or the month start, whichever is earlier."""
    return min(through.replace(day=1), through - timedelta(days=30))


def build_digest(team_id: str, window: Window, through: date | None, base: str, currencies: Mapping[str, str],
                 rate: Rate, playbook: KpiPlaybook, *, top_movers: int = 5,
                 extra: Sequence[DigestSection] = (), skus: SkuFigures | None = None,
                 today: date | None = None) -> DigestData:
    """``skus``: the per-SKU figures, needed when ``window`` holds marketplace totals only (facts.by_day);
    without them they are taken from the window's own per-SKU rows."""
    if through is None:
        return DigestData(team_id, base, None, extra=tuple(extra), today=today)
    skus = skus if skus is not None else sku_figures(window, through)
    days = daily_totals(window, base, rate)

    def part(start: date, end: date) -> dict[str, float | None]:
        return headline(days[(days.index >= start) & (days.index <= end)])

    yesterday = part(through - timedelta(days=1), through - timedelta(days=1))
    week = part(through - timedelta(days=7), through - timedelta(days=7))
    average = part(through - timedelta(days=7), through - timedelta(days=1))
    on_day = part(through, through)
    headlines = tuple(Headline(n, on_day.get(n), yesterday.get(n), week.get(n), average.get(n),
                               on_day.get("ad_spend")) for n in HEADLINES)
    return DigestData(
        team_id, base, through, headlines, _month(days, through, base, currencies, rate, playbook),
        _movers(skus, through, base, rate, top_movers),
        tuple(findings(window, through, base, currencies, rate, playbook, skus)),
        _chart(days, through, base, currencies, rate, playbook), tuple(extra), today, coverage(window))


def _monthly_target(through: date, base: str, currencies: Mapping[str, str], rate: Rate,
                    playbook: KpiPlaybook) -> float | None:
    total: float | None = None
    for market in playbook.targets:
        target = playbook.target(market, through).gmv
        if target is not None:
            total = (total or 0.0) + target * rate(currencies.get(market, base), base, through)
    return total


def _month(days: pd.DataFrame, through: date, base: str, currencies: Mapping[str, str], rate: Rate,
           playbook: KpiPlaybook) -> MonthPace:
    length = calendar.monthrange(through.year, through.month)[1]
    month = days[(days.index >= through.replace(day=1)) & (days.index <= through)]
    mtd = float(month["gmv"].sum())
    target = _monthly_target(through, base, currencies, rate, playbook)
    pace = target * through.day / length if target is not None else None
    spend = float(month["ad_spend"].sum()) if month["ad_spend"].notna().any() else None
    ad_sales = float(month["ad_sales"].sum()) if month["ad_sales"].notna().any() else None
    # The pace of the days with data: a day whose report is not loaded is not a day of zero sales.
    return MonthPace(mtd, target, pace, mtd / len(month) * length if len(month) else 0.0, spend, ad_sales,
                     ratio(spend, ad_sales))


def _movers(skus: SkuFigures, through: date, base: str, rate: Rate, top: int) -> tuple[Mover, ...]:
    now = sku_gmv(skus.gmv, base, rate, through, through)
    before = sku_gmv(skus.gmv, base, rate, through - timedelta(days=7), through - timedelta(days=1)) / 7
    both = pd.DataFrame({"gmv": now, "usual": before}).fillna(0.0)
    both = both[both["gmv"] != both["usual"]].rename_axis(None)
    both = both.assign(move=(both["gmv"] - both["usual"]).abs(), sku=both.index.astype(str))
    biggest = both.sort_values(["move", "sku"], ascending=[False, True]).head(top)
    return tuple(Mover(s, float(g), float(u)) for s, g, u in zip(biggest["sku"], biggest["gmv"], biggest["usual"],
                                                                  strict=True))


def _chart(days: pd.DataFrame, through: date, base: str, currencies: Mapping[str, str], rate: Rate,
           playbook: KpiPlaybook) -> tuple[ChartDay, ...]:
    out: list[ChartDay] = []
    for offset in range(13, -1, -1):
        day = through - timedelta(days=offset)
        target = _monthly_target(day, base, currencies, rate, playbook)
        pace = target / calendar.monthrange(day.year, day.month)[1] if target is not None else None
        row: dict[str, float | None] = {str(k): _number(v) for k, v in days.loc[day].items()} \
            if day in days.index else {}
        limits = [t for t in (playbook.target(m, day).acos_max for m in playbook.targets) if t is not None]
        out.append(ChartDay(day, row.get("gmv"), pace, ratio(row.get("ad_spend"), row.get("ad_sales")),
                            row.get("ad_spend"), min(limits) if limits else None))
    return tuple(out)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, Real) and value == value else None
