"""Issue 19, item 5: "Actions can be turned into a restock request, a promotion or a launch task (linked, as in the
loop issue)." The owner's card (DM, reminder, App Home) has a "Turn into…" menu with only the kinds their role may
start; the form opens prefilled from the action's words; what it files says "From A-n"; the action lists what it
started with its live state, in App Home, /meeting show and the Markdown export. Refused for a finished action and
for someone else's action (unless a manager) — before the form opens and again when it is submitted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.console import payloads
from bot.console.session import ConsoleSlack
from bot.flows.meeting_calendar import MeetingCalendar
from bot.flows.meeting_history import MeetingHistory
from bot.flows.meeting_record import MeetingRecord, Update
from bot.i18n import translator
from bot.reports.ingest import ingest_generic
from tests.conftest import Speakers, converse
from tests.launch.test_launch_e2e import start_launch

SALES = Path(__file__).parent.parent / "restock" / "fixtures" / "led-100-us.csv"  # LED-100 sells 20 a day in the US
TURN_INTO = "meetings.turn_into"


@pytest.fixture
def sales(console: ConsoleSlack) -> None:
    with console.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", SALES)


def turn_into(console: ConsoleSlack, user: str, value: str) -> str:
    """A choice in the "Turn into…" menu as Slack sends it, whatever the person's screen showed (forged, stale)."""
    console.send("!as " + user)
    console.dispatch(payloads.block_action(
        user=user, team="T0DEMO", channel=user, response_url=None,
        action={"type": "static_select", "action_id": TURN_INTO, "block_id": "b",
                "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": value}},
        container={"type": "message", "message_ts": "1.0", "channel_id": user},
    ))
    return console.seat.new_output()


def rows(console: ConsoleSlack, sql: str) -> list[tuple[object, ...]]:
    with console.services.db.engine.connect() as connection:
        return [tuple(r) for r in connection.exec_driver_sql(sql).fetchall()]


def menu_options(console: ConsoleSlack, user: str) -> list[str]:
    """The "Turn into…" choices on the newest card ``user`` was sent or shown (DM or App Home)."""
    for record in reversed(console.emulator.records):
        if record.user != user and record.channel != user:
            continue
        shown = record.view.get("blocks", []) if record.view else record.blocks or []
        for block in shown:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if element.get("action_id") == TURN_INTO:
                    return [o["text"]["text"] for o in element["options"]]
    return []


def latest_home(console: ConsoleSlack, user: str) -> str:
    home = next(r for r in reversed(console.emulator.records) if r.kind == "home" and r.user == user)
    return json.dumps(home.view, ensure_ascii=False)


def test_an_action_turned_into_a_restock_request_is_linked_both_ways(console: ConsoleSlack, sales: None) -> None:
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "!as U0ANALYST\n"
         "/action <@U0BUYER> by fri Reorder LED-100 for the US before the <holiday> rush",
         ["A-1 recorded for @Chen Jie, due Nov 27, 2026."]),
    ])
    # Chen (purchasing) may start a restock request or a launch task from it, not a promotion (promo.yml planners).
    assert menu_options(console, "U0BUYER") == ["Restock request", "Launch task"]
    converse(console, [
        ("!as U0BUYER\n!home", ["My actions", "A-1", "Restock request", "Launch task"]),
        ("!click Restock request", ["modal opened for Chen Jie: “Restock request”", "*Suggestion: 500 units*",
                                    "✎ SKU: LED-100", "✎ Marketplace: US",
                                    "✎ Reason (optional): Reorder LED-100 for the US before the <holiday> rush"]),
        ("!submit", ["📦 Restock R-1 · requested", "500 × LED-100",
                     "From A-1: Reorder LED-100 for the US before the <holiday> rush"]),
    ])
    card = next(r for r in console.emulator.records if r.channel == "C0PURCHASING" and "R-1" in r.text)
    assert "From A-1: Reorder LED-100 for the US before the &lt;holiday&gt; rush" in json.dumps(card.blocks)
    assert rows(console, "select source_kind, source_id, target_kind, target_id, created_by from links") == [
        ("action", 1, "restock", 1, "U0BUYER")]
    # The owner's App Home shows what the action started, with its state; the manager's approval moves it there.
    home = latest_home(console, "U0BUYER")
    assert "Started: R-1 LED-100 ×500 · requested" in home, home
    converse(console, [("!as U0MANAGER\n!in C0PURCHASING\n!click Approve", ["R-1"])])
    assert "Started: R-1 LED-100 ×500 · approved" in latest_home(console, "U0BUYER")
    # Not closed for it: the meeting asked for an outcome, and the owner says when it is done.
    assert rows(console, "select state from meeting_entries where id = 1") == [("open",)]
    converse(console, [
        ("!as U0BUYER\n/meeting show", ["A-1", "Reorder LED-100", "Started: R-1 LED-100 ×500 · approved"]),
    ])
    history = MeetingHistory(console.services.context, MeetingCalendar(console.services.context))
    exported = history.export_markdown(console.team, "2026-11", translator("en"))
    assert "Reorder LED-100 for the US before the <holiday> rush — Started: R-1 LED-100 ×500 · approved" in exported


