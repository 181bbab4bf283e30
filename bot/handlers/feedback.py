"""/feedback, the "Send as market feedback" message shortcut, and the feedback cards' buttons."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack

from bot.blocks import feedback as ids
from bot.blocks.feedback import note_modal, reroute_modal
from bot.blocks.feedback_lines import FOLLOW_UP_IDS, line_action_id
from bot.features import Feature, Registrar, Shortcut, SlashCommand
from bot.flows.agenda_feedback import SECTIONS as AGENDA_SECTIONS
from bot.flows.context import Context, HomeReader, LinkKind
from bot.flows.feedback_actions import FeedbackActions, Rerouting
from bot.flows.feedback_cards import RECEIPTS, FeedbackCards
from bot.flows.feedback_follow_ups import FeedbackFollowUps, may_start
from bot.flows.feedback_intake import FeedbackIntake, Report, carried_private
from bot.flows.feedback_lines import FeedbackLines
from bot.flows.feedback_status import FeedbackStatus
from bot.flows.feedback_weekly import FeedbackWeekly
from bot.handlers.command_words import FEEDBACK_WORDS
from bot.handlers.common import submit_or_field_errors, view_values
from bot.i18n import Translator
from bot.ops.feedback import parse_command
from bot.ops.feedback_lines import ACTIONS as LINE_ACTIONS
from bot.ops.feedback_playbook import FeedbackPlaybook, load_playbook
from bot.ops.links import LinkState, Ref
from bot.ops.team import ROLE_NAMES, Role
from bot.scheduler import ScheduledJob


def register(reg: Registrar, ctx: Context) -> None:
    playbook = ctx.playbook(FeedbackPlaybook)
    cards = FeedbackCards(ctx, playbook)
    intake, actions = FeedbackIntake(ctx, playbook, cards), FeedbackActions(ctx, playbook, cards)
    weekly = FeedbackWeekly(ctx, playbook)
    lines, status = FeedbackLines(ctx, cards), FeedbackStatus(ctx, playbook, cards)
    follow_ups = FeedbackFollowUps(ctx, playbook, cards)

    @reg.command("/feedback")
    def feedback(ack: Ack, command: dict[str, Any]) -> None:
        """/feedback opens the form; /feedback [#category] text files it in one line; /feedback list [open|mine|CATEGORY]; /feedback status F-12 shows its whole thread."""  # noqa: E501
        ack()
        user, channel, reply = command["user_id"], command["channel_id"], command["response_url"]
        tr = ctx.translator_for(user, ctx.team_of(user, command.get("team_id")))
        wanted = parse_command(command.get("text", ""))
        if wanted.action == "open":
            ctx.delivery.open_view(command["trigger_id"], intake.modal(user, source=channel))
        elif wanted.action == "list":
            ctx.delivery.respond(reply, tr._("Market feedback"), weekly.list_blocks(user, wanted.scope))
        elif wanted.action == "status" and wanted.item_id is not None:
            ctx.delivery.respond(reply, *status.status(user, wanted.item_id))
        else:
            # Typed in a private channel or a DM, the words are the reporter's own: they are asked (with the
            # form's and the shortcut's consent buttons) before anything goes to the team's channels.
            ctx.delivery.respond(reply, intake.file(Report(reporter=user, text=wanted.text, source_channel=channel,
                                                           author=user)))

    @reg.shortcut(ids.SHORTCUT)
    def from_message(ack: Ack, shortcut: dict[str, Any]) -> None:
        ack()
        user, channel = shortcut["user"]["id"], shortcut["channel"]["id"]
        text, author = shortcut["message"].get("text", ""), shortcut["message"].get("user")
        link = ctx.delivery.permalink(channel, shortcut["message"]["ts"])
        if ctx.people.channel_is_private(channel):  # its author is asked before anything private is reposted
            ctx.delivery.open_view(shortcut["trigger_id"],
                                   intake.modal(user, text=text, link=link, source=channel, author=author))
        else:
            answer = intake.file(Report(reporter=user, text=text, source_channel=channel, link=link))
            ctx.delivery.respond(shortcut["response_url"], answer)

    @reg.view(ids.FILE_VIEW)
    def filed(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user, values, meta = body["user"]["id"], view_values(view), json.loads(view["private_metadata"])
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        report = Report(
            reporter=user, text=values.get("what") or "", source_channel=meta.get("source"),
            link=values.get("link") or meta.get("link") or None, marketplace=values.get("marketplace"),
            sku=values.get("sku"), category=None if values.get("category") == "auto" else values.get("category"),
            urgent=bool(values.get("urgent")), share_publicly=bool(values.get("share")), author=meta.get("author"),
            source_private=carried_private(meta),  # decided as the form opened: the answer does not ask Slack
        )
        answer = submit_or_field_errors(ack, tr, view, lambda: intake.file(report))
        if answer:
            ctx.delivery.dm(user, answer)

    def line_button(action: str) -> None:
        @reg.action(line_action_id(action))
        def pressed(ack: Ack, body: dict[str, Any]) -> None:
            ack()
            user, wanted = body["user"]["id"], button_value(body)
            item_id, role = int(wanted["feedback"]), str(wanted.get("role"))
            if action in ("on_it", "done"):  # their words first: what they will do, what came of it
                lines.check(user, item_id, role)
                tr = ctx.translator_for(user, ctx.teams.for_user(user))
                ctx.delivery.open_view(body["trigger_id"], note_modal(tr, item_id, action, role))
            else:
                lines.act(user, item_id, role, action)

    for action in LINE_ACTIONS:
        line_button(action)

    def old_button(action_id: str) -> None:
        @reg.action(action_id)
        def redrawn(ack: Ack, body: dict[str, Any]) -> None:
            ack()
            user = body["user"]["id"]
            answer = lines.redraw(user, int(body["actions"][0]["value"]))
            ctx.delivery.respond(body["response_url"], answer)

    for action_id in OLD_BUTTONS:
        old_button(action_id)

    @reg.action(ids.CLOSE)
    def close(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = body["user"]["id"]
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        item_id = int(body["actions"][0]["value"])
        lines.check_close(user, item_id)
        ctx.delivery.open_view(body["trigger_id"], note_modal(tr, item_id, "close"))

    @reg.view(ids.NOTE_VIEW)
    def noted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user, meta = body["user"]["id"], json.loads(view["private_metadata"])
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        note = view_values(view).get("note") or ""
        if meta["kind"] == "close":
            submit_or_field_errors(ack, tr, view, lambda: lines.close(user, int(meta["item"]), note))
        else:
            submit_or_field_errors(
                ack, tr, view, lambda: lines.act(user, int(meta["item"]), str(meta.get("role")), meta["kind"], note))

    @reg.action(FOLLOW_UP_IDS["add_launch_task"])
    def add_launch_task(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        modal = follow_ups.add_launch_task(body["user"]["id"], button_value(body))
        ctx.delivery.open_view(body["trigger_id"], modal)

    def pick(category: str) -> None:
        @reg.action(f"{ids.PICK}:{category}")
        def picked(ack: Ack, body: dict[str, Any]) -> None:
            ack()
            answer = actions.pick(body["user"]["id"], int(body["actions"][0]["value"]), category)
            ctx.delivery.respond(body["response_url"], answer, replace_original=True)

    for category in playbook.categories:
        pick(category)

    def consent_button(action_id: str, shared: bool) -> None:
        @reg.action(action_id)
        def answered(ack: Ack, body: dict[str, Any]) -> None:
            ack()
            press = ids.parse_consent_value(body["actions"][0]["value"])
            answer = actions.consent(body["user"]["id"], press.item_id, shared=shared, asked=press.asked,
                                     question=press.question)
            # The question's message becomes the answer; a note beside it (asked again) is for the author alone.
            ctx.delivery.respond(body["response_url"], answer.text, replace_original=answer.answered)

    consent_button(ids.SHARE, True)
    consent_button(ids.KEEP_PRIVATE, False)

    @reg.action(ids.REROUTE)
    def reroute(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = body["user"]["id"]
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        item_id = int(body["actions"][0]["value"])
        current = actions.check_may_act(user, item_id)
        roles = [(role.value, tr._(ROLE_NAMES[role])) for role in Role]
        categories = playbook.category_choices(tr.locale)
        ctx.delivery.open_view(body["trigger_id"], reroute_modal(tr, item_id, categories, roles, current))

    @reg.view(ids.REROUTE_VIEW)
    def rerouted(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user, meta = body["user"]["id"], json.loads(view["private_metadata"])
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        values = view_values(view)
        rerouting = Rerouting(category=values.get("category") or "",
                              roles=tuple(Role(r) for r in values.get("roles") or [] if r in Role.__members__))
        submit_or_field_errors(ack, tr, view, lambda: actions.reroute(user, meta["item"], rerouting))


# A card posted before each destination had its own line: pressing its old button redraws it with the lines.
OLD_BUTTONS = ("feedback.ack", "feedback.on_it")


def button_value(body: dict[str, Any]) -> dict[str, Any]:
    """A line's or a follow-up's button value; anything else is an item nobody has."""
    try:
        wanted = json.loads(body["actions"][0]["value"])
    except ValueError:
        wanted = None
    return wanted if isinstance(wanted, dict) and isinstance(wanted.get("feedback"), int) else {"feedback": 0}


def _cards(ctx: Context) -> FeedbackCards:
    return FeedbackCards(ctx, ctx.playbook(FeedbackPlaybook))


def routed_to_me(ctx: Context, reader: HomeReader) -> list[dict[str, Any]]:
    """App Home: feedback where one of my roles has an open line, with its buttons."""
    return FeedbackStatus(ctx, ctx.playbook(FeedbackPlaybook), _cards(ctx)).home(reader)


def describe(ctx: Context, ref: Ref, tr: Translator) -> LinkState | None:
    return FeedbackLines(ctx, _cards(ctx)).describe(ref, tr)


def changed(ctx: Context, ref: Ref) -> None:
    FeedbackLines(ctx, _cards(ctx)).consequences_moved(ref.id)


def jobs(ctx: Context) -> list[ScheduledJob]:
    return FeedbackWeekly(ctx, ctx.playbook(FeedbackPlaybook)).jobs()


FEATURE = Feature(
    name="feedback",
    register=register,
    commands=(SlashCommand("/feedback", "Route market feedback to the right people", "[#category] text | list",
                           aliases=FEEDBACK_WORDS),),
    shortcuts=(Shortcut(ids.SHORTCUT, "Send as market feedback", "Route this message as market feedback"),),
    scopes=("channels:read", "groups:read", "im:read", "mpim:read"),
    load_playbook=load_playbook,
    jobs=jobs,
    receipts=RECEIPTS,
    home_sections=(routed_to_me,),
    link_kinds=(LinkKind("feedback", describe, changed, may_start),),
    demo_scene="50_feedback.txt",
    agenda_sections=AGENDA_SECTIONS,
)
