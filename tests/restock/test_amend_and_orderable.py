"""A requester amends or withdraws their own pending request; purchasing lowers within its own limit; a quantity the
supplier does not ship is flagged with the nearest one it does, in one click (issue 18, item 4).

LED-100: 42.5 CNY, MOQ 500, cartons of 50 (playbooks/restock.yml); purchasing may cut by up to 50 % on its own.
"""

from __future__ import annotations

import json
import math

import yaml

from bot.console import payloads
from bot.console.session import ConsoleSlack
from tests.conftest import PLAYBOOKS, converse

SKUS = yaml.safe_load((PLAYBOOKS / "restock.yml").read_text(encoding="utf-8"))["skus"]


def nearest_shipped(quantity: int, sku: str = "LED-100") -> int:
    """Independently of Opsbot: the smallest whole number of cartons that is at least the MOQ and the quantity."""
    moq, carton = SKUS[sku]["moq"], SKUS[sku]["carton"]
    cartons = math.ceil(max(quantity, moq) / carton)
    return int(cartons * carton)


def _quantity(console: ConsoleSlack) -> int:
    return int(console.services.db.engine.connect().exec_driver_sql(
        "select quantity from restock_requests").scalar())  # type: ignore[arg-type]


def test_the_requester_changes_the_quantity_of_their_own_pending_request_and_withdraws_it(
        console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-100 600", ["Filed R-1: 600 × LED-100, sent to purchasing."]),
        # Reproduced: "Change quantity" answered "Nobody approves their own request".
        ("!in C0PURCHASING\n"
         "!click Change quantity", ["modal opened for Amy Lin: “R-1”", "✎ New quantity: 600"]),
        ("!fill quantity=800\n"
         "!submit", ["#purchasing · message updated", "📦 Restock R-1 · requested", "800 × LED-100"]),
        ("!click Cancel request", ["📦 Restock R-1 · cancelled"]),
    ])
    rows = console.services.db.engine.connect().exec_driver_sql(
        "select actor, from_state, to_state, note from audit_log where entity = 'restock' order by id").fetchall()
    assert [tuple(r) for r in rows] == [("U0MARKET", None, "requested", "600 x LED-100"),
                                        ("U0MARKET", "requested", "requested", "quantity=800"),
                                        ("U0MARKET", "requested", "cancelled", None)]


def test_purchasing_lowers_an_above_threshold_quantity_within_its_own_limit(console: ConsoleSlack) -> None:
    filed = 1500
    lowest = math.ceil(filed * 0.5)  # purchasing_may_lower_by: 50%
    converse(console, [
        ("!as U0MARKET\n"
         f"/restock LED-100 {filed}", [f"Filed R-1: {filed:,} × LED-100"]),
        ("!as U0BUYER\n"
         "!in C0PURCHASING\n"
         "!click Change quantity", ["modal opened for Chen Jie: “R-1”"]),
        ("!fill quantity=1600\n"
         "!submit", ["✗ quantity: Above the approval threshold purchasing may only lower R-1 (now 1,500)"]),
        (f"!fill quantity={lowest - 50}\n"
         "!submit", [f"✗ quantity: On its own purchasing may lower R-1 to {lowest} at the least"]),
        ("!fill quantity=930\n"
         "!submit", [f"✗ quantity: LED-100 ships at least 500, in cartons of 50: 930 would be ordered as "
                     f"{nearest_shipped(930)}. Make it {nearest_shipped(930)}?"]),
        ("!fill quantity=900\n"
         "!submit", ["📦 Restock R-1 · requested", "900 × LED-100", "needs the manager's approval",
                     "DM with Amy Lin · Opsbot", "R-1: @Chen Jie changed the quantity from 1,500 to 900 × LED-100."]),
        ("!click Approve", ["R-1 is above the approval threshold in restock.yml: only the manager can decide."]),
    ])
    assert _quantity(console) == 900


