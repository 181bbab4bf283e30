"""Ad spend without ad sales is shown and alerted; every ratio covers only the days both sides have data.

Fixtures: a month of Sponsored Products spend with ad sales on two days only, and a week of ads over four
days of sales. Each figure is worked out here from the files with pandas, not taken from Opsbot."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from bot.blocks.kpi import digest_blocks, kpi_blocks, value
from bot.db import Database
from bot.i18n import translator
from bot.reports.digest import DigestData, build_digest
from bot.reports.facts import by_day, load_window
from bot.reports.ingest import ingest_files
from bot.reports.kpi import compute
from bot.reports.playbook import Alerts, KpiPlaybook
from tests.kpi.conftest import FIXTURES, NOW

SPEND_MONTH, SALES_MONTH = FIXTURES / "sp-spend-no-sales-US.csv", FIXTURES / "sales-november-US.csv"
ADS_WEEK, SALES_4_DAYS = FIXTURES / "sp-week-US.csv", FIXTURES / "sales-four-days-US.csv"
NOV30 = date(2026, 11, 30)
PLAYBOOK = KpiPlaybook(alerts=Alerts(spend_without_sales_day=40.0, spend_without_sales_week=300.0))


def money(column: pd.Series) -> pd.Series:
    return column.str.replace("$", "", regex=False).str.replace(",", "", regex=False).astype(float)


def ads_by_day(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str)
    raw["day"] = pd.to_datetime(raw["Date"], format="%b %d, %Y").dt.date
    raw["spend"], raw["sales"] = money(raw["Spend"]), money(raw["7 Day Total Sales "])
    return raw.groupby("day")[["spend", "sales"]].sum()


def loaded(database: Database, *paths: Path) -> None:
    with database.transaction() as session:
        ingest_files(session, "shenzhen-ops", list(paths), now=NOW)


def digest(database: Database, through: date, today: date, playbook: KpiPlaybook = PLAYBOOK) -> DigestData:
    with database.transaction() as session:
        window = load_window(session, "shenzhen-ops", through - timedelta(days=30), through)
    return build_digest("shenzhen-ops", by_day(window), through, "USD", {"US": "USD"}, lambda c, b, d: 1.0,
                        playbook, today=today)


def text(blocks: list[dict[str, object]]) -> str:
    return "\n".join(str(b.get("text", {}).get("text", "")) if isinstance(b.get("text"), dict) else  # type: ignore[union-attr]
                     " ".join(str(e.get("text", "")) for e in b.get("elements", []))  # type: ignore[union-attr]
                     for b in blocks)


def test_a_day_of_spend_without_ad_sales_reads_spend_no_sales_in_both_languages(database: Database) -> None:
    loaded(database, SPEND_MONTH, SALES_MONTH)
    data = digest(database, NOV30, NOV30 + timedelta(days=1))
    acos = next(h for h in data.headlines if h.name == "acos")
    assert acos.value is None  # no ad sales: no ratio to show ...
    english = text(digest_blocks(translator("en"), data, "Shenzhen"))
    assert "*ACoS* spend, no sales" in english  # ... but not "n/a": the money went out
    chinese = text(digest_blocks(translator("zh_CN"), data, "Shenzhen"))
    assert "有花费，无销售" in chinese


def test_the_months_acos_is_always_on_the_digest(database: Database) -> None:
    loaded(database, SPEND_MONTH, SALES_MONTH)
    data = digest(database, NOV30, NOV30 + timedelta(days=1))
    month = ads_by_day(SPEND_MONTH)
    assert data.month is not None
    assert data.month.ad_spend == pytest.approx(month["spend"].sum())
    assert data.month.acos == pytest.approx(month["spend"].sum() / month["sales"].sum())
    assert data.month.acos > 1.3  # a loss-making month that no single morning showed above 80 %
    shown = text(digest_blocks(translator("en"), data, "Shenzhen"))
    assert f"ACoS this month {translator('en').percent(month['spend'].sum() / month['sales'].sum())}" in shown


def test_the_chart_shows_each_days_spend(database: Database) -> None:
    loaded(database, SPEND_MONTH, SALES_MONTH)
    data = digest(database, NOV30, NOV30 + timedelta(days=1))
    spend = ads_by_day(SPEND_MONTH)["spend"]
    assert [round(d.ad_spend or 0, 2) for d in data.chart] == [round(spend[d.day], 2) for d in data.chart]
    assert all(d.acos is None for d in data.chart if d.day != date(2026, 11, 17))


def test_spend_without_sales_fires_past_the_day_and_week_thresholds(database: Database) -> None:
    loaded(database, SPEND_MONTH, SALES_MONTH)
    month = ads_by_day(SPEND_MONTH)
    data = digest(database, NOV30, NOV30 + timedelta(days=1))
    fired = [f for f in data.alerts if f.kind == "spend_no_sales"]
    week = month.loc[NOV30 - timedelta(days=6):NOV30]
    assert week["sales"].sum() == 0 and month.at[NOV30, "sales"] == 0
    assert [f.key for f in fired] == ["spend_no_sales:US"]
    assert fired[0].values == pytest.approx({"day": month.at[NOV30, "spend"], "week": week["spend"].sum()})
    words = text(digest_blocks(translator("en"), data, "Shenzhen"))
    assert "over the last 7 days brought no ad sales" in words
    quiet = KpiPlaybook(alerts=Alerts(spend_without_sales_day=10_000.0, spend_without_sales_week=10_000.0))
    assert not [f for f in digest(database, NOV30, NOV30 + timedelta(days=1), quiet).alerts
                if f.kind == "spend_no_sales"]
    # Past the week's threshold only: it still fires.
    weekly = KpiPlaybook(alerts=Alerts(spend_without_sales_day=10_000.0, spend_without_sales_week=300.0))
    assert [f.kind for f in digest(database, NOV30, NOV30 + timedelta(days=1), weekly).alerts
            if f.kind == "spend_no_sales"] == ["spend_no_sales"]


def test_tacos_covers_only_days_with_both_ads_and_sales(database: Database) -> None:
    loaded(database, ADS_WEEK, SALES_4_DAYS)
    ads = ads_by_day(ADS_WEEK)
    sales = pd.read_csv(SALES_4_DAYS)
    sold_days = {date.fromisoformat(d) for d in sales["date"]}
    expected = ads.loc[sorted(sold_days), "spend"].sum() / sales["gmv"].sum()
    naive = ads["spend"].sum() / sales["gmv"].sum()  # what the issue saw: 7 days of spend over 4 of sales
    with database.transaction() as session:
        window = load_window(session, "shenzhen-ops", date(2026, 12, 10), date(2026, 12, 16))
    report = compute(by_day(window), "USD", {"US": "USD"}, lambda c, b, d: 1.0)
    assert report.total["tacos"] == pytest.approx(expected)
    assert report.total["tacos"] != pytest.approx(naive)
    assert report.marketplaces["US"]["tacos"] == pytest.approx(expected)
    assert report.total["ad_spend"] == pytest.approx(ads["spend"].sum())  # the spend itself is all shown
    assert report.coverage == {"sales": date(2026, 12, 13), "ads": date(2026, 12, 16)}
    shown = text(kpi_blocks(translator("en"), report, "US"))
    assert "sales data through Dec 13, 2026; ads through Dec 16, 2026" in shown


def test_returns_after_the_newest_sales_day_are_left_out_of_the_return_rate(database: Database,
                                                                           tmp_path: Path) -> None:
    header = (FIXTURES / "returns-US.csv").read_text(encoding="utf-8").splitlines()[0]
    returns = tmp_path / "returns-US.csv"
    lines = ["2026-12-12T20:00:00+00:00,1,LED-100,B0,X,LED,2,PHX7,SELLABLE,DEFECTIVE,ok,L,",
             "2026-12-15T20:00:00+00:00,2,LED-100,B0,X,LED,5,PHX7,SELLABLE,DEFECTIVE,ok,L,"]
    returns.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    loaded(database, SALES_4_DAYS, returns)
    with database.transaction() as session:
        window = load_window(session, "shenzhen-ops", date(2026, 12, 10), date(2026, 12, 16))
    report = compute(by_day(window), "USD", {"US": "USD"}, lambda c, b, d: 1.0)
    units = int(pd.read_csv(SALES_4_DAYS)["units"].sum())
    assert report.total["return_rate"] == pytest.approx(2 / units)  # the 15th's 5 units wait for that day's sales
    assert "sales data through Dec 13, 2026; returns through Dec 15, 2026" in text(kpi_blocks(translator("en"),
                                                                                              report, "US"))


def test_a_digest_on_old_data_says_so_at_its_top(database: Database) -> None:
    loaded(database, SPEND_MONTH, SALES_MONTH)
    fresh = digest_blocks(translator("en"), digest(database, NOV30, NOV30 + timedelta(days=1)), "Shenzhen")
    assert "old" not in text(fresh[:2])
    stale = digest_blocks(translator("en"), digest(database, NOV30, date(2026, 12, 5)), "Shenzhen")
    assert "The newest data is from Nov 30, 2026, 5 days ago" in text(stale[:2])


def test_roas_has_two_decimals_and_rate_changes_are_percentage_points() -> None:
    tr = translator("en")
    assert value(tr, "roas", 0.77, "USD") == "0.77"
    from bot.blocks.kpi import _change

    assert _change(tr, 0.12, 0.10, rate=True) == "▲ 2.0 pp"
    assert _change(tr, 0.08, 0.10, rate=True) == "▼ 2.0 pp"
    assert _change(tr, 120.0, 100.0) == "▲ 20%"
    assert "个百分点" in _change(translator("zh_CN"), 0.12, 0.10, rate=True)


def test_the_digest_headlines_take_tacos_and_cvr_over_days_with_both_sides() -> None:
    from bot.reports.daily import headline

    days = pd.DataFrame({"gmv": [300.0, 200.0, 100.0], "orders": [3, 2, 1], "units": [3, 2, 1],
                         "sessions": [30, None, 10], "ad_spend": [30.0, 40.0, None], "ad_sales": [60.0, 0.0, None],
                         "impressions": [1000, 1000, None], "clicks": [10, 10, None], "units_returned": [None] * 3},
                        index=[date(2026, 12, 10), date(2026, 12, 11), date(2026, 12, 12)])
    found = headline(days)
    assert found["tacos"] == pytest.approx((30 + 40) / (300 + 200))  # the 12th has no ads loaded
    assert found["cvr"] == pytest.approx((3 + 1) / (30 + 10))  # the 11th has no sessions
