"""Issue 14: the chart's days stay in date order when only some have data, the "no data" hatching sits on exactly
the days without data, and a day of ad spend without ad sales is marked where its ACoS point would be."""

from __future__ import annotations

from datetime import date, timedelta

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from bot.blocks.kpi import chart_words
from bot.i18n import translator
from bot.reports import chart
from bot.reports.digest import ChartDay, DigestData

FIRST = date(2026, 11, 8)
SOLD = {date(2026, 11, 19): 900.0, date(2026, 11, 20): 1100.0, date(2026, 11, 21): 1300.0}
SPEND = {date(2026, 11, 19): 40.0, date(2026, 11, 20): 55.0, date(2026, 11, 21): 60.0}
AD_SALES = {date(2026, 11, 21): 240.0}  # Nov 19-20: spend, no ad sales


def _days() -> tuple[ChartDay, ...]:
    days = []
    for n in range(14):
        day = FIRST + timedelta(days=n)
        acos = SPEND[day] / AD_SALES[day] if day in AD_SALES else None
        days.append(ChartDay(day, SOLD.get(day), None, acos, SPEND.get(day), 0.25))
    return tuple(days)


@pytest.mark.parametrize("locale", ["en", "zh_CN", "zh_TW"])
def test_days_in_order_hatching_on_the_empty_days_and_unsold_spend_marked(
    monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    data = DigestData("t", "USD", FIRST + timedelta(days=13), chart=_days())
    words = chart_words(translator(locale), data)
    figures: list[Figure] = []
    close = plt.close
    monkeypatch.setattr(plt, "close", lambda figure: figures.append(figure))
    chart.digest_chart(data.chart, "USD", words)
    (figure,) = figures
    top, bottom = figure.axes[0], figure.axes[1]
    expected = [(FIRST + timedelta(days=n)).strftime("%m-%d") for n in range(14)]
    ticks = {round(t): label.get_text() for t, label in zip(bottom.get_xticks(), bottom.get_xticklabels(), strict=True)}
    assert [ticks[i] for i in sorted(ticks)] == expected
    position = {label: i for i, label in ticks.items()}
    # GMV bars stand at their own days with their own heights.
    bars = {round(b.get_x() + b.get_width() / 2): b.get_height() for b in top.containers[0]}
    assert bars == {position[d.strftime("%m-%d")]: v for d, v in SOLD.items()}
    # Hatching: exactly the eleven days without data, and the words above each of them.
    hatched = sorted(
        round(p.get_x() + p.get_width() / 2) for p in top.patches if isinstance(p, Rectangle) and p.get_hatch()
    )
    empty = sorted(position[e] for e in expected if date(2026, int(e[:2]), int(e[3:])) not in SOLD)
    assert hatched == empty and len(empty) == 11
    assert sorted(round(t.get_position()[0]) for t in top.texts if t.get_text() == words.no_data) == empty
    # Spend with no ad sales (Nov 19, 20): marked, labelled in the legend; the ACoS point sits on Nov 21.
    marked = [line for line in bottom.get_lines() if line.get_label() == words.spend_no_sales]
    assert marked and sorted(round(x) for x in marked[0].get_xdata()) == [position["11-19"], position["11-20"]]
    assert words.spend_no_sales in [t.get_text() for t in bottom.get_legend().get_texts()]
    (acos,) = [line for line in bottom.get_lines() if line.get_label() == words.acos]
    points = [(round(x), y) for x, y in zip(acos.get_xdata(), acos.get_ydata(), strict=True) if y is not None]
    assert points == [(position["11-21"], pytest.approx(60.0 / 240.0 * 100))]
    close(figure)
