"""Restock from /restock to "received", through the terminal Slack (Mon 2026-11-23, Shenzhen).

LED-100 sold 20 a day in the US for 90 days (5 of them out of stock), 800 on hand and 400 inbound:
by sea the suggestion is 500 units (see test_math_and_rules for the arithmetic), worth 21,250 CNY —
above the 20,000 CNY threshold, so the manager decides.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.console.session import ConsoleSlack
from bot.flows.restock_cards import RestockCards
from bot.ops.restock_playbook import RestockPlaybook
from bot.reports.ingest import ingest_generic
from tests.conftest import converse

FIXTURE = Path(__file__).parent / "fixtures" / "led-100-us.csv"


@pytest.fixture(autouse=True)
def sales(console: ConsoleSlack) -> None:
    with console.services.db.transaction() as session:
        result = ingest_generic(session, "shenzhen-ops", FIXTURE)
    assert (result.new, result.updated) == (90, 0)


def test_from_request_to_received_with_the_manager_deciding(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-100 by 2026-12-31 Q1 promotion", [
            "── #purchasing · Opsbot", "📦 Restock R-1 · requested",
            "500 × LED-100 → US FBA · CN¥21,250.00 · requested by @Amy Lin", "needs the manager's approval",
            "*Suggestion: 500 units* · 🟢 ok",
            # 30 days before the data's last day (Nov 22), less the 5 known out of stock: 25 days of 20.
            "Velocity 20.00/day: 500 units over 25 days (Oct 24, 2026 – Nov 22, 2026; 5 stock-out days left out)",
            "Lead time 53 days = production 15 + freight 30 + customs 3 + receiving 5 + Q4 0",
            "Safety stock 99 · reorder point 1,159 · on hand 800 + inbound 400",
            # Reorder by: the data's day (Nov 22) + cover 60.0 − lead time 53 days, whatever day it is asked.
            "Days of cover 60.0 · reorder by Nov 29, 2026",
            "── DM with Amy Lin · Opsbot", "Filed R-1: 500 × LED-100, sent to purchasing."]),
        # The requester cannot approve her own request; purchasing cannot approve above the threshold.
        ("!in C0PURCHASING\n"
         "!click Approve", ["Nobody approves their own request: above the approval threshold in restock.yml the "
                            "manager decides."]),
        ("!as U0BUYER\n"
         "!click Approve", ["R-1 is above the approval threshold in restock.yml: only the manager can decide."]),
        ("!as U0MANAGER\n"
         "!click Approve", ["#purchasing · message updated", "📦 Restock R-1 · approved", "approved by @Li Wei",
                            "DM with Amy Lin · message updated", "DM with Amy Lin · Opsbot",
                            "R-1 (500 × LED-100) is now approved by @Li Wei."]),
        ("!as U0BUYER\n"
         "!click Mark ordered", ["modal opened for Chen Jie: “R-1”"]),
        ('!fill po=PO-4711 supplier="Shenzhen Lighting Co." eta=2027-01-10\n'
         "!submit", ["📦 Restock R-1 · ordered", "PO PO-4711 · Shenzhen Lighting Co. · ETA Jan 10, 2027"]),
        ("!click Mark shipped", ["modal opened for Chen Jie: “R-1”", "✎ Carrier (optional): ____",
                                 "✎ Mode (optional): ____ (Sea | Air | Express)"]),
        ('!fill carrier=COSCO tracking=COSU123456 mode=sea\n'
         "!submit", ["shipped", "Shipped by COSCO (sea), tracking COSU123456"]),
        ("!as U0WAREHOUSE\n"
         "!click Mark received", ["“R-1”", "✎ Quantity received: 500"]),
        ("!fill received=480\n"
         "!submit", ["📦 Restock R-1 · received", "Received 480 of 500", "⚠️ Discrepancy: -20 units against the order"]),
        ("!click Close", ["only visible to Klaus Becker", "it needs purchasing or the manager"]),
        ("!as U0BUYER\n"
         "!click Close", ["📦 Restock R-1 · closed"]),
        ("/restock status R-1", ["only visible to Chen Jie", "📦 Restock R-1 · closed"]),
    ])
    # The audit trail (who moved it, from what, to what) is the record kept for later; no Slack surface shows it.
    rows = console.services.db.engine.connect().exec_driver_sql(
        "select actor, from_state, to_state from audit_log where entity = 'restock' order by id").fetchall()
    assert [tuple(r) for r in rows] == [
        ("U0MARKET", None, "requested"), ("U0MANAGER", "requested", "approved"), ("U0BUYER", "approved", "ordered"),
        ("U0BUYER", "ordered", "shipped"), ("U0WAREHOUSE", "shipped", "received"), ("U0BUYER", "received", "closed"),
    ]
    export = CliRunner().invoke(_cli(console), ["restock", "export"])
    assert export.exit_code == 0, export.output
    lines = export.output.splitlines()
    assert lines[0].startswith("ref,sku,marketplace,quantity") and len(lines) == 7
    assert lines[3].startswith("R-1,LED-100,US,500,42.5,CNY,U0MARKET,closed,PO-4711,2027-01-10,480,")


def _cli(console: ConsoleSlack):  # type: ignore[no-untyped-def]
    import os

    from bot.cli import cli

    os.environ["DATABASE_URL"] = console.services.settings.database_url
    os.environ["OPSBOT_PLAYBOOKS"] = str(console.services.settings.playbooks_dir)
    return cli


def test_two_approvals_at_once_one_wins_the_other_is_told(console: ConsoleSlack) -> None:
    converse(console, [  # 4,250 CNY: purchasing may decide
        ("!as U0MARKET\n"
         "/restock LED-100 100", ["Filed R-1: 100 × LED-100, sent to purchasing."]),
    ])
    # Two people deciding in the same instant cannot be typed in a transcript: the other approver's write goes
    # straight to the store, with the request's id and version read from it the way the flow reads them.
    flow_request = console.services.db.engine.connect().exec_driver_sql("select id, version from restock_requests")
    request_id, version = flow_request.fetchone()  # type: ignore[misc]
    from bot.db import restock as store

    with console.services.db.transaction() as session:  # a second approver got in first
        assert store.move(session, request_id, version, {"state": "approved", "decided_by": "U0MANAGER"})
    converse(console, [
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Approve", ["This request is approved, so “Approve” is not possible any more."]),
        ("/restock status R-1", ["📦 Restock R-1 · approved", "approved by @Li Wei"]),  # the first approval stands
    ])
    with console.services.db.transaction() as session:
        assert store.move(session, request_id, version, {"state": "rejected"}) is False  # a stale write changes nothing


def test_a_double_click_decides_once(console: ConsoleSlack) -> None:
    import json

    from bot.console import payloads

    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-100 100", ["Filed R-1: 100 × LED-100, sent to purchasing."]),
    ])
    card = next(r for r in console.emulator.records if r.kind == "message" and r.channel == "C0PURCHASING")
    approve = next(e for b in card.blocks if b["type"] == "actions" for e in b["elements"]
                   if json.loads(e["value"])["action"] == "approve")

    def press() -> None:  # the same stale button, pressed twice before the card updates
        console.dispatch(payloads.block_action(
            user="U0BUYER", team="T0DEMO", channel="C0PURCHASING", response_url=None,
            action={"type": "button", "action_id": approve["action_id"], "value": approve["value"], "block_id": "b"},
            container={"type": "message", "message_ts": card.ts, "channel_id": "C0PURCHASING"},
        ))

    press()
    press()
    # One decision in the audit trail, the record no Slack surface shows; the requester is told once.
    approvals = console.services.db.engine.connect().exec_driver_sql(
        "select count(*) from audit_log where to_state = 'approved'").scalar()
    assert approvals == 1
    told = [r.text for r in console.emulator.records if r.kind == "message" and "is now approved" in r.text]
    assert told == ["R-1 (100 × LED-100) is now approved by <@U0BUYER>."]


def test_the_form_uses_the_suggestion_when_the_quantity_is_empty(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0SELECT\n"
         "/restock", ["modal opened for Zhang Min: “Restock request”", "✎ SKU: ____ (DESK-FAN-01 | LED-100"]),
        ("!fill sku=LED-100\n"
         "!submit", ["📦 Restock R-1 · requested", "500 × LED-100"]),
    ])


def test_bad_input_is_refused_and_nothing_is_filed(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED100 300", ["I don't know the SKU LED100. Did you mean LED-100"]),
        ("/restock LED-100 0", ["The quantity must be a whole number above zero."]),
        ("/restock LED-100 -3", ["The quantity must be a whole number above zero."]),
        ("/restock LED-100 12.5", ["12.5 is not a quantity"]),
        ("/restock LED-100 999999", ["999999 looks too large: the most is 20000"]),
        ("/restock LED-100 300 by 2026-11-01", ["The needed-by date Nov 1, 2026 is in the past."]),
        ("/restock LED-200", ["There is no suggestion for LED-200 (no sales history, or enough stock): please give a "
                              "quantity."]),
        ("/restock", ["modal opened for Amy Lin: “Restock request”"]),
        ("!fill sku=LED-100 quantity=lots\n"
         "!submit", ["✗ quantity: Give a whole number, e.g. 500."]),
        ("!fill quantity=50000\n"
         "!submit", ["✗ quantity: 50000 looks too large"]),
        ("/restock status twelve", ["Usage: /restock status R-123"]),
        ("/restock list all", ["Restock requests: all", "No restock requests here."]),
    ])


def test_reminders_for_slow_approvals_and_late_shipments(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-100 100", ["Filed R-1: 100 × LED-100, sent to purchasing."]),
    ])
    assert "has waited for a decision" not in console.send("!at 2026-11-24 08:00")  # 23 hours: not yet
    converse(console, [
        ("!at 2026-11-24 09:00", ["#purchasing · in thread · Opsbot",
                                  "⏰ R-1 has waited for a decision for more than 24 hours: @Chen Jie."]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Approve", ["📦 Restock R-1 · approved", "R-1 (100 × LED-100) is now approved by @Chen Jie."]),
        ("!click Mark ordered", ["modal opened for Chen Jie: “R-1”", "✎ PO number: ____", "✎ ETA: ____"]),
        ('!fill po=PO-1 eta=2026-11-30\n'
         "!submit", ["📦 Restock R-1 · ordered", "PO PO-1 · — · ETA Nov 30, 2026"]),
        ("!at 2026-12-01 09:00", ["🚚 R-1 was due on Nov 30, 2026 and has not been received yet.",
                                  "DM with Amy Lin"]),
    ])


def test_lists(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-100 100", ["Filed R-1: 100 × LED-100, sent to purchasing."]),
        ("!as U0BUYER\n"
         "/restock LED-100 200", ["Filed R-2: 200 × LED-100, sent to purchasing."]),
        ("/restock list", ["Restock requests: open", "*R-2* · 200 × LED-100", "*R-1* · 100 × LED-100"]),
        ("/restock list mine", ["*R-2*"]),
        ("/restock list led-100", ["*R-1*", "*R-2*"]),
    ])


def test_feedback_about_stock_offers_a_prefilled_request(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/feedback LED-100 will be out of stock in the US in 10 days", [
            "Adjust restock",
            "Last 7 days: *LED-100*: 140 units · 140 orders · GMV $4,198.60 · 1,680 sessions · CVR 8.3%"]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Adjust restock", ["“Restock request”", "*Suggestion: 500 units*", "✎ SKU: LED-100",
                                    "✎ Quantity (empty: the suggestion) (optional): 500"]),
        ("!submit", ["📦 Restock R-1 · requested", "requested by @Chen Jie"]),
    ])


def test_the_manager_reads_it_in_chinese(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MANAGER\n"
         "/restock LED-100 100", ["已提交 R-1：100 × LED-100，已发给采购。", "DM with Li Wei", "📦 补货 R-1 · 已申请"]),
        ("/restock dance", ["only visible to Li Wei", "我不认识 SKU dance"]),
    ])


def test_each_workday_morning_purchasing_sees_what_to_reorder(console: ConsoleSlack, tmp_path: Path) -> None:
    low = tmp_path / "low.csv"
    low.write_text("date,marketplace,sku,units,available,inbound\n2026-11-22,US,LED-100,20,100,0\n", encoding="utf-8")
    with console.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", low)
    converse(console, [
        # 100 on hand at 20 a day: 5 days of cover against a 53-day lead time.
        ("!at 2026-11-24 09:00", ["── #purchasing · Opsbot", "Restock watch",
                                  "🔴 order now *LED-100* · 5.0 days of cover, lead time 53 days", "Request restock",
                                  # ... and the morning KPI digest in #ops lists it too, with the same button.
                                  "*Restock: order now / reorder soon*"]),
        ("!as U0BUYER\n"
         "!click Request restock", ["“Restock request”", "✎ SKU: LED-100"]),
    ])
    digest = next(r for r in console.emulator.records
                  if r.kind == "message" and r.channel == "C0OPS" and "Restock: order now" in str(r.blocks))
    buttons = [e for b in digest.blocks if b["type"] == "actions" for e in b["elements"]]
    assert [b["action_id"] for b in buttons] == ["restock.request_prefilled"]
    console.send("!at 2026-11-30 08:00")  # on to Monday morning, across the weekend
    watches = [r for r in console.emulator.records if r.kind == "message" and r.text == "Restock watch"]
    assert len(watches) == 4  # Tuesday to Friday: once each workday, none on Saturday or Sunday


def test_the_export_escapes_cells_a_spreadsheet_would_run_as_formulas(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-100 100", ["Filed R-1"]),
    ])
    typed = {"po_number": '=HYPERLINK("http://evil.example","PO")', "reason": "+1 urgent"}
    with console.services.db.engine.begin() as connection:
        connection.exec_driver_sql("update restock_requests set po_number = ?, reason = ?",
                                   (typed["po_number"], typed["reason"]))
    text = RestockCards(console.services.context, console.services.context.playbook(RestockPlaybook)).export_csv(
        console.team)
    row = next(csv.DictReader(io.StringIO(text)))
    # Independent check: every text cell starting with = + - @ is prefixed with a quote, numbers stay numbers.
    assert row["po_number"] == "'" + typed["po_number"]
    assert not any(str(v).startswith(("=", "+", "@")) for v in row.values())
    assert row["quantity"] == "100"