def test_a_promotion_and_a_launch_task_from_actions_and_who_may_start_them(
        console: ConsoleSlack, sales: None) -> None:
    start_launch(console)
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "!as U0MANAGER\n"
         "/action <@U0MARKET> by fri Coupon for LED-100 in DE", ["A-1"]),
        ("/action <@U0BUYER> by fri Second LED-100 sample from the new supplier", ["A-2"]),
    ])
    # Amy (marketing) may plan a promotion or add a launch task; restock from feedback or actions is purchasing's.
    assert menu_options(console, "U0MARKET") == ["Promotion", "Launch task"]
    before = len([r for r in console.emulator.records if r.kind == "view_open"])
    assert "Adjusting restock is for purchasing or the manager." in turn_into(console, "U0MARKET", "restock:1")
    # Someone else's action: refused whatever the menu said; a value naming no action of this team too.
    assert "Only the action's owner or a manager can turn it into something." in turn_into(
        console, "U0MARKET", "launch_task:2")
    for forged in ("promo:99", "promo:1; drop", "coffee:1", ""):
        assert "That action is not your team's." in turn_into(console, "U0MARKET", forged), forged
    assert len([r for r in console.emulator.records if r.kind == "view_open"]) == before
    converse(console, [
        ("!as U0MARKET\n!in U0MARKET\n!click Promotion",
         ["modal opened for Amy Lin: “Plan a promotion”", "Planned from A-1: it will be linked to it.",
          "✎ SKU(s), separated by commas: LED-100", "✎ Marketplace: DE",
          "✎ Reason (optional): Coupon for LED-100 in DE"]),
        ("!fill kind=Coupon start=2026-12-10 end=2026-12-14 discount=10%\n!submit",
         ["Promotion P-1", "From A-1: Coupon for LED-100 in DE (open)"]),
    ])
    # The manager may turn anyone's action into something: a task on the launch, "from A-2" on its checklist line.
    converse(console, [
        ("!as U0MANAGER", ["you are now Li Wei"]),
    ])
    shown = turn_into(console, "U0MANAGER", "launch_task:2")
    assert "modal opened for Li Wei" in shown and "Second LED-100 sample from the new supplier" in shown, shown
    converse(console, [
        ("!fill phase=1:listing owner=U0BUYER due=2026-12-04\n!submit",
         ["#launch-led-desk-lamp",
          "⬜ Second LED-100 sample from the new supplier · @Chen Jie · Dec 4, 2026 · from A-2"]),
    ])
    assert rows(console, "select source_kind, source_id, target_kind, target_id from links order by id") == [
        ("action", 1, "promo", 1), ("action", 2, "launch_task", 21)]


def test_a_finished_action_starts_nothing_before_the_form_or_on_submit(console: ConsoleSlack, sales: None) -> None:
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "!as U0ANALYST\n"
         "/action <@U0BUYER> by fri Reorder LED-100", ["A-1 recorded"]),
        ("!as U0BUYER\n!in U0BUYER\n!click Restock request", ["modal opened for Chen Jie: “Restock request”"]),
    ])
    form = next(r for r in reversed(console.emulator.records) if r.kind == "view_open")
    assert form.view is not None and json.loads(form.view["private_metadata"]) == {"meeting_action": 1}
    # While the form is open, the action is marked done elsewhere: submitting it files nothing and links nothing.
    MeetingRecord(console.services.context, MeetingCalendar(console.services.context)).update(
        "U0BUYER", 1, Update("done", "Ordered by phone"))
    converse(console, [("!submit", ["A-1 is done: nothing more is started from it."])])
    # And the menu's choice, pressed again on the old card, is refused before any form opens.
    assert "A-1 is done: nothing more is started from it." in turn_into(console, "U0BUYER", "restock:1")
    assert rows(console, "select count(*) from restock_requests") == [(0,)]
    assert rows(console, "select count(*) from links") == [(0,)]
    # The done action's card has no menu left.
    converse(console, [("!as U0BUYER\n!home", ["App Home of Chen Jie"])])
    assert "Turn into" not in latest_home(console, "U0BUYER")


def test_for_a_chinese_team(speakers: Speakers) -> None:
    console = speakers("zh-CN")
    with console.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", SALES)
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "!as U0ANALYST\n"
         "/action <@U0BUYER> 截止 周五 美国站 LED-100 补货", ["A-1"]),
    ])
    assert menu_options(console, "U0BUYER") == ["补货申请", "上市任务"]
    converse(console, [
        ("!as U0BUYER\n!in U0BUYER\n!click 补货申请",
         ["“补货申请”", "✎ SKU: LED-100", "✎ 站点: US", "✎ 原因 (optional): 美国站 LED-100 补货"]),
        ("!submit", ["R-1", "来自 A-1：美国站 LED-100 补货"]),
        ("!home", ["我的行动项", "已引发：R-1 LED-100 ×500 · 已申请"]),
        ("/meeting 查看", ["已引发：R-1 LED-100 ×500 · 已申请"]),
    ])


def test_for_a_taiwan_team(speakers: Speakers) -> None:
    """Taiwan usage: the menu, a refusal and the link as a zh-TW team reads them."""
    console = speakers("zh-TW")
    with console.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", SALES)
    converse(console, [
        ("!at 2026-11-23 10:05\n"
         "!as U0ANALYST\n"
         "/action <@U0BUYER> 截止 週五 美國站 LED-100 補貨", ["A-1"]),
    ])
    assert menu_options(console, "U0BUYER") == ["補貨申請", "上市任務"]
    assert "只有待辦事項的負責人或主管可以把它轉為其他事項。" in turn_into(console, "U0MARKET", "promo:1")
    converse(console, [
        ("!as U0BUYER\n!in U0BUYER\n!click 補貨申請", ["“補貨申請”", "✎ SKU: LED-100"]),
        ("!submit", ["R-1", "來自 A-1：美國站 LED-100 補貨"]),
        ("!home", ["已引發：R-1 LED-100 ×500"]),
    ])
