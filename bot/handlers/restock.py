"""/restock, its form, the request cards' lifecycle buttons and the "Request restock" button."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_bolt import Ack

from bot.blocks import restock as ids
from bot.blocks.restock import filed_text, step_modal
from bot.features import Feature, Registrar, SlashCommand
from bot.flows.agenda_restock import SECTIONS as AGENDA_SECTIONS
from bot.flows.context import Context
from bot.flows.restock_cards import RECEIPTS, RestockCards
from bot.flows.restock_requests import RestockRequests
from bot.flows.restock_watch import RestockWatch
from bot.handlers.command_words import RESTOCK_WORDS
from bot.handlers.common import submit_or_field_errors, view_values
from bot.ops.restock import parse_command
from bot.ops.restock_forms import RequestForm, request_form, step_form
from bot.ops.restock_playbook import RestockPlaybook, load_playbook
from bot.ops.team import Team
from bot.reports.digest import DigestSection
from bot.scheduler import ScheduledJob


def _requests(ctx: Context) -> RestockRequests:
    playbook = ctx.playbook(RestockPlaybook)
    return RestockRequests(ctx, playbook, RestockCards(ctx, playbook))


def _watch(ctx: Context) -> RestockWatch:
    requests = _requests(ctx)
    return RestockWatch(ctx, requests.playbook, requests)


def register(reg: Registrar, ctx: Context) -> None:
    requests = _requests(ctx)
    cards = requests.cards

    @reg.command("/restock")
    def restock(ack: Ack, command: dict[str, Any]) -> None:
        """/restock opens the form; /restock SKU [QTY] [by YYYY-MM-DD] [note] files one; /restock list [mine|open|SKU]; /restock status R-123."""  # noqa: E501
        ack()
        user, reply = command["user_id"], command["response_url"]
        tr = ctx.translator_for(user, ctx.team_of(user, command.get("team_id")))
        wanted = parse_command(command.get("text", ""))
        if wanted.action == "open":
            ctx.delivery.open_view(command["trigger_id"], requests.form(user))
        elif wanted.action == "list":
            ctx.delivery.respond(reply, tr._("Restock requests"), cards.list_blocks(user, wanted.scope))
        elif wanted.action == "status" and wanted.ref is not None:
            ctx.delivery.respond(reply, f"R-{wanted.ref}", cards.status_blocks(user, wanted.ref))
        elif wanted.action == "file":
            form = RequestForm(sku=wanted.sku, quantity=wanted.quantity, needed_by=wanted.needed_by, reason=wanted.note)
            filed = requests.file(user, form, fields=False)
            ctx.delivery.respond(
                reply,
                filed_text(tr, filed.ref, filed.quantity, filed.sku),
            )
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
        submit_or_field_errors(ack, tr, view, lambda: requests.file(user, request_form(raw)))

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
            checked = requests.check(user, meta["id"], action)  # a stale or forbidden step says so before its fields
            requests.take(user, checked, action, step_form(action, view_values(view)))

        submit_or_field_errors(ack, tr, view, work)


def jobs(ctx: Context) -> list[ScheduledJob]:
    return _watch(ctx).jobs()


def digest_section(ctx: Context, team: Team, today: date) -> DigestSection | None:
    return _watch(ctx).digest_section(team, today)


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
    demo_scene="30_restock.txt",
    agenda_sections=AGENDA_SECTIONS,
)
