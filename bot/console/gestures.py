"""What a person does in Slack, other than filling a modal, as the console types it: a slash command,
``!click`` on a button or menu option, ``!say`` a message, ``!shortcut`` on a message, ``!upload`` a
file, ``!home`` to open the App Home.

Each becomes the request Slack would send, signed and dispatched to the real app; each returns what
appeared because of it. The person and the place are the ``Seat``'s.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

from slack_bolt import BoltResponse

from bot.console import payloads
from bot.console.errors import ConsoleError
from bot.console.modals import ModalForms
from bot.console.render import Clickable, Renderer
from bot.console.seat import Seat
from bot.console.slack_state import BOT_USER_ID, Record


class Gestures:
    def __init__(self, seat: Seat, forms: ModalForms) -> None:
        self.seat = seat
        self.forms = forms  # a click in a modal sends the modal's inputs along

    def command(self, command: str, text: str) -> str:
        seat = self.seat
        response_url = seat.emulator.new_response_url(seat.channel, seat.user)
        body = payloads.slash_command(
            command, text, user=seat.user, channel=seat.channel, team=seat.team.slack_team_id, response_url=response_url
        )
        response = seat.app.dispatch(body)
        if response.status == 404:
            raise ConsoleError(f"{command} is not a command this app knows")
        self._ack_text(response)
        return seat.new_output()

    def _ack_text(self, response: BoltResponse) -> None:
        """Text passed to ack() shows to the person as an ephemeral reply, as in Slack."""
        if response.body and response.status == 200:
            try:
                data = json.loads(response.body)
            except json.JSONDecodeError:
                data = {"text": response.body}
            if isinstance(data, dict) and (data.get("text") or data.get("blocks")):
                self.seat.emulator.state.record(
                    kind="ephemeral",
                    channel=self.seat.channel,
                    user=self.seat.user,
                    text=str(data.get("text", "")),
                    blocks=list(data.get("blocks") or []),
                )

    # -- !click ----------------------------------------------------------------------------------
    def _visible(self, record: Record) -> bool:
        if record.kind == "ephemeral":
            return record.user == self.seat.user
        if record.kind in ("view_open", "view_push", "view_update", "home"):
            return record.user == self.seat.user
        channel = self.seat.emulator.channel(record.channel or "")
        return not channel.is_im or channel.user == self.seat.user

    def _find_clickable(self, target: str) -> Clickable:
        """The open modal's first, then the newest message or ephemeral the person can see that has it, then their
        App Home."""
        seat, emulator = self.seat, self.seat.emulator
        renderer = Renderer(emulator.state)  # not the seat's: its numbers are those of the last output
        candidates: list[Record] = []
        for state in reversed(seat.modals.get(seat.user, [])[-1:]):
            view = emulator.views.get(state.view_id)
            if view:
                candidates.append(view)
        latest: dict[tuple[str | None, str | None], Record] = {}
        for record in emulator.records:
            if record.kind in ("message", "update"):
                latest[(record.channel, record.ts)] = record
        messages = [r for r in latest.values() if self._visible(r)]
        ephemerals = [r for r in emulator.records if r.kind == "ephemeral" and self._visible(r)]
        candidates += sorted(messages + ephemerals, key=lambda r: r.seq, reverse=True)
        # Then the person's App Home as it shows now (its latest publish): its buttons are clicked by text too, but
        # after every message — Opsbot republishes Homes on its own, and a button in a channel is what was meant.
        candidates += [r for r in emulator.records if r.kind == "home" and r.user == seat.user][-1:]
        wanted = target.strip().strip('"').lower()
        if wanted.isdigit():
            number = int(wanted)
            found = [c for c in seat.renderer.clickables if c.number == number]
            if found:
                return found[0]
            raise ConsoleError(f"no button number {number} in the last output")
        for record in candidates:
            renderer.render([record])
            for clickable in renderer.clickables:
                if clickable.label.lower() == wanted:
                    return clickable
        raise ConsoleError(f"no button or menu option labelled {target!r} is visible to {seat.user}")

    def click(self, target: str) -> str:
        if not target:
            raise ConsoleError("!click needs a button's text (or its number from the last output)")
        seat = self.seat
        clickable = self._find_clickable(target)
        record, element = clickable.record, clickable.element
        action: dict[str, Any] = {
            "type": element.get("type"),
            "action_id": element.get("action_id"),
            "block_id": clickable.block_id,
            "action_ts": f"{seat.app.clock.now().timestamp():.6f}",
        }
        if clickable.option is not None:
            action["selected_option"] = clickable.option
        else:
            action["text"] = element.get("text")
            action["value"] = element.get("value")
        if record.view is not None:
            body = payloads.block_action(
                user=seat.user,
                team=seat.team.slack_team_id,
                action=action,
                response_url=None,
                container={"type": "view", "view_id": record.view_id},
                view=self.forms.view_with_state(record),
            )
        else:
            channel = record.channel or seat.channel
            is_ephemeral = record.kind == "ephemeral"
            message = (
                None
                if is_ephemeral
                else {
                    "type": "message",
                    "ts": record.ts,
                    "text": record.text,
                    "blocks": record.blocks,
                    "user": BOT_USER_ID,
                    **({"thread_ts": record.thread_ts} if record.thread_ts else {}),
                }
            )
            body = payloads.block_action(
                user=seat.user,
                team=seat.team.slack_team_id,
                action=action,
                channel=channel,
                message=message,
                response_url=seat.emulator.new_response_url(channel, seat.user, None if is_ephemeral else record.ts),
                container={
                    "type": "message",
                    "message_ts": record.ts,
                    "channel_id": channel,
                    "is_ephemeral": is_ephemeral,
                },
            )
        confirm = element.get("confirm")
        prefix = f"(confirmed “{confirm.get('title', {}).get('text', '')}”)\n" if confirm else ""
        seat.app.dispatch(body)
        return prefix + seat.new_output()

    # -- messages, shortcuts, files, the App Home ------------------------------------------------
    def say(self, text: str) -> str:
        """Post a message as the current person (something to shortcut on, or a file's comment)."""
        seat = self.seat
        seat.said += 1
        ts = f"{1_600_000_000 + seat.said}.000200"
        record = seat.emulator.state.record(
            kind="message",
            channel=seat.channel,
            ts=ts,
            text=text,
            blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        )
        record.user = seat.user
        seat.emulator.messages[(seat.channel, ts)] = record
        seat.seen = max(seat.seen, record.seq)  # shown below; not again as the bot's
        return (
            f"── #{seat.emulator.channel(seat.channel).name} · {seat.renderer.name_of(seat.user)} (ts {ts})\n  {text}"
        )

    def shortcut(self, rest: str) -> str:
        seat = self.seat
        callback_id, _, ts = rest.partition(" ")
        ts = ts.strip() or self._last_human_ts()
        found = seat.emulator.messages.get((seat.channel, ts))
        if found is None:
            raise ConsoleError(f"no message with ts {ts} in this channel; !say one first")
        message = {"type": "message", "ts": ts, "text": found.text, "user": found.user or BOT_USER_ID}
        body = payloads.message_shortcut(
            callback_id=callback_id,
            user=seat.user,
            team=seat.team.slack_team_id,
            channel=seat.channel,
            message=message,
            response_url=seat.emulator.new_response_url(seat.channel, seat.user),
        )
        seat.app.dispatch(body)
        return seat.new_output()

    def _last_human_ts(self) -> str:
        seat = self.seat
        for record in reversed(seat.emulator.records):
            if record.kind == "message" and record.channel == seat.channel and record.user not in (None, BOT_USER_ID):
                return str(record.ts)
        raise ConsoleError("!shortcut needs a callback id and a message ts")

    def upload(self, rest: str) -> str:
        """Share a file; ``key=value`` after the path overrides what Slack says about it (tests of forged shares)."""
        seat = self.seat
        path, overrides = _upload_args(rest)
        shared = seat.emulator.share_file(path.name, path.read_bytes())
        unknown = set(overrides) - set(shared)
        if unknown:
            raise ConsoleError(f"!upload can override {', '.join(sorted(shared))}, not {', '.join(sorted(unknown))}")
        shared.update({k: int(v) if k == "size" and v.isdigit() else v for k, v in overrides.items()})
        seat.said += 1
        ts = f"{1_600_000_000 + seat.said}.000300"
        channel = seat.emulator.channel(seat.channel)
        event = {
            "type": "message",
            "subtype": "file_share",
            "user": seat.user,
            "text": "",
            "ts": ts,
            "channel": seat.channel,
            "channel_type": "im" if channel.is_im else "channel",
            "files": [shared],
        }
        seat.app.dispatch(
            payloads.event(team=seat.team.slack_team_id, event_body=event, bot_user=BOT_USER_ID), "application/json"
        )
        return f"── #{channel.name} · {seat.renderer.name_of(seat.user)} shared {path.name}\n" + seat.new_output()

    def home(self) -> str:
        seat = self.seat
        event = {
            "type": "app_home_opened",
            "user": seat.user,
            "channel": seat.emulator.dm_channel_of(seat.user),
            "tab": "home",
            "event_ts": f"{seat.app.clock.now().timestamp():.6f}",
        }
        seat.app.dispatch(
            payloads.event(team=seat.team.slack_team_id, event_body=event, bot_user=BOT_USER_ID), "application/json"
        )
        return seat.new_output()


def _upload_args(rest: str) -> tuple[Path, dict[str, str]]:
    whole = Path(rest).expanduser()
    if whole.is_file():  # a path with spaces in it, and nothing else
        return whole, {}
    try:
        words = shlex.split(rest)
    except ValueError as exc:
        raise ConsoleError(f"!upload could not read {rest!r}: {exc}") from exc
    path = Path(words[0]).expanduser() if words else Path()
    if not words or not path.is_file():
        raise ConsoleError(f"!upload: no file at {path}")
    pairs = [word.partition("=") for word in words[1:]]
    if any(not sep for _, sep, _ in pairs):
        raise ConsoleError("!upload takes a path, then optional key=value pairs such as size=1000")
    return path, {key: value for key, _, value in pairs}
