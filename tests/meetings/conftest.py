"""A console whose team holds meetings (the shipped meetings.yml), with sales data that misses DE's GMV target.

The morning KPI digest is switched off in this copy of kpi.yml: a month of mornings would otherwise draw a chart a
day, and what the agenda says is computed from the same data without it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from bot.console.session import ConsoleSlack
from bot.flows.kpi import KpiFlow
from tests.conftest import MONDAY_9AM_SHENZHEN

FIRST, LAST = date(2026, 11, 1), date(2027, 1, 3)


@dataclass(frozen=True)
class Sale:
    day: date
    market: str
    sku: str
    gmv: float
    currency: str


def sales() -> list[Sale]:
    """US sells well and grows a little each day; DE sells about half its monthly target of 30,000 EUR."""
    rows = []
    day = FIRST
    while day <= LAST:
        n = (day - FIRST).days
        rows += [Sale(day, "US", "LED-100", 3000.0 + 12 * n, "USD"), Sale(day, "US", "USB-C-60W", 1200.0, "USD"),
                 Sale(day, "US", "CABLE-1", 90.0 + (n % 3), "USD"), Sale(day, "DE", "LED-100-DE", 480.0 + n % 5, "EUR")]
        day += timedelta(days=1)
    return rows


def write_sales(folder: Path) -> Path:
    path = folder / "sales-generic.csv"
    lines = ["date,marketplace,sku,units,gmv,currency"]
    lines += [f"{s.day},{s.market},{s.sku},{int(s.gmv // 20)},{s.gmv:.2f},{s.currency}" for s in sales()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def meeting_console(playbooks_dir: Path, database_url: str, tmp_path: Path) -> Iterator[ConsoleSlack]:
    kpi = playbooks_dir / "kpi.yml"
    data = yaml.safe_load(kpi.read_text(encoding="utf-8"))
    data["digest"] = {}
    kpi.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    KpiFlow(slack.services.context).ingest(slack.team, [write_sales(tmp_path)])
    try:
        yield slack
    finally:
        slack.close()
