"""Writes the demo's report files: ninety days of a small US Amazon shop, so the morning digest has a story.

Two lamps: LED-100 sells a little more each week (weekends best, a noisy day here and there) and is running
low, with its last shipment long sold through, so a restock is genuinely needed; LED-200 ran out of stock for
five days in mid-November. Two ad campaigns: "Auto LED" pays for itself, "Broad lamp" loses money and got
worse over the weekend. Returns come with their reasons, and Sunday's batch of defective LED-100s is a jump.
Seeded, so the files are the same on every run: ``python -m tests.support.demo_data`` writes them into
bot/console/demo_data/, and a test checks the shipped files are what it writes.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parents[2] / "bot" / "console" / "demo_data"
FIRST, LAST = date(2026, 8, 25), date(2026, 11, 22)  # the demo's Monday morning reads through Sunday
PRICES = {"LED-100": 29.99, "LED-200": 39.99}
WEEKDAY = (0.95, 0.95, 1.0, 1.0, 1.05, 1.25, 1.3)  # Monday .. Sunday
STOCK_OUT = (date(2026, 11, 14), date(2026, 11, 18))  # LED-200: nothing to sell
REASONS = ("DEFECTIVE", "NOT_AS_DESCRIBED", "UNWANTED_ITEM", "DAMAGED_BY_CARRIER")


def days() -> list[date]:
    return [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)]


def units_on(rng: random.Random, sku: str, day: date) -> int:
    n = (day - FIRST).days
    base = 70 + 0.25 * n if sku == "LED-100" else 24 + 0.05 * n
    if sku == "LED-200" and STOCK_OUT[0] <= day <= STOCK_OUT[1]:
        return 0
    return max(0, round(base * WEEKDAY[day.weekday()] * rng.gauss(1.0, 0.08)))


def sales(rng: random.Random) -> list[list[str]]:
    rows = []
    stock = {"LED-100": 7200, "LED-200": 2600}
    arrivals = {("LED-100", date(2026, 9, 28)): 3000, ("LED-200", date(2026, 11, 19)): 900}
    for day in days():
        for sku, price in PRICES.items():
            stock[sku] += arrivals.get((sku, day), 0)
            units = min(units_on(rng, sku, day), stock[sku]) if stock[sku] > 0 else 0
            if sku == "LED-200" and STOCK_OUT[0] <= day <= STOCK_OUT[1]:
                stock[sku] = 0
            stock[sku] -= units
            orders = max(units - rng.randint(0, max(1, units // 15)), 0) if units else 0
            cvr = rng.uniform(0.075, 0.095)
            sessions = round((units or rng.randint(40, 60)) / cvr)
            inbound = next((q for (s, d), q in arrivals.items() if s == sku and 0 < (d - day).days <= 40), 0)
            rows.append(
                [
                    day.isoformat(),
                    "US",
                    sku,
                    str(units),
                    str(orders),
                    f"{units * price:.2f}",
                    "USD",
                    str(sessions),
                    str(stock[sku]),
                    str(inbound),
                ]
            )
    return rows


def ads(rng: random.Random) -> list[list[str]]:
    rows = []
    for day in days()[-35:]:
        weekend_push = day >= LAST - timedelta(days=1)
        for campaign, sku, spend, acos in (("Auto LED", "LED-100", 120.0, 0.21), ("Broad lamp", "LED-200", 60.0, 0.7)):
            if campaign == "Broad lamp" and weekend_push:
                spend, acos = 150.0, 1.6  # bids raised on Saturday, sales did not follow
            spend *= rng.uniform(0.9, 1.1)
            sales_amount = spend / (acos * rng.uniform(0.9, 1.1))
            clicks = round(spend / rng.uniform(0.7, 0.9))
            impressions = round(clicks / rng.uniform(0.004, 0.006))
            orders = max(1, round(sales_amount / PRICES[sku]))
            rows.append(
                [
                    day.strftime("%b %d, %Y"),
                    "Main",
                    "USD",
                    campaign,
                    "Group A",
                    sku,
                    "B0DEMO" + sku[-3:],
                    str(impressions),
                    str(clicks),
                    "",
                    "",
                    f"${spend:.2f}",
                    f"${sales_amount:.2f}",
                    "",
                    "",
                    str(orders),
                    str(orders),
                    "",
                    str(orders),
                    "0",
                    f"${sales_amount:.2f}",
                    "$0.00",
                ]
            )
    return rows


def returns(rng: random.Random) -> list[list[str]]:
    rows = []
    for day in days()[-45:]:
        for sku in PRICES:
            count = rng.choice((0, 1, 1, 2, 3))
            if sku == "LED-100" and day == LAST:
                count = 9  # a batch of flickering lamps from one carton
            for n in range(count):
                reason = "DEFECTIVE" if day == LAST else rng.choice(REASONS)
                rows.append(
                    [
                        f"{day.isoformat()}T{8 + n:02d}:15:00+00:00",
                        f"113-{day:%m%d}-{n}{sku[-1]}",
                        sku,
                        "B0DEMO" + sku[-3:],
                        "X00" + sku[-3:],
                        "LED lamp",
                        "1",
                        "PHX7",
                        "SELLABLE" if reason == "UNWANTED_ITEM" else "DEFECTIVE",
                        reason,
                        "Unit returned to inventory",
                        f"LPN{day:%m%d}{n}",
                        "",
                    ]
                )
    return rows


def write(name: str, header: list[str], rows: list[list[str]], folder: Path = HERE) -> None:
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def main(folder: Path = HERE) -> None:
    rng = random.Random(20261123)
    header = ["date", "marketplace", "sku", "units", "orders", "gmv", "currency", "sessions", "available", "inbound"]
    rows = sales(rng)
    for sku in PRICES:  # one file per SKU, as a team would export them
        write(f"sales-{sku.lower()}-us.csv", header, [r for r in rows if r[2] == sku], folder)
    write(
        "sp-advertised-product-US.csv",
        [
            "Date",
            "Portfolio name",
            "Currency",
            "Campaign Name",
            "Ad Group Name",
            "Advertised SKU",
            "Advertised ASIN",
            "Impressions",
            "Clicks",
            "Click-Thru Rate (CTR)",
            "Cost Per Click (CPC)",
            "Spend",
            "7 Day Total Sales ",
            "Total Advertising Cost of Sales (ACoS) ",
            "Total Return on Advertising Spend (RoAS)",
            "7 Day Total Orders (#)",
            "7 Day Total Units (#)",
            "7 Day Conversion Rate",
            "7 Day Advertised SKU Units (#)",
            "7 Day Other SKU Units (#)",
            "7 Day Advertised SKU Sales ",
            "7 Day Other SKU Sales ",
        ],
        ads(rng),
        folder,
    )
    write(
        "returns-US.csv",
        [
            "return-date",
            "order-id",
            "sku",
            "asin",
            "fnsku",
            "product-name",
            "quantity",
            "fulfillment-center-id",
            "detailed-disposition",
            "reason",
            "status",
            "license-plate-number",
            "customer-comments",
        ],
        returns(rng),
        folder,
    )


if __name__ == "__main__":
    main()
