"""Issue 18, item 5 — the manager's team strip carries the KPIs: the alerts the morning digest fired today and the
month to date against kpi.yml's target per marketplace, from what the KPI flow stores and computes. Posting the
digest republishes the managers' Homes; nobody else gets a KPI section."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from babel.numbers import format_currency, format_percent
from sqlalchemy import select

from bot.console.session import ConsoleSlack
from bot.db.kpi import KpiAlert
from bot.flows.kpi import KpiFlow
from tests.conftest import converse
from tests.home.helpers import mark, published

DEMO = Path(__file__).resolve().parents[2] / "bot" / "console" / "demo_data"
ALERT_WORDS = {
    "acos_target": "ACoS 超过目标", "acos_rising": "ACoS 上升", "returns_up": "退货增加",
    "low_cover": "库存可售天数偏低", "spend_no_sales": "广告花费没有带来销售", "ctr_cvr": "点击率高但转化率低",
    "cvr_target": "转化率低于目标", "tacos_target": "TACoS 超过目标", "sessions_down": "访问量下降",
}


def november_gmv(through: date) -> float:
    """The US month to date, summed here from the demo's sales exports."""
    total = 0.0
    for path in DEMO.glob("sales-*.csv"):
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                day = date.fromisoformat(row["date"])
                if row["marketplace"] == "US" and date(2026, 11, 1) <= day <= through:
                    total += float(row["gmv"])
    return total


def test_the_digest_puts_todays_alerts_and_the_month_in_the_managers_home(console: ConsoleSlack) -> None:
    flow = KpiFlow(console.services.context)
    flow.ingest(console.team, sorted(DEMO.iterdir()))
    converse(console, [("!as U0MANAGER\n!home", ["*KPI 指标*", "今天没有触发 KPI 预警。"])])
    before = mark(console)
    flow.post_digest(console.team, date(2026, 11, 23))
    homes = published(console, before)
    assert set(homes) == {"U0MANAGER"}  # the only manager; nobody opened anything
    manager = homes["U0MANAGER"]
    with console.services.db.transaction() as session:
        fired = [a.key for a in session.scalars(select(KpiAlert).where(KpiAlert.firing.is_(True)))]
    assert fired, "the demo's data fires alerts"
    assert f"今天触发了 {len(fired)} 条预警：" in manager
    for key in fired:
        kind, market, *sku = key.split(":")
        assert f"⚠️ {ALERT_WORDS[kind]} · {market}" + (f" · {sku[0]}" if sku else "") in manager
    gmv = november_gmv(date(2026, 11, 22))
    mtd, target = format_currency(gmv, "USD", locale="zh_CN"), format_currency(120000, "USD", locale="zh_CN")
    expected = f"US：{mtd}，目标 {target}（{format_percent(gmv / 120000, '#,##0%', locale='zh_CN')}）"
    assert "*本月累计*（数据截至 2026年11月22日）：" in manager and expected in manager
    # Ahead of or behind pace: the target's share for 22 of November's 30 days, worked out here.
    assert ("进度超前" if gmv >= 120000 * 22 / 30 else "进度落后") in manager


def test_members_have_no_kpi_section(console: ConsoleSlack) -> None:
    shown = converse(console, [("!as U0BUYER\n!home", ["── App Home of Chen Jie", "*Stand-up*"])])
    assert "KPIs" not in shown and "Month to date" not in shown
