"""The KPI feature's agenda sections, from the same report code as /kpi and the digest (``KpiFlow.report``):
"kpis" — each marketplace's GMV against its monthly target's pace and the period before, CVR and ACoS, and the
alerts that fired in the period; "skus" — the top and bottom SKUs by GMV."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from bot.blocks.meeting_agenda import alerts_line, change, kpi_line, sku_line, target_text
from bot.db.core import AuditEntry
from bot.flows.context import AgendaPart, AgendaPeriod, AgendaSection, Context
from bot.flows.kpi import KpiFlow
from bot.i18n import Translator
from bot.ops.team import Team
from bot.reports.daily import sku_gmv
from bot.reports.facts import load_window

TOP = 3


def _before(period: AgendaPeriod) -> tuple[date, date]:
    days = (period.end - period.start).days + 1
    return period.start - timedelta(days=days), period.start - timedelta(days=1)


def kpis_part(ctx: Context, team: Team, period: AgendaPeriod, tr: Translator) -> AgendaPart | None:
    flow = KpiFlow(ctx)
    now = flow.report(team, period.start, period.end)
    if not now.marketplaces:
        return None
    before = flow.report(team, *_before(period))
    playbook = flow.playbook()
    lines = []
    for market, kpis in sorted(now.marketplaces.items()):
        earlier = before.marketplaces.get(market)
        gmv = kpis["gmv"] or 0.0
        target = playbook.target(market, period.end).gmv
        pace = None
        if target:
            month_days = calendar.monthrange(period.end.year, period.end.month)[1]
            share = target * ((period.end - period.start).days + 1) / month_days
            pace = target_text(tr, gmv / share, tr.money(target, kpis.currency))
        cvr, acos = kpis["cvr"], kpis["acos"]
        versus = change(tr, gmv, earlier["gmv"] if earlier else None)
        lines.append(kpi_line(tr, market, tr.money(gmv, kpis.currency), versus, pace, _rate(tr, cvr), _rate(tr, acos)))
    fired = _alerts(ctx, team, period)
    if fired:
        lines.append(alerts_line(tr, fired))
    title = tr._("KPIs this week") if period.rhythm == "weekly" else tr._("KPIs this month")
    return AgendaPart("kpis", title, tuple(lines))


def _rate(tr: Translator, value: float | None) -> str:
    return tr.percent(value) if value is not None else "–"


def _alerts(ctx: Context, team: Team, period: AgendaPeriod) -> list[tuple[str, str, str | None]]:
    start = datetime.combine(period.start, time(0), tzinfo=team.zone)
    end = datetime.combine(period.end + timedelta(days=1), time(0), tzinfo=team.zone)
    with ctx.db.transaction() as session:
        keys = session.scalars(select(AuditEntry.entity_id).where(
            AuditEntry.team_id == team.id, AuditEntry.entity == "kpi_alert", AuditEntry.to_state == "fired",
            AuditEntry.at >= start, AuditEntry.at < end).order_by(AuditEntry.at, AuditEntry.id))
        found = []
        for key in dict.fromkeys(keys):
            kind, market, *sku = key.split(":")
            found.append((kind, market, sku[0] if sku else None))
    return found


def skus_part(ctx: Context, team: Team, period: AgendaPeriod, tr: Translator) -> AgendaPart | None:
    flow = KpiFlow(ctx)
    start, _ = _before(period)
    with ctx.db.transaction() as session:
        window = load_window(session, team.id, start, period.end)
    if window.sales.empty:
        return None
    gmv = window.sales[["sku", "day", "currency", "gmv"]]
    rate = flow.playbook().rate
    now = sku_gmv(gmv, team.base_currency, rate, period.start, period.end)
    before = sku_gmv(gmv, team.base_currency, rate, *_before(period))
    if now.empty:
        return None
    ranked = sorted(((float(v), str(s)) for s, v in now.items()), key=lambda p: (-p[0], p[1]))
    top = ranked[:TOP]
    bottom = [p for p in ranked[::-1] if p not in top][:TOP]

    def line(rank: str, value: float, sku: str) -> str:
        earlier = before.get(sku)
        return sku_line(tr, rank, sku, tr.money(value, team.base_currency),
                        change(tr, value, float(earlier) if earlier is not None else None))

    lines = [line("▲", v, s) for v, s in top] + [line("▼", v, s) for v, s in bottom]
    return AgendaPart("skus", tr._("Top and bottom SKUs by GMV"), tuple(lines))


KPI_SECTIONS = (AgendaSection("kpis", kpis_part), AgendaSection("skus", skus_part))
