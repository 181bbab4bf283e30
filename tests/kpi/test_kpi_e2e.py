"""Chat transcripts: files shared in #data are loaded, /kpi answers privately, the digest posts each morning."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from bot.console.session import ConsoleSlack
from bot.flows.kpi import KpiFlow
from tests.conftest import converse
from tests.kpi.conftest import FIXTURES

SALES = FIXTURES.parents[1] / "restock" / "fixtures" / "led-100-us.csv"


def test_sharing_reports_then_kpi_and_the_morning_digest_in_english(console: ConsoleSlack, tmp_path: Path) -> None:
    bad = tmp_path / "notes.csv"
    bad.write_text("foo,bar\n1,2\n", encoding="utf-8")
    transcript = converse(console, [
        ("!as U0ANALYST\n"
         "!in C0DATA\n"
         f"!upload {SALES}", ["#data · in thread · Opsbot",
                              "Loaded led-100-us.csv (generic daily CSV): Aug 25, 2026 to Nov 22, 2026, US, 1 SKUs — "
                              "90 new, 0 updated, 0 unchanged."]),
        (f"!upload {SALES}", ["0 new, 0 updated, 90 unchanged."]),
        (f"!upload {FIXTURES / 'returns-US.csv'}", ["(FBA customer returns report)"]),
        (f"!upload {bad}", ["notes.csv is not a report I know. The closest is the"]),
        ("/kpi US 7d", ["only visible to Sara Kim", "KPIs: US", "data through Nov 22, 2026", "*GMV* · $4,198.60",
                        "*CVR* · 8.3%", "*ACoS* · n/a"]),
        ("/kpi LED-100 2026-11-01..2026-11-02", ["KPIs: LED-100", "*Units* · 40"]),
        ("/kpi soon", ["I don't understand soon."]),
        ("!at 2026-11-24 09:00", ["#ops · Opsbot", "Morning KPIs: Shenzhen Ops",
                                  "Data through Nov 22, 2026 · amounts in CNY",
                                  "vs. the day before", "*Month to date*", "Forecast for the month",
                                  "#ops · in thread · file", "kpi-2026-11-22.png"]),
    ])
    assert "Springfield" not in transcript
    png = [content for name, content in console.emulator.files.values() if name.endswith(".png")]
    assert png and png[0].startswith(b"\x89PNG")


def test_the_digest_and_kpi_in_simplified_chinese(chinese_team: ConsoleSlack) -> None:
    converse(chinese_team, [
        ("!in C0DATA\n"
         f"!upload {SALES}", ["已导入 led-100-us.csv（通用每日 CSV）", "新增 90 行"]),
        ("/kpi US 30d", ["KPI：US", "数据截至 2026年11月22日", "*转化率* · 8.3%"]),
        ("!at 2026-11-24 09:00", ["早间 KPI：Shenzhen Ops", "数据截至 2026年11月22日", "较前一天", "*本月累计*"]),
    ])


def _stock(folder: Path, day: date, available: int) -> Path:
    path = folder / f"cube-{day}.csv"
    rows = ["date,marketplace,sku,units,gmv,currency,available,inbound"]
    rows += [f"{day - timedelta(days=n)},US,CUBE-1,10,100,USD,{available},0" for n in range(14)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_an_alert_fires_once_and_re_arms_only_after_recovery(console: ConsoleSlack, tmp_path: Path) -> None:
    flow = KpiFlow(console.services.context)
    team = console.team
    # 14 days listed at 10 a day, 100 on hand: 10 days of cover; no supplier, so kpi.yml's 45-day lead time.
    def alert(days: int) -> str:
        return (f"US CUBE-1: 10 days of cover at 10.00/day over the last {days} days, below the 45-day lead time: "
                "order now.")

    flow.ingest(team, [_stock(tmp_path, date(2026, 11, 23), 100)])
    assert alert(14) in console.send("!at 2026-11-24 09:00")
    flow.ingest(team, [_stock(tmp_path, date(2026, 11, 24), 100)])
    # (The digest's restock section lists CUBE-1 every morning; the alert is what fires once.)
    assert "below the 45-day lead time" not in console.send("!at 2026-11-25 09:00")  # still low: not repeated
    flow.ingest(team, [_stock(tmp_path, date(2026, 11, 25), 2000)])
    assert "below the 45-day lead time" not in console.send("!at 2026-11-26 09:00")  # recovered: re-armed
    flow.ingest(team, [_stock(tmp_path, date(2026, 11, 26), 100)])
    assert alert(17) in console.send("!at 2026-11-27 09:00")  # listed since Nov 10: 17 days


def test_kpi_answers_again_from_new_data_as_soon_as_a_report_is_loaded(console: ConsoleSlack, tmp_path: Path) -> None:
    first = tmp_path / "week-1.csv"
    first.write_text("date,marketplace,sku,units,gmv,currency\n2026-11-21,US,LED-100,4,100,USD\n", encoding="utf-8")
    later = tmp_path / "week-1-corrected.csv"
    later.write_text("date,marketplace,sku,units,gmv,currency\n2026-11-21,US,LED-100,6,150,USD\n"
                     "2026-11-22,US,LED-100,2,50,USD\n", encoding="utf-8")
    converse(console, [
        ("!as U0ANALYST\n"
         "!in C0DATA\n"
         f"!upload {first}", ["1 new"]),
        ("/kpi US 7d", ["*GMV* · $100.00", "*Units* · 4"]),
        ("/kpi US 7d", ["*GMV* · $100.00"]),  # asked again on the same data: the same answer
        (f"!upload {later}", ["1 new, 1 updated"]),
        ("/kpi US 7d", ["*GMV* · $200.00", "*Units* · 8", "data through Nov 22, 2026"]),
    ])


def test_a_shared_child_report_asks_for_its_range_and_loads_once_the_name_gives_it(
        console: ConsoleSlack, tmp_path: Path) -> None:
    # Seller Central's name is the download day, whatever range was chosen: the bot asks for the range.
    downloaded = tmp_path / "BusinessReport-11-21-26-US.csv"
    downloaded.write_bytes((FIXTURES / "BusinessReport-11-20-26.csv").read_bytes())
    ranged = tmp_path / "BusinessReport-2026-10-22_2026-11-20-US.csv"
    ranged.write_bytes(downloaded.read_bytes())
    converse(console, [
        ("!as U0ANALYST\n"
         "!in C0DATA\n"
         f"!upload {downloaded}", ["covers a range of days, and Seller Central names the file after the day it "
                                   "was downloaded", "Which range did you choose in Seller Central?"]),
        (f"!upload {ranged}", ["Oct 22, 2026 to Nov 20, 2026, US, 3 SKUs — 3 new"]),
    ])
