"""A catalogue from the reports (issue 14, item 9): every SKU a report lists is known to /restock, with its
supplier from restock.yml's skus:, a SKU-pattern rule or the default supplier; a SKU with none of these
gets a suggestion with kpi.yml's default lead time and a note saying which setting would sharpen it."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.console.session import ConsoleSlack
from bot.flows.restock_cards import RestockCards
from bot.flows.restock_requests import RestockRequests
from bot.ops.restock_playbook import RestockPlaybook
from bot.reports.ingest import ingest_generic
from bot.reports.playbook import KpiPlaybook
from tests.conftest import converse

TODAY = date(2026, 11, 23)
DAYS = 30


@pytest.fixture
def reported(console: ConsoleSlack, tmp_path: Path) -> ConsoleSlack:
    """Two SKUs no playbook names: LED-900 (4 a day) and MUG-1 (2 a day), 30 days to Nov 22, 50 on hand each."""
    path = tmp_path / "catalogue.csv"
    rows = ["date,marketplace,sku,units,gmv,currency,available,inbound"]
    for ago in range(DAYS, 0, -1):
        day = TODAY - timedelta(days=ago)
        rows += [f"{day},US,LED-900,4,80,USD,50,0", f"{day},US,MUG-1,2,20,USD,50,0"]
    path.write_text("\n".join(rows) + "\n")
    with console.services.context.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", path)
    return console


def _requests(console: ConsoleSlack, playbook: RestockPlaybook) -> RestockRequests:
    return RestockRequests(console.services.context, playbook, RestockCards(console.services.context, playbook))


def test_a_pattern_rule_gives_a_reported_sku_its_supplier(reported: ConsoleSlack) -> None:
    base = reported.services.context.playbook(RestockPlaybook)
    playbook = base.model_copy(update={"supplier_rules": {"LED-*": "shenzhen-lighting"}})
    found = _requests(reported, playbook).suggestion(reported.team, "LED-900", None, "sea", TODAY)
    supplier = base.suppliers["shenzhen-lighting"]
    assert found.lead.days == (supplier.production_days + supplier.freight_days["sea"] + supplier.customs_days
                               + supplier.receiving_days)
    assert found.velocity is not None and found.velocity.per_day == pytest.approx(4 * DAYS / DAYS)
    assert found.available == 50 and found.missing == ("unit_cost",)
    default = base.model_copy(update={"default_supplier": "dongguan-power"}).catalogued("MUG-1")
    assert (default.supplier, default.supplier_from) == ("dongguan-power", "default")


def test_a_sku_with_no_settings_gets_the_default_lead_time_and_a_note(reported: ConsoleSlack) -> None:
    default_days = KpiPlaybook().lead_time("MUG-1")
    found = _requests(reported, reported.services.context.playbook(RestockPlaybook)).suggestion(
        reported.team, "MUG-1", None, "sea", TODAY)
    assert found.lead.days == default_days == 45
    assert found.missing == ("supplier", "unit_cost")
    # Cover 50 / 2 = 25 days, below the 45-day default: order now, (14 + 45) x 2 + 0 safety - 50 = 68.
    assert found.days_of_cover == pytest.approx(50 / 2) and found.quantity == (14 + 45) * 2 - 50
    converse(reported, [
        ("!as U0MARKET\n"
         "/restock MUG-1", ["*Suggestion: 68 units*", "Lead time 45 days (the default: lead_time_days in kpi.yml)",
                            "ℹ️ MUG-1 has no supplier: set skus.MUG-1.supplier, a supplier_rules pattern",
                            "ℹ️ MUG-1 has no unit cost: set skus.MUG-1.unit_cost"]),
        ("/restock DESK-FAN-01 200", ["200 × DESK-FAN-01", "ℹ️ DESK-FAN-01 has no supplier"]),
    ])
