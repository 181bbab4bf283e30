"""Modals at the console: ``!fill`` the open modal's inputs, ``!submit`` it, ``!close`` it.

A modal the app opens shows as its inputs (``✎ Label: initial``). ``!fill`` keeps what was typed
as Slack keeps an input's state; ``!submit`` sends the view with that state, as Slack's
view_submission, and then does what the app answered: errors beside the fields, or update, push or
clear the modal stack.
"""

from __future__ import annotations

import json
import shlex
from typing import Any

from bot.console import payloads
from bot.console.errors import ConsoleError
from bot.console.seat import Seat
from bot.console.slack_state import Record


class ModalForms:
    def __init__(self, seat: Seat) -> None:
        self.seat = seat

    def fill(self, assignments: str) -> str:
        state, record = self.seat.top_modal()
        assert record.view is not None
        inputs = {b.get("block_id"): b for b in record.view.get("blocks", []) if b.get("type") == "input"}
        try:
            pairs = shlex.split(assignments)
        except ValueError as exc:
            raise ConsoleError(f"!fill could not read {assignments!r}: {exc}") from exc
        for pair in pairs:
            name, sep, value = pair.partition("=")
            if not sep:
                raise ConsoleError(f"!fill takes field=value pairs; {pair!r} has no '='")
            block = _find_input(inputs, name)
            if block is None:
                labels = ", ".join(repr(b.get("label", {}).get("text", k)) for k, b in inputs.items())
                raise ConsoleError(f"the modal has no field {name!r}; its fields are {labels}")
            state.filled[str(block["block_id"])] = _element_state(block["element"], value)
        return ""

    def view_with_state(self, record: Record) -> dict[str, Any]:
        """The view as Slack sends it back to the app: every input's value, filled or initial."""
        assert record.view is not None
        stack = self.seat.modals.get(self.seat.user) or []
        filled = next((s.filled for s in stack if s.view_id == record.view_id), {})
        values: dict[str, dict[str, Any]] = {}
        for block in record.view.get("blocks", []):
            if block.get("type") != "input":
                continue
            element = block.get("element", {})
            block_id = str(block.get("block_id"))
            values[block_id] = {str(element.get("action_id")): filled.get(block_id) or _initial_state(element)}
        view = dict(record.view)
        view["state"] = {"values": values}
        view.setdefault("hash", f"h{record.seq}")
        return view

    def submit(self) -> str:
        seat = self.seat
        state, record = seat.top_modal()
        body = payloads.view_submission(
            user=seat.user, team=seat.team.slack_team_id, view=self.view_with_state(record)
        )
        response = seat.app.dispatch(body)
        answer: dict[str, Any] = {}
        if response.body:
            try:
                answer = json.loads(response.body)
            except json.JSONDecodeError:
                answer = {}
        action = answer.get("response_action")
        stack = seat.modals[seat.user]
        if action == "errors":
            errors = "\n".join(f"  ✗ {k}: {v}" for k, v in answer.get("errors", {}).items())
            return (
                seat.new_output()
                + ("\n" if seat.emulator.since(seat.seen) else "")
                + f"── modal “{record.text}” not submitted:\n{errors}"
            )
        if action in ("update", "push"):
            shown = seat.emulator.web_api.open_view(
                f"view_{action}", {"view_id": state.view_id, "view": answer["view"]} if action == "update"
                else {"view": answer["view"]}, seat.user)
            if not shown.get("ok"):  # Slack shows the person its own "trouble connecting" line
                return seat.new_output() + f"── Slack refused the modal ({shown.get('error')}): {shown}"
        elif action == "clear":
            stack.clear()
        elif stack and stack[-1] is state:
            stack.pop()
        return seat.new_output()

    def close(self) -> str:
        stack = self.seat.modals.get(self.seat.user) or []
        if stack:
            stack.pop()
        return "(modal closed)"


def _find_input(inputs: dict[Any, dict[str, Any]], name: str) -> dict[str, Any] | None:
    wanted = name.strip().lower()
    for block_id, block in inputs.items():
        label = str(block.get("label", {}).get("text", "")).lower()
        if wanted in (str(block_id).lower(), str(block.get("element", {}).get("action_id", "")).lower(), label):
            return block
    return None


def _element_state(element: dict[str, Any], value: str) -> dict[str, Any]:
    """What Slack keeps for an input once a person typed or chose ``value`` in it."""
    kind = element.get("type")
    options = list(element.get("options", [])) + [o for g in element.get("option_groups", []) for o in g["options"]]

    def option(text: str) -> dict[str, Any]:
        for candidate in options:
            if text.lower() in (str(candidate["value"]).lower(), str(candidate["text"]["text"]).lower()):
                return dict(candidate)
        if kind in ("external_select", "multi_external_select"):
            return {"text": {"type": "plain_text", "text": text}, "value": text}
        choices = ", ".join(str(o["text"]["text"]) for o in options)
        raise ConsoleError(f"{text!r} is not one of the choices: {choices}")

    if kind in ("static_select", "external_select", "radio_buttons"):
        return {"type": kind, "selected_option": option(value)}
    if kind in ("multi_static_select", "multi_external_select"):
        return {"type": kind, "selected_options": [option(v.strip()) for v in value.split(",") if v.strip()]}
    if kind == "checkboxes":
        if value.lower() in ("yes", "true", "on") and len(options) == 1:
            return {"type": kind, "selected_options": options}
        chosen = [] if value.lower() in ("no", "false", "off", "") else [option(v.strip()) for v in value.split(",")]
        return {"type": kind, "selected_options": chosen}
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": [v.strip() for v in value.split(",") if v.strip()]}
    if kind in ("conversations_select", "channels_select"):
        return {"type": kind, "selected_conversation": value, "selected_channel": value}
    return {"type": kind or "plain_text_input", "value": value}


# An untouched input's state as Slack sends it: the state key and the element's initial-value key, with the default.
_INITIAL: dict[str, tuple[str, str, Any]] = {
    **{kind: ("selected_option", "initial_option", None)
       for kind in ("static_select", "external_select", "radio_buttons")},
    **{kind: ("selected_options", "initial_options", [])
       for kind in ("multi_static_select", "multi_external_select", "checkboxes")},
    "datepicker": ("selected_date", "initial_date", None),
    "users_select": ("selected_user", "initial_user", None),
    "multi_users_select": ("selected_users", "initial_users", []),
    "conversations_select": ("selected_conversation", "initial_conversation", None),
    "channels_select": ("selected_channel", "initial_channel", None),
    "multi_conversations_select": ("selected_conversations", "initial_conversations", []),
    "multi_channels_select": ("selected_channels", "initial_channels", []),
}


def _initial_state(element: dict[str, Any]) -> dict[str, Any]:
    """What Slack sends for an input nobody touched: its initial value, if any."""
    kind = element.get("type")
    if kind in _INITIAL:
        state, initial, default = _INITIAL[kind]
        return {"type": kind, state: element.get(initial, list(default) if isinstance(default, list) else default)}
    return {"type": kind or "plain_text_input", "value": element.get("initial_value")}
