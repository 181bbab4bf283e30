"""/restock, its form, the request cards' lifecycle buttons and the "Request restock" button."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_bolt import Ack

from bot.blocks import restock as ids
from bot.blocks import restock_private as private_ids
from bot.blocks.restock import step_modal
from bot.features import Feature, HomeReader, LinkKind, Registrar, SlashCommand
from bot.flows.agenda_restock import SECTIONS as AGENDA_SECTIONS
from bot.flows.context import Context
from bot.flows.restock_cards import RECEIPTS, RestockCards
from bot.flows.restock_loop import RestockLoop
from bot.flows.restock_places import private_in
from bot.flows.restock_private import HeldRequests
from bot.flows.restock_requests import RestockRequests
from bot.flows.restock_watch import RestockWatch
from bot.handlers.command_words import RESTOCK_WORDS
from bot.handlers.common import submit_or_field_errors, view_values
from bot.i18n import Translator
from bot.ops.links import LinkState, Ref
from bot.ops.restock import parse_command
from bot.ops.restock_forms import RequestForm, offered_quantity, request_form, step_form
from bot.ops.restock_playbook import RestockPlaybook, load_playbook
from bot.ops.team import Team
from bot.reports.digest import DigestSection
from bot.scheduler import ScheduledJob


def _requests(ctx: Context) -> RestockRequests:
    playbook = ctx.playbook(RestockPlaybook)
    return RestockRequests(ctx, playbook, RestockCards(ctx, playbook))


def _watch(ctx: Context) -> RestockWatch:
    requests = _requests(ctx)
    return RestockWatch(ctx, ctx.playbook(RestockPlaybook), requests)


def register(reg: Registrar, ctx: Context) -> None:
    requests = _requests(ctx)
    cards = requests.cards
    loop = RestockLoop(ctx, requests)
    held = HeldRequests(ctx, requests)

    @reg.command("/restock")
    def restock(ack: Ack, command: dict[str, Any]) -> None:
        """/restock opens the form; /restock SKU [QTY] [by YYYY-MM-DD] [note] files one; /restock list [mine|open|SKU]; /restock status R-123."""  # noqa: E501
        ack()
        user, reply, place = command["user_id"], command["response_url"], command.get("channel_id")
        tr = ctx.translator_for(user, ctx.team_of(user, command.get("team_id")))
        wanted = parse_command(command.get("text", ""))
        if wanted.action == "open":
            ctx.delivery.open_view(command["trigger_id"], requests.form(user, place=place))
        elif wanted.action == "list":
            ctx.delivery.respond(reply, tr._("Restock requests"), cards.list_blocks(user, wanted.scope))
        elif wanted.action == "status" and wanted.ref is not None:
            ctx.delivery.respond(reply, f"R-{wanted.ref}", cards.status_blocks(user, wanted.ref))
        elif wanted.action == "file":
            form = RequestForm(sku=wanted.sku, quantity=wanted.quantity, needed_by=wanted.needed_by, reason=wanted.note)
            text, offer = requests.file_line(user, form, place)  # typed in a private place: asks where it goes
            ctx.delivery.respond(reply, text, offer or None)
        else:
            ctx.delivery.respond(
                reply,
                tr._(
                    "Usage: /restock · /restock SKU [QTY] [by YYYY-MM-DD] [note] · /restock list [mine|open|SKU] · "
                    "/restock status R-123"
                ),
            )

    @reg.action(ids.REQUEST_PREFILLED)
    def prefilled(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        value = json.loads(body["actions"][0]["value"])
        form = requests.form(body["user"]["id"], value.get("sku"), value.get("marketplace"))
        ctx.delivery.open_view(body["trigger_id"], form)

    @reg.view(ids.REQUEST_VIEW)
    def requested(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user, raw = body["user"]["id"], view_values(view)
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        meta = view.get("private_metadata") or ""
        submit_or_field_errors(ack, tr, view, lambda: requests.file(
            user, request_form(raw), origin=loop.origin_of(user, meta), private=private_in(meta)))

    def answer(action_id: str) -> None:
        @reg.action(action_id)
        def answered(ack: Ack, body: dict[str, Any]) -> None:
            """The requester's answer about a request filed from a private place (only theirs counts, once)."""
            ack()
            said = held.answer(body["user"]["id"], body["actions"][0].get("value") or "", action_id)
            ctx.delivery.respond(body["response_url"], said, replace_original=True)

    for action_id in private_ids.ANSWERS:
        answer(action_id)

    @reg.action(ids.USE_ORDERABLE)
    def use_orderable(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user, (request_id, quantity) = body["user"]["id"], offered_quantity(body["actions"][0].get("value") or "")
        asked = held.resize(user, request_id, quantity)  # on a question, before anything is posted: asked again
        if asked is None:
            requests.change(user, request_id, quantity)
        else:
            ctx.delivery.respond(body["response_url"], *asked, replace_original=True)

    @reg.action(ids.ADJUST_FROM_FEEDBACK)
    def adjust(ack: Ack, body: dict[str, Any]) -> None:
        """A feedback card's "Adjust restock": the form prefilled, or the pending request of that SKU to change."""
        ack()
        view = loop.adjust(body["user"]["id"], body["actions"][0].get("value") or "")
        ctx.delivery.open_view(body["trigger_id"], view)

    @reg.action(ids.STEP)
    def step(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user, value = body["user"]["id"], json.loads(body["actions"][0]["value"])
        if value["action"] in ids.DIRECT:
            requests.step(user, value["id"], value["action"])
            return
        _, request = requests.check(user, value["id"], value["action"])
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        ctx.delivery.open_view(
            body["trigger_id"], step_modal(tr, request.id, value["action"], request.ref, request.quantity)
        )

    @reg.view(ids.STEP_VIEW)
    def stepped(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user, meta = body["user"]["id"], json.loads(view["private_metadata"])
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        action = meta["action"]

        def work() -> None:
            origin = loop.origin_of(user, view.get("private_metadata") or "")  # opened from a feedback card
            checked = requests.check(user, meta["id"], action)  # a stale or forbidden step says so before its fields
            requests.take(user, checked, action, step_form(action, view_values(view)), origin)

        submit_or_field_errors(ack, tr, view, work)


def jobs(ctx: Context) -> list[ScheduledJob]:
    return _watch(ctx).jobs()


def digest_section(ctx: Context, team: Team, today: date) -> DigestSection | None:
    return _watch(ctx).digest_section(team, today)


def approvals_home(ctx: Context, reader: HomeReader) -> list[dict[str, Any]]:
    """App Home: the restock requests waiting for this person's decision, with the card's buttons."""
    return RestockLoop(ctx, _requests(ctx)).approvals(reader)


def in_flight_home(ctx: Context, reader: HomeReader) -> list[dict[str, Any]]:
    """App Home: this person's own requests not finished yet, with their next step."""
    return RestockLoop(ctx, _requests(ctx)).in_flight(reader)


def describe(ctx: Context, ref: Ref, tr: Translator) -> LinkState | None:
    """R-3 on another feature's card: "LED-100 ×900 · approved"."""
    return _requests(ctx).cards.describe(ref, tr)


FEATURE = Feature(
    name="restock",
    register=register,
    commands=(
        SlashCommand(
            "/restock",
            "Request restock with a computed suggestion",
            "[SKU QTY by DATE note | list | status R-1]",
            aliases=RESTOCK_WORDS,
        ),
    ),
    load_playbook=load_playbook,
    jobs=jobs,
    receipts=RECEIPTS,
    digest_sections=(digest_section,),  # the morning KPI digest lists what to reorder
    home_sections=(approvals_home, in_flight_home),
    link_kinds=(LinkKind("restock", describe, changed=None),),  # restock starts nothing of its own
    demo_scene="30_restock.txt",
    agenda_sections=AGENDA_SECTIONS,
)
