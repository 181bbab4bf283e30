"""The restock forms read into typed values; a value that cannot be read names its field."""

from __future__ import annotations

from datetime import date

import pytest

from bot.errors import OpsError
from bot.ops.restock_forms import RequestForm, StepForm, request_form, step_form


def test_a_request_form_reads_into_a_typed_value() -> None:
    values = {"sku": "LED-100", "marketplace": "US", "destination": "fba", "quantity": "1,000",
              "needed_by": "2026-12-31", "freight": "air", "reason": "Q1 promotion"}
    assert request_form(values) == RequestForm(sku="LED-100", marketplace="US", destination="fba", quantity=1000,
                                               needed_by=date(2026, 12, 31), freight="air", reason="Q1 promotion")


def test_an_empty_quantity_means_the_suggestion() -> None:
    assert request_form({"sku": "LED-100", "quantity": "  "}) == RequestForm(sku="LED-100")


@pytest.mark.parametrize("quantity", ["12.5", "lots", "1e9"])
def test_a_quantity_that_is_not_a_whole_number_is_a_field_error(quantity: str) -> None:
    with pytest.raises(OpsError) as raised:
        request_form({"sku": "LED-100", "quantity": quantity})
    assert raised.value.field == "quantity"
    assert raised.value.message == "Give a whole number, e.g. 500."


@pytest.mark.parametrize(
    ("action", "values", "field", "message"),
    [
        ("reject", {"reason": "  "}, "reason", "Say why it is rejected."),
        ("change_quantity", {"quantity": "x"}, "quantity", "Give a whole number, e.g. 500."),
        ("change_quantity", {"quantity": "0"}, "quantity", "The quantity must be a whole number above zero."),
        ("order", {"eta": "2027-01-10"}, "po", "Give the PO number and the ETA."),
        ("order", {"po": "PO-1"}, "eta", "Give the PO number and the ETA."),
        ("receive", {"received": "-1"}, "received", "The quantity must be a whole number above zero."),
    ],
)
def test_a_step_value_that_cannot_be_read_names_its_field(
    action: str, values: dict[str, str], field: str, message: str
) -> None:
    with pytest.raises(OpsError) as raised:
        step_form(action, values)
    assert (raised.value.field, raised.value.message) == (field, message)


def test_step_forms_read_what_each_step_adds() -> None:
    assert step_form("reject", {"reason": " Too early "}) == StepForm(reason="Too early")
    assert step_form("change_quantity", {"quantity": "1,200"}) == StepForm(quantity=1200)
    assert step_form("order", {"po": "PO-1", "supplier": "Acme", "eta": "2027-01-10"}) == StepForm(
        po="PO-1", supplier="Acme", eta=date(2027, 1, 10))
    assert step_form("ship", {"carrier": "COSCO", "tracking": "C1", "mode": None}) == StepForm(
        carrier="COSCO", tracking="C1")
    assert step_form("receive", {"received": "0"}) == StepForm(received=0)
    assert step_form("approve", {}) == StepForm()


def test_a_comma_or_a_lone_minus_after_the_sku_is_part_of_the_note_not_a_quantity() -> None:
    """The fuzzer's `/restock 0\\r,`: a quantity has a digit; `,` alone once crashed with int("")."""
    from bot.ops.restock import parse_command

    for text, note in (("0\r,", ","), ("LED-100 , rush", ", rush"), ("LED-100 -, rush", "-, rush")):
        wanted = parse_command(text)
        assert (wanted.action, wanted.quantity, wanted.note) == ("file", None, note)
    assert parse_command("LED-100 1,500 rush").quantity == 1500
