"""Issue 14: ROAS on ad spend with no ad sales reads "spend, no sales" as ACoS does (docs/features/kpi.md), and a
figure that did not change carries no arrow."""

from __future__ import annotations

from datetime import date

import pytest

from bot.blocks.kpi import digest_blocks, shown
from bot.i18n import translator
from bot.reports.digest import DigestData, Headline
from bot.reports.kpi import METRICS, Kpis, _ratios


def _text(blocks: list[dict]) -> str:  # type: ignore[type-arg]
    return "\n".join(str(b) for b in blocks)


def _measures(**given: float) -> dict[str, float | None]:
    derived = {"aov", "asp", "ctr", "cpc", "cvr", "acos", "roas", "tacos", "return_rate", "velocity", "days_of_cover"}
    values: dict[str, float | None] = {m: None for m in METRICS if m not in derived}
    values.update(given)
    values["_days"] = 1
    return values


@pytest.mark.parametrize("locale", ["en", "zh_CN", "zh_TW"])
def test_roas_on_spend_with_no_ad_sales_reads_spend_no_sales(locale: str) -> None:
    tr = translator(locale)
    kpis = Kpis("USD", _ratios(_measures(ad_spend=40.0, ad_sales=0.0, gmv=900.0)), 1)
    assert kpis["roas"] is None and kpis["acos"] is None  # nothing to divide by is not a return of 0.00
    sold = Kpis("USD", _ratios(_measures(ad_spend=60.0, ad_sales=240.0)), 1)
    assert sold["roas"] == pytest.approx(240 / 60) and sold["acos"] == pytest.approx(60 / 240)
    assert shown(tr, "roas", kpis) == shown(tr, "acos", kpis) == tr._("spend, no sales")
    assert shown(tr, "roas", sold) == tr.number(4.0, 2)


@pytest.mark.parametrize("locale", ["en", "zh_CN", "zh_TW"])
def test_no_change_has_no_arrow(locale: str) -> None:
    tr = translator(locale)
    units = Headline("units", 4, 4, 2, 5)  # 4 vs 4: 0 %; vs 2: +100 %; vs 5: -20 %
    acos = Headline("acos", 0.25, 0.25, 0.2, 0.3, ad_spend=60.0)  # 0 pp, +5 pp, -5 pp
    data = DigestData("t", "USD", date(2026, 11, 21), headlines=(units, acos), today=date(2026, 11, 22))
    text = _text(digest_blocks(tr, data, "Shenzhen ops"))
    zero, hundred, twenty = tr.percent(0, 0), tr.percent(1.0, 0), tr.percent(0.2, 0)
    assert zero in text and f"▲ {zero}" not in text and f"▼ {zero}" not in text
    assert f"▲ {hundred}" in text and f"▼ {twenty}" in text
    no_points = tr._("{points} pp", points=tr.number(0, 1))
    five = tr._("{points} pp", points=tr.number(5, 1))
    assert no_points in text and f"▲ {no_points}" not in text and f"▼ {no_points}" not in text
    assert f"▲ {five}" in text and f"▼ {five}" in text
