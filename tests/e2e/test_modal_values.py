"""What the modal fuzzer (tests/test_fuzz_modals.py) found, each as a transcript: a field error, nothing half-done.

Before the fixes each of these ended in "Something went wrong" (a ValueError, an IntegrityError, an
OverflowError, Slack's name_taken), or saved a value PostgreSQL would refuse, or posted a no-go and
wrote its audit row before refusing the new date.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from bot.blocks.launch import add_launch_task_button
from bot.console.session import ConsoleSlack
from bot.db.core import AuditEntry
from bot.db.launch import LaunchTask
from bot.errors import OpsError
from bot.handlers.common import check_inputs
from bot.i18n import translator
from bot.reports.ingest import ingest_generic
from tests.conftest import REPO, converse
from tests.launch.test_launch_e2e import start_launch

SALES = REPO / "tests" / "restock" / "fixtures" / "led-100-us.csv"


def _audit_rows(console: ConsoleSlack) -> int:
    """How long the audit trail is: a record kept for later that no Slack surface shows, so read from its table."""
    with console.services.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _forge(console: ConsoleSlack, block: str, element_state: dict[str, Any]) -> None:
    """Put a value in the open modal that its form would never offer (as a forged submission would)."""
    console.modals[console.user][-1].filled[block] = element_state


@pytest.fixture
def sales(console: ConsoleSlack) -> ConsoleSlack:
    with console.services.db.transaction() as session:
        ingest_generic(session, "shenzhen-ops", SALES)
    return console


def test_a_date_that_is_not_on_the_calendar_is_a_field_error(sales: ConsoleSlack) -> None:
    converse(sales, [
        ("!as U0MARKET\n"
         "/restock", ["modal opened for Amy Lin: “Restock request”", "✎ Needed by (optional): ____"]),
        ("!fill sku=LED-100 quantity=300 needed_by=2026-02-30\n"
         "!submit", ["✗ needed_by: Pick a date from the calendar."]),
        ("!fill needed_by=tomorrow\n"
         "!submit", ["✗ needed_by: Pick a date from the calendar."]),
        ("/restock list all", ["No restock requests here."]),
    ])


def _ordered(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-100 100", ["Filed R-1: 100 × LED-100, sent to purchasing."]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Approve", ["approved"]),
        ("!click Mark ordered", ["“R-1”"]),
    ])


def test_an_eta_off_the_calendar_and_text_wider_than_its_column_are_field_errors(sales: ConsoleSlack) -> None:
    _ordered(sales)
    converse(sales, [
        ("!fill po=PO-1 eta=2027-13-01\n"
         "!submit", ["✗ eta: Pick a date from the calendar."]),
        (f"!fill eta=2027-01-10 supplier={'S' * 121}\n"
         "!submit", ["✗ supplier: Please keep this under 120 characters (it has 121)."]),
        ("!fill supplier=Acme\n"
         "!submit", ["📦 Restock R-1 · ordered"]),
        ("!click Mark shipped", ["modal opened for Chen Jie: “R-1”", "✎ Carrier (optional): ____"]),
        (f"!fill carrier={'C' * 65} tracking=T1 mode=sea\n"
         "!submit", ["✗ carrier: Please keep this under 64 characters"]),
        ("/restock status R-1", ["📦 Restock R-1 · ordered"]),  # not shipped
    ])


def test_a_shipping_mode_the_form_never_offered_is_refused(sales: ConsoleSlack) -> None:
    _ordered(sales)
    converse(sales, [
        ("!fill po=PO-1 eta=2027-01-10\n"
         "!submit", ["ordered"]),
        ("!click Mark shipped", ["modal opened for Chen Jie: “R-1”", "✎ Mode (optional): ____ (Sea | Air | Express)"]),
    ])
    _forge(sales, "mode", {"type": "static_select", "selected_option": {"text": {"type": "plain_text", "text": "x"},
                                                                         "value": "teleport"}})
    converse(sales, [("!submit", ["✗ mode: Choose one of the options offered."])])


def test_a_received_quantity_far_beyond_the_order_is_refused_not_overflowed(sales: ConsoleSlack) -> None:
    _ordered(sales)
    converse(sales, [
        ("!fill po=PO-1 eta=2027-01-10\n"
         "!submit", ["📦 Restock R-1 · ordered"]),
        ("!click Mark shipped", ["modal opened for Chen Jie: “R-1”"]),
        ("!fill carrier=COSCO tracking=C1 mode=sea\n"
         "!submit", ["📦 Restock R-1 · shipped"]),
        ("!as U0WAREHOUSE\n"
         "!click Mark received", ["modal opened for Klaus Becker: “R-1”", "✎ Quantity received: 100"]),
        ("!fill received=99999999999999999999\n"
         "!submit", ["✗ received: 99999999999999999999 is more than 10 times the 100 ordered: check the number."]),
        ("!fill received=1001\n"
         "!submit", ["✗ received: 1001 is more than 10 times"]),
        ("!fill received=1000\n"
         "!submit", ["📦 Restock R-1 · received"]),
    ])


NEW = '!fill name="Desk Fan" skus=DESK-FAN-01 marketplaces=US playbook=standard'


def test_a_launch_date_off_the_calendar_or_centuries_away_is_a_field_error(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0SELECT\n"
         "/launch new", ["modal opened for Zhang Min: “New launch”", "✎ Launch date: ____"]),
        (f"{NEW} launch_date=2027-02-29\n"
         "!submit", ["✗ launch_date: Pick a date from the calendar."]),
        # T+14 would be past the end of the calendar
        (f"{NEW} launch_date=9999-12-20\n"
         "!submit", ["✗ launch_date: Pick a launch date within the next 3 years."]),
        ("/launch list", ["No active launches."]),
    ])


def test_a_marketplace_the_form_never_offered_is_refused(console: ConsoleSlack) -> None:
    converse(console, [
        # The form is filled before the forgery below, which the fill's marketplaces=US would overwrite.
        ("!as U0SELECT\n"
         "/launch new\n"
         f"{NEW} launch_date=2027-03-01", ["modal opened for Zhang Min: “New launch”",
                                            "✎ Marketplaces: ____ (US | CA | MX | BR | UK | DE | FR | IT | ES"]),
    ])
    _forge(console, "marketplaces", {"type": "multi_static_select", "selected_options": [
        {"text": {"type": "plain_text", "text": "Mars"}, "value": "MARS"}]})
    converse(console, [
        ("!submit", ["✗ marketplaces: Choose one of the options offered."]),
        ("/launch list", ["No active launches."]),
    ])


def test_a_launch_channel_name_slack_already_has_takes_the_next_free_one(console: ConsoleSlack) -> None:
    # Slack's answer comes after the form's (issue 17): the name cannot be a field error, so the launch takes
    # the next free name, as Slack itself would suggest, and its creator is told.
    console.emulator._api_conversations_create({"name": "launch-desk-fan"})  # e.g. an archived earlier launch
    converse(console, [
        ("!as U0SELECT\n"
         "/launch new", ["modal opened for Zhang Min: “New launch”"]),
        (f"{NEW} launch_date=2027-03-01\n"
         "!submit", ["channel #launch-desk-fan-2 created",
                     "── #launch-desk-fan-2 · Opsbot",
                     "🚀 Launch: Desk Fan",
                     "message pinned",
                     "Desk Fan is set up in #launch-desk-fan-2: Slack already has a channel called #launch-desk-fan, "
                     "so this one took the next free name."]),
    ])
    listed = converse(console, [("/launch list", ["*Desk Fan* (`desk-fan`) · Mar 1, 2027 · #launch-desk-fan-2"])])
    assert listed.count("*Desk Fan*") == 1


def test_a_task_state_the_form_never_offered_changes_nothing(console: ConsoleSlack) -> None:
    start_launch(console)
    converse(console, [("!click Market research and competitor analysis", ["“Launch task”"])])
    for forged in (None, {"text": {"type": "plain_text", "text": "x"}, "value": "finished"}):
        _forge(console, "state", {"type": "radio_buttons", "selected_option": forged})
        shown = console.send("!submit")
        assert "✗ state:" in shown and "Something went wrong" not in shown
    converse(console, [("/launch status led-desk-lamp", ["LED Desk Lamp: 0/20 done, 20 open"])])


def test_the_flow_itself_refuses_an_unknown_task_state(console: ConsoleSlack) -> None:
    from bot.flows.launch_checklist import LaunchChecklist
    from bot.flows.launch_tasks import LaunchTasks, TaskUpdate
    from bot.ops.launch_playbook import LaunchPlaybooks

    start_launch(console)
    # A call straight into the flow, as a forged submission past the modal's checks would make: it names the task
    # by Opsbot's own id, which only the store tells.
    with console.services.db.transaction() as session:
        task_id = session.scalars(select(LaunchTask.id).where(LaunchTask.owner == "U0SELECT")).first()
    assert task_id is not None
    with pytest.raises(OpsError) as refused:
        ctx = console.services.context
        playbooks = ctx.playbook(LaunchPlaybooks)
        LaunchTasks(ctx, playbooks, LaunchChecklist(ctx, playbooks)).save(
            "U0SELECT", task_id, TaskUpdate("finished"), confirmed=False)
    assert refused.value.field == "state"


def test_a_no_go_with_a_new_date_in_the_past_posts_and_records_nothing(console: ConsoleSlack) -> None:
    start_launch(console)
    console.send("!at 2026-12-04 09:00")  # the selection sign-off gate asks Li Wei
    audit_before = _audit_rows(console)
    shown = converse(console, [
        ("!as U0MANAGER\n"
         "!in U0MANAGER\n"
         "!click 暂缓，先不推进", ["“暂缓”"]),
        ('!fill reason="Second sample first" new_date=2026-01-01\n'
         "!submit", ["✗ new_date: 新的上市日期必须晚于今天。"]),
    ])
    assert "No-go for" not in shown
    assert _audit_rows(console) == audit_before
    converse(console, [("!fill new_date=2027-03-01\n!submit", ["🔴 No-go for LED Desk Lamp"])])


def test_adding_a_task_to_a_launch_or_owner_that_does_not_exist_is_a_field_error(console: ConsoleSlack) -> None:
    start_launch(console)
    button = add_launch_task_button(translator("en"), "LED-100", "Fix the cable length in the listing")
    console.emulator._api_chat_postMessage({"channel": "C0MARKETING", "text": "feedback",
                                           "blocks": [{"type": "actions", "elements": [button]}]})
    converse(console, [
        ("!as U0MARKET\n"
         "!in C0MARKETING\n"
         "!click Add launch task", ["modal opened for Amy Lin: “Add launch task”", "LED Desk Lamp"]),
    ])
    _forge(console, "launch", {"type": "static_select", "selected_option": {
        "text": {"type": "plain_text", "text": "x"}, "value": "not-a-launch-id"}})
    converse(console, [
        ('!fill phase=Listing owner="Amy Lin" due=2026-12-01\n'
         "!submit", ["✗ launch: Choose one of the options offered."]),
    ])
    _forge(console, "owner", {"type": "static_select", "selected_option": None})
    converse(console, [
        ('!fill launch="LED Desk Lamp"\n'
         "!submit", ["✗ owner: Choose one of the options offered."]),
        ("/launch status led-desk-lamp", ["LED Desk Lamp: 0/20 done, 20 open"]),  # the playbook's, nothing added
    ])


def test_a_feedback_sku_wider_than_its_column_is_a_field_error(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0CS\n"
         "/feedback", ["modal opened for Wang Fang: “Market feedback”"]),
        (f'!fill what="Arrived cracked" sku={"X" * 65}\n'
         "!submit", ["✗ sku: Please keep this under 64 characters (it has 65)."]),
    ])


def _view(element: dict[str, Any], submitted: dict[str, Any], *, optional: bool = False) -> dict[str, Any]:
    return {"blocks": [{"type": "input", "block_id": "b", "optional": optional, "element": {**element,
                                                                                          "action_id": "a"}}],
            "state": {"values": {"b": {"a": submitted}}}}


OPTIONS = [{"text": {"type": "plain_text", "text": "Sea"}, "value": "sea"}]


@pytest.mark.parametrize(("element", "submitted", "optional", "problem"), [
    ({"type": "static_select", "options": OPTIONS}, {"selected_option": OPTIONS[0]}, False, None),
    ({"type": "static_select", "options": OPTIONS}, {"selected_option": {"value": "air"}}, False, "options offered"),
    ({"type": "static_select", "options": OPTIONS}, {"selected_option": "sea"}, False, "options offered"),
    ({"type": "static_select", "options": OPTIONS}, {"selected_option": None}, True, None),
    ({"type": "static_select", "options": OPTIONS}, {"selected_option": None}, False, "options offered"),
    ({"type": "checkboxes", "options": OPTIONS}, {"selected_options": []}, False, "options offered"),
    ({"type": "checkboxes", "options": OPTIONS}, {"selected_options": [OPTIONS[0], {"value": "x"}]}, True,
     "options offered"),
    ({"type": "datepicker"}, {"selected_date": "2026-12-31"}, False, None),
    ({"type": "datepicker"}, {"selected_date": "2026-12-1"}, False, "calendar"),
    ({"type": "datepicker"}, {"selected_date": "2026-12-01T00:00"}, False, "calendar"),
    ({"type": "plain_text_input", "max_length": 5}, {"value": "12345"}, False, None),
    ({"type": "plain_text_input", "max_length": 5}, {"value": "123456"}, False, "under 5 characters"),
    ({"type": "plain_text_input"}, {"value": "x" * 3001}, True, "under 3000 characters"),
    ({"type": "plain_text_input"}, {"value": "   "}, False, None),  # the feature says what it needs
    ({"type": "datepicker"}, {"selected_date": None}, False, None),
    ({"type": "plain_text_input"}, {"value": None}, True, None),
])
def test_each_value_is_checked_against_the_modal_that_asked_for_it(
    element: dict[str, Any], submitted: dict[str, Any], optional: bool, problem: str | None
) -> None:
    view = _view(element, {"type": element["type"], **submitted}, optional=optional)
    if problem is None:
        check_inputs(view)
        return
    with pytest.raises(OpsError) as refused:
        check_inputs(view)
    assert refused.value.field == "b"
    assert problem in refused.value.message.format(**refused.value.params)
