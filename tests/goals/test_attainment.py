"""Each goal's figure against the test's own computation from the fixture files (Nov 23, data through Nov 22)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.console.session import ConsoleSlack
from bot.flows.goals import GoalsFlow
from bot.ops.goals import Attainment
from tests.goals.conftest import ADS, RETURNS, SALES, day_of, load, rows

THROUGH = date(2026, 11, 22)
# LED-100's lead time from restock.yml (shenzhen-lighting: 15 production + 30 sea + 3 customs + 5 receiving; its
# arrival in January adds no Q4 days) and LAMP-200's from kpi.yml's lead_time_days (no supplier).
LEAD = {"LED-100": 53, "LAMP-200": 45}


def mine(console: ConsoleSlack, user: str) -> dict[str, Attainment]:
    return {line.attainment.goal.id: line.attainment for line in GoalsFlow(console.services.context).mine(
        console.team, user)}


def sales(market: str, start: date, end: date, sku: str | None = None) -> list[dict[str, str]]:
    return [r for r in rows(SALES) if r["marketplace"] == market and start <= day_of(r) <= end
            and (sku is None or r["sku"] == sku)]


def test_gmv_of_their_skus_so_far_at_pace_and_the_gap(console: ConsoleSlack, tmp_path: Path) -> None:
    load(console, tmp_path, THROUGH)
    found = mine(console, "U0MARKET")["us-led-gmv"]  # owner: Amy Lin, by her name in team.yml
    gmv = sum(float(r["gmv"]) for r in sales("US", date(2026, 11, 1), THROUGH, "LED-100"))
    forecast = gmv / 22 * 30
    assert found.measured.value == pytest.approx(gmv)
    assert found.measured.currency == "USD" and found.measured.through == THROUGH and not found.closed
    assert found.share == pytest.approx(gmv / 30000)
    assert found.forecast == pytest.approx(forecast)
    assert found.gap == pytest.approx(forecast - 30000) and found.gap < 0
    assert found.gap_share == pytest.approx((forecast - 30000) / 30000)
    assert found.money_gap == pytest.approx(forecast - 30000)
    assert found.per_day_needed == pytest.approx((30000 - gmv) / 8)


def test_acos_of_the_marketplace_and_the_spend_above_its_limit(console: ConsoleSlack, tmp_path: Path) -> None:
    load(console, tmp_path, THROUGH)
    found = mine(console, "U0MARKET")["us-acos"]  # role: marketing
    ads = [r for r in rows(ADS) if date(2026, 11, 1) <= day_of(r) <= THROUGH]
    spend, ad_sales = sum(float(r["Spend"]) for r in ads), sum(float(r["7 Day Total Sales "]) for r in ads)
    assert found.measured.value == pytest.approx(spend / ad_sales)
    assert found.gap == pytest.approx(0.25 - spend / ad_sales) and found.on_track is False
    assert found.money_gap == pytest.approx(0.25 * ad_sales - spend)


def test_return_rate_over_the_quarter_so_far(console: ConsoleSlack, tmp_path: Path) -> None:
    load(console, tmp_path, THROUGH)
    found = mine(console, "U0CS")["returns"]
    returned = sum(int(r["quantity"]) for r in rows(RETURNS) if day_of(r) <= THROUGH)
    sold = sum(int(r["units"]) for r in sales("US", date(2026, 10, 1), THROUGH))
    assert (found.period.start, found.period.end) == (date(2026, 10, 1), date(2026, 12, 31))
    assert found.measured.value == pytest.approx(returned / sold)
    assert found.gap == pytest.approx(0.03 - returned / sold) and found.on_track is True


def test_days_of_cover_kept_above_the_lead_time(console: ConsoleSlack, tmp_path: Path) -> None:
    load(console, tmp_path, THROUGH)
    found = mine(console, "U0BUYER")["cover"]
    every = rows(SALES)
    units = {(r["marketplace"], r["sku"], day_of(r)): int(r["units"]) for r in every}
    snapshots = [r for r in every if date(2026, 11, 1) <= day_of(r) <= THROUGH]
    kept = 0
    for r in snapshots:
        key = (r["marketplace"], r["sku"])
        recent = [units[(*key, day_of(r) - timedelta(days=n))] for n in range(30)
                  if (*key, day_of(r) - timedelta(days=n)) in units]
        velocity = sum(recent) / len(recent)
        stock = int(r["available"]) + int(r["inbound"])
        kept += stock > 0 and (velocity == 0 or stock / velocity >= LEAD[r["sku"]])
    assert 0 < kept < len(snapshots)
    assert found.measured.value == pytest.approx(kept / len(snapshots))
    assert found.gap == pytest.approx(kept / len(snapshots) - 0.9)


def test_each_person_sees_their_own_and_their_roles_goals(console: ConsoleSlack, tmp_path: Path) -> None:
    load(console, tmp_path, THROUGH)
    assert list(mine(console, "U0MARKET")) == ["us-led-gmv", "us-acos"]
    assert list(mine(console, "U0SELECT")) == ["new-suppliers"]
    assert list(mine(console, "U0WAREHOUSE")) == []


def test_a_reported_number_is_paced_over_its_quarter(console: ConsoleSlack) -> None:
    flow = GoalsFlow(console.services.context)
    found = flow.report(console.team, "U0SELECT", "new-suppliers", "3")
    elapsed = (date(2026, 11, 23) - date(2026, 10, 1)).days + 1  # reported on Nov 23, Shenzhen
    assert found.measured.value == 3 and found.forecast == pytest.approx(3 / elapsed * 92)
    assert found.gap == pytest.approx(3 / elapsed * 92 - 6)
    again = flow.report(console.team, "U0SELECT", "new-suppliers", "4")  # the newest report counts
    assert again.measured.value == 4
