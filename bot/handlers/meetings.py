"""/agenda, /action, /decision, /meeting, the "Add to agenda" message shortcut, and the buttons on agendas and
actions: the weekly meeting (每周例会) and the monthly review (每月归纳会)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack

from bot.blocks import meetings as ids
from bot.blocks.meeting_lines import ACTION_MENU, LINE_MENU
from bot.errors import N_, OpsError
from bot.features import Alias, Feature, LinkKind, Registrar, Shortcut, SlashCommand
from bot.flows.agenda_meetings import SECTIONS
from bot.flows.context import Context, HomeReader
from bot.flows.meeting_actions import MeetingActions
from bot.flows.meeting_agenda import MeetingAgenda
from bot.flows.meeting_calendar import MeetingCalendar
from bot.flows.meeting_follow_ups import may_start, started_moved
from bot.flows.meeting_history import MeetingHistory
from bot.flows.meeting_record import MeetingRecord, Update
from bot.handlers import meeting_follow_ups as follow_ups
from bot.handlers.common import submit_or_field_errors, view_values
from bot.i18n import Translator
from bot.ops.links import LinkState, Ref
from bot.ops.meeting_playbook import load_playbook
from bot.ops.meetings import Recorded, parse_action, parse_decision, parse_item
from bot.scheduler import ScheduledJob

AGENDA_WORDS = (Alias("add", "添加", "新增"), Alias("show", "查看", "查看"))
ACTION_WORDS = (Alias("by", "截止", "截止", anywhere=True),)
MEETING_WORDS = (Alias("list", "列表", "列表"), Alias("show", "查看", "查看"))


def register(reg: Registrar, ctx: Context) -> None:
    calendar = MeetingCalendar(ctx)
    record, history, agenda = MeetingRecord(ctx, calendar), MeetingHistory(ctx, calendar), MeetingAgenda(ctx, calendar)
    follow_ups.register(reg, ctx)  # an action's "Turn into…" menu

    @reg.command("/agenda")
    def agenda_command(ack: Ack, command: dict[str, Any]) -> None:
        """/agenda add [@owner] text puts an item on the next meeting's agenda; /agenda show shows it as it stands."""
        ack()
        user, team_id, reply = command["user_id"], command.get("team_id"), command["response_url"]
        verb, _, rest = (command.get("text") or "").strip().partition(" ")
        tr = ctx.translator_for(user, ctx.team_of(user, team_id))
        if verb.lower() == "add":
            ctx.delivery.respond(reply, record.add_item(user, parse_item(rest), team_id))
        elif verb.lower() in ("", "show"):
            ctx.delivery.respond(reply, tr._("The next agenda"), agenda.preview(user, team_id))
        else:
            raise OpsError(N_("Try /agenda add [@owner] text, or /agenda show."))

    @reg.command("/action")
    def action_command(ack: Ack, command: dict[str, Any]) -> None:
        """/action @owner by DATE [#section] text records an action in the meeting; DATE: YYYY-MM-DD, MM-DD or fri."""
        ack()
        user, team_id = command["user_id"], command.get("team_id")
        today = ctx.today(ctx.team_of(user, team_id))
        answer = record.record_action(user, parse_action(command.get("text") or "", today), team_id)
        ctx.delivery.respond(command["response_url"], answer)

    @reg.command("/decision")
    def decision_command(ack: Ack, command: dict[str, Any]) -> None:
        """/decision [#section] text records a decision in the meeting."""
        ack()
        user, team_id = command["user_id"], command.get("team_id")
        answer = record.record_decision(user, parse_decision(command.get("text") or ""), team_id)
        ctx.delivery.respond(command["response_url"], answer)

    @reg.command("/meeting")
    def meeting_command(ack: Ack, command: dict[str, Any]) -> None:
        """/meeting list shows past meetings; /meeting show DATE one meeting's agenda, decisions and actions."""
        ack()
        user, team_id, reply = command["user_id"], command.get("team_id"), command["response_url"]
        verb, _, rest = (command.get("text") or "").strip().partition(" ")
        tr = ctx.translator_for(user, ctx.team_of(user, team_id))
        if verb.lower() in ("", "list"):
            ctx.delivery.respond(reply, tr._("Meetings"), history.list_blocks(user, team_id))
        elif verb.lower() == "show":
            ctx.delivery.respond(reply, tr._("Meeting"), history.show_blocks(user, rest, team_id))
        else:
            raise OpsError(N_("Try /meeting list or /meeting show DATE."))

    @reg.shortcut(ids.SHORTCUT)
    def add_from_message(ack: Ack, shortcut: dict[str, Any]) -> None:
        ack()
        user, text = shortcut["user"]["id"], shortcut["message"].get("text", "")
        answer = record.add_item(user, Recorded(text.strip()) if text.strip() else parse_item(""))
        ctx.delivery.respond(shortcut["response_url"], answer)

    @reg.action(ids.ADD_ACTION)
    def add_action(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = body["user"]["id"]
        meeting, _, key = str(body["actions"][0].get("value") or "").partition(":")
        if not meeting.isdigit():
            raise OpsError(N_("That meeting is not your team's."))
        meeting_id, title = record.meeting_for_button(user, int(meeting), key)
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        ctx.delivery.open_view(body["trigger_id"], ids.new_action_modal(tr, meeting_id, key, title))

    def form(save: Callable[[str, dict[str, Any], dict[str, Any]], str]) -> Callable[..., None]:
        """A meetings form: its fields checked, saved by ``save(user, metadata, values)``, and what was recorded
        told to whoever sent it, in their DM (the form closes; the channel hears it from the record)."""

        def submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
            user, meta, values = body["user"]["id"], json.loads(view["private_metadata"]), view_values(view)
            tr = ctx.translator_for(user, ctx.teams.for_user(user))
            answer = submit_or_field_errors(ack, tr, view, lambda: save(user, meta, values))
            if answer:
                ctx.delivery.dm(user, answer)

        return submitted

    def save_action(user: str, meta: dict[str, Any], values: dict[str, Any]) -> str:
        text = (values.get("text") or "").strip()
        if not text:
            raise OpsError(N_("Say what is to be done."), field="text")
        if not values.get("owner") or not values.get("due"):
            raise OpsError(N_("Pick an owner and a date."), field="owner" if not values.get("owner") else "due")
        action = Recorded(text, owner=values["owner"], due=date.fromisoformat(values["due"]),
                          section=meta.get("section"))
        return record.record_action(user, action, meeting_id=int(meta["meeting"]), line=_line(meta))

    reg.view(ids.NEW_ACTION_VIEW)(form(save_action))

    @reg.action(LINE_MENU)
    def on_agenda_line(ack: Ack, body: dict[str, Any]) -> None:
        """An agenda line's menu: a form for an action or a decision on that line, its words filled in."""
        ack()
        user = body["user"]["id"]
        value = str((body["actions"][0].get("selected_option") or {}).get("value") or "")
        what, meeting, key, index = [*value.split(":"), "", "", "", ""][:4]
        if what not in ("a", "d") or not meeting.isdigit() or not index.isdigit():
            raise OpsError(N_("That meeting is not your team's."))
        title, quoted, words = record.line_for_button(user, int(meeting), key, int(index))
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        build = ids.new_action_modal if what == "a" else ids.new_decision_modal
        ctx.delivery.open_view(body["trigger_id"], build(tr, int(meeting), key, title, int(index), quoted, words))

    def save_decision(user: str, meta: dict[str, Any], values: dict[str, Any]) -> str:
        text = (values.get("text") or "").strip()
        if not text:
            raise OpsError(N_("Say what was decided."), field="text")
        decision = Recorded(text, section=meta.get("section"))
        return record.record_decision(user, decision, meeting_id=int(meta["meeting"]), line=_line(meta))

    reg.view(ids.NEW_DECISION_VIEW)(form(save_decision))

    @reg.action(ACTION_MENU)
    def on_action_menu(ack: Ack, body: dict[str, Any]) -> None:
        """An action's menu where someone else's action shows (a manager's App Home, /meeting show, a summary):
        who may change it is checked here, whatever the menu said."""
        ack()
        user = body["user"]["id"]
        kind, _, value = str((body["actions"][0].get("selected_option") or {}).get("value") or "").partition(":")
        if kind not in ids.UPDATES.values() or not value.isdigit():
            raise OpsError(N_("That action is not your team's."))
        open_update(body, user, int(value), kind)

    def open_update(body: dict[str, Any], user: str, action: int, kind: str) -> None:
        entry = record.may_update(user, action)
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        label = Ref("action", entry.id).label
        ctx.delivery.open_view(body["trigger_id"], ids.update_modal(tr, entry.id, label, kind, entry.version,
                                                                    entry.due))

    def update_button(action_id: str, kind: str) -> None:
        @reg.action(action_id)
        def clicked(ack: Ack, body: dict[str, Any]) -> None:
            ack()
            user, value = body["user"]["id"], str(body["actions"][0].get("value") or "")
            if not value.isdigit():
                raise OpsError(N_("That action is not your team's."))
            open_update(body, user, int(value), kind)

    for action_id, kind in ids.UPDATES.items():
        update_button(action_id, kind)

    def save_update(user: str, meta: dict[str, Any], values: dict[str, Any]) -> str:
        due = date.fromisoformat(values["due"]) if values.get("due") else None
        change = Update(str(meta.get("kind")), values.get("note") or "", due, meta.get("version"))
        action = int(meta["action"]) if str(meta.get("action", "")).isdigit() else 0
        return record.update(user, action, change)

    reg.view(ids.UPDATE_VIEW)(form(save_update))

def _line(meta: dict[str, Any]) -> int | None:
    """The agenda line a form was opened on (None: on a whole section)."""
    line = meta.get("line")
    return line if isinstance(line, int) and not isinstance(line, bool) else None


def jobs(ctx: Context) -> list[ScheduledJob]:
    calendar = MeetingCalendar(ctx)
    return MeetingAgenda(ctx, calendar).jobs() + MeetingActions(ctx, calendar).jobs()


def my_actions(ctx: Context, reader: HomeReader) -> list[dict[str, Any]]:
    return MeetingActions(ctx, MeetingCalendar(ctx)).home(ctx, reader)


def describe_action(ctx: Context, ref: Ref, tr: Translator) -> LinkState | None:
    return MeetingActions(ctx, MeetingCalendar(ctx)).describe(ctx, ref, tr)


FEATURE = Feature(
    name="meetings",
    register=register,
    commands=(
        SlashCommand("/agenda", "Add to the next meeting's agenda", "add [@owner] text | show", aliases=AGENDA_WORDS),
        SlashCommand("/action", "Record a meeting action", "@owner by DATE text", aliases=ACTION_WORDS),
        SlashCommand("/decision", "Record a meeting decision", "text"),
        SlashCommand("/meeting", "Past meetings and their record", "list | show DATE", aliases=MEETING_WORDS),
    ),
    shortcuts=(Shortcut(ids.SHORTCUT, "Add to agenda", "Put this message on the next meeting's agenda"),),
    load_playbook=load_playbook,
    jobs=jobs,
    home_sections=(my_actions,),
    link_kinds=(LinkKind("action", describe_action, changed=started_moved, may_start=may_start),),
    agenda_sections=SECTIONS,
    demo_scene="70_meetings.txt",
)
