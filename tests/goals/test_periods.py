"""A goal's period and the attainment arithmetic, by hand."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ops.goals import Measured, attainment, month_of, period_for, previous_period, quarter_of
from bot.ops.goals_playbook import Goal


def goal(**values: object) -> Goal:
    return Goal.model_validate({"id": "g", "role": "marketing", "kpi": "gmv", "period": "monthly", "target": 1000,
                                **values})


def test_recurring_and_dated_periods() -> None:
    assert period_for(goal(), date(2026, 2, 14)) == month_of(date(2026, 2, 1))
    assert month_of(date(2026, 2, 14)).days == 28
    q4 = period_for(goal(period="quarterly"), date(2026, 11, 5))
    assert q4 is not None and (q4.start, q4.end, q4.key) == (date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")
    assert period_for(goal(period="2026-11"), date(2026, 12, 1)) is None
    assert period_for(goal(period="2026-Q4"), date(2026, 12, 1)) == quarter_of(date(2026, 12, 1))
    assert previous_period(month_of(date(2026, 1, 9))).key == "2025-12"
    assert previous_period(quarter_of(date(2026, 1, 9))).key == "2025-Q4"


def test_a_sum_is_paced_over_the_days_with_data_and_a_closed_period_is_not() -> None:
    november = month_of(date(2026, 11, 1))
    open_ = attainment(goal(), november, Measured(300.0, date(2026, 11, 10), "sum", "USD"))
    assert open_.forecast == pytest.approx(900) and open_.gap == pytest.approx(-100)
    assert open_.gap_share == pytest.approx(-0.1) and open_.per_day_needed == pytest.approx(700 / 20)
    closed = attainment(goal(), november, Measured(1200.0, date(2026, 11, 30), "sum", "USD"))
    assert closed.closed and closed.forecast == 1200 and closed.gap == 200 and closed.on_track


def test_a_limit_is_met_below_it_and_acos_costs_the_spend_above_it() -> None:
    acos = goal(kpi="acos", target=0.25)
    found = attainment(acos, month_of(date(2026, 11, 1)),
                       Measured(0.3, date(2026, 11, 10), "rate", "USD", spend=300.0, ad_sales=1000.0))
    assert found.gap == pytest.approx(-0.05) and found.on_track is False
    assert found.money_gap == pytest.approx(-50)  # 300 spent where 250 was the limit
    nothing = attainment(acos, month_of(date(2026, 11, 1)), Measured(None, None, "rate"))
    assert nothing.on_track is None and nothing.gap is None
