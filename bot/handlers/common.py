"""Small helpers every feature's handlers share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from bot.errors import OpsError
from bot.i18n import Translator

T = TypeVar("T")


def submit_or_field_errors(
    ack: Callable[..., Any], tr: Translator, work: Callable[[], T],
    answer: Callable[[T], dict[str, Any]] | None = None,
) -> T | None:
    """Run a view submission's work; an OpsError naming a field becomes Slack's inline field error.

    The modal stays open with the message under the field, and nothing is saved, so the person
    loses nothing they typed. An OpsError without a field closes the modal and is replied privately
    by the app's error handler.
    """
    try:
        result = work()
    except OpsError as error:
        if error.field is None:
            ack()
            raise
        ack(response_action="errors", errors={error.field: tr._(error.message, **error.params)})
        return None
    ack(**(answer(result) if answer else {}))
    return result


def view_values(view: dict[str, Any]) -> dict[str, Any]:
    """Flatten a submitted view's state to {block_id: value}: text, selected option value(s), date, users."""
    flat: dict[str, Any] = {}
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        for element in actions.values():
            kind = element.get("type")
            if kind in ("static_select", "external_select", "radio_buttons"):
                option = element.get("selected_option")
                flat[block_id] = option["value"] if option else None
            elif kind in ("multi_static_select", "multi_external_select", "checkboxes"):
                flat[block_id] = [o["value"] for o in element.get("selected_options") or []]
            elif kind == "datepicker":
                flat[block_id] = element.get("selected_date")
            elif kind == "users_select":
                flat[block_id] = element.get("selected_user")
            elif kind == "multi_users_select":
                flat[block_id] = element.get("selected_users") or []
            elif kind == "conversations_select" or kind == "channels_select":
                flat[block_id] = element.get("selected_conversation") or element.get("selected_channel")
            else:
                flat[block_id] = element.get("value")
    return flat
