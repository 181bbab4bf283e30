"""/standup and the stand-up's buttons and modal."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_bolt import Ack

from bot.blocks.standup import (
    ANSWER_VIEW,
    FILL_IN,
    REASON_BLOCK,
    RESOLVE_BLOCKER,
    RESOLVE_VIEW,
    SHOW_BLOCKERS,
    STILL_BLOCKED,
    away_list_blocks,
)
from bot.features import Feature, Registrar, SlashCommand
from bot.flows.agenda_standup import SECTIONS as AGENDA_SECTIONS
from bot.flows.context import Context
from bot.flows.standup_answers import StandupAnswers
from bot.flows.standup_home import standup_home
from bot.flows.standup_rounds import RECEIPTS, StandupRounds
from bot.handlers.command_words import STANDUP_WORDS
from bot.handlers.common import submit_or_field_errors, view_values
from bot.ops.standup import parse_command, validate_answers
from bot.ops.standup_playbook import StandupPlaybook, load_playbook
from bot.scheduler import ScheduledJob


def register(reg: Registrar, ctx: Context) -> None:
    playbook = ctx.playbook(StandupPlaybook)
    flow = StandupAnswers(ctx, playbook, StandupRounds(ctx, playbook))

    @reg.command("/standup")
    def standup(ack: Ack, command: dict[str, Any]) -> None:
        """/standup opens your next stand-up (answer early, or edit it). Also: skip [reason], ooo FROM..TO|3d [note], ooo list, ooo cancel N, back, status, history [@person] [7d|30d|FROM..TO], export [30d], reminders on|off."""  # noqa: E501
        ack()
        user, reply = command["user_id"], command["response_url"]
        team, member = flow.member(user, command.get("team_id"))
        tr = ctx.translator_for(user, team)
        wanted = parse_command(command.get("text", ""), flow.today_of(team, member))
        if wanted.action == "open":
            ctx.delivery.open_view(command["trigger_id"], flow.answer_modal(user))
        elif wanted.action == "skip":
            day, later = flow.skip(user, wanted.reason)
            ctx.delivery.respond(reply, tr._("Today is not a stand-up day for you: skipped your next one, {day}.",
                                             day=tr.date(day, "full")) if later
                                 else tr._("Skipped your stand-up for {day}.", day=tr.date(day, "full")))
        elif wanted.action == "ooo":
            if wanted.count:
                start, end = flow.away_workdays(user, wanted.count, wanted.reason)
            elif wanted.start and wanted.end:
                start, end = wanted.start, wanted.end
                flow.away(user, start, end, wanted.reason)
            ctx.delivery.respond(reply, tr._("Away from {start} to {end}: no prompts or reminders until then.",
                                             start=tr.date(start), end=tr.date(end)))
        elif wanted.action == "ooo-list":
            ctx.delivery.respond(reply, tr._("Your time away"), away_list_blocks(tr, flow.away_list(user)))
        elif wanted.action == "ooo-cancel" and wanted.count:
            start, end = flow.cancel_away(user, wanted.count)
            ctx.delivery.respond(reply, tr._("Cancelled your time away from {start} to {end}.",
                                             start=tr.date(start), end=tr.date(end)))
        elif wanted.action == "back":
            back = flow.back(user)
            ctx.delivery.respond(reply, tr._("Welcome back!") if back else tr._("You were not marked away."))
        elif wanted.action == "status":
            for part in flow.status(user):
                ctx.delivery.respond(reply, tr._("Today's stand-up so far"), part)
        elif wanted.action == "history" and wanted.start and wanted.end:
            ctx.delivery.respond(reply, tr._("Stand-up history"),
                                      flow.history(user, wanted.user, wanted.start, wanted.end))
        elif wanted.action == "export" and wanted.start and wanted.end:
            name, whole_team = flow.export(user, wanted.start, wanted.end)
            ctx.delivery.respond(reply, tr._("{file} is in your DM with Opsbot.", file=name) if whole_team
                                 else tr._("{file} (your own stand-ups; the whole team's export is for the "
                                           "manager) is in your DM with Opsbot.", file=name))
        elif wanted.action == "reminders":
            flow.set_reminders(user, bool(wanted.switch))
            ctx.delivery.respond(reply, tr._("Stand-up reminders are on.") if wanted.switch
                                      else tr._("Stand-up reminders are off."))
        else:
            ctx.delivery.respond(reply, tr._(
                "Usage: /standup · /standup skip [reason] · /standup ooo YYYY-MM-DD..YYYY-MM-DD|3d [note] · "
                "/standup ooo list · /standup ooo cancel N · /standup back · /standup status · "
                "/standup history [@person] [7d|30d|YYYY-MM-DD..YYYY-MM-DD] · "
                "/standup export [30d] · /standup reminders on|off"
            ))

    @reg.action(FILL_IN)
    def fill_in(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        day = date.fromisoformat(body["actions"][0]["value"])
        ctx.delivery.open_view(body["trigger_id"], flow.answer_modal(body["user"]["id"], day))

    @reg.view(ANSWER_VIEW)
    def answered(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        day = date.fromisoformat(json.loads(view["private_metadata"])["day"])
        tr = ctx.translator_for(user, ctx.teams.for_user(user))

        def save() -> None:
            team = ctx.team_of(user)
            values = view_values(view)
            form = validate_answers(playbook.for_team(team.id).questions, values)  # a bad field: its error
            still = {int(k.removeprefix(STILL_BLOCKED)): str(v) for k, v in values.items()
                     if k.startswith(STILL_BLOCKED) and k.removeprefix(STILL_BLOCKED).isdigit() and v}
            flow.submit(user, day, form, still)

        submit_or_field_errors(ack, tr, view, save)

    @reg.action(RESOLVE_BLOCKER)
    def resolve(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        asked = flow.resolve_request(body["user"]["id"], int(body["actions"][0]["value"]))
        if asked is not None:
            ctx.delivery.open_view(body["trigger_id"], asked)

    @reg.view(RESOLVE_VIEW)
    def resolved_with_reason(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user = body["user"]["id"]
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        blocker = int(json.loads(view["private_metadata"])["blocker"])

        def save() -> None:
            flow.resolve_blocker(user, blocker, str(view_values(view).get(REASON_BLOCK) or ""))

        submit_or_field_errors(ack, tr, view, save)

    @reg.action(SHOW_BLOCKERS)
    def show_all(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = body["user"]["id"]
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        for part in flow.all_blockers(user):
            ctx.delivery.respond(body["response_url"], tr._("Open blockers"), part)


def jobs(ctx: Context) -> list[ScheduledJob]:
    return StandupRounds(ctx, ctx.playbook(StandupPlaybook)).jobs()


FEATURE = Feature(
    name="standup",
    register=register,
    commands=(SlashCommand("/standup", "Daily stand-up: answer, skip, away, status, history, export",
                           "[skip|ooo|back|status|history|export|reminders]", aliases=STANDUP_WORDS),),
    scopes=("files:write",),
    load_playbook=load_playbook,
    jobs=jobs,
    receipts=RECEIPTS,
    home_sections=(standup_home,),
    demo_scene="10_standup.txt",
    agenda_sections=AGENDA_SECTIONS,
)
