"""KPI numbers as people read them, shared by every feature that shows a SKU's recent figures."""

from __future__ import annotations

from bot.blocks.text import Mrkdwn, escape
from bot.i18n import Translator
from bot.reports.queries import KpiSummary


def summary_line(tr: Translator, sku: str, found: KpiSummary) -> Mrkdwn:
    gmv = tr.join(tr.money(value, currency) for currency, value in sorted(found.gmv.items())) or "—"
    cvr = tr.percent(found.cvr) if found.cvr is not None else tr._("n/a")
    return Mrkdwn(tr._("*{sku}*: {units} units · {orders} orders · GMV {gmv} · {sessions} sessions · CVR {cvr}",
                sku=escape(sku), units=tr.number(found.units), orders=tr.number(found.orders), gmv=gmv,
                sessions=tr.number(found.sessions), cvr=cvr))