def test_a_one_line_quantity_the_supplier_does_not_ship_is_flagged_with_the_nearest_in_one_click(
        console: ConsoleSlack) -> None:
    typed = 320
    offered = nearest_shipped(typed)
    assert offered == 500
    converse(console, [
        ("!as U0MARKET\n"
         f"/restock LED-100 {typed}", ["── #ops · only visible to Amy Lin", f"Filed R-1: {typed} × LED-100",
                                      f"⚠️ LED-100 ships at least 500, in cartons of 50: {typed} would be ordered as "
                                      f"{offered}.", f"Make it {offered}]",
                                      f"⚠️ not what the supplier ships: {offered} would be"]),
        (f"!click Make it {offered}", ["#purchasing · message updated", f"{offered} × LED-100"]),
    ])
    assert _quantity(console) == offered
    typed = 520
    converse(console, [
        (f"/restock LED-100 {typed}", [f"{typed} would be ordered as {nearest_shipped(typed)}",
                                       f"Make it {nearest_shipped(typed)}"]),
        ("/restock LED-100 550", ["Filed R-3: 550 × LED-100, sent to purchasing."]),
    ])
    assert "Make it" not in console.send("/restock LED-100 1000")  # whole cartons above the MOQ: nothing to flag


def test_the_form_refuses_it_under_the_field_with_the_nearest_quantity(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0SELECT\n"
         "/restock", ["modal opened for Zhang Min: “Restock request”"]),
        ("!fill sku=LED-100 quantity=499\n"
         "!submit", ["✗ quantity: LED-100 ships at least 500, in cartons of 50: 499 would be ordered as "
                     f"{nearest_shipped(499)}."]),
        (f"!fill quantity={nearest_shipped(499)}\n"
         "!submit", ["📦 Restock R-1 · requested", "500 × LED-100"]),
    ])


def test_a_forged_offer_changes_nothing(console: ConsoleSlack) -> None:
    converse(console, [
        ("!as U0MARKET\n"
         "/restock LED-100 320", ["Filed R-1", "Make it 500"]),
    ])

    def press(user: str, value: object) -> str:
        console.dispatch(payloads.block_action(
            user=user, team="T0DEMO", channel="C0OPS", response_url=None,
            action={"type": "button", "action_id": "restock.use_orderable", "value": json.dumps(value),
                    "block_id": "b"},
            container={"type": "message", "message_ts": "1.0", "channel_id": "C0OPS", "is_ephemeral": True},
        ))
        told = [r.text for r in console.emulator.records if r.kind == "ephemeral" and r.user == user]
        return told[-1] if told else ""

    # Someone who is neither the requester nor purchasing, a replayed button with another figure, garbage.
    assert "it needs purchasing or the manager" in press("U0WAREHOUSE", {"id": 1, "quantity": 500})
    assert "That restock request no longer exists." in press("U0MARKET", {"id": 99, "quantity": 500})
    assert "That restock request no longer exists." in press("U0MARKET", {"id": "1", "quantity": "lots"})
    assert "ships at least 500" in press("U0MARKET", {"id": 1, "quantity": 10})
    assert _quantity(console) == 320
    forged_step = payloads.block_action(
        user="U0MARKET", team="T0DEMO", channel="C0PURCHASING", response_url=None,
        action={"type": "button", "action_id": "restock.step_button", "block_id": "b",
                "value": json.dumps({"id": 1, "action": "approve"})},
        container={"type": "message", "message_ts": "1.0", "channel_id": "C0PURCHASING"},
    )
    console.dispatch(forged_step)  # the requester approving her own, by a payload no card showed her
    state = console.services.db.engine.connect().exec_driver_sql("select state from restock_requests").scalar()
    assert state == "requested"


def test_a_forged_step_value_is_answered_and_changes_nothing(console: ConsoleSlack) -> None:
    converse(console, [("!as U0MARKET\n/restock LED-100 500", ["Filed R-1"])])
    for value in ({"id": "1", "action": "approve"}, {"id": 1, "action": "drop_table"}, {"id": True, "action": "close"}):
        console.dispatch(payloads.block_action(
            user="U0MANAGER", team="T0DEMO", channel="C0PURCHASING", response_url=None,
            action={"type": "button", "action_id": "restock.step_button", "value": json.dumps(value), "block_id": "b"},
            container={"type": "message", "message_ts": "1.0", "channel_id": "C0PURCHASING"},
        ))
        told = [r.text for r in console.emulator.records if r.kind == "ephemeral" and r.user == "U0MANAGER"]
        assert told[-1] == "这个补货申请已经不存在了。", told
    state = console.services.db.engine.connect().exec_driver_sql("select state from restock_requests").scalar()
    assert state == "requested"
