"""Every export format, quirks included, loads to hand-computed daily facts; bad files load nothing."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from bot.db import Database
from bot.errors import OpsError
from bot.reports.facts import load_window
from bot.reports.ingest import DEFAULT_CURRENCIES, ingest_files
from bot.reports.loaders import Facts, LoadContext, Period, load
from bot.reports.read import read_report
from tests.kpi.conftest import FIXTURES, NOW
from tests.kpi.fixtures.build import ads_xlsx

NOV20 = date(2026, 11, 20)
NOV21 = date(2026, 11, 21)


def facts(name: str | Path, marketplace: str | None = None, period: Period | None = None) -> Facts:
    path = name if isinstance(name, Path) else FIXTURES / name
    return load(read_report(path), LoadContext(marketplace, period, NOV21, DEFAULT_CURRENCIES))


def rows(frame: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    picked = frame.sort_values(["marketplace", "sku", "day"])[list(columns)].astype(object)
    return [tuple(None if v is None or v != v else v for v in r) for r in picked.itertuples(index=False)]


def period_rows(frame: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    return rows(frame.assign(day=frame["first_day"]), *columns)


def test_business_report_by_child_item_counts_a_duplicated_child_asin_once() -> None:
    found = facts("BusinessReport-11-20-26.csv", "US", Period(NOV20, NOV20))
    assert found.kind == "business_child" and set(found.frames) == {"periods"}  # a period, never a daily fact
    assert period_rows(found.frames["periods"], "sku", "first_day", "last_day", "units", "gmv", "orders",
                       "sessions", "page_views") == [
        ("LAMP-200", NOV20, NOV20, 20, 799.80, 19, 500, 610),
        ("LED-100", NOV20, NOV20, 153, 5216.29, 150, 3395, 4020),
        ("LED-100-FBM", NOV20, NOV20, 7, 209.93, 7, None, None),
    ]
    assert found.frames["periods"]["sessions"].sum() == 3895  # not 7,290


def test_old_child_item_export_with_euro_money_takes_its_range_from_the_flags() -> None:
    found = facts("business-child-old-DE.csv", period=Period(NOV20 - timedelta(days=29), NOV20))
    assert period_rows(found.frames["periods"], "marketplace", "sku", "first_day", "last_day", "units", "gmv",
                       "sessions", "currency") == [
        ("DE", "LAMP-200", NOV20 - timedelta(days=29), NOV20, 10, 1234.50, 1100, "EUR")]


def test_business_report_by_date_is_the_marketplace_total() -> None:
    found = facts("business-by-date-US.csv")
    assert rows(found.frames["sales"], "sku", "day", "units", "gmv", "sessions") == [
        ("*", date(2026, 11, 19), 40, 1000.0, 1000), ("*", NOV20, 60, 1500.50, 1200)]


def test_ads_csv_sums_campaigns_per_sku_and_day() -> None:
    found = facts("sp-advertised-product-US.csv")
    assert rows(found.frames["ads"], "sku", "day", "impressions", "clicks", "spend", "ad_sales", "ad_orders") == [
        ("LAMP-200", NOV20, 4000, 40, 40.0, 0.0, 0), ("LED-100", NOV20, 12000, 200, 150.0, 750.0, 26)]


def test_ads_xlsx_with_excel_dates_and_serial_numbers(tmp_path: Path) -> None:
    found = facts(ads_xlsx(tmp_path))
    assert rows(found.frames["ads"], "sku", "day", "impressions", "spend", "ad_sales") == [
        ("LED-100", NOV20, 10000, 120.0, 600.0), ("LED-100", NOV21, 8000, 90.0, 300.0)]


@pytest.mark.parametrize(("name", "marketplace", "inbound"), [
    ("Restock-2026-11-21.csv", None, 300), ("inventory-health-US.txt", None, 300),
    ("inventory-2026-11-21.txt", "US", None)])
def test_inventory_reports(name: str, marketplace: str | None, inbound: int | None) -> None:
    stock = facts(name, marketplace).frames["inventory"]
    led = stock[stock["sku"] == "LED-100"]
    assert rows(led, "marketplace", "day", "available", "inbound") == [("US", NOV21, 550, inbound)]


def test_returns_per_reason_without_customer_comments() -> None:
    found = facts("returns-US.csv")
    assert rows(found.frames["returns"], "reason", "units") == [("DEFECTIVE", 3), ("UNWANTED_ITEM", 1)]
    assert "Jane" not in found.frames["returns"].to_csv()


def test_all_orders_leave_out_cancelled_orders_and_never_read_addresses() -> None:
    raw = read_report(FIXTURES / "all-orders.txt")
    assert not {"ship-city", "ship-postal-code", "city"} & set(raw.frame.columns)
    found = facts("all-orders.txt")
    assert rows(found.frames["sales"], "marketplace", "sku", "day", "units", "gmv", "orders", "currency") == [
        ("DE", "LED-100", NOV20, 1, 29.99, 1, "EUR"),
        ("US", "LAMP-200", NOV20, 1, 39.99, 1, "USD"),  # 01:00 UTC on the 21st is 17:00 on the 20th in Pacific
        ("US", "LED-100", NOV20, 3, 104.97, 2, "USD"),
    ]


def test_transaction_report_after_its_preamble_counts_orders_not_refunds() -> None:
    found = facts("transactions-2026-11.csv")
    assert rows(found.frames["sales"], "marketplace", "sku", "day", "units", "gmv") == [
        ("US", "LED-100", NOV20, 2, 69.98)]


def test_shopify_fills_order_fields_down_and_leaves_out_voided_orders() -> None:
    raw = read_report(FIXTURES / "shopify-orders.csv")
    assert not {"email", "billing name"} & set(raw.frame.columns)
    found = facts("shopify-orders.csv")
    assert rows(found.frames["sales"], "marketplace", "sku", "units", "gmv", "currency") == [
        ("SHOPIFY", "LAMP-200", 1, 40.0, "USD"), ("SHOPIFY", "LED-100", 2, 60.0, "USD")]


@pytest.mark.parametrize(("body", "name", "message"), [
    ("foo,bar\n1,2\n", "x.csv", "x.csv is not a report I know. The closest is"),
    ("Date,Advertised SKU,Impressions,Clicks,Spend\n2026-11-20,A,1,1,1\n", "ads-US.csv",
     "looks like the Sponsored Products advertised product report but has no column “7 day total sales”"),
    ("date,marketplace,sku,units\n2026-11-20,US,A,5\n2026-11-21,US,A,5 units\n", "g.csv",
     "g.csv: row 3, column “units”: “5 units” is not a valid value."),
    ('"(Child) ASIN","SKU","Sessions","Units Ordered","Ordered Product Sales"\n"B","A","1","1","$1"\n', "br.csv",
     "br.csv covers a range of days that is not in the file"),
    ("return-date,sku,quantity,reason,detailed-disposition\n2026-11-20,A,1,DEFECTIVE,X\n", "ret.csv",
     "give --marketplace"),
])
def test_bad_input_is_explained_and_nothing_is_loaded(
    database: Database, tmp_path: Path, body: str, name: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    good = FIXTURES / "returns-US.csv"
    with pytest.raises(OpsError) as raised, database.transaction() as session:
        ingest_files(session, "t", [good, path], now=NOW)
    assert message in raised.value.message.format(**raised.value.params)
    with database.transaction() as session:
        assert load_window(session, "t", date(2026, 1, 1), date(2026, 12, 31)).returns.empty


def test_a_quoted_value_may_hold_a_newline_and_a_file_without_quotes_is_split_at_every_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A quote anywhere lets values span lines (a product name pasted with its line break), wherever Arrow's
    # blocks of the file end (small blocks here: many boundaries); without any, the faster split at every
    # newline reads the same rows.
    monkeypatch.setattr("bot.reports.read._BLOCK_BYTES", 1024)
    header, *lines = (FIXTURES / "all-orders.txt").read_text(encoding="utf-8").splitlines()
    name = header.split("\t").index("product-name")
    quoted, plain = tmp_path / "all-orders-quoted.txt", tmp_path / "all-orders-plain.txt"
    for path, product in ((quoted, '"LED strip\n5 m, warm white"'), (plain, "LED strip 5 m")):
        body = []
        for copy in range(60):
            for line in lines:
                cells = line.split("\t")
                cells[0], cells[name] = f"{cells[0]}-{copy}", product
                body.append("\t".join(cells))
        path.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    columns = ("sku", "day", "units", "gmv", "orders")
    once = rows(facts("all-orders.txt").frames["sales"], *columns)
    expected = [(s, d, u * 60, round(g * 60, 2), o * 60) for s, d, u, g, o in once]
    for path in (quoted, plain):
        found = [(s, d, u, round(g, 2), o) for s, d, u, g, o in rows(facts(path).frames["sales"], *columns)]
        assert found == expected


@pytest.mark.parametrize("name", ["BusinessReport-11-20-26.csv", "all-orders.txt", "sp-advertised-product-US.csv",
                                  "returns-US.csv", "inventory-health-US.txt"])
def test_a_report_saved_from_excel_as_unicode_text_reads_the_same(tmp_path: Path, name: str) -> None:
    # Excel's "Unicode Text (*.txt)" writes UTF-16 with a byte-order mark: a common way a report that was
    # opened in Excel comes back.
    original = FIXTURES / name
    raw = original.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # the inventory health report comes that way
    resaved = tmp_path / name
    resaved.write_bytes(text.encode("utf-16"))
    before, after = facts(original, "US", Period(NOV20, NOV20)), facts(resaved, "US", Period(NOV20, NOV20))
    assert after.kind == before.kind
    for table, frame in before.frames.items():
        pd.testing.assert_frame_equal(after.frames[table].reset_index(drop=True), frame.reset_index(drop=True))
