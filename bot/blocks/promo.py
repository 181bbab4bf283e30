"""Promotions in Block Kit: the card, the form, lists, App Home lines, the digest line and the review."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.blocks.common import actions, button, context, header, input_block, modal, option, section
from bot.blocks.home import title as home_title
from bot.blocks.limits import SECTION_TEXT, clip
from bot.blocks.text import Mrkdwn, escape, escape_clipped
from bot.errors import N_
from bot.i18n import NP_, Translator
from bot.ops import promo as ops
from bot.ops.links import Ref, source_metadata
from bot.reports.promo_review import Figures, SkuReview

STEP = "promo_step"  # a card's or App Home's Approve / Reject / Cancel; value {"id": 3, "action": "approve"}
FORM_VIEW = "promo_form"
PLAN_FROM_FEEDBACK = "feedback_plan_promo"  # the feedback card's "Plan promotion"

KIND_LABELS = {"coupon": N_("Coupon"), "lightning_deal": N_("Lightning deal"), "price_change": N_("Price change"),
               "sponsored_budget": N_("Sponsored budget change")}
STATE_LABELS = {ops.PLANNED: NP_("promo state", "planned"), ops.APPROVED: NP_("promo state", "approved"),
                ops.LIVE: NP_("promo state", "live"), ops.ENDED: NP_("promo state", "ended"),
                ops.REVIEWED: NP_("promo state", "reviewed"), ops.REJECTED: NP_("promo state", "rejected"),
                ops.CANCELLED: NP_("promo state", "cancelled")}
BUTTONS = {"approve": NP_("promo button", "Approve"), "reject": NP_("promo button", "Reject"),
           "cancel": NP_("promo button", "Cancel promotion")}


def kind_label(tr: Translator, kind: str) -> str:
    return tr._(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def state_label(tr: Translator, state: str) -> str:
    return tr.pgettext("promo state", STATE_LABELS[state]) if state in STATE_LABELS else state


@dataclass(frozen=True)
class PromoView:
    """A promotion as its card shows it; ``origins`` are lines like "From F-12: …" already made."""

    id: int
    ref: str
    owner: str
    skus: tuple[str, ...]
    marketplace: str
    kind: str
    discount: float | None
    amount: float | None
    budget: float | None
    currency: str
    start: date
    end: date
    reason: str
    state: str
    needs_approval: bool
    decided_by: str | None
    origins: tuple[Mrkdwn, ...] = ()
    actions: tuple[str, ...] = ()  # the buttons in this state


def title(tr: Translator, p: PromoView) -> str:
    """"Coupon 15% · LED-100" as one line (plain text: no escaping)."""
    if not terms(tr, p):
        return tr._("{kind} · {skus}", kind=kind_label(tr, p.kind), skus=tr.join(p.skus))
    return tr._("{kind} {terms} · {skus}", kind=kind_label(tr, p.kind), terms=terms(tr, p), skus=tr.join(p.skus))


def terms(tr: Translator, p: PromoView) -> str:
    """What it offers: the discount, else the amount (the budget is the card's own line)."""
    if p.discount is not None:
        return tr._("{discount} off", discount=tr.percent(p.discount, 0))
    if p.amount is not None:
        return tr._("amount {amount}", amount=tr.money(p.amount, p.currency))
    return ""


def span(tr: Translator, start: date, end: date) -> str:
    return tr._("{start} – {end}", start=tr.date(start), end=tr.date(end))


def card_text(tr: Translator, p: PromoView) -> str:
    return tr._("Promotion {ref}: {title} ({state})", ref=p.ref, title=escape(title(tr, p)),
                state=state_label(tr, p.state))


def card_blocks(tr: Translator, p: PromoView) -> list[dict[str, Any]]:
    lines = [tr._("{kind} · {skus} → {marketplace} · {span} · planned by <@{who}>", kind=kind_label(tr, p.kind),
                  skus=escape(tr.join(p.skus)), marketplace=escape(p.marketplace), span=span(tr, p.start, p.end),
                  who=p.owner)]
    if p.discount is not None and p.amount is not None:
        lines.append(tr._("{discount} off, amount {amount}", discount=tr.percent(p.discount, 0),
                          amount=tr.money(p.amount, p.currency)))
    elif terms(tr, p):
        lines.append(terms(tr, p))
    if p.budget is not None:
        lines.append(tr._("Budget {budget}", budget=tr.money(p.budget, p.currency)))
    if p.reason:
        lines.append(tr._("Why: {reason}", reason=escape_clipped(p.reason, 1000)))
    lines += list(p.origins)
    blocks = [header(tr._("🏷️ Promotion {ref} · {state}", ref=p.ref, state=state_label(tr, p.state))),
              section(clip("\n".join(lines), SECTION_TEXT))]
    if p.state == ops.PLANNED and p.needs_approval:
        blocks.append(context(tr._("Above the approval threshold in promo.yml: it needs an approver before it "
                                   "goes live.")))
    elif p.decided_by and p.state != ops.PLANNED:
        blocks.append(context(tr._("Decided by <@{who}>", who=p.decided_by)))
    if p.actions:
        blocks.append(actions(step_buttons(tr, p.id, p.actions)))
    return blocks


def step_buttons(tr: Translator, promo_id: int, wanted: tuple[str, ...]) -> list[dict[str, Any]]:
    styles = {"approve": "primary", "reject": "danger"}
    return [button(tr.pgettext("promo button", BUTTONS[a]), f"{STEP}:{a}", json.dumps({"id": promo_id, "action": a}),
                   style=styles.get(a)) for a in wanted]


def origin_line(tr: Translator, label: str, title_text: str, state: str) -> Mrkdwn:
    return Mrkdwn(tr._("From {ref}: {title} ({state})", ref=label, title=escape(title_text), state=escape(state)))


def list_line(tr: Translator, p: PromoView) -> Mrkdwn:
    return Mrkdwn(tr._("*{ref}* · {title} · {marketplace} · {span} · {state} · <@{who}>", ref=p.ref,
                       title=escape(title(tr, p)), marketplace=escape(p.marketplace), span=span(tr, p.start, p.end),
                       state=state_label(tr, p.state), who=p.owner))


def list_blocks(tr: Translator, heading: str, lines: list[Mrkdwn]) -> list[dict[str, Any]]:
    return [header(heading), section(clip("\n".join(lines[:40]) or tr._("No promotions here."), SECTION_TEXT))]


def form_modal(tr: Translator, skus: list[str], marketplaces: tuple[str, ...], *, sku: str | None,
               marketplace: str | None, source: Ref | None, reason: str = "") -> dict[str, Any]:
    """``source``: what it is planned from (F-12, A-7), linked once planned; ``reason`` prefilled from its words."""
    sku_element: dict[str, Any] = {"type": "plain_text_input", "action_id": "skus", "max_length": 300}
    if sku:
        sku_element["initial_value"] = sku
    market_options = [option(m, m) for m in marketplaces]
    market = {"type": "static_select", "action_id": "marketplace", "options": market_options,
              "initial_option": next((o for o in market_options if o["value"] == marketplace), market_options[0])}
    kinds = [option(kind_label(tr, k), k) for k in ops.KINDS]
    blocks: list[dict[str, Any]] = []
    if source is not None:
        blocks.append(context(tr._("Planned from {ref}: it will be linked to it.", ref=source.label)))
    if skus:
        blocks.append(context(tr._("Known SKUs: {skus}", skus=escape(tr.join(skus[:30])))))
    blocks += [
        input_block("skus", tr._("SKU(s), separated by commas"), sku_element),
        input_block("marketplace", tr.pgettext("promo form", "Marketplace"), market),
        input_block("kind", tr._("Kind"), {"type": "static_select", "action_id": "kind", "options": kinds}),
        input_block("start", tr._("First day"), {"type": "datepicker", "action_id": "start"}),
        input_block("end", tr._("Last day"), {"type": "datepicker", "action_id": "end"}),
        input_block("discount", tr._("Discount (e.g. 15%)"),
                    {"type": "plain_text_input", "action_id": "discount", "max_length": 10}, optional=True),
        input_block("amount", tr._("Amount (money off or new price)"),
                    {"type": "plain_text_input", "action_id": "amount", "max_length": 15}, optional=True),
        input_block("budget", tr._("Budget"),
                    {"type": "plain_text_input", "action_id": "budget", "max_length": 15}, optional=True),
        input_block("reason", tr.pgettext("promo form", "Reason"),
                    {"type": "plain_text_input", "action_id": "reason", "multiline": True, "max_length": 1000,
                     **({"initial_value": reason[:1000]} if reason else {})}, optional=True),
    ]
    return modal(tr._("Plan a promotion"), blocks, callback_id=FORM_VIEW, submit=tr.pgettext("promo form", "Plan"),
                 close=tr.pgettext("promo form", "Cancel"),
                 private_metadata=json.dumps(source_metadata(source)))


def filed_text(tr: Translator, p: PromoView) -> str:
    if p.state == ops.PLANNED:
        return tr._("Planned {ref}: {title}. It waits for an approver.", ref=p.ref, title=escape(title(tr, p)))
    return tr._("Planned {ref}: {title}. Within the thresholds in promo.yml, so it is approved.", ref=p.ref,
                title=escape(title(tr, p)))


def home_blocks(tr: Translator, heading: str, lines: list[tuple[Mrkdwn, list[dict[str, Any]]]],
                empty: str) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [home_title(escape(heading))]
    if not lines:
        return [*blocks, context(empty)] if empty else []
    for line, buttons in lines[:12]:
        blocks.append(section(line))
        if buttons:
            blocks.append(actions(buttons))
    return blocks


def digest_line(tr: Translator, sku: str, p: PromoView) -> Mrkdwn:
    return Mrkdwn(tr._("*{sku}* ({marketplace}): {ref} {title}, until {end}", sku=escape(sku),
                       marketplace=escape(p.marketplace), ref=p.ref, title=escape(title(tr, p)),
                       end=tr.date(p.end)))


def _figure(tr: Translator, name: str, figures: Figures) -> str:
    value = getattr(figures, name)
    if value is None:
        return tr.pgettext("promo review", "n/a")
    if name == "units":
        return tr.number(value)
    if name == "gmv":
        return tr.money(value, figures.currency) if figures.currency else tr.number(value, 2)
    return tr.percent(value, 1)


FIGURE_NAMES = {"units": NP_("promo review", "Units"), "gmv": NP_("promo review", "GMV"),
                "acos": NP_("promo review", "ACoS"), "cvr": NP_("promo review", "CVR")}


def review_blocks(tr: Translator, p: PromoView, reviews: list[SkuReview]) -> list[dict[str, Any]]:
    blocks = [header(tr._("📊 Review of {ref}", ref=p.ref)), section(escape(title(tr, p)))]
    for found in reviews:
        during, before = found.during, found.before
        lines = [tr._("*{sku}* in {marketplace}: during {during} against before {before}", sku=escape(found.sku),
                      marketplace=escape(p.marketplace), during=span(tr, during.start, during.end),
                      before=span(tr, before.start, before.end))]
        if during.days == 0:
            lines.append(tr._("No sales data loaded for {sku} during the promotion: load the reports of those days, "
                              "then /promo status {ref} shows the figures.", sku=escape(found.sku), ref=p.ref))
        else:
            for name, label in FIGURE_NAMES.items():
                change = found.change(name)
                lines.append(tr._("{figure}: {during} against {before} ({change})",
                                  figure=tr.pgettext("promo review", label), during=_figure(tr, name, during),
                                  before=_figure(tr, name, before),
                                  change=tr.percent(change, 0) if change is not None else tr._("no comparison")))
            for window, name in ((during, N_("during the promotion")), (before, N_("before it"))):
                if 0 < window.days < window.length or window.days == 0:
                    lines.append(tr._("Data for {days} of {length} days {which}.", days=window.days,
                                      length=window.length, which=tr._(name)))
        blocks.append(section(clip("\n".join(lines), SECTION_TEXT)))
    return blocks[:50]
