"""The monthly review's target attainment and first diagnosis (agenda sections ``targets`` and ``diagnosis``), and
the App Home's "My goals"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks.common import divider, error_text, section
from bot.blocks.goals import (
    attainment_text,
    diagnosis_lines,
    goal_title,
    home_blocks,
    limit_text,
    period_text,
    who_text,
)
from bot.errors import N_, OpsError
from bot.flows.context import AgendaPart, AgendaPeriod, Context, HomeReader
from bot.flows.goals import GoalLine, GoalsFlow
from bot.i18n import Translator
from bot.ops.goals import Attainment, GoalPeriod, Measured, attainment, month_of, previous_period
from bot.ops.goals_playbook import Goal
from bot.ops.team import Role, Team
from bot.reports.diagnosis import causes, read_figures
from bot.reports.goals import Scope, scope_report
from bot.reports.kpi import Kpis
from bot.reports.playbook import Target

N_ACOS, N_TACOS = N_("{marketplace} ACoS"), N_("{marketplace} TACoS")
N_CVR, N_RETURNS = N_("{marketplace} CVR"), N_("{marketplace} return rate")


@dataclass(frozen=True)
class MarketMonth:
    """A marketplace's month against kpi.yml's targets for it: GMV as an attainment, the limits as figures."""

    marketplace: str
    kpis: Kpis | None  # None: no data for the month
    target: Target
    gmv: Attainment | None


class Review:
    """What the monthly review shows of targets, for a team and the month the review looks back on."""

    def __init__(self, ctx: Context, team: Team, period: AgendaPeriod) -> None:
        self.flow, self.team = GoalsFlow(ctx), team
        self.month = month_of(period.start)
        self.until = min(period.end, self.month.end)

    def markets(self) -> list[MarketMonth]:
        """Every marketplace with kpi.yml targets for the month; one without data says so rather than staying out."""
        kpi = self.flow.kpi.playbook()
        with self.flow.ctx.db.transaction() as session:
            report = scope_report(session, self.team.id, Scope(), self.month.start, self.until,
                                  self.team.base_currency, self.flow.kpi.currencies(), kpi.rate)
        out = []
        for market in sorted(set(report.marketplaces) | {m for m in kpi.targets if self.month.key in kpi.targets[m]}):
            target = kpi.target(market, self.month.start)
            if target == Target():
                continue
            kpis = report.marketplaces.get(market)
            gmv = None
            if target.gmv:
                # kpi.yml's GMV target is the manager's for the marketplace: read like any goal, in its currency.
                goal = Goal(id=f"market-{market.lower()}", role=Role.manager, kpi="gmv", period=self.month.key,
                            target=target.gmv, marketplace=market)
                measured = Measured(kpis["gmv"], report.data_through, "sum", kpis.currency) if kpis else \
                    Measured(None, None, "sum")
                gmv = attainment(goal, self.month, measured)
            out.append(MarketMonth(market, kpis, target, gmv))
        return out

    def goals(self) -> list[GoalLine]:
        goals, edited = self.flow.team_goals(self.team)
        return self.flow.lines(self.team, goals, self.month.end, until=self.until, edited=edited)


def market_lines(tr: Translator, found: MarketMonth) -> list[str]:
    m, target, kpis = found.marketplace, found.target, found.kpis
    lines = [attainment_text(tr, found.gmv, tr._("{marketplace} GMV", marketplace=m))] if found.gmv else []

    def figure(name: str) -> float | None:
        return kpis[name] if kpis is not None else None

    limits = ((N_ACOS, figure("acos"), target.acos_max, False), (N_TACOS, figure("tacos"), target.tacos_max, False),
              (N_CVR, figure("cvr"), target.cvr_min, True), (N_RETURNS, figure("return_rate"), target.return_rate_max,
                                                            False))
    for name, value, limit, higher in limits:
        if limit is not None:
            lines.append(limit_text(tr, tr._(name, marketplace=m), value, limit, higher))
    return lines


def targets_part(ctx: Context, team: Team, period: AgendaPeriod, tr: Translator) -> AgendaPart | None:
    """The monthly review's target attainment: each marketplace against kpi.yml, then each person's and role's goals."""
    if period.rhythm != "monthly":
        return None
    review = Review(ctx, team, period)
    lines = [line for market in review.markets() for line in market_lines(tr, market)]
    lines += [f"{who_text(tr, g.attainment.goal, g.people)} · {attainment_text(tr, g.attainment)}"
              for g in review.goals()]
    if not lines:
        return None
    return AgendaPart("targets", tr._("Targets for {period}", period=period_text(tr, review.month)), tuple(lines))


def diagnosis_part(ctx: Context, team: Team, period: AgendaPeriod, tr: Translator) -> AgendaPart | None:
    """A first diagnosis for each target the month missed, drawn from the data, with the figures it used."""
    if period.rhythm != "monthly":
        return None
    review = Review(ctx, team, period)
    gaps: list[tuple[str, Scope, GoalPeriod]] = []
    unjudged: list[str] = []  # targets without data: neither met nor missed, and said so (issue 19)
    for market in review.markets():
        if market.kpis is None:
            unjudged.append(market.marketplace)
        if market.gmv is not None and market.gmv.on_track is False:
            title = tr._("{marketplace} GMV", marketplace=market.marketplace)
            gaps.append((attainment_text(tr, market.gmv, title), Scope(market.marketplace), review.month))
    for line in review.goals():
        goal = line.attainment.goal
        if line.attainment.on_track is None:
            unjudged.append(goal_title(tr, goal))
        if goal.kpi != "reported" and line.attainment.on_track is False:
            gaps.append((f"{who_text(tr, goal, line.people)} · {attainment_text(tr, line.attainment)}",
                         Scope(goal.marketplace, goal.skus), line.attainment.period))
    flow, kpi = review.flow, review.flow.kpi.playbook()
    lines: list[str] = []
    for subject, scope, gap_period in gaps:
        with ctx.db.transaction() as session:
            figures = read_figures(session, team.id, team.zone, scope, _until(gap_period, review.until),
                                   previous_period(gap_period), flow.playbook().diagnosis, team.base_currency,
                                   flow.kpi.currencies(), kpi.rate)
        settings = flow.playbook().diagnosis
        lines += diagnosis_lines(tr, subject, causes(figures, settings), figures, settings)
    if not gaps and not unjudged:
        lines.append(tr._("No gaps: every target of {period} was met.", period=period_text(tr, review.month)))
    if unjudged:
        lines.append(tr._("No data yet to judge {targets}: neither met nor missed. Share the sales and ads reports "
                          "of {period} in the data channel to load them; a reported goal with /goals report.",
                          targets=tr.join(unjudged), period=period_text(tr, review.month)))
    return AgendaPart("diagnosis", tr._("Gaps and a first diagnosis"), tuple(lines))


def _until(period: GoalPeriod, until: date) -> GoalPeriod:
    return GoalPeriod(period.kind, period.start, min(period.end, until), period.key)


def my_goals_home(ctx: Context, reader: HomeReader) -> list[dict[str, Any]]:
    """App Home: the reader's own goals this period."""
    if reader.team is None:
        return []
    try:
        lines = GoalsFlow(ctx).mine(reader.team, reader.user)
    except OpsError as exc:  # e.g. no FX rate for a day: the rest of App Home still shows, with the reason here
        return [divider(), section(reader.tr._("*My goals*") + "\n" + error_text(reader.tr, exc))]
    return home_blocks(reader.tr, [line.attainment for line in lines])
