"""Small helpers every feature's handlers share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from bot.answering import deciding
from bot.errors import N_, OpsError
from bot.i18n import Translator

T = TypeVar("T")
TEXT_INPUT_LIMIT = 3000  # what Slack allows in a plain_text_input without a max_length


def submit_or_field_errors(
    ack: Callable[..., Any], tr: Translator, view: dict[str, Any], work: Callable[[], T],
    answer: Callable[[T], dict[str, Any]] | None = None,
) -> T | None:
    """Check a view submission's inputs, then run its work; an OpsError naming a field becomes Slack's
    inline field error.

    The modal stays open with the message under the field, and nothing is saved, so the person
    loses nothing they typed. An OpsError without a field closes the modal and is replied privately
    by the app's error handler. A refusal decided without something the answer could not ask Slack for (a user
    group that gives a role, never read: ``bot/answering.py``) may be wrong, so it is not given: the form stays
    open and asks the person to submit again in a moment, once the group (read right after this answer) is known.
    """
    with deciding() as unknown:
        try:
            check_inputs(view)
            result = work()
        except OpsError as error:
            refusal = _not_read_yet(view) if error.field is None and unknown else error
            if refusal.field is None:
                ack()
                if refusal is error:
                    raise
                raise refusal from None
            ack(response_action="errors", errors={refusal.field: tr._(refusal.message, **refusal.params)})
            return None
    ack(**(answer(result) if answer else {}))
    return result


def _not_read_yet(view: dict[str, Any]) -> OpsError:
    first = next((str(b["block_id"]) for b in view.get("blocks", []) if b.get("type") == "input"), None)
    return OpsError(N_("Opsbot has not read your team's Slack user groups yet, so it could not check your role. "
                       "It is reading them now: submit again in a moment."), field=first)


def check_inputs(view: dict[str, Any]) -> None:
    """Each submitted value against the modal that asked for it, as Slack's own form would check it.

    A submission is request data: a forged one can carry anything. A value must be one of the options
    the modal offered (and a choice is made when the input is not optional), a real calendar date, and
    within the input's ``max_length`` (Slack's 3000 when unset); otherwise the field gets an error and
    nothing runs. An empty text or date is left to the feature, whose message says what it needs.
    """
    state = view.get("state", {}).get("values", {})
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        block_id, element = str(block.get("block_id")), block.get("element", {})
        submitted = next(iter((state.get(block_id) or {}).values()), None) or {}
        problem = _input_problem(element, submitted, required=not block.get("optional"))
        if problem is not None:
            raise OpsError(problem[0], field=block_id, **problem[1])


def _input_problem(
    element: dict[str, Any], submitted: dict[str, Any], *, required: bool
) -> tuple[str, dict[str, Any]] | None:
    kind = element.get("type")
    offered = {str(o.get("value")) for o in [*element.get("options", []),
                                               *(o for g in element.get("option_groups", []) for o in g["options"])]}
    if kind in ("static_select", "radio_buttons"):
        chosen = [submitted.get("selected_option")] if submitted.get("selected_option") is not None else []
    elif kind in ("multi_static_select", "checkboxes"):
        chosen = list(submitted.get("selected_options") or [])
    elif kind == "datepicker":
        picked = submitted.get("selected_date")
        return None if picked is None or _is_date(picked) else (N_("Pick a date from the calendar."), {})
    elif kind == "plain_text_input":
        text, limit = submitted.get("value"), int(element.get("max_length") or TEXT_INPUT_LIMIT)
        if isinstance(text, str) and len(text) > limit:
            return N_("Please keep this under {limit} characters (it has {length})."), {"limit": limit,
                                                                                       "length": len(text)}
        return None
    else:
        return None
    if any(not isinstance(o, dict) or str(o.get("value")) not in offered for o in chosen) or (required and not chosen):
        return N_("Choose one of the options offered."), {}
    return None


def _is_date(value: object) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


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
