"""Alerts with a diagnosis, against the month's targets and the team's thresholds, on hand-made weeks."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from bot.blocks.kpi import alert_text
from bot.i18n import translator
from bot.reports.alerts import Finding, findings
from bot.reports.facts import Window
from bot.reports.playbook import KpiPlaybook, Target

THROUGH = date(2026, 11, 22)
DAYS = [THROUGH - timedelta(days=n) for n in range(13, -1, -1)]  # two weeks, oldest first
PLAYBOOK = KpiPlaybook(targets={"US": {"2026-11": Target(gmv=6000, acos_max=0.30, tacos_max=0.10, cvr_min=0.10,
                                                          return_rate_max=0.05)}})


def window(*, units: int = 10, sessions: int = 100, gmv: float = 200.0, impressions: int = 2000, clicks: int = 4,
           spend: float = 10.0, ad_sales: float = 80.0, returned: int = 0) -> Window:
    sales = pd.DataFrame([("US", "LED-100", d, units, units, gmv, "USD", sessions, None) for d in DAYS],
                         columns=["marketplace", "sku", "day", "units", "orders", "gmv", "currency", "sessions",
                                  "page_views"])
    ads = pd.DataFrame([("US", "LED-100", d, impressions, clicks, spend, ad_sales, 1, "USD") for d in DAYS],
                       columns=["marketplace", "sku", "day", "impressions", "clicks", "spend", "ad_sales", "ad_orders",
                                "currency"])
    returns = pd.DataFrame([("US", "LED-100", THROUGH, "DEFECTIVE", returned)] if returned else [],
                           columns=["marketplace", "sku", "day", "reason", "units"])
    inventory = pd.DataFrame([("US", "LED-100", THROUGH, 5000, 0)],
                             columns=["marketplace", "sku", "day", "available", "inbound"])
    return Window(DAYS[0], THROUGH, sales, sales.iloc[0:0], ads, inventory, returns)


def found(w: Window) -> dict[str, Finding]:
    return {f.kind: f for f in findings(w, THROUGH, "USD", {"US": "USD"}, lambda c, b, d: 1.0, PLAYBOOK)}


def test_a_healthy_week_raises_nothing() -> None:
    assert found(window(units=12, sessions=100, spend=10.0, gmv=200.0)) == {}


def test_tacos_above_the_months_target() -> None:
    alerts = found(window(units=12, spend=30.0, ad_sales=150.0))  # 30 / 200 = 15 % of all sales on ads
    assert alerts["tacos_target"].values == pytest.approx({"tacos": 0.15, "target": 0.10, "acos": 0.20})
    assert set(alerts) == {"tacos_target"}


def test_cvr_below_the_target_with_ordinary_ctr_points_at_the_detail_page() -> None:
    alerts = found(window(units=6))  # 6 units / 100 sessions; CTR 4 / 2000 = 0.2 %: not "high"
    assert alerts["cvr_target"].values == pytest.approx({"cvr": 0.06, "target": 0.10, "ctr": 0.002})
    assert "ctr_cvr" not in alerts
    text = alert_text(translator("en"), alerts["cvr_target"])
    assert text.startswith("US: CVR 6.0% over the last 7 days is below the target 10.0% (CTR 0.20%)")


def test_high_ctr_with_low_cvr_gets_its_own_diagnosis_instead() -> None:
    alerts = found(window(units=6, clicks=20))  # CTR 1 %: the image pulls clicks, the page does not convert
    assert "ctr_cvr" in alerts and "cvr_target" not in alerts


def test_returns_above_the_target_name_their_reasons() -> None:
    alerts = found(window(units=12, returned=9))  # 9 of 84 units in the last 7 days: 10.7 %
    assert alerts["returns_up"].values["rate"] == pytest.approx(9 / 84)
    assert alerts["returns_up"].reasons == (("DEFECTIVE", 9),)


def test_every_alert_reads_in_chinese_too() -> None:
    alerts = found(window(units=6, spend=30.0, ad_sales=150.0, returned=9))
    chinese = translator("zh-CN")
    for alert in alerts.values():
        text = alert_text(chinese, alert)
        assert text != alert_text(translator("en"), alert), alert.kind
    assert alert_text(chinese, alerts["tacos_target"]).startswith("US：近 7 天 TACoS 15.0% 高于目标 10.0%")
