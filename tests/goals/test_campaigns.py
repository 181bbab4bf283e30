"""A goal on the ACoS of named campaigns (or a campaign-name pattern): the ads report's Campaign Name column kept
per campaign, beside the per-SKU sums that stay as they were. Figures are the test's own pandas sums of the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from bot.console.session import ConsoleSlack
from tests.conftest import converse
from tests.goals.conftest import ADS, FIXTURES, load
from tests.goals.test_agenda import part

CAMPAIGN_GOALS = [
    {"id": "exact-acos", "owner": "Amy Lin", "kpi": "acos", "marketplace": "US", "campaigns": ["Exact *"],
     "period": "monthly", "target": "30%"},
    {"id": "holiday-acos", "role": "marketing", "kpi": "acos", "marketplace": "US", "campaigns": ["holiday push"],
     "period": "monthly", "target": "50%"},
]


def with_campaign_goals(playbooks_dir: Path) -> None:
    path = playbooks_dir / "goals.yml"
    playbook = yaml.safe_load(path.read_text(encoding="utf-8"))
    playbook["goals"] += CAMPAIGN_GOALS
    path.write_text(yaml.safe_dump(playbook, allow_unicode=True), encoding="utf-8")


def ads(first: date, last: date) -> pd.DataFrame:
    frame = pd.read_csv(FIXTURES / ADS)
    frame["day"] = pd.to_datetime(frame["Date"], format="%b %d, %Y").dt.date
    return frame[(frame["day"] >= first) & (frame["day"] <= last)]


def campaign_sums(first: date, last: date, pattern: str) -> tuple[float, float]:
    frame = ads(first, last)
    mine = frame[frame["Campaign Name"].str.lower().str.match(pattern)]
    return float(mine["Spend"].sum()), float(mine["7 Day Total Sales "].sum())


@pytest.fixture
def campaigns(playbooks_dir: Path, database_url: str) -> ConsoleSlack:
    with_campaign_goals(playbooks_dir)
    from tests.conftest import MONDAY_9AM_SHENZHEN

    return ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)


def test_acos_of_named_campaigns_in_goals_and_the_review(campaigns: ConsoleSlack, tmp_path: Path) -> None:
    try:
        load(campaigns, tmp_path, date(2026, 11, 22))
        spend, sold = campaign_sums(date(2026, 11, 1), date(2026, 11, 22), r"exact ")
        acos = spend / sold
        holiday, nothing = campaign_sums(date(2026, 11, 1), date(2026, 11, 22), r"holiday push$")
        assert nothing == 0 and holiday > 0  # the fixture's premise: the holiday push spends without selling
        converse(campaigns, [
            ("!as U0MARKET\n"
             "/goals", [f"🔻 *ACoS of campaigns Exact ∗ in US* · {acos:.1%}, limit 30.0% · gap "
                        f"-{(acos - 0.30) * 100:.1f} pts (-{(acos - 0.30) / 0.30:.1%}) · "
                        f"${spend - 0.30 * sold:,.2f} of ad spend above the limit",
                        f"🔻 *ACoS of campaigns holiday push in US* · ${holiday:,.2f} spend, no sales, limit 50.0%",
                        "goal id: holiday-acos"]),
        ])
        load(campaigns, tmp_path)
        found = part(campaigns, "targets")
        assert found is not None
        lines = "\n".join(found.lines)
        spend, sold = campaign_sums(date(2026, 11, 1), date(2026, 11, 30), r"exact ")
        assert (f"<@U0MARKET> · 🔻 *ACoS of campaigns Exact ∗ in US* · {spend / sold:.1%}, limit 30.0%") in lines
        holiday, _ = campaign_sums(date(2026, 11, 1), date(2026, 11, 30), r"holiday push$")
        assert (f"Marketing & ads (<@U0MARKET>) · 🔻 *ACoS of campaigns holiday push in US* · ${holiday:,.2f} spend, "
                "no sales, limit 50.0%") in lines
        # Both campaign goals missed their limits: each is a gap the review diagnoses, the one without sales too.
        diagnosis = part(campaigns, "diagnosis")
        assert diagnosis is not None
        assert [line for line in diagnosis.lines if "*ACoS of campaigns" in line] == [
            line for line in found.lines if "*ACoS of campaigns" in line]
    finally:
        campaigns.close()


def test_the_per_sku_ads_stay_as_they_were_and_campaigns_are_kept_too(console: ConsoleSlack,
                                                                        tmp_path: Path) -> None:
    load(console, tmp_path)
    frame = ads(date(2026, 10, 1), date(2026, 11, 30))
    db = console.services.db.engine.connect()
    per_sku = frame.groupby(["Advertised SKU", "day"])[["Impressions", "Clicks", "Spend", "7 Day Total Sales "]].sum()
    stored = {(sku, date.fromisoformat(str(day)[:10])): (i, c, round(s, 2), round(a, 2)) for sku, day, i, c, s, a in
              db.exec_driver_sql("select sku, day, impressions, clicks, spend, ad_sales from ads_daily")}
    assert stored == {key: (int(r.iloc[0]), int(r.iloc[1]), round(r.iloc[2], 2), round(r.iloc[3], 2))
                      for key, r in per_sku.iterrows()}
    per_campaign = frame.groupby(["Campaign Name", "Advertised SKU", "day"])[["Spend", "7 Day Total Sales "]].sum()
    kept = {(c, sku, date.fromisoformat(str(day)[:10])): (round(s, 2), round(a, 2)) for c, sku, day, s, a in
            db.exec_driver_sql("select campaign, sku, day, spend, ad_sales from ad_campaigns_daily")}
    assert kept == {key: (round(r.iloc[0], 2), round(r.iloc[1], 2)) for key, r in per_campaign.iterrows()}
    db.close()
