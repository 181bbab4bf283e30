"""The KPI section of the manager's App Home, from what the KPI flow already stores and computes: the alerts
the morning digest fired today (kpi_alerts) and the month to date per marketplace against kpi.yml's target."""

from __future__ import annotations

import calendar
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.blocks import kpi_home as blocks
from bot.db.kpi import KpiAlert
from bot.flows.context import Context, HomeReader
from bot.flows.kpi import KpiFlow
from bot.ops.team import Role

# One KPI flow per running bot: its cache answers every manager's Home from one computation until a report loads.
_flows: list[KpiFlow] = []


def _flow(ctx: Context) -> KpiFlow:
    found = next((f for f in _flows if f.ctx is ctx), None)
    if found is None:
        found = KpiFlow(ctx)
        _flows[:] = [*_flows[-3:], found]  # a few at most: tests and the console build several bots
    return found


def kpi_home(ctx: Context, reader: HomeReader) -> list[dict[str, Any]]:
    team = reader.team
    if team is None or not ctx.has_role(team, reader.user, Role.manager):
        return []
    zone = ZoneInfo(reader.timezone)
    today = ctx.clock.now().astimezone(zone).date()
    with ctx.db.transaction() as session:
        fired = [a.key for a in session.scalars(select(KpiAlert).where(
            KpiAlert.team_id == team.id, KpiAlert.firing.is_(True))) if a.changed_at.astimezone(zone).date() == today]
    alerts = []
    for key in sorted(fired):  # kind:marketplace[:sku]
        kind, _, rest = key.partition(":")
        market, _, sku = rest.partition(":")
        alerts.append(blocks.Alert(kind, market, sku or None))
    flow = _flow(ctx)
    through = flow.data_through(team, ctx.today(team))
    months: list[blocks.MonthToDate] = []
    if through is not None:
        report = flow.report(team, through.replace(day=1), through)
        playbook = flow.playbook()
        length = calendar.monthrange(through.year, through.month)[1]
        for market in sorted(set(report.marketplaces) | set(playbook.targets)):
            target = playbook.target(market, through).gmv
            found = report.marketplaces.get(market)
            if found is None and target is None:
                continue
            currency = found.currency if found else flow.currencies().get(market, team.base_currency)
            pace = target * through.day / length if target is not None else None
            months.append(blocks.MonthToDate(market, currency, (found["gmv"] or 0.0) if found else 0.0, target, pace))
    return blocks.kpi_section(reader.tr, alerts, months, through)
