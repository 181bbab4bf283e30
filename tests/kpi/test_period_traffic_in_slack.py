"""`/kpi SKU FROM..TO` in Slack answers from the same facts as `opsbot kpi --sku` (issue 14, "period reports are
periods"): a SKU with no daily sales in the range but a Business Report covering it shows that report's sessions,
page views and conversion, where it used to say "No report data" (a tester's finding)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.console.session import ConsoleSlack
from bot.flows.kpi import KpiFlow
from bot.reports.loaders import Period
from tests.conftest import converse
from tests.kpi.test_periods import ROWS, _number, child_report, daily_csv


def test_a_sku_with_only_a_period_report_shows_its_traffic(console: ConsoleSlack, tmp_path: Path) -> None:
    ctx = console.services.context
    team = ctx.team_of("U0ANALYST")
    flow = KpiFlow(ctx)
    flow.ingest(team, [child_report(tmp_path)], "US", Period(date(2017, 11, 22), date(2019, 11, 21)))
    flow.ingest(team, [daily_csv(tmp_path)])
    bundle = next(row for row in ROWS if row[3] == "LED-100-BDL")  # no daily sales at all: only the report
    sessions = _number(bundle[4])
    converse(console, [
        ("!as U0ANALYST\n/kpi LED-100-BDL 2017-11-22..2019-11-21",
         ["KPIs: LED-100-BDL", f"*Sessions* · {sessions:,.0f}",
          f"*CVR* · {_number(bundle[8]) / sessions:.1%}", "no daily sales in this range",
          "*Units* · n/a"]),  # daily figures come only from daily sources, not from two years of the report
    ])
