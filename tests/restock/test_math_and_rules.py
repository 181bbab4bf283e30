"""Restock math by hand, the lifecycle's every move, and who may make it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from bot.errors import OpsError
from bot.ops import restock as ops
from bot.ops import restock_math as m
from bot.ops.restock_playbook import FreightMode, RestockPlaybook, SkuSettings, Supplier, load_playbook
from bot.ops.team import Role
from bot.reports.velocity import StockFacts, stock_table, velocity_of

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


def speed(days: list[Day], today: date = TODAY) -> m.Velocity | None:
    """The one velocity (bot.reports.velocity) of a SKU with this history, listed on its first day."""
    facts = StockFacts(
        pd.DataFrame({"marketplace": "US", "sku": "X", "first_day": [d.day for d in days[:1]]}),
        pd.DataFrame({"marketplace": "US", "sku": "X", "day": [d.day for d in days], "units": [d.units for d in days]}),
        pd.DataFrame({"marketplace": "US", "sku": "X", "day": [d.day for d in days if d.available is not None],
                      "available": [d.available for d in days if d.available is not None], "inbound": None}))
    table = stock_table(facts, today - timedelta(days=1), today, by_marketplace=False)
    return velocity_of(table.iloc[0]) if len(table) else None


def by_hand(days: list[Day], today: date = TODAY) -> tuple[float, int]:
    """Units per calendar day over the 30 days before today since the first day, known stock-outs left out."""
    first = max(days[0].day, today - timedelta(days=30))
    sold = {d.day: d.units for d in days}
    out = {d.day for d in days if d.available == 0}
    used = [first + timedelta(days=i) for i in range((today - first).days) if first + timedelta(days=i) not in out]
    return sum(sold.get(d, 0) for d in used) / len(used), len(used)


def test_stock_out_days_are_left_out_of_velocity() -> None:
    found = speed(history())
    assert found is not None
    # 30 days minus 5 stock-out days = 25 days of 20 units: 20/day, not 500/30 = 16.7.
    assert (found.per_day, found.days) == by_hand(history()) == (20.0, 25)
    assert found.stockout_days == 5 and found.sigma == 0.0 and found.units == 500


def test_days_without_sales_count_as_zero_and_a_new_sku_counts_from_its_first_day() -> None:
    # Sold on every other day: the days between are zeros, not left out (the defect averaged selling days).
    alternate = [Day(TODAY - timedelta(days=ago), 3 if ago % 2 else 0, None) for ago in range(60, 0, -1)]
    alternate = [d for d in alternate if d.units]  # a day without a sale has no row at all in the reports
    found = speed(alternate)
    assert found is not None and found.per_day == pytest.approx(by_hand(alternate)[0]) == pytest.approx(1.5)
    # A SKU listed 10 days ago: those 10 days, not 30.
    new = [Day(TODAY - timedelta(days=ago), 7, 50) for ago in range(10, 0, -1)]
    fresh = speed(new)
    assert fresh is not None and (fresh.per_day, fresh.days) == by_hand(new) == (7.0, 10)
    assert speed([]) is None


def lead(mode: FreightMode = "sea") -> m.LeadTime:
    return m.lead_time(SUPPLIER, mode, TODAY)


def test_the_worked_example_by_sea() -> None:
    # Lead 15 + 30 + 3 + 5 = 53 days (arrival 10 Jan: no Q4 surcharge).
    # Safety = 1.645 x sqrt(53 x 0^2 + 20^2 x 3^2) = 1.645 x 60 = 98.7 -> 99; reorder point 20 x 53 + 98.7 -> 1159.
    # Cover (800 + 400) / 20 = 60 days: not below 53 nor 53 + 7, not above 1.5 x (14 + 53) = 100.5 -> ok.
    # Quantity (14 + 53) x 20 + 98.7 - 1200 = 238.7 -> MOQ 500 -> cartons of 50 -> 500. Reorder by 23 Nov + 7.
    s = m.suggest("LED-100", speed(history()), 800, 400, LED, lead(), SUPPLIER.lead_time_sd_days, 0.95, 14, TODAY)
    assert s.lead.days == 53 and s.lead.q4_extra == 0
    assert (s.safety_stock, s.reorder_point, s.days_of_cover, s.status) == (99, 1159, 60.0, m.OK)
    assert s.quantity == 500 and s.reorder_by == date(2026, 11, 30)


def test_air_freight_arriving_in_q4_adds_the_receiving_surcharge_and_can_mean_order_now() -> None:
    # 15 + 8 + 3 = 26 days: arrives 19 Dec (Q4) -> + 5 receiving + 8 extra = 39 days.
    s = m.suggest("LED-100", speed(history()), 300, 0, LED, lead("air"), SUPPLIER.lead_time_sd_days, 0.95, 14, TODAY)
    assert s.lead.days == 39 and s.lead.q4_extra == 8
    # Cover 300 / 20 = 15 < 39: order now. Need (14 + 39) x 20 + 98.7 - 300 = 858.7 -> 900 (cartons of 50).
    assert s.status == m.ORDER_NOW and s.quantity == 900


def test_variable_lead_time_and_demand_both_raise_safety_stock() -> None:
    supplier = Supplier(name="x", production_days=10, freight_days={"sea": 20}, lead_time_sd_days=5)
    days = [Day(TODAY - timedelta(days=ago), 10 if ago % 2 else 30, 500) for ago in range(30, 0, -1)]
    settings = SkuSettings(unit_cost=1, moq=1, carton=1)
    s = m.suggest("X", speed(days), 0, 0, settings, m.lead_time(supplier, "sea", TODAY), supplier.lead_time_sd_days,
                  0.95, 7, TODAY)
    # d = 20, sigma_d = 10 (alternating 10/30, population deviation over the 30 days), L = 30, sigma_L = 5:
    # 1.645 x sqrt(30 x 100 + 400 x 25) = 1.645 x sqrt(13000) = 187.6 -> 188
    assert s.safety_stock == 188


def test_rounding_to_moq_and_carton_and_never_negative() -> None:
    assert m.round_up(238.7, 500, 50) == 500
    assert m.round_up(510, 500, 50) == 550
    assert m.round_up(7, 1, 12) == 12
    assert m.round_up(-40, 500, 50) == 0


def test_overstock_and_no_history() -> None:
    assert m.suggest("LED-100", speed(history()), 5000, 0, LED, lead(), 3, 0.95, 14, TODAY).status == m.OVERSTOCK
    empty = m.suggest("LED-100", speed([]), 0, 0, LED, lead(), 3, 0.95, 14, TODAY)
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
        # Above the threshold purchasing still lowers a quantity within its own limit (restock.yml).
        (Role.purchasing, LARGE, {"change_quantity", "order", "ship", "receive", "close", "cancel"}),
        (Role.manager, LARGE, EVERYTHING),
        (Role.warehouse, SMALL, {"receive"}),
        (Role.marketing, SMALL, set()),
        (Role.finance, LARGE, set()),
    ],
)
def test_each_role_may_do_exactly_its_part(role: Role, facts: ops.RequestFacts, allowed: set[str]) -> None:
    assert {a for a in ops.MOVES if ops.may(a, "U_OTHER", {role}, facts, PLAYBOOK)} == allowed


def test_nobody_decides_their_own_request_but_they_may_amend_or_withdraw_it() -> None:
    for action in ("approve", "reject"):
        assert ops.refusal(action, "U_REQ", {Role.manager}, SMALL, PLAYBOOK) == ops.OWN
    assert ops.may("change_quantity", "U_REQ", {Role.marketing}, SMALL, PLAYBOOK)
    assert ops.may("cancel", "U_REQ", {Role.marketing}, SMALL, PLAYBOOK)


MANAGERS_OWN = ops.RequestFacts("U_BOSS", 500, 42.5, frozenset({Role.manager}))


def test_the_managers_own_request_above_the_threshold_has_a_second_approver() -> None:
    assert PLAYBOOK.approval.manager_own_requests == "finance"
    assert ops.deciders(MANAGERS_OWN, PLAYBOOK) == (Role.finance, Role.manager)
    assert ops.may("approve", "U_FIN", {Role.finance}, MANAGERS_OWN, PLAYBOOK)
    assert ops.may("approve", "U_OTHER_BOSS", {Role.manager}, MANAGERS_OWN, PLAYBOOK)
    assert ops.refusal("approve", "U_BOSS", {Role.manager}, MANAGERS_OWN, PLAYBOOK) == ops.OWN
    assert ops.refusal("approve", "U_BUY", {Role.purchasing}, MANAGERS_OWN, PLAYBOOK) == ops.MANAGERS_OWN
    assert not ops.may("approve", "U_FIN", {Role.finance}, LARGE, PLAYBOOK)  # someone else's: the manager's
    # Below the threshold nothing changes: purchasing decides the manager's own small request.
    small = ops.RequestFacts("U_BOSS", 100, 42.5, frozenset({Role.manager}))
    assert ops.deciders(small, PLAYBOOK) == (Role.purchasing, Role.manager)


def test_purchasing_lowers_within_its_own_limit() -> None:
    big = ops.RequestFacts("U_REQ", 1500, 42.5)
    share = PLAYBOOK.approval.purchasing_may_lower_by
    lowest = -(-int(1500 * (100 - share * 100)) // 100)  # ceil(1500 x (1 - share)), in whole numbers
    assert (share, lowest) == (0.5, 750)
    assert ops.refusal("change_quantity", "U_BUY", {Role.purchasing}, big, PLAYBOOK, 900) is None
    assert ops.refusal("change_quantity", "U_BUY", {Role.purchasing}, big, PLAYBOOK, lowest) is None
    assert ops.refusal("change_quantity", "U_BUY", {Role.purchasing}, big, PLAYBOOK, lowest - 1) == ops.CUT_TOO_DEEP
    assert ops.refusal("change_quantity", "U_BUY", {Role.purchasing}, big, PLAYBOOK, 1600) == ops.NOT_A_CUT
    assert ops.refusal("change_quantity", "U_MKT", {Role.marketing}, big, PLAYBOOK, 900) == ops.NEEDS_PURCHASING


@pytest.mark.parametrize(("quantity", "moq", "carton"), [(320, 500, 50), (520, 500, 50), (500, 500, 50),
                                                          (301, 300, 40), (1001, 1000, 100), (7, 1, 1)])
def test_the_nearest_quantity_the_supplier_ships(quantity: int, moq: int, carton: int) -> None:
    smallest_whole_cartons = next(n * carton for n in range(1, 10_000) if n * carton >= max(quantity, moq))
    expected = None if smallest_whole_cartons == quantity else smallest_whole_cartons
    assert ops.orderable(quantity, moq, carton) == expected


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
