"""A digest for 5,000 SKUs, every one of them alerting and moving, stays inside Slack's block limits."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from bot.blocks.kpi import chart_words, digest_blocks
from bot.blocks.limits import HEADER_TEXT, MESSAGE_BLOCKS, SECTION_FIELDS, SECTION_TEXT
from bot.i18n import translator
from bot.reports.chart import digest_chart
from bot.reports.digest import DigestSection, build_digest, window_start
from bot.reports.facts import Window
from bot.reports.ingest import DEFAULT_CURRENCIES
from bot.reports.playbook import KpiPlaybook

THROUGH = date(2026, 11, 22)
SKUS = [f"SKU-{n:05d}-WITH-A-LONG-NAME" for n in range(5000)]


def _window() -> Window:
    days = [THROUGH - timedelta(days=n) for n in range((THROUGH - window_start(THROUGH)).days + 1)]
    sales = pd.DataFrame([{"marketplace": "US", "sku": s, "day": d, "units": 3 + (i + d.day) % 7,
                           "orders": 3, "gmv": 30.0 * (1 + (i * d.day) % 5), "currency": "USD", "sessions": 40,
                           "page_views": 50} for i, s in enumerate(SKUS) for d in days[:8]])
    stock = pd.DataFrame([{"marketplace": "US", "sku": s, "day": THROUGH, "available": 5, "inbound": 0}
                          for s in SKUS])
    empty = pd.DataFrame(columns=["marketplace", "sku", "day"])
    returns = pd.DataFrame(columns=["marketplace", "sku", "day", "reason", "units"])
    ads = pd.DataFrame(columns=["marketplace", "sku", "day", "impressions", "clicks", "spend", "ad_sales",
                                "ad_orders", "currency"])
    return Window(window_start(THROUGH), THROUGH, sales, empty.assign(units=[], orders=[], gmv=[], currency=[],
                                                                      sessions=[], page_views=[]),
                  ads, stock, returns)


def test_a_digest_for_5000_skus_stays_within_slack_limits() -> None:
    playbook = KpiPlaybook()
    data = build_digest("t", _window(), THROUGH, "CNY", DEFAULT_CURRENCIES, lambda c, b, d: 7.0, playbook,
                        top_movers=20, extra=[DigestSection("Order now", tuple(SKUS))])
    assert len(data.alerts) == 5000
    for locale in ("en", "zh-CN"):
        blocks = digest_blocks(translator(locale), data, "A team with a long name " * 10)
        assert len(blocks) <= MESSAGE_BLOCKS
        for block in blocks:
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= HEADER_TEXT
            if block["type"] == "section":
                assert len(block.get("text", {}).get("text", "")) <= SECTION_TEXT
                assert len(block.get("fields", [])) <= SECTION_FIELDS
        text = "\n".join(b.get("text", {}).get("text", "") for b in blocks if b["type"] == "section")
        assert ("…and 4990 more" in text) or ("还有 4990 条" in text)
    assert digest_chart(data.chart, "CNY", chart_words(translator("en"), data)).startswith(b"\x89PNG")
