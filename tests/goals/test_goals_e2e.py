"""/goals through the terminal Slack (Mon 2026-11-23, 09:00 Shenzhen; reports loaded through Nov 22)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bot.console.session import ConsoleSlack
from bot.errors import N_, OpsError
from tests.conftest import MONDAY_9AM_SHENZHEN, converse
from tests.goals.conftest import load
from tests.goals.test_attainment import sales


def test_mine_the_teams_and_a_reported_number(console: ConsoleSlack, tmp_path: Path) -> None:
    load(console, tmp_path, date(2026, 11, 22))
    led = sum(float(r["gmv"]) for r in sales("US", date(2026, 11, 1), date(2026, 11, 22), "LED-100"))
    forecast = led / 22 * 30
    suppliers = 4 / 54 * 92  # 4 in the 54 days of Oct 1 .. Nov 23, stretched over the quarter's 92
    reported = (f"✅ *New suppliers audited* · 4 of 6 (66.7%) so far · at this pace {suppliers:.2f} by Dec 31, 2026, "
                f"gap +{suppliers - 6:.2f} (+{(suppliers - 6) / 6:.1%})")
    converse(console, [
        ("!as U0MARKET\n"
         "/goals", ["only visible to Amy Lin", "Your goals",
                    f"🔻 *GMV of LED-100 in US* · ${led:,.2f} of $30,000.00 ({led / 30000:.1%}) so far · at this pace "
                    f"${forecast:,.2f} by Nov 30, 2026, gap -${30000 - forecast:,.2f} "
                    f"(-{(30000 - forecast) / 30000:.1%}) · ${(30000 - led) / 8:,.2f} a day from here reaches it",
                    "Nov 1, 2026–Nov 30, 2026 · data through Nov 22, 2026 · goal id: us-led-gmv",
                    "*ACoS in US*", "limit 25.0%", "of ad spend above the limit"]),
        # Only a manager sees everyone's, whatever a member types.
        ("/goals team", ["Only a manager can see everyone's goals. /goals shows yours."]),
        ("/goals report us-led-gmv 5", ["Goal us-led-gmv is computed from the reports"]),
        ("/goals report new-suppliers 9", ["Only the owner of goal new-suppliers can report its number."]),
        ("!as U0SELECT\n"
         "/goals", ["▫️ *New suppliers audited* · not reported yet for Oct 1, 2026–Dec 31, 2026: "
                    "/goals report new-suppliers <number>"]),
        ("/goals report new-suppliers lots", ["lots is not a number. Write it as 42, 1,250.5 or 12%."]),
        ("/goals report <nope> 3", ["There is no goal <nope>."]),
        ("/goals report new-suppliers 4", ["Recorded for New suppliers audited.", reported]),
        ("!home", ["*My goals*", reported]),
        ("/goals dance", ["Try /goals, /goals team, /goals report <goal> <number>, or (managers) /goals set"]),
    ])
    rows = console.services.db.engine.connect().exec_driver_sql(
        "select actor, entity_id, from_state, to_state from audit_log where entity = 'goal'").fetchall()
    assert [tuple(r) for r in rows] == [("U0SELECT", "new-suppliers/2026-Q4", None, "4.0")]


def test_the_manager_sees_everyones_goals(console: ConsoleSlack, tmp_path: Path) -> None:
    load(console, tmp_path, date(2026, 11, 22))
    converse(console, [
        ("!as U0MANAGER\n"
         "/goals team", ["目标：Shenzhen Ops", "@Amy Lin · 🔻 *GMV（LED-100，US）*", "采购（@Chen Jie）",
                         "@Zhang Min · ▫️ *新审核的供应商*"]),
    ])


@pytest.fixture
def without_meetings(playbooks_dir: Path, database_url: str) -> Iterator[ConsoleSlack]:
    """No meetings.yml: moving the clock over days sends no agenda (whose sending the meetings' tests check)."""
    (playbooks_dir / "meetings.yml").unlink()
    slack = ConsoleSlack(playbooks_dir=playbooks_dir, database_url=database_url, start=MONDAY_9AM_SHENZHEN)
    try:
        yield slack
    finally:
        slack.close()


def test_the_month_is_the_readers_own(without_meetings: ConsoleSlack, tmp_path: Path) -> None:
    """At 09:00 on Dec 1 in Shenzhen it is still Nov 30 in Los Angeles: Amy's monthly goals are November's."""
    console = without_meetings
    load(console, tmp_path)
    converse(console, [
        ("!at 2026-12-01 09:00", ["⏰"]),
        ("!as U0MARKET\n"
         "/goals", ["Nov 1, 2026–Nov 30, 2026 · data through Nov 30, 2026 · goal id: us-led-gmv"]),
        ("!as U0BUYER\n"
         "/goals", ["Dec 1, 2026–Dec 31, 2026", "▫️ *Days in cover, all marketplaces* · no data yet"]),
    ])


def test_app_home_says_why_goals_cannot_be_measured(console: ConsoleSlack, monkeypatch: pytest.MonkeyPatch) -> None:
    """A goal that cannot be measured (no FX rate for a day) costs its own section a reason, not the App Home."""
    from bot.flows.goals import GoalsFlow

    def no_rate(*_: object) -> None:
        raise OpsError(N_("No FX rate for {currency} on {day}: the European Central Bank's reference rates do not "
                          "cover it then; add a rate to {base} under fx: in kpi.yml."), currency="XYZ", base="CNY",
                       day="2026-11-22")

    monkeypatch.setattr(GoalsFlow, "mine", no_rate)
    converse(console, [("!as U0MARKET\n!home", ["*My goals*", "No FX rate for XYZ on 2026-11-22", "*Commands*"])])
