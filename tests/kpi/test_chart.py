"""The digest chart reads in Chinese (no glyph drawn as a box), carries a title, ACoS's target line, and shows a
day without data differently from a day of zero sales."""

from __future__ import annotations

import warnings
from datetime import date, timedelta

import matplotlib.pyplot as plt
import pytest

from bot.blocks.kpi import chart_words
from bot.i18n import translator
from bot.reports import chart
from bot.reports.digest import ChartDay, DigestData

THROUGH = date(2026, 11, 22)


def _days() -> tuple[ChartDay, ...]:
    days = []
    for n in range(14):
        day = THROUGH - timedelta(days=13 - n)
        gmv = None if n in (3, 4) else 0.0 if n == 6 else 1000.0 + n
        days.append(ChartDay(day, gmv, 1100.0, 0.3 if n % 2 else None, 50.0 if n % 2 else 20.0, 0.25))
    return tuple(days)


def test_a_chinese_chart_draws_every_glyph_and_says_what_it_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    data = DigestData("shenzhen-ops", "CNY", THROUGH, chart=_days())
    words = chart_words(translator("zh_CN"), data)
    assert any("\u4e00" <= c <= "\u9fff" for c in words.gmv + words.no_data + words.title)
    figures: list[plt.Figure] = []
    close = plt.close
    monkeypatch.setattr(plt, "close", lambda figure: figures.append(figure))  # kept to be read below
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = chart.digest_chart(data.chart, "CNY", words)
    assert png.startswith(b"\x89PNG")
    missing = [str(w.message) for w in caught if "missing" in str(w.message).lower()]
    assert missing == [], missing  # matplotlib warns "Glyph N (\\N{CJK ...}) missing from font(s) ..."
    (figure,) = figures
    top, bottom = figure.axes[0], figure.axes[1]
    assert figure.get_suptitle() == words.title and "2026" in words.title
    legend = [t.get_text() for t in top.get_legend().get_texts()]
    assert words.no_data in legend and f"{words.gmv} (CNY)" in legend
    # GMV bars: the twelve days with data, the zero day among them; the two without data have none, but a label.
    heights = [round(p.get_height(), 2) for p in top.patches if p.get_height() and p.get_width() < 1]
    assert 0.0 not in heights and len(top.containers[0]) == 12
    assert [t.get_text() for t in top.texts].count(words.no_data) == 2
    target = [line for line in bottom.get_lines() if line.get_label() == words.acos_target]
    assert target and set(target[0].get_ydata()) == {25.0}
    close(figure)


def test_doctor_finds_the_cjk_font() -> None:
    ok, detail = chart.font_check()
    assert ok, detail
    assert "CJK" in detail
