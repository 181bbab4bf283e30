"""/promo, its form, the cards' Approve / Reject / Cancel (on the card and in App Home) and the feedback card's
"Plan promotion"."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_bolt import Ack

from bot.blocks import promo as ids
from bot.features import Feature, Registrar, SlashCommand
from bot.flows.context import AgendaSection, Context, LinkKind
from bot.flows.promo import Promotions
from bot.flows.promo_cards import RECEIPTS, PromoCards
from bot.flows.promo_schedule import PromoSchedule
from bot.handlers.command_words import PROMO_WORDS
from bot.handlers.common import submit_or_field_errors, view_values
from bot.ops.links import Ref, source_in
from bot.ops.promo import USAGE, parse_command
from bot.ops.promo_forms import promo_form
from bot.ops.promo_playbook import PromoPlaybook, load_playbook
from bot.ops.team import Team
from bot.reports.digest import DigestSection
from bot.scheduler import ScheduledJob


def _schedule(ctx: Context) -> PromoSchedule:
    playbook = ctx.playbook(PromoPlaybook)
    return PromoSchedule(ctx, Promotions(ctx, playbook, PromoCards(ctx, playbook)))


def _feedback_id(raw: Any) -> int | None:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0 else None


def register(reg: Registrar, ctx: Context) -> None:
    schedule = _schedule(ctx)
    promotions, cards = schedule.promotions, schedule.cards

    @reg.command("/promo")
    def promo(ack: Ack, command: dict[str, Any]) -> None:
        """/promo opens the form; /promo new SKU MARKETPLACE coupon 15% 2026-12-10..2026-12-17 budget 500 reason …; /promo list [mine|all]; /promo status P-2."""  # noqa: E501
        ack()
        user, reply = command["user_id"], command["response_url"]
        tr = ctx.translator_for(user, ctx.team_of(user, command.get("team_id")))
        wanted = parse_command(command.get("text", ""), promotions.playbook.marketplaces)
        if wanted.action == "open":
            ctx.delivery.open_view(command["trigger_id"], promotions.form(user))
        elif wanted.action == "list":
            ctx.delivery.respond(reply, tr._("Promotions"), cards.list_blocks(user, wanted.scope))
        elif wanted.action == "status" and wanted.ref is not None:
            ctx.delivery.respond(reply, f"P-{wanted.ref}", schedule.status_blocks(user, wanted.ref))
        elif wanted.action == "new" and wanted.form is not None:
            filed = promotions.file(user, wanted.form, fields=False)
            ctx.delivery.respond(reply, ids.filed_text(tr, cards.view(ctx.team_of(user), filed, tr)))
        else:
            ctx.delivery.respond(reply, tr._(USAGE))

    @reg.action(ids.PLAN_FROM_FEEDBACK)
    def plan_from_feedback(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        try:
            value = json.loads(body["actions"][0].get("value") or "{}")
        except ValueError:
            value = {}
        value = value if isinstance(value, dict) else {}
        sku, market = value.get("sku"), value.get("marketplace")
        feedback = _feedback_id(value.get("feedback"))
        form = promotions.form(body["user"]["id"], sku if isinstance(sku, str) else None,
                               market if isinstance(market, str) else None,
                               Ref("feedback", feedback) if feedback is not None else None)
        ctx.delivery.open_view(body["trigger_id"], form)

    @reg.view(ids.FORM_VIEW)
    def planned(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user, raw = body["user"]["id"], view_values(view)
        tr = ctx.translator_for(user, ctx.teams.for_user(user))
        try:
            source = source_in(json.loads(view.get("private_metadata") or "{}"))
        except ValueError:
            source = None  # a forged source links nothing
        submit_or_field_errors(ack, tr, view, lambda: promotions.file(user, promo_form(raw, source)))

    for action in ids.BUTTONS:
        @reg.action(f"{ids.STEP}:{action}")
        def step(ack: Ack, body: dict[str, Any]) -> None:
            ack()
            value = json.loads(body["actions"][0]["value"])
            promotions.step(body["user"]["id"], int(value["id"]), str(value["action"]))


def jobs(ctx: Context) -> list[ScheduledJob]:
    return _schedule(ctx).jobs()


def digest_section(ctx: Context, team: Team, today: date) -> DigestSection | None:
    return _schedule(ctx).digest_section(team, today)


FEATURE = Feature(
    name="promo",
    register=register,
    commands=(SlashCommand("/promo", "Plan a promotion, have it approved and see its review",
                           "[new SKU US coupon 15% START..END budget N | list | status P-1]", aliases=PROMO_WORDS),),
    load_playbook=load_playbook,
    jobs=jobs,
    receipts=RECEIPTS,
    digest_sections=(digest_section,),  # live promotions beside the SKUs they touch
    home_sections=(lambda ctx, reader: _schedule(ctx).waiting_home(ctx, reader),
                   lambda ctx, reader: _schedule(ctx).mine_home(ctx, reader)),
    link_kinds=(LinkKind("promo", lambda ctx, ref, tr: _schedule(ctx).cards.describe(ctx, ref, tr), None),),
    agenda_sections=(AgendaSection("promotions", lambda ctx, team, period, tr: _schedule(ctx).agenda(
        ctx, team, period, tr)),),
)
