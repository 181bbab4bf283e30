"""KPI math by hand-computed values; property tests: order and re-ingest do not matter, totals add up."""

from __future__ import annotations

import math
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.db import Database
from bot.reports.facts import load_window
from bot.reports.ingest import DEFAULT_CURRENCIES, ingest_files
from bot.reports.kpi import KpiReport, compute, ratio
from bot.reports.loaders import Period
from bot.reports.playbook import FxRate, KpiPlaybook
from tests.kpi.conftest import FIXTURES, NOW

PLAYBOOK = KpiPlaybook(fx=(FxRate(currency="USD", to="CNY", rate=7.12, effective=date(2026, 11, 1)),
                           FxRate(currency="USD", to="CNY", rate=7.00, effective=date(2026, 11, 21)),
                           FxRate(currency="EUR", to="CNY", rate=7.75, effective=date(2026, 1, 1))))
SALES = """date,marketplace,sku,units,orders,gmv,currency,sessions
2026-11-20,US,LED-100,10,8,"300.00",USD,100
2026-11-20,DE,LED-100,5,5,"€100,00",EUR,50
2026-11-20,US,LAMP-200,0,0,0,USD,0
"""


def report(database: Database, start: date, end: date) -> KpiReport:
    with database.transaction() as session:
        window = load_window(session, "t", start, end)
    return compute(window, "CNY", DEFAULT_CURRENCIES, PLAYBOOK.rate)


def test_every_kpi_per_marketplace_and_in_the_base_currency(database: Database, tmp_path: Path) -> None:
    sales = tmp_path / "sales.csv"
    sales.write_text(SALES, encoding="utf-8")
    files = [sales, FIXTURES / "sp-advertised-product-US.csv", FIXTURES / "returns-US.csv",
             FIXTURES / "Restock-2026-11-21.csv"]
    with database.transaction() as session:
        ingest_files(session, "t", files, now=NOW)
    found = report(database, date(2026, 11, 20), date(2026, 11, 21))
    us, de, total = found.marketplaces["US"], found.marketplaces["DE"], found.total
    assert (us.currency, de.currency, total.currency) == ("USD", "EUR", "CNY")
    expected_us = {"gmv": 300.0, "orders": 8, "units": 10, "aov": 37.5, "asp": 30.0, "sessions": 100, "cvr": 0.1,
                   "impressions": 16000, "clicks": 240, "ctr": 0.015, "cpc": 190 / 240, "ad_spend": 190.0,
                   "ad_sales": 750.0, "acos": 190 / 750, "roas": 750 / 190, "tacos": 190 / 300,
                   "units_returned": 4, "return_rate": 0.4, "available": 550, "inbound": 300, "velocity": 10.0,
                   "days_of_cover": 85.0}
    for name, value in expected_us.items():
        assert us[name] == pytest.approx(value), name
    assert (de["gmv"], de["units"], de["cvr"], de["acos"], de["return_rate"]) == (100.0, 5, 0.1, None, None)
    assert total["gmv"] == pytest.approx(300 * 7.12 + 100 * 7.75)
    assert total["ad_spend"] == pytest.approx(190 * 7.12)
    assert total["tacos"] == pytest.approx(190 * 7.12 / (300 * 7.12 + 100 * 7.75))
    assert found.marketplaces_base["US"]["gmv"] == pytest.approx(300 * 7.12)
    assert found.data_through == date(2026, 11, 20)  # the 21st has not arrived: it is not a zero day
    assert found.as_json()["marketplaces"]["US"]["local"]["acos"] == pytest.approx(190 / 750)


def test_zero_denominators_are_none_never_infinite() -> None:
    assert ratio(5, 0) is None and ratio(None, 3) is None and ratio(0, 4) == 0


def test_the_business_report_by_date_is_the_marketplace_total_not_added_to_skus(database: Database) -> None:
    with database.transaction() as session:
        ingest_files(session, "t", [FIXTURES / "business-by-date-US.csv"], now=NOW)
        ingest_files(session, "t", [FIXTURES / "BusinessReport-11-20-26.csv"], marketplace="US",
                     period=Period(date(2026, 11, 20), date(2026, 11, 20)), now=NOW)
    found = report(database, date(2026, 11, 19), date(2026, 11, 20))
    assert found.marketplaces["US"]["gmv"] == pytest.approx(1000 + 1500.50)
    assert found.marketplaces["US"]["sessions"] == 2200


rows = st.lists(st.tuples(st.sampled_from(["US", "DE", "UK"]), st.sampled_from(["A", "B", "C"]),
                          st.integers(0, 6), st.integers(0, 50), st.integers(0, 5000)), min_size=1, max_size=12,
                unique_by=lambda r: r[:3])


def _write(folder: Path, name: str, data: list[tuple[str, str, int, int, int]]) -> Path:
    lines = ["date,marketplace,sku,units,gmv,sessions"]
    lines += [f"{date(2026, 11, 1) + timedelta(days=d)},{m},{s},{u},{u * 3.5},{n}" for m, s, d, u, n in data]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=rows, second=rows)
def test_order_and_reingest_do_not_matter_and_marketplaces_add_up(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, first: list[tuple[str, str, int, int, int]],
    second: list[tuple[str, str, int, int, int]],
) -> None:
    folder = tmp_path_factory.mktemp("p")
    # Files covering different days and SKUs: the order they arrive in cannot matter.
    second = [r for r in second if r[:3] not in {f[:3] for f in first}] or first
    a, b = _write(folder, "a.csv", first), _write(folder, "b.csv", second)
    results = []
    for order, team in (([a, b], "ab"), ([b, a], "ba"), ([a, b, a, b], "abab")):
        db = Database(database_url)
        from bot.db.migrate import upgrade

        upgrade(db.engine)
        with db.transaction() as session:
            for path in order:
                ingest_files(session, team, [path], now=NOW)
            window = load_window(session, team, date(2026, 11, 1), date(2026, 11, 30))
        results.append(compute(window, "CNY", DEFAULT_CURRENCIES, lambda c, b, d: {"USD": 7.0, "EUR": 8.0,
                                                                                   "GBP": 9.0}[c]))
    assert results[0].as_json() == results[1].as_json() == results[2].as_json()
    for found in results:
        parts = sum(k["gmv"] or 0 for k in found.marketplaces_base.values())
        assert math.isclose(found.total["gmv"] or 0, parts, rel_tol=1e-9)
        assert found.total["units"] == sum(k["units"] or 0 for k in found.marketplaces.values())
    with Database(database_url).transaction() as session:
        again = ingest_files(session, "abab", [b], now=NOW)
    assert again.new == again.updated == 0
