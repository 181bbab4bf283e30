"""`/kpi` shows units a day next to days of cover: for a SKU, the one velocity restock and the digest use."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from bot.console.session import ConsoleSlack
from tests.conftest import converse
from tests.kpi.conftest import FIXTURES

SALES = FIXTURES.parents[1] / "restock" / "fixtures" / "led-100-us.csv"


def _per_day_excluding_stockouts(end: date) -> float:
    """Units per calendar day over the 30 days ending ``end``, days whose snapshot said 0 available left out."""
    rows = pd.read_csv(SALES, parse_dates=["date"])
    window = rows[(rows["date"].dt.date > end - timedelta(days=30)) & (rows["date"].dt.date <= end)]
    stocked = window[window["available"] != 0]
    return float(stocked["units"].sum() / len(stocked))


def test_kpi_for_a_sku_shows_its_velocity_and_cover(console: ConsoleSlack) -> None:
    end = date(2026, 11, 20)
    per_day = _per_day_excluding_stockouts(end)
    on_hand = int(pd.read_csv(SALES).set_index("date").loc[end.isoformat(), "available"])
    converse(
        console,
        [
            (f"!as U0ANALYST\n!in C0DATA\n!upload {SALES}", ["90 new"]),
            (
                "/kpi LED-100 2026-11-01..2026-11-20",
                [f"*Units a day* · {per_day:.1f}", f"*Days of cover* · {on_hand / per_day:.1f}"],
            ),
        ],
    )


def test_kpi_for_a_marketplace_shows_units_a_day_over_the_window(console: ConsoleSlack) -> None:
    rows = pd.read_csv(SALES, parse_dates=["date"])
    window = rows[(rows["date"] >= "2026-11-01") & (rows["date"] <= "2026-11-20")]
    converse(
        console,
        [
            (f"!as U0ANALYST\n!in C0DATA\n!upload {SALES}", ["90 new"]),
            ("/kpi US 2026-11-01..2026-11-20", [f"*Units a day* · {window['units'].sum() / 20:.1f}"]),
        ],
    )
