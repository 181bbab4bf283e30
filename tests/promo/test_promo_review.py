"""The review's figures and what it says when the reports are missing, against pandas over the same rows."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from bot.blocks import promo as blocks
from bot.console.session import ConsoleSlack
from bot.i18n import translator
from bot.reports.promo_review import before_window, review
from tests.promo.conftest import ads_rows, sales_rows


def view(start: date, end: date) -> blocks.PromoView:
    return blocks.PromoView(id=1, ref="P-1", owner="U0MARKET", skus=("LED-100",), marketplace="US", kind="coupon",
                            discount=0.15, amount=None, budget=None, currency="USD", start=start, end=end, reason="",
                            state="ended", needs_approval=False, decided_by=None)


def shown(console: ConsoleSlack, start: date, end: date) -> str:
    with console.services.db.transaction() as session:
        found = review(session, "shenzhen-ops", ["LED-100"], "US", start, end)
    return "\n".join(b["text"]["text"] for b in blocks.review_blocks(translator("en"), view(start, end), found)
                     if b["type"] == "section")


def test_the_window_before_has_the_same_length() -> None:
    assert before_window(date(2026, 12, 10), date(2026, 12, 17)) == (date(2026, 12, 2), date(2026, 12, 9))


@pytest.mark.parametrize(("start", "end"), [(date(2026, 11, 18), date(2026, 11, 24)),
                                            (date(2026, 11, 25), date(2026, 11, 27))])
def test_each_figure_matches_pandas(console: ConsoleSlack, load_reports, start: date, end: date) -> None:
    load_reports(console)
    sales, ads = pd.DataFrame(sales_rows()), pd.DataFrame(ads_rows())
    first, last = before_window(start, end)
    with console.services.db.transaction() as session:
        [found] = review(session, "shenzhen-ops", ["LED-100"], "US", start, end)
    for figures, (a, b) in ((found.during, (start, end)), (found.before, (first, last))):
        s, d = sales[(sales["date"] >= a) & (sales["date"] <= b)], ads[(ads["date"] >= a) & (ads["date"] <= b)]
        assert figures.days == len(s)
        assert figures.units == s["units"].sum()
        assert figures.gmv == pytest.approx(s["gmv"].sum())
        assert figures.acos == pytest.approx(d["spend"].sum() / d["sales"].sum())
        assert figures.cvr == pytest.approx(s["units"].sum() / s["sessions"].sum())
    assert found.change("units") == pytest.approx(found.during.units / found.before.units - 1)  # type: ignore[operator]


def test_missing_data_is_said_plainly(console: ConsoleSlack, load_reports) -> None:
    load_reports(console)  # sales and ads through Nov 30
    text = shown(console, date(2026, 12, 5), date(2026, 12, 7))
    assert "No sales data loaded for LED-100 during the promotion: load the reports of those days, then /promo " \
           "status P-1 shows the figures." in text
    text = shown(console, date(2026, 11, 29), date(2026, 12, 2))  # 2 of 4 days loaded
    assert "Data for 2 of 4 days during the promotion." in text
    assert "Units:" in text
    text = shown(console, date(2026, 11, 10), date(2026, 11, 12))  # nothing before Nov 10
    assert "Data for 0 of 3 days before it." in text and "(no comparison)" in text and "against n/a" in text
