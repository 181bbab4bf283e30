"""KPI ingest, digest and `/kpi 30d` at a year's scale, side by side with DuckDB on the same files.

Generates 1,000,000 All Orders lines over 365 days x 5 marketplaces x 10,000 SKUs, the matching daily
business rows (sessions for every SKU-day that sold), ads rows for a fifth of those and monthly
inventory snapshots; ingests them with `ingest_files` into SQLite; times one team's digest (cold and
warm) and a 30-day KPI report; then computes the same aggregates with DuckDB straight from the files.

Targets (issue 4): digest <= 1 s warm, ingest >= 300k rows/s, peak memory < 1 GB, within 2x of DuckDB.

    python benchmarks/kpi.py               # full scale (several minutes on 2 cores)
    python benchmarks/kpi.py --scale 0.02  # a quick smoke run
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.db import Database
from bot.db.migrate import upgrade
from bot.reports.digest import build_digest, window_start
from bot.reports.facts import load_window
from bot.reports.ingest import DEFAULT_CURRENCIES, ingest_files
from bot.reports.kpi import compute
from bot.reports.playbook import load_playbook

MARKETS = {"US": ("Amazon.com", "USD"), "UK": ("Amazon.co.uk", "GBP"), "DE": ("Amazon.de", "EUR"),
           "FR": ("Amazon.fr", "EUR"), "JP": ("Amazon.co.jp", "JPY")}
END = date(2026, 11, 21)
TEAM = "shenzhen-ops"


def generate(folder: Path, scale: float) -> dict[str, Path]:
    rng = np.random.default_rng(7)
    lines, skus, days = int(1_000_000 * scale), max(10, int(10_000 * scale)), 365
    market = rng.choice(list(MARKETS), lines)
    day = pd.to_datetime(END) - pd.to_timedelta(rng.integers(0, days, lines), unit="D")
    sku = np.char.add("SKU-", rng.integers(0, skus, lines).astype(str))
    qty = rng.integers(1, 4, lines)
    orders = pd.DataFrame({
        "amazon-order-id": np.char.add("111-", np.arange(lines).astype(str)), "merchant-order-id": "",
        "purchase-date": day.strftime("%Y-%m-%dT10:00:00+00:00"), "last-updated-date": "",
        "order-status": np.where(rng.random(lines) < 0.03, "Cancelled", "Shipped"), "fulfillment-channel": "Amazon",
        "sales-channel": [MARKETS[m][0] for m in market], "sku": sku, "quantity": qty,
        "currency": [MARKETS[m][1] for m in market], "item-price": np.round(qty * rng.uniform(10, 60, lines), 2),
        "ship-city": "Springfield", "ship-postal-code": "62701",
    })
    files = {"orders": folder / "all-orders.txt"}
    orders.to_csv(files["orders"], sep="\t", index=False)
    keys = orders[["purchase-date", "sales-channel", "sku"]].drop_duplicates()
    business = pd.DataFrame({"date": keys["purchase-date"].str[:10],
                             "marketplace": keys["sales-channel"].map({v[0]: k for k, v in MARKETS.items()}),
                             "sku": keys["sku"], "units": 0})
    business["sessions"] = rng.integers(5, 400, len(business))
    # The generic CSV's units would replace the orders' units; business rows carry sessions only here,
    # so they go in as the orders' own units (the same numbers Amazon's report would show).
    units = orders[orders["order-status"] != "Cancelled"].groupby(
        [orders["purchase-date"].str[:10], orders["sales-channel"], orders["sku"]])["quantity"].sum()
    index = list(zip(business["date"], keys["sales-channel"], business["sku"], strict=True))
    business["units"] = [int(units.get(k, 0)) for k in index]
    files["business"] = folder / "business-daily.csv"
    business.to_csv(files["business"], index=False)
    ads = business.sample(frac=0.2, random_state=7)
    files["ads"] = folder / "sp-advertised-product.csv"
    pd.DataFrame({"Date": ads["date"], "Currency": ads["marketplace"].map(lambda m: MARKETS[m][1]),
                  "Advertised SKU": ads["sku"], "Impressions": rng.integers(100, 5000, len(ads)),
                  "Clicks": rng.integers(0, 100, len(ads)), "Spend": np.round(rng.uniform(0, 50, len(ads)), 2),
                  "7 Day Total Sales ": np.round(rng.uniform(0, 200, len(ads)), 2)}).to_csv(files["ads"], index=False)
    for code in MARKETS:  # the inventory health report has no marketplace column: one file each
        stock = pd.DataFrame([(f"{END - timedelta(days=30 * m)}", f"SKU-{n}") for m in range(12) for n in range(skus)],
                             columns=["snapshot-date", "sku"])
        stock["sellable-quantity"] = rng.integers(0, 900, len(stock))
        stock["in-bound-quantity"] = rng.integers(0, 300, len(stock))
        files[f"inventory-{code}"] = folder / f"inventory-health-{code}.txt"
        stock.to_csv(files[f"inventory-{code}"], sep="\t", index=False)
    return files


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size (1.0 = 1M lines)")
    parser.add_argument("--smoke", action="store_true", help="a quick run at 2 percent of full scale (what CI runs)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kpi-bench-"))
    started = time.perf_counter()
    files = generate(folder, 0.02 if args.smoke else args.scale)
    lines = {name: sum(1 for _ in path.open(encoding="utf-8")) - 1 for name, path in files.items()}
    print(f"generated {sum(lines.values()):,} rows in {time.perf_counter() - started:.1f} s: {lines}")
    playbook = load_playbook(Path(__file__).resolve().parents[1] / "playbooks")
    db = Database(f"sqlite:///{folder / 'bench.sqlite3'}")
    upgrade(db.engine)
    now = datetime(2026, 11, 23, 1, tzinfo=UTC)
    timings: dict[str, float] = {}
    for name in ("orders", "ads", *(f"inventory-{m}" for m in MARKETS)):
        started = time.perf_counter()
        with db.transaction() as session:
            ingest_files(session, TEAM, [files[name]], marketplace="US" if name == "ads" else None, now=now)
        timings[name] = time.perf_counter() - started
    # Sessions arrive in the business rows: loaded after the orders, they update the same SKU-days.
    started = time.perf_counter()
    with db.transaction() as session:
        ingest_files(session, TEAM, [files["business"]], now=now)
    timings["business"] = time.perf_counter() - started
    ingest_seconds = sum(timings.values())
    rate = playbook.rate
    print(f"ingest: {sum(lines.values()):,} rows in {ingest_seconds:.1f} s = "
          f"{sum(lines.values()) / ingest_seconds:,.0f} rows/s  (per file: "
          + ", ".join(f"{k} {lines[k] / v:,.0f}/s" for k, v in timings.items()) + ")")

    def digest() -> float:
        t = time.perf_counter()
        with db.transaction() as session:
            window = load_window(session, TEAM, window_start(END), END)
        build_digest(TEAM, window, END, "CNY", DEFAULT_CURRENCIES, rate, playbook)
        return time.perf_counter() - t

    cold, warm = digest(), digest()
    t = time.perf_counter()
    with db.transaction() as session:
        window = load_window(session, TEAM, END - timedelta(days=29), END)
    ours = compute(window, "CNY", DEFAULT_CURRENCIES, rate)
    kpi30 = time.perf_counter() - t
    print(f"digest: cold {cold:.2f} s, warm {warm:.2f} s (target <= 1 s); /kpi 30d: {kpi30:.2f} s")
    print(f"peak memory: {peak_mb():,.0f} MB (target < 1,024 MB)")

    import duckdb

    con = duckdb.connect()
    start30 = (END - timedelta(days=29)).isoformat()
    t = time.perf_counter()
    con.execute(f"""
        SELECT "sales-channel", currency, sum(quantity) units, sum("item-price") gmv,
               count(DISTINCT "amazon-order-id") orders
        FROM read_csv('{files['orders']}', delim='\t', header=true)
        WHERE "order-status" <> 'Cancelled' AND substr(CAST("purchase-date" AS VARCHAR), 1, 10) >= '{start30}'
        GROUP BY 1, 2""").fetchall()
    con.execute(f"""SELECT marketplace, sum(sessions) FROM read_csv('{files['business']}', header=true)
                    WHERE CAST(date AS VARCHAR) >= '{start30}' GROUP BY 1""").fetchall()
    con.execute(f"""SELECT sum("Spend"), sum("7 Day Total Sales") FROM read_csv('{files['ads']}', header=true)
                    WHERE CAST("Date" AS VARCHAR) >= '{start30}'""").fetchall()
    duck30 = time.perf_counter() - t
    t = time.perf_counter()
    con.execute(f"""
        SELECT substr(CAST("purchase-date" AS VARCHAR), 1, 10) d, "sales-channel", sku, sum(quantity),
               sum("item-price"),
               count(DISTINCT "amazon-order-id")
        FROM read_csv('{files['orders']}', delim='\t', header=true)
        WHERE "order-status" <> 'Cancelled' GROUP BY 1, 2, 3""").fetchall()
    duck_year = time.perf_counter() - t
    us = ours.marketplaces.get("US")
    print(f"30-day GMV US (ours): {us['gmv'] if us else None}")
    print(f"DuckDB 30-day KPIs from the raw files: {duck30:.2f} s; ours from the database: {kpi30:.2f} s; "
          f"ratio {kpi30 / duck30:.1f}x (target <= 2x)")
    print(f"DuckDB daily aggregation of the year's orders: {duck_year:.2f} s; our orders ingest: "
          f"{timings['orders']:.2f} s; ratio {timings['orders'] / duck_year:.1f}x")


if __name__ == "__main__":
    main()
