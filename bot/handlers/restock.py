"""/restock, its form, the request cards' lifecycle buttons and the "Request restock" button."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_bolt import Ack

from bot.blocks import restock as ids
from bot.blocks.restock import step_modal
from bot.features import Feature, Registrar, SlashCommand
from bot.flows.context import Context
from bot.flows.restock import RECEIPTS, RestockFlow, digest_section
from bot.handlers.common import submit_or_field_errors, view_values
from bot.ops.restock import parse_command
from bot.ops.restock_playbook import load_playbook
from bot.scheduler import ScheduledJob


def register(reg: Registrar, ctx: Context) -> None:
    flow = RestockFlow(ctx)

    @reg.command("/restock")
    def restock(ack: Ack, command: dict[str, Any]) -> None:
        """/restock opens the form; /restock SKU [QTY] [by YYYY-MM-DD] [note] files one; /restock list [mine|open|SKU]; /restock status R-123."""  # noqa: E501
        ack()
        user, reply = command["user_id"], command["response_url"]
        tr = ctx.translator_for(user, ctx.team_of(user, command.get("team_id")))
        wanted = parse_command(command.get("text", ""))
        if wanted.action == "open":
            ctx.delivery.open_view(command["trigger_id"], flow.form(user))
        elif wanted.action == "list":
            ctx.delivery.respond(reply, tr._("Restock requests"), flow.list_blocks(user, wanted.scope))
        elif wanted.action == "status" and wanted.ref is not None:
            ctx.delivery.respond(reply, f"R-{wanted.ref}", flow.status_blocks(user, wanted.ref))
        elif wanted.action == "file":
            values = {
                "sku": wanted.sku,
                "quantity": wanted.quantity,
                "needed_by": wanted.needed_by,
                "reason": wanted.note,
            }
            filed = flow.file(user, values, fields=False)
            ctx.delivery.respond(
                reply,
                tr._(
                    "Filed {ref}: {quantity} × {sku}, sent to purchasing.",
                    ref=filed.ref,
                    quantity=filed.quantity,
                    sku=filed.sku,
                ),
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
        form = flow.form(body["user"]["id"], value.get("sku"), value.get("marketplace"))
        ctx.delivery.open_view(body["trigger_id"], form)

    @reg.view(ids.REQUEST_VIEW)
    def requested(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user, raw = body["user"]["id"], view_values(view)
        tr = ctx.translator_for(user, ctx.teams.for_user(user))

        def work() -> object:
            values = {
                **raw,
                "needed_by": date.fromisoformat(raw["needed_by"]) if raw.get("needed_by") else None,
                "quantity": _quantity(raw.get("quantity")),
            }
            return flow.file(user, values)

        submit_or_field_errors(ack, tr, view, work)

    @reg.action(ids.STEP)
    def step(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user, value = body["user"]["id"], json.loads(body["actions"][0]["value"])
        if value["action"] in ids.DIRECT:
            flow.step(user, value["id"], value["action"])
            return
        _, request = flow.check(user, value["id"], value["action"])
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        ctx.delivery.open_view(
            body["trigger_id"], step_modal(tr, request.id, value["action"], request.ref, request.quantity)
        )

    @reg.view(ids.STEP_VIEW)
    def stepped(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user, meta = body["user"]["id"], json.loads(view["private_metadata"])
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        submit_or_field_errors(ack, tr, view, lambda: flow.step(user, meta["id"], meta["action"], view_values(view)))


def _quantity(raw: object) -> int | str | None:
    """Empty means "the suggestion"; anything else is checked by the flow as a whole number."""
    text = str(raw or "").replace(",", "").strip()
    if not text:
        return None
    from bot.errors import N_, OpsError

    if not text.lstrip("-").isdigit():
        raise OpsError(N_("Give a whole number, e.g. 500."), field="quantity")
    return int(text)


def jobs(ctx: Context) -> list[ScheduledJob]:
    return RestockFlow(ctx).jobs()


FEATURE = Feature(
    name="restock",
    register=register,
    commands=(
        SlashCommand(
            "/restock", "Request restock with a computed suggestion", "[SKU QTY by DATE note | list | status R-1]"
        ),
    ),
    load_playbook=load_playbook,
    jobs=jobs,
    receipts=RECEIPTS,
    digest_sections=(digest_section,),  # the morning KPI digest lists what to reorder
    demo_scene="30_restock.txt",
)
