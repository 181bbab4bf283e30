"""A goal's period and its attainment: how far along it is, at what pace, and the gap to its target.

Pure arithmetic over a measured value (``bot/reports/goals.py`` measures it from the facts, or a person reported
it). Days whose data has not arrived are not days of zero: the pace is the days with data stretched to the period.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.ops.goals_playbook import Goal, GoalsPlaybook
from bot.ops.team import Member

# How a goal's value adds up over its period: a sum grows day by day (GMV, a reported count), a rate does not.
Shape = Literal["sum", "rate"]


@dataclass(frozen=True)
class GoalPeriod:
    """A calendar month or quarter: ``key`` is how it is stored (2026-11, 2026-Q4)."""

    kind: Literal["month", "quarter"]
    start: date
    end: date
    key: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def month_of(day: date) -> GoalPeriod:
    last = calendar.monthrange(day.year, day.month)[1]
    return GoalPeriod("month", day.replace(day=1), day.replace(day=last), f"{day:%Y-%m}")


def quarter_of(day: date) -> GoalPeriod:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    end = month_of(date(day.year, first_month + 2, 1)).end
    return GoalPeriod("quarter", start, end, f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def period_for(goal: Goal, day: date) -> GoalPeriod | None:
    """The goal's period that holds ``day``: a recurring goal always has one, a dated goal only in its own."""
    if goal.period == "monthly":
        return month_of(day)
    if goal.period == "quarterly":
        return quarter_of(day)
    found = quarter_of(day) if "Q" in goal.period else month_of(day)
    return found if found.key == goal.period else None


def goals_of(playbook: GoalsPlaybook, team_id: str, member: Member | None, roles: set[str]) -> list[Goal]:
    """A person's own goals in a team: the ones naming them, then the ones of roles they hold."""
    mine = [g for g in playbook.goals if g.team in (None, team_id)]
    named = [g for g in mine if member is not None and g.owned_by(member)]
    by_role = [g for g in mine if g.role is not None and g.role in roles]
    return named + by_role


def team_goals(playbook: GoalsPlaybook, team_id: str, members: tuple[Member, ...]) -> list[Goal]:
    """Every goal that applies to a team: named goals of its members and every role goal for it."""
    return [g for g in playbook.goals if g.team in (None, team_id)
            and (g.role is not None or any(g.owned_by(m) for m in members))]


@dataclass(frozen=True)
class Measured:
    """A goal's value over the days with data so far. ``currency`` for money; ``spend``/``ad_sales`` for ACoS
    (what its gap costs), ``days``: the days with data, ``through``: the newest of them."""

    value: float | None
    through: date | None
    shape: Shape
    currency: str | None = None
    spend: float | None = None
    ad_sales: float | None = None


@dataclass(frozen=True)
class Attainment:
    goal: Goal
    period: GoalPeriod
    measured: Measured
    share: float | None  # the value over the target (attainment so far; for a rate, the rate over its limit)
    forecast: float | None  # a sum at the pace of the days with data, stretched to the period's end
    gap: float | None  # forecast (a rate: its value) minus the target, signed so that below zero is behind
    gap_share: float | None  # the gap over the target
    money_gap: float | None  # the gap in money: GMV short, or ad spend above the ACoS limit (negative)
    per_day_needed: float | None  # a sum: what each remaining day needs to reach the target
    closed: bool  # the data covers the whole period

    @property
    def on_track(self) -> bool | None:
        return None if self.gap is None else self.gap >= 0


def attainment(goal: Goal, period: GoalPeriod, measured: Measured) -> Attainment:
    value, through, target = measured.value, measured.through, goal.target
    if goal.kpi == "acos" and value is None and through is not None and measured.spend and not measured.ad_sales:
        # Spend that sold nothing has no ACoS to set against the limit, yet is behind it by all of the spend: a gap
        # the review diagnoses, not a goal without data ("spend, no sales", bot.blocks.goals).
        closed = min(through, period.end) >= period.end
        return Attainment(goal, period, measured, None, None, -math.inf, None, -measured.spend, None, closed)
    if value is None or through is None:
        return Attainment(goal, period, measured, None, None, None, None, None, None, False)
    through = min(through, period.end)
    closed = through >= period.end
    elapsed = max((through - period.start).days + 1, 1)
    sign = 1 if goal.higher_is_better else -1
    if measured.shape == "sum":
        forecast = value if closed else value / elapsed * period.days
        gap = sign * (forecast - target)
        remaining = (period.end - through).days
        needed = max(target - value, 0.0) / remaining if remaining and goal.higher_is_better else None
        money = gap if measured.currency else None
        return Attainment(goal, period, measured, value / target, forecast, gap, gap / target, money, needed, closed)
    gap = sign * (value - target)
    money = None
    if goal.kpi == "acos" and measured.spend is not None and measured.ad_sales is not None:
        # What the ads cost above the limit: spend beyond target × ad sales (zero when within it).
        money = min(target * measured.ad_sales - measured.spend, 0.0)
    return Attainment(goal, period, measured, value / target, value, gap, gap / target, money, None, closed)


def previous_period(period: GoalPeriod) -> GoalPeriod:
    """The period before, to compare with: the month or quarter before."""
    before = period.start - timedelta(days=1)
    return month_of(before) if period.kind == "month" else quarter_of(before)
