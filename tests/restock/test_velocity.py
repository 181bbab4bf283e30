"""One velocity, one on-hand, one cover and one lead time everywhere (issue 14, items 3 and 4).

LED-200 was listed on 2026-10-30 and sold on every other day since (3, 2, 3, 2 ... units), its stock was
known to be zero on one day without sales, and its newest stock snapshot (151 sellable, 9 unsellable) is
from a day without sales. The figures are computed here from the fixture, independently of Opsbot.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.blocks import restock_suggestion as blocks
from bot.console.session import ConsoleSlack
from bot.flows.kpi import KpiFlow
from bot.flows.restock_cards import RestockCards
from bot.flows.restock_requests import RestockRequests
from bot.i18n import translator
from bot.ops.restock_playbook import RestockPlaybook
from bot.reports.ingest import ingest_files
from bot.reports.loaders import Period

TODAY = date(2026, 11, 23)  # the console's Monday
LISTED = date(2026, 10, 30)
SOLD = {LISTED + timedelta(days=i): (3 if i % 4 == 0 else 2) for i in range(0, 24, 2)}
STOCKOUT = date(2026, 11, 6)  # a day without sales when the stock report said 0
SNAPSHOT = date(2026, 11, 22)  # a day without sales


@pytest.fixture
def loaded(console: ConsoleSlack, tmp_path: Path) -> ConsoleSlack:
    sales = tmp_path / "sales.csv"
    sales.write_text("date,marketplace,sku,units,orders,gmv\n"
                     + "".join(f"{d},US,LED-200,{u},{u},{u * 39.99:.2f}\n" for d, u in SOLD.items())
                     # The orders file covers Nov 22 (another SKU sold): LED-200 sold nothing that day.
                     + f"{SNAPSHOT},US,DESK-FAN-01,1,1,66.00\n")
    header = "seller-sku\tfulfillment-channel-sku\tasin\tcondition-type\tWarehouse-Condition-code\tQuantity Available\n"
    out = tmp_path / "inventory-out.txt"
    out.write_text(header + "LED-200\tX002\tB0CHILD02\tNew\tSELLABLE\t0\n")
    newest = tmp_path / "inventory-newest.txt"
    newest.write_text(header + "LED-200\tX002\tB0CHILD02\tNew\tSELLABLE\t151\n"
                      + "LED-200\tX002\tB0CHILD02\tNew\tUNSELLABLE\t9\n")
    now = console.services.context.clock.now()
    with console.services.context.db.transaction() as session:
        ingest_files(session, "shenzhen-ops", [sales], now=now)
        ingest_files(session, "shenzhen-ops", [out], "US", Period(STOCKOUT, STOCKOUT), now=now)
        ingest_files(session, "shenzhen-ops", [newest], "US", Period(SNAPSHOT, SNAPSHOT), now=now)
    return console


def expected() -> tuple[float, int, int]:
    """Units per calendar day since the SKU was listed (at most 30 days back), zero-sale days counted as
    zero, the day known out of stock left out: (velocity, days used, on hand)."""
    first = max(LISTED, TODAY - timedelta(days=30))
    days = [first + timedelta(days=i) for i in range((TODAY - first).days)]
    used = [d for d in days if d != STOCKOUT]
    return sum(SOLD.get(d, 0) for d in used) / len(used), len(used), 151


def test_the_restock_suggestion_reads_stock_from_a_day_without_sales_and_counts_calendar_days(
        loaded: ConsoleSlack) -> None:
    ctx = loaded.services.context
    team = ctx.teams.teams[0]
    playbook = ctx.playbook(RestockPlaybook)
    found = RestockRequests(ctx, playbook, RestockCards(ctx, playbook)).suggestion(team, "LED-200", "US", "sea")
    velocity, used, on_hand = expected()
    assert found.available == on_hand  # the defect: 0, the snapshot's day had no sale
    assert found.velocity is not None
    assert found.velocity.per_day == pytest.approx(velocity)  # the defect: 2.5 a day, over selling days only
    assert found.velocity.per_day != pytest.approx(sum(SOLD.values()) / len(SOLD))
    assert (found.velocity.first, found.velocity.last, found.velocity.days) == (LISTED, TODAY - timedelta(days=1),
                                                                                 used)
    assert found.days_of_cover == pytest.approx(on_hand / velocity)
    # The lead time is the supplier's legs (restock.yml), not kpi.yml's lead_time_days.
    supplier = playbook.suppliers["shenzhen-lighting"]
    assert found.lead.days == (supplier.production_days + supplier.freight_days["sea"] + supplier.customs_days
                               + supplier.receiving_days)
    tr = translator("en")
    text = blocks.suggestion_lines(tr, found)
    assert (f"{sum(SOLD[d] for d in SOLD if d != STOCKOUT)} units over {used} days "
            f"({tr.date(LISTED)} – {tr.date(TODAY - timedelta(days=1))}; 1 stock-out day left out)") in text


def test_kpi_shows_the_same_velocity_and_cover_as_restock(loaded: ConsoleSlack) -> None:
    ctx = loaded.services.context
    team = ctx.teams.teams[0]
    velocity, _, on_hand = expected()
    report = KpiFlow(ctx).report(team, TODAY - timedelta(days=30), TODAY - timedelta(days=1), "US", "LED-200")
    us = report.marketplaces["US"]
    assert us["velocity"] == pytest.approx(velocity)
    assert us["available"] == on_hand
    assert us["days_of_cover"] == pytest.approx(on_hand / velocity)
