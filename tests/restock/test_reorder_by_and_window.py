"""One "reorder by" date and one velocity window whatever day you ask (issue 14, "one definition").

1. ORDONLY-7 (no supplier: kpi.yml's default lead time) sold 4 units every day through its stock snapshot of
   Nov 22 (3 on hand): its reorder-by date is counted from the snapshot's day, not from the day someone asks,
   so the Nov 23 digest, `/restock` on Dec 5 and the Dec 7 restock watch all say the same date.
2. LED-100 (listed in restock.yml) and NEWSKU-9 (not listed) first appear on sale in a Business Report
   covering Nov 1-20: both velocities start on Nov 1, not 30 days back. LED-100 is also named by an older
   returns report (as in the console's demo data), which does not make it listed earlier.
Figures are computed here from the data, independently of Opsbot.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.blocks import restock_suggestion as blocks
from bot.console.session import ConsoleSlack
from bot.flows.kpi import KpiFlow
from bot.flows.restock_cards import RestockCards
from bot.flows.restock_requests import RestockRequests
from bot.flows.restock_watch import RestockWatch
from bot.i18n import translator
from bot.ops.restock_playbook import RestockPlaybook
from bot.reports.ingest import ingest_files
from bot.reports.loaders import Period
from bot.reports.playbook import KpiPlaybook

SNAPSHOT = date(2026, 11, 22)
ON_HAND, PER_DAY = 3, 4
SOLD_FROM = SNAPSHOT - timedelta(days=40)
HEADER = "seller-sku\tfulfillment-channel-sku\tasin\tcondition-type\tWarehouse-Condition-code\tQuantity Available\n"


def _tools(console: ConsoleSlack) -> tuple[RestockRequests, RestockWatch]:
    ctx = console.services.context
    playbook = ctx.playbook(RestockPlaybook)
    requests = RestockRequests(ctx, playbook, RestockCards(ctx, playbook))
    return requests, RestockWatch(ctx, playbook, requests)


@pytest.fixture
def ordonly(console: ConsoleSlack, tmp_path: Path) -> ConsoleSlack:
    sales = tmp_path / "sales.csv"
    days = [SOLD_FROM + timedelta(days=i) for i in range((SNAPSHOT - SOLD_FROM).days + 1)]
    sales.write_text("date,marketplace,sku,units,orders,gmv\n"
                     + "".join(f"{d},US,ORDONLY-7,{PER_DAY},{PER_DAY},{PER_DAY * 10:.2f}\n" for d in days))
    stock = tmp_path / "inventory.txt"
    stock.write_text(HEADER + f"ORDONLY-7\tX007\tB0ORD7\tNew\tSELLABLE\t{ON_HAND}\n")
    now = console.services.context.clock.now()
    with console.services.context.db.transaction() as session:
        ingest_files(session, "shenzhen-ops", [sales], now=now)
        ingest_files(session, "shenzhen-ops", [stock], "US", Period(SNAPSHOT, SNAPSHOT), now=now)
    return console


def test_reorder_by_is_counted_from_the_snapshot_day_whatever_day_you_ask(ordonly: ConsoleSlack) -> None:
    ctx = ordonly.services.context
    team = ctx.teams.teams[0]
    requests, watch = _tools(ordonly)
    lead = ctx.playbook(KpiPlaybook).lead_time("ORDONLY-7")  # no supplier: kpi.yml's default lead time
    reorder_point = PER_DAY * lead  # steady sales: no demand variability, no supplier: no safety stock
    expected = SNAPSHOT - timedelta(days=math.ceil((reorder_point - ON_HAND) / PER_DAY))
    asked = [date(2026, 11, 22), date(2026, 11, 23), date(2026, 12, 5), date(2026, 12, 7)]
    for today in asked:
        card = requests.suggestion(team, "ORDONLY-7", None, "sea", today=today)
        assert card.reorder_point == reorder_point
        assert card.reorder_by == expected, today  # the defect: counted back from `today`
        listed = {s.sku: s for s in watch.watchlist(team, today)}
        assert listed["ORDONLY-7"].reorder_by == expected, today
    tr = translator("en")
    assert f"reorder by {tr.date(expected)}" in blocks.suggestion_lines(
        tr, requests.suggestion(team, "ORDONLY-7", None, "sea", today=date(2026, 12, 5)))
    section = watch.digest_section(team, date(2026, 12, 7))
    assert section is not None
    assert f"reorder by {tr.date(expected)}" in str(section)


REPORT_FROM, REPORT_TO = date(2026, 11, 1), date(2026, 11, 20)
CHILD = ["(Parent) ASIN", "(Child) ASIN", "Title", "SKU", "Sessions – Total", "Page Views – Total",
         "Units Ordered", "Ordered Product Sales", "Total Order Items"]


@pytest.fixture
def new_skus(console: ConsoleSlack, tmp_path: Path) -> ConsoleSlack:
    report = tmp_path / "BusinessReport-11-21-26.csv"
    report.write_text(",".join(CHILD) + "\n"
                      + "B0P1,B0C1,LED Strip,LED-100,100,120,6,$180.00,6\n"
                      + "B0P2,B0C2,New thing,NEWSKU-9,50,60,3,$30.00,3\n")
    sales = tmp_path / "sales.csv"
    sales.write_text("date,marketplace,sku,units,orders,gmv\n"
                     "2026-11-19,US,LED-100,3,3,90.00\n2026-11-20,US,LED-100,3,3,90.00\n"
                     "2026-11-20,US,NEWSKU-9,3,3,30.00\n2026-11-21,US,DESK-FAN-01,1,1,66.00\n")
    # A returns report names LED-100 on Oct 9 (a unit coming back says nothing about when it was on sale).
    returns = tmp_path / "returns-US.csv"
    returns.write_text("return-date,order-id,sku,asin,fnsku,product-name,quantity,fulfillment-center-id,"
                       "detailed-disposition,reason,status,license-plate-number,customer-comments\n"
                       "2026-10-09T08:15:00+00:00,113-1009-00,LED-100,B0C1,X00100,LED Strip,1,PHX7,DEFECTIVE,"
                       "NOT_AS_DESCRIBED,Unit returned to inventory,LPN10090,\n")
    now = console.services.context.clock.now()
    with console.services.context.db.transaction() as session:
        ingest_files(session, "shenzhen-ops", [returns], "US", now=now)
        ingest_files(session, "shenzhen-ops", [report], "US", Period(REPORT_FROM, REPORT_TO), now=now)
        ingest_files(session, "shenzhen-ops", [sales], now=now)
    return console


@pytest.mark.parametrize(("sku", "units"), [("LED-100", 6), ("NEWSKU-9", 3)])
def test_the_velocity_window_starts_when_the_sku_first_appeared_in_a_report(
        new_skus: ConsoleSlack, sku: str, units: int) -> None:
    ctx = new_skus.services.context
    team = ctx.teams.teams[0]
    assert (sku in ctx.playbook(RestockPlaybook).skus) == (sku == "LED-100")  # listed in restock.yml or not
    requests, _ = _tools(new_skus)
    through = date(2026, 11, 21)  # the newest day with sales data
    days = (through - REPORT_FROM).days + 1
    card = requests.suggestion(team, sku, None, "sea", today=date(2026, 11, 23))
    assert card.velocity is not None
    assert (card.velocity.first, card.velocity.days, card.velocity.units) == (REPORT_FROM, days, units)
    assert card.velocity.per_day == pytest.approx(units / days)
    everyone = {s.sku: s for s in requests.suggestions(team, date(2026, 11, 23))}
    assert everyone[sku].velocity == card.velocity
    kpi = KpiFlow(ctx).report(team, through - timedelta(days=29), through, "US", sku).marketplaces["US"]
    assert kpi["velocity"] == pytest.approx(units / days)  # the defect: 6 units over 30 days for LED-100
    tr = translator("en")
    assert f"{units} units over {days} days ({tr.date(REPORT_FROM)} – {tr.date(through)}" in \
        blocks.suggestion_lines(tr, card)
