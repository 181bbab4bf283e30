"""A month of meetings through the terminal Slack: four weekly meetings and a monthly review on data that misses
DE's GMV target, the agenda's figures checked against sums worked out here from the fixture rows, actions carried
over, done and overdue, and a PDCA round: the monthly review's action shows as done in the next month's agenda."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import cli
from bot.console.session import ConsoleSlack
from bot.db.core import AuditEntry
from bot.db.standup import StandupBlocker
from tests.conftest import converse
from tests.meetings.conftest import sales

USD_CNY, EUR_CNY = 7.12, 7.75  # kpi.yml's rates from November 2026


def gmv(market: str, start: date, end: date, sku: str | None = None) -> float:
    return sum(s.gmv for s in sales() if s.market == market and start <= s.day <= end and sku in (None, s.sku))


def pct(value: float) -> str:
    return ("+" if value >= 0 else "") + f"{value:.1%}"


def kpi_line(market: str, symbol: str, start: date, end: date, before: tuple[date, date] | None,
             target: float | None) -> str:
    now = gmv(market, start, end)
    line = f"*{market}* GMV {symbol}{now:,.2f} "
    line += f"({pct(now / gmv(market, *before) - 1)} vs before)" if before else "(nothing earlier to compare)"
    if target:
        share = target * ((end - start).days + 1) / calendar.monthrange(end.year, end.month)[1]
        line += f" · {now / share:.1%} of the target pace ({symbol}{target:,.2f})"
    return line


def test_a_month_of_meetings(meeting_console: ConsoleSlack, database_url: str, playbooks_dir: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    console = meeting_console
    with console.services.db.transaction() as session:
        session.add(StandupBlocker(team_id="shenzhen-ops", user_id="U0WAREHOUSE", raised_on=date(2026, 11, 20),
                                   text="Customs hold on the DE inbound <!here>"))
        session.add(AuditEntry(team_id="shenzhen-ops", entity="kpi_alert", entity_id="acos_target:US", actor="opsbot",
                               at=datetime(2026, 11, 25, 1, 0, tzinfo=UTC), from_state="armed", to_state="fired"))
    week = (date(2026, 11, 23), date(2026, 11, 29))
    week_before = (date(2026, 11, 16), date(2026, 11, 22))
    led, cable = gmv("US", *week, sku="LED-100") * USD_CNY, gmv("US", *week, sku="CABLE-1") * USD_CNY
    led_before = gmv("US", *week_before, sku="LED-100") * USD_CNY
    hours = int((datetime(2026, 11, 29, 16, 0) - datetime(2026, 11, 23, 11, 30)).total_seconds() // 3600)
    led_de = gmv("DE", *week, sku="LED-100-DE") * EUR_CNY
    converse(console, [
        ("!at 2026-11-23 11:30\n"
         "!as U0MARKET\n"
         "/agenda add <!channel> see <https://evil.example|google.com> for DE prices",
         ["Added to the agenda: Weekly meeting, Nov 30, 2026."]),
        ("/agenda add <@U0BUYER> Confirm the LED-100 PO", ["Added to the agenda: Weekly meeting, Nov 30, 2026."]),
        ("/restock LED-100 300", ["Filed R-1: 300 × LED-100"]),
        ("/feedback Customer says LED-100 arrived with a cracked base", ["Feedback #1 (Quality / defect)"]),
        # Sunday afternoon: Monday's agenda, built from what every feature knows.
        ("!at 2026-11-29 16:00", [
            "── #ops · Opsbot", "Weekly meeting · Nov 30, 2026",
            "Monday, November 30, 2026, 10:00\u202fAM–11:00\u202fAM (China (Shanghai) Time) · Chair: @Li Wei",
            "*KPIs this week*", kpi_line("US", "$", *week, week_before, 120000),
            kpi_line("DE", "€", *week, week_before, 30000), "1 alert fired: ACoS over target (US)",
            "*Top and bottom SKUs by GMV*", f"▲ LED-100: CN¥{led:,.2f} ({pct(led / led_before - 1)} vs before)",
            f"▼ CABLE-1: CN¥{cable:,.2f}", f"▲ LED-100-DE: CN¥{led_de:,.2f}",
            "*Open blockers*", "@Klaus Becker · open 10 days · Customs hold on the DE inbound",
            "*Restock waiting or late*", "R-1 · 300 × LED-100 · requested",
            "*Feedback open past its SLA*", f"Feedback #1 · Quality / defect · new · {hours} hours old",
            "*Items added*", "@Amy Lin: Confirm the LED-100 PO · to speak to it: @Chen Jie",
            # each attendee in their own time zone
            "── DM with Amy Lin",
            "Sunday, November 29, 2026, 6:00\u202fPM–7:00\u202fPM (United States (Los Angeles) Time)",
        ]),
    ])
    agenda = [r for r in console.emulator.channel_messages("C0OPS") if "Weekly meeting" in r.text][-1]
    raw = str(agenda.blocks)
    assert "&lt;!channel&gt;" in raw and "&lt;https://evil.example|google.com&gt;" in raw and "&lt;!here&gt;" in raw
    assert "<!channel>" not in raw and "<https://evil" not in raw and "<!here>" not in raw

    month = (date(2026, 11, 1), date(2026, 11, 30))
    converse(console, [
        # Sara, the analyst, keeps the record.
        ("!at 2026-11-30 10:05\n"
         "!as U0ANALYST\n"
         "/action <@U0BUYER> by 12-03 #restock Confirm the PO date with the factory",
         ["A-3 recorded for @Chen Jie, due Dec 3, 2026.", "── #ops · Opsbot", "Action recorded",
          "On the agenda's Restock waiting or late", "── DM with Chen Jie",
          "@Sara Kim recorded an action for you in the Weekly meeting."]),
        ("/decision #kpis Hold the DE price until the new stock lands",
         ["Decision recorded in the Weekly meeting of Nov 30, 2026."]),
        ("!at 2026-11-30 11:00", ["Weekly meeting · Nov 30, 2026: summary",
                                  "🔷 Hold the DE price until the new stock lands (@Sara Kim) · on KPIs this week",
                                  "◻️ *A-3* · @Chen Jie · open · due Dec 3, 2026 · Confirm the PO date"]),
        # The monthly review's agenda (the first workday of December), the month against its targets.
        ("!at 2026-11-30 16:00", ["── #manager · Opsbot", "Monthly review · Dec 1, 2026", "*KPIs this month*",
                                  kpi_line("US", "$", *month, None, 120000), kpi_line("DE", "€", *month, None, 30000),
                                  "*Actions from earlier meetings*", "◻️ *A-3* · @Chen Jie · open · due Dec 3, 2026"]),
        ("!at 2026-12-01 15:05\n"
         "/action <@U0MARKET> by 12-10 #kpis Raise the DE ad budget and fix the DE listing",
         ["A-5 recorded for @Amy Lin, due Dec 10, 2026.", "── #manager · Opsbot"]),
        ("!at 2026-12-02 09:00", ["── DM with Chen Jie", "⏰ A-3 is due Dec 3, 2026."]),
        ("!at 2026-12-03 09:00", ["── DM with Chen Jie", "⏰ A-3 is due today."]),
        # Not done by its date: the next agenda carries it, overdue, first.
        ("!at 2026-12-06 16:00", ["Weekly meeting · Dec 7, 2026",
                                  "⚠️ *A-3* · @Chen Jie · open · overdue since Dec 3, 2026",
                                  "◻️ *A-5* · @Amy Lin · open · due Dec 10, 2026"]),
        ("!at 2026-12-07 10:10\n"
         "/action <@U0WAREHOUSE> by 12-09 Count the DE stock", ["A-6 recorded for @Klaus Becker, due Dec 9, 2026."]),
        ("!as U0BUYER\n"
         "!home", ["My actions", "A-3"]),
        ("!click Done", ["modal opened for Chen Jie: “A-3 done”"]),
        ('!fill note="PO confirmed for Dec 20"\n'
         "!submit", ["A-3 is now done."]),
        ("!at 2026-12-08 09:30\n"
         "!as U0MARKET\n"
         "!home", ["My actions", "A-5"]),
        ("!click Blocked", ["modal opened for Amy Lin: “A-5 blocked”"]),
        ("!submit", ["✗ note: Please add a short note."]),
        ('!fill note="Waiting for the new DE photos"\n'
         "!submit", ["A-5 is now blocked."]),
        ("!at 2026-12-10 09:30\n"
         "!home", ["A-5", "Note: Waiting for the new DE photos"]),
        ("!click Done", ["A-5 done"]),
        ('!fill note="Budget +30%, listing photos replaced"\n'
         "!submit", ["A-5 is now done."]),
        # The manager sees what is late in App Home (in Chinese, her Slack's language).
        ("!as U0MANAGER\n"
         "!home", ["逾期的行动项", "*A-6* · @Klaus Becker · 进行中 · 自 2026年12月9日 起逾期 · Count the DE stock"]),
        ("!at 2026-12-13 16:00", ["Weekly meeting · Dec 14, 2026", "⚠️ *A-6* · @Klaus Becker",
                                  "✅ *A-5* · @Amy Lin · done", "Note: Budget +30%, listing photos replaced"]),
        ("!at 2026-12-20 16:00", ["Weekly meeting · Dec 21, 2026", "⚠️ *A-6* · @Klaus Becker"]),
        # PDCA: the monthly review's action, checked at the next monthly review.
        ("!at 2027-01-03 16:00", ["Monthly review · Jan 4, 2027", "*Actions from earlier meetings*",
                                  "✅ *A-5* · @Amy Lin · done · due Dec 10, 2026 · Raise the DE ad budget",
                                  "⚠️ *A-6* · @Klaus Becker · open · overdue since Dec 9, 2026"]),
        ("!as U0ANALYST\n"
         "/meeting list", ["Dec 21, 2026 · Weekly meeting", "Dec 1, 2026 · Monthly review · 0 decisions · 1 action",
                           "Nov 30, 2026 · Weekly meeting · 1 decision · 1 action"]),
        ("/meeting show 2026-12-01", ["Monthly review · Dec 1, 2026", "*KPIs this month*",
                                      "✅ *A-5* · @Amy Lin · done", "Note: Budget +30%, listing photos replaced"]),
    ])
    # Done in the week it was done in; once shown done, it leaves the agendas after.
    dec_21 = [r for r in console.emulator.channel_messages("C0OPS") if "Weekly meeting · Dec 21" in r.text][-1]
    assert "A-3" not in str(dec_21.blocks) and "A-5" not in str(dec_21.blocks)

    # The record kept: the month as Markdown, every agenda line, decision and action with its outcome.
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("OPSBOT_PLAYBOOKS", str(playbooks_dir))
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["meetings", "export", "--team", "shenzhen-ops", "--month", "2026-11"])
    assert result.exit_code == 0, result.output
    november = result.output
    assert november.startswith("# Meetings of Shenzhen Ops, November 2026")
    us_week = kpi_line("US", "$", *week, week_before, 120000)
    for line in ("## Weekly meeting · Nov 30, 2026", "### KPIs this week", f"- {us_week}",
                 "- @Amy Lin: Confirm the LED-100 PO · to speak to it: @Chen Jie",
                 "- 🔷 Hold the DE price until the new stock lands (@Sara Kim) · on KPIs this week",
                 "- ✅ *A-3* · @Chen Jie · done · due Dec 3, 2026 · Confirm the PO date with the factory "
                 "— Note: PO confirmed"):
        assert line in november, line
    december = CliRunner().invoke(cli, ["meetings", "export", "--month", "2026-12"]).output
    assert "## Monthly review · Dec 1, 2026" in december and "## Weekly meeting · Dec 28, 2026" in december
    assert "- ⚠️ *A-6* · @Klaus Becker · open · overdue since Dec 9, 2026 · Count the DE stock" in december
