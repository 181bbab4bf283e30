"""The KPI part of the manager's App Home: alerts fired today and month to date against target per marketplace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks.common import context, section
from bot.blocks.home import title
from bot.blocks.text import escape
from bot.errors import N_
from bot.i18n import Translator

ALERT_NAMES = {
    "ctr_cvr": N_("High CTR but low CVR"),
    "acos_target": N_("ACoS over target"),
    "acos_rising": N_("ACoS rising"),
    "tacos_target": N_("TACoS over target"),
    "cvr_target": N_("CVR under target"),
    "sessions_down": N_("Sessions down"),
    "returns_up": N_("Returns up"),
    "low_cover": N_("Low stock cover"),
    "spend_no_sales": N_("Ad spend without sales"),
}


@dataclass(frozen=True)
class Alert:
    kind: str
    marketplace: str
    sku: str | None = None


@dataclass(frozen=True)
class MonthToDate:
    marketplace: str
    currency: str
    gmv: float
    target: float | None
    pace: float | None  # the target's share for the days gone


def _alert(tr: Translator, alert: Alert) -> str:
    name = tr._(ALERT_NAMES[alert.kind]) if alert.kind in ALERT_NAMES else escape(alert.kind)
    where = escape(alert.marketplace) + (f" · {escape(alert.sku)}" if alert.sku else "")
    return f"⚠️ {name} · {where}"


def _month(tr: Translator, m: MonthToDate) -> str:
    gmv = tr.money(m.gmv, m.currency)
    if m.target is None or m.target <= 0:
        return tr._("{market}: {gmv} (no target)", market=escape(m.marketplace), gmv=gmv)
    line = tr._("{market}: {gmv} of {target} ({share})", market=escape(m.marketplace), gmv=gmv,
                target=tr.money(m.target, m.currency), share=tr.percent(m.gmv / m.target, 0))
    if m.pace:
        line += " " + (tr._("· ahead of pace") if m.gmv >= m.pace else tr._("· behind pace"))
    return line


def kpi_section(tr: Translator, alerts: list[Alert], months: list[MonthToDate], through: date | None
                ) -> list[dict[str, Any]]:
    blocks = [title(tr._("KPIs"))]
    if alerts:
        lines = [_alert(tr, a) for a in alerts[:15]]
        if len(alerts) > 15:
            lines.append(tr._("…and {n} more in the digest", n=len(alerts) - 15))
        blocks.append(section(tr.ngettext("{n} alert fired today:", "{n} alerts fired today:", len(alerts))
                              + "\n" + "\n".join(lines)))
    else:
        blocks.append(context(tr._("No KPI alert fired today.")))
    if through is None:
        blocks.append(context(tr._("No sales data loaded yet: month to date shows once reports are in.")))
    elif months:
        blocks.append(section(tr._("*Month to date* (data through {day}):", day=tr.date(through)) + "\n"
                              + "\n".join(_month(tr, m) for m in months)))
    return blocks
