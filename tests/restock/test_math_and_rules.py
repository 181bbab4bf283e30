"""Restock math by hand, the lifecycle's every move, and who may make it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.errors import OpsError
from bot.ops import restock as ops
from bot.ops import restock_math as m
from bot.ops.restock_playbook import RestockPlaybook, SkuSettings, Supplier, load_playbook
from bot.ops.team import Role

TODAY = date(2026, 11, 23)
PLAYBOOK = load_playbook(Path(__file__).resolve().parents[2] / "playbooks")
SUPPLIER = PLAYBOOK.suppliers["shenzhen-lighting"]  # production 15, sea 30 / air 8, customs 3, receiving 5, Q4 +8
LED = SkuSettings(supplier="shenzhen-lighting", unit_cost=42.5, moq=500, carton=50)


@dataclass(frozen=True)
class Day:
    day: date
    units: int
    available: int | None


def history(units: int = 20, stockout_ago: range = range(11, 16), days: int = 90) -> list[Day]:
    """``days`` of history ending yesterday; out of stock (0 sold, 0 available) ``stockout_ago`` days ago."""
    return [
        Day(TODAY - timedelta(days=ago), 0 if ago in stockout_ago else units, 0 if ago in stockout_ago else 800)
        for ago in range(days, 0, -1)
    ]


def test_stock_out_days_are_left_out_of_velocity() -> None:
    speed = m.velocity(history(), TODAY)
    assert speed is not None
    # 30 days minus 5 stock-out days = 25 days of 20 units: 20/day, not 500/30 = 16.7.
    assert speed.windows == ((30, 20.0), (60, 20.0), (90, 20.0))
    assert speed.per_day == 20.0 and speed.stockout_days == 5 and speed.sigma == 0.0


def test_windows_blend_half_30_day_and_fall_back_for_new_skus() -> None:
    # 30 days at 30/day, days 31-60 at 10/day, nothing older: the 30-day average is 30; the 60- and 90-day
    # windows average the 60 days there are, 20. Blend 0.5 x 30 + 0.3 x 20 + 0.2 x 20 = 25.
    days = [Day(TODAY - timedelta(days=ago), 30 if ago <= 30 else 10, 100) for ago in range(60, 0, -1)]
    speed = m.velocity(days, TODAY)
    assert speed is not None and speed.per_day == pytest.approx(25.0)
    # A SKU launched 10 days ago: every window is those 10 days.
    new = m.velocity([Day(TODAY - timedelta(days=ago), 7, 50) for ago in range(10, 0, -1)], TODAY)
    assert new is not None and new.per_day == pytest.approx(7.0)
    assert m.velocity([], TODAY) is None


def test_the_worked_example_by_sea() -> None:
    # Lead 15 + 30 + 3 + 5 = 53 days (arrival 10 Jan: no Q4 surcharge).
    # Safety = 1.645 x sqrt(53 x 0^2 + 20^2 x 3^2) = 1.645 x 60 = 98.7 -> 99; reorder point 20 x 53 + 98.7 -> 1159.
    # Cover (800 + 400) / 20 = 60 days: not below 53 nor 53 + 7, not above 1.5 x (14 + 53) = 100.5 -> ok.
    # Quantity (14 + 53) x 20 + 98.7 - 1200 = 238.7 -> MOQ 500 -> cartons of 50 -> 500. Reorder by 23 Nov + 7.
    s = m.suggest("LED-100", history(), 800, 400, LED, SUPPLIER, "sea", 0.95, 14, TODAY)
    assert s.lead.days == 53 and s.lead.q4_extra == 0
    assert (s.safety_stock, s.reorder_point, s.days_of_cover, s.status) == (99, 1159, 60.0, m.OK)
    assert s.quantity == 500 and s.reorder_by == date(2026, 11, 30)


def test_air_freight_arriving_in_q4_adds_the_receiving_surcharge_and_can_mean_order_now() -> None:
    # 15 + 8 + 3 = 26 days: arrives 19 Dec (Q4) -> + 5 receiving + 8 extra = 39 days.
    s = m.suggest("LED-100", history(), 300, 0, LED, SUPPLIER, "air", 0.95, 14, TODAY)
    assert s.lead.days == 39 and s.lead.q4_extra == 8
    # Cover 300 / 20 = 15 < 39: order now. Need (14 + 39) x 20 + 98.7 - 300 = 858.7 -> 900 (cartons of 50).
    assert s.status == m.ORDER_NOW and s.quantity == 900


def test_variable_lead_time_and_demand_both_raise_safety_stock() -> None:
    supplier = Supplier(name="x", production_days=10, freight_days={"sea": 20}, lead_time_sd_days=5)
    days = [Day(TODAY - timedelta(days=ago), 10 if ago % 2 else 30, 500) for ago in range(30, 0, -1)]
    s = m.suggest("X", days, 0, 0, SkuSettings(unit_cost=1, moq=1, carton=1), supplier, "sea", 0.95, 7, TODAY)
    # d = 20, sigma_d = 10 (alternating 10/30), L = 30, sigma_L = 5:
    # 1.645 x sqrt(30 x 100 + 400 x 25) = 1.645 x sqrt(13000) = 187.6 -> 188
    assert s.safety_stock == 188


def test_rounding_to_moq_and_carton_and_never_negative() -> None:
    assert m.round_up(238.7, 500, 50) == 500
    assert m.round_up(510, 500, 50) == 550
    assert m.round_up(7, 1, 12) == 12
    assert m.round_up(-40, 500, 50) == 0


def test_overstock_and_no_history() -> None:
    assert m.suggest("LED-100", history(), 5000, 0, LED, SUPPLIER, "sea", 0.95, 14, TODAY).status == m.OVERSTOCK
    empty = m.suggest("LED-100", [], 0, 0, LED, SUPPLIER, "sea", 0.95, 14, TODAY)
    assert empty.status == m.NO_HISTORY and empty.quantity == 0


LEGAL = {
    (ops.REQUESTED, "approve"): ops.APPROVED, (ops.REQUESTED, "reject"): ops.REJECTED,
    (ops.REQUESTED, "change_quantity"): ops.REQUESTED, (ops.APPROVED, "order"): ops.ORDERED,
    (ops.ORDERED, "ship"): ops.SHIPPED, (ops.SHIPPED, "receive"): ops.RECEIVED, (ops.RECEIVED, "close"): ops.CLOSED,
    **{(state, "cancel"): ops.CANCELLED for state in (ops.REQUESTED, ops.APPROVED, ops.ORDERED, ops.SHIPPED)},
}
STATES = (ops.REQUESTED, ops.APPROVED, ops.REJECTED, ops.ORDERED, ops.SHIPPED, ops.RECEIVED, ops.CLOSED, ops.CANCELLED)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(ops.MOVES))
def test_every_move_is_allowed_or_refused_with_a_reason(state: str, action: str) -> None:
    if (state, action) in LEGAL:
        assert ops.next_state(action, state) == LEGAL[(state, action)]
    else:
        with pytest.raises(OpsError) as refused:
            ops.next_state(action, state)
        assert refused.value.params == {"state": state, "action": action}


EVERYTHING = {"approve", "reject", "change_quantity", "order", "ship", "receive", "close", "cancel"}
SMALL = ops.RequestFacts("U_REQ", 100, 42.5)  # 4,250 CNY: purchasing may decide
LARGE = ops.RequestFacts("U_REQ", 500, 42.5)  # 21,250 CNY: over 20,000, the manager decides


@pytest.mark.parametrize(
    ("role", "facts", "allowed"),
    [
        (Role.purchasing, SMALL, EVERYTHING),
        (Role.purchasing, LARGE, {"order", "ship", "receive", "close", "cancel"}),
        (Role.manager, LARGE, EVERYTHING),
        (Role.warehouse, SMALL, {"receive"}),
        (Role.marketing, SMALL, set()),
        (Role.finance, LARGE, set()),
    ],
)
def test_each_role_may_do_exactly_its_part(role: Role, facts: ops.RequestFacts, allowed: set[str]) -> None:
    assert {a for a in ops.MOVES if ops.may(a, "U_OTHER", {role}, facts, PLAYBOOK)} == allowed


def test_nobody_decides_their_own_request_but_they_may_cancel_it() -> None:
    for action in ("approve", "reject", "change_quantity"):
        assert not ops.may(action, "U_REQ", {Role.manager}, SMALL, PLAYBOOK)
    assert ops.may("cancel", "U_REQ", {Role.marketing}, SMALL, PLAYBOOK)


def test_quantities_that_make_no_sense_are_refused() -> None:
    for quantity in (0, -5):
        with pytest.raises(OpsError, match="above zero"):
            ops.check_quantity(quantity, 500, PLAYBOOK)
    with pytest.raises(OpsError) as absurd:
        ops.check_quantity(60_000, 500, PLAYBOOK)
    assert absurd.value.params["limit"] == 20_000 and absurd.value.field == "quantity"


def test_one_line_commands() -> None:
    filed = ops.parse_command("LED-100 600 by 2026-12-20 for the Christmas deal")
    assert (filed.sku, filed.quantity, filed.needed_by, filed.note) == ("LED-100", 600, date(2026, 12, 20),
                                                                        "for the Christmas deal")
    assert ops.parse_command("LED-100").quantity is None
    assert ops.parse_command("status R-12").ref == 12
    assert ops.parse_command("list mine").scope == "mine"
    for bad in ("LED-100 -5", "LED-100 12.5", "LED-100 lots", "LED-100 500 by tomorrow", "status twelve"):
        if bad == "LED-100 lots":
            assert ops.parse_command(bad).quantity is None  # "lots" is the note
            continue
        with pytest.raises(OpsError):
            ops.parse_command(bad)


def test_unknown_skus_get_the_closest_known_ones() -> None:
    assert ops.closest_skus("LED100", ["LED-100", "LED-200", "USB-C-60W"])[:1] == ["LED-100"]


def test_a_sku_naming_an_unknown_supplier_fails_at_start() -> None:
    with pytest.raises(ValueError, match="suppliers that are not under suppliers"):
        RestockPlaybook.model_validate({"skus": {"A": {"supplier": "ghost", "unit_cost": 1}}})
