"""LED-100 in the US, Nov 10 – Nov 30, 2026: daily sales with sessions (generic CSV) and Sponsored Products spend
(the SP advertised product report), loaded through the real ingest. The figures are written here as rows so each
test can compute what it expects from them, independently of Opsbot's code."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.console.session import ConsoleSlack
from bot.reports.ingest import ingest_files

FIRST = date(2026, 11, 10)
DAYS = 21  # Nov 10 .. Nov 30


def sales_rows() -> list[dict[str, object]]:
    rows = []
    for i in range(DAYS):
        day = FIRST + timedelta(days=i)
        units = 20 + (i % 4) + (15 if date(2026, 11, 25) <= day <= date(2026, 11, 27) else 0)
        price = 25.49 if date(2026, 11, 25) <= day <= date(2026, 11, 27) else 29.99
        rows.append({"date": day, "units": units, "gmv": round(units * price, 2), "sessions": 200 + 7 * i})
    return rows


def ads_rows() -> list[dict[str, object]]:
    rows = []
    for i in range(DAYS):
        day = FIRST + timedelta(days=i)
        rows.append({"date": day, "spend": round(30 + 1.5 * i, 2), "sales": round(90 + 4 * i, 2)})
    return rows


def write_fixtures(folder: Path) -> list[Path]:
    sales = folder / "sales-led-100-us.csv"
    sales.write_text("date,marketplace,sku,units,orders,gmv,currency,sessions\n" + "".join(
        f"{r['date']},US,LED-100,{r['units']},{r['units']},{r['gmv']:.2f},USD,{r['sessions']}\n"
        for r in sales_rows()), encoding="utf-8")
    ads = folder / "sp-advertised-product-US.csv"
    header = ("Date,Portfolio name,Currency,Campaign Name,Ad Group Name,Advertised SKU,Advertised ASIN,Impressions,"
              "Clicks,Click-Thru Rate (CTR),Cost Per Click (CPC),Spend,7 Day Total Sales ,"
              "Total Advertising Cost of Sales (ACoS) ,Total Return on Advertising Spend (RoAS),"
              "7 Day Total Orders (#),7 Day Total Units (#),7 Day Conversion Rate,7 Day Advertised SKU Units (#),"
              "7 Day Other SKU Units (#),7 Day Advertised SKU Sales ,7 Day Other SKU Sales \n")
    lines = [f"\"{r['date']:%b} {r['date'].day}, {r['date'].year}\",Main,USD,Auto LED-100,A,LED-100,B0CHILD01,1000,"
             f"30,3.00%,$1.00,${r['spend']:.2f},${r['sales']:.2f},,,3,3,10.00%,3,0,${r['sales']:.2f},$0.00\n"
             for r in ads_rows()]
    ads.write_text(header + "".join(lines), encoding="utf-8")
    return [sales, ads]


@pytest.fixture
def load_reports(tmp_path: Path):  # type: ignore[no-untyped-def]
    def load(console: ConsoleSlack) -> None:
        with console.services.db.transaction() as session:
            ingest_files(session, "shenzhen-ops", write_fixtures(tmp_path),
                         now=datetime(2026, 11, 23, 0, 0, tzinfo=UTC))
    return load
