"""Promotions, pure: kinds, the lifecycle, who approves which, what a plan must say, and the one-line command."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.errors import N_, OpsError
from bot.ops.links import Ref
from bot.ops.promo_playbook import PromoPlaybook
from bot.ops.team import Role

PLANNED, APPROVED, LIVE, ENDED, REVIEWED, REJECTED, CANCELLED = (
    "planned", "approved", "live", "ended", "reviewed", "rejected", "cancelled")
STATES = (PLANNED, APPROVED, LIVE, ENDED, REVIEWED, REJECTED, CANCELLED)
OPEN_STATES = (PLANNED, APPROVED, LIVE)
FINISHED_STATES = (ENDED, REVIEWED, REJECTED, CANCELLED)
KINDS = ("coupon", "lightning_deal", "price_change", "sponsored_budget")
# action -> (states it may start from, state it leads to); start, end and review are the scheduler's.
MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "approve": ((PLANNED,), APPROVED),
    "reject": ((PLANNED,), REJECTED),
    "cancel": ((PLANNED, APPROVED, LIVE), CANCELLED),
    "start": ((APPROVED,), LIVE),
    "end": ((LIVE,), ENDED),
    "review": ((ENDED,), REVIEWED),
}
# The words people type for a kind, English and Chinese (both scripts); the longer phrases first.
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("sponsored budget change", "sponsored_budget"), ("sponsored budget", "sponsored_budget"),
    ("budget change", "sponsored_budget"), ("lightning deal", "lightning_deal"), ("price change", "price_change"),
    ("lightning_deal", "lightning_deal"), ("price_change", "price_change"), ("sponsored_budget", "sponsored_budget"),
    ("coupon", "coupon"), ("deal", "lightning_deal"), ("sponsored", "sponsored_budget"),
    ("广告预算", "sponsored_budget"), ("廣告預算", "sponsored_budget"), ("优惠券", "coupon"), ("優惠券", "coupon"),
    ("秒杀", "lightning_deal"), ("秒殺", "lightning_deal"), ("限时秒杀", "lightning_deal"),
    ("改价", "price_change"), ("改價", "price_change"), ("调价", "price_change"), ("調價", "price_change"),
)
USAGE = N_("Usage: /promo · /promo new SKU[,SKU] MARKETPLACE coupon|lightning deal|price change|sponsored budget "
           "START..END [15%] [amount 5] [budget 500] [F-12] [reason …] · /promo list [mine|all] · /promo status P-2. "
           "Example: /promo new LED-100 US coupon 15% 2026-12-10..2026-12-17 budget 500 reason \"price complaint\"")


def next_state(action: str, state: str) -> str:
    """The state ``action`` leads to from ``state``; an illegal move raises OpsError with the reason."""
    allowed, target = MOVES[action]
    if state not in allowed:
        raise OpsError(N_("This promotion is {state}, so “{action}” is not possible any more."), state=state,
                       action=action)
    return target


@dataclass(frozen=True)
class PromoForm:
    """A promotion as planned from the form or the one-line command; the flow resolves SKUs and checks it."""

    skus: tuple[str, ...]
    marketplace: str | None
    kind: str | None
    start: date | None
    end: date | None
    discount: float | None = None  # a fraction: 0.15 is 15 %
    amount: float | None = None  # money off, or the new price, in promo.yml's currency
    budget: float | None = None
    reason: str = ""
    source: Ref | None = None  # what it answers: a feedback item (F-12), a meeting action


def needs_approval(discount: float | None, budget: float | None, playbook: PromoPlaybook) -> bool:
    rule = playbook.approval
    return (budget or 0) > rule.manager_over_budget or (discount or 0) > rule.manager_over_discount


def approver_roles(owner_roles: set[Role], playbook: PromoPlaybook) -> tuple[Role, ...]:
    """Who decides on a promotion: the approvers; for an approver's own, the second approvers (never themselves)."""
    rule = playbook.approval
    return rule.own_approvers if owner_roles & set(rule.approvers) else rule.approvers


def may_decide(actor: str, actor_roles: set[Role], owner: str, owner_roles: set[Role], playbook: PromoPlaybook) -> bool:
    return actor != owner and bool(actor_roles & set(approver_roles(owner_roles, playbook)))


def may_cancel(actor: str, actor_roles: set[Role], owner: str) -> bool:
    return actor == owner or Role.manager in actor_roles


def check(form: PromoForm, playbook: PromoPlaybook, today: date, *, fields: bool = True) -> None:
    """What a plan must say before it is filed; each problem names its form field (none for the one-liner)."""

    def problem(message: str, name: str, **params: object) -> OpsError:
        return OpsError(message, field=name if fields else None, **params)

    if not form.skus:
        raise problem(N_("Name at least one SKU."), "skus")
    if form.kind not in KINDS:
        raise problem(N_("Choose the kind: coupon, lightning deal, price change or sponsored budget change."), "kind")
    if form.start is None or form.end is None:
        raise problem(N_("Give the first and the last day, e.g. 2026-12-10..2026-12-17."),
                      "start" if form.start is None else "end")
    if form.start < today:
        raise problem(N_("The first day {day} is in the past."), "start", day=form.start)
    if form.end < form.start:
        raise problem(N_("The last day {end} is before the first day {start}."), "end", end=form.end,
                      start=form.start)
    if (form.end - form.start) + timedelta(days=1) > timedelta(days=playbook.max_days):
        raise problem(N_("A promotion runs at most {days} days (promo.yml max_days)."), "end", days=playbook.max_days)
    if form.discount is not None and not 0 < form.discount < 1:
        raise problem(N_("A discount is between 0% and 100%, e.g. 15%."), "discount")
    for name, value in (("amount", form.amount), ("budget", form.budget)):
        if value is not None and value < 0:
            raise problem(N_("{value} is below zero: give an amount of 0 or more."), name, value=value)
    if form.kind in ("coupon", "lightning_deal") and form.discount is None and form.amount is None:
        raise problem(N_("A coupon or a lightning deal needs its discount (15%) or its amount off."), "discount")
    if form.kind == "price_change" and form.discount is None and form.amount is None:
        raise problem(N_("A price change needs the discount (10%) or the new price (amount)."), "discount")
    if form.kind == "sponsored_budget" and form.budget is None:
        raise problem(N_("A sponsored budget change needs its budget."), "budget")


@dataclass(frozen=True)
class PromoCommand:
    action: str  # open | new | list | status | usage
    form: PromoForm | None = None
    ref: int | None = None
    scope: str = "open"
    problems: tuple[str, ...] = field(default=())


_RANGE = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})\s*(?:\.\.|~|～|至|to)\s*(\d{4}-\d{1,2}-\d{1,2})", re.IGNORECASE)
_REASON = re.compile(r"(?:^|\s)(?:reason|原因|理由)[:：]?\s*(?:\"([^\"]*)\"|“([^”]*)”|「([^」]*)」|(.*)$)",
                     re.IGNORECASE | re.DOTALL)
_FEEDBACK = re.compile(r"(?:^|\s)F-(\d{1,9})(?=\s|$)", re.IGNORECASE)
_BUDGET = re.compile(r"(?:^|\s)(?:budget|预算|預算)[:：]?\s*([\d,]+(?:\.\d+)?)(?=\s|$)", re.IGNORECASE)
_AMOUNT = re.compile(r"(?:^|\s)(?:amount|price|金额|金額|价格|價格)[:：]?\s*\$?([\d,]+(?:\.\d+)?)(?=\s|$)",
                     re.IGNORECASE)
_PERCENT = re.compile(r"(?:^|\s)(?:-)?(\d{1,3}(?:\.\d+)?)\s*[%％](?:\s*off)?(?=\s|$)", re.IGNORECASE)
_REF = re.compile(r"^P-?(\d{1,9})$", re.IGNORECASE)


def _number(raw: str) -> float:
    return float(raw.replace(",", ""))


def parse_command(text: str, marketplaces: tuple[str, ...]) -> PromoCommand:
    """``/promo`` text, its subcommand already in English (the Chinese aliases are applied before)."""
    words = text.strip().split(None, 1)
    if not words:
        return PromoCommand("open")
    verb, rest = words[0].lower(), (words[1] if len(words) > 1 else "")
    if verb == "list":
        scope = rest.strip().lower() or "open"
        return PromoCommand("list", scope=scope if scope in ("open", "mine", "all") else "open")
    if verb == "status":
        found = _REF.match(rest.strip())
        return PromoCommand("status", ref=int(found.group(1))) if found else PromoCommand("usage")
    if verb != "new":
        return PromoCommand("usage")
    return PromoCommand("new", form=_one_line(rest, marketplaces))


def _one_line(text: str, marketplaces: tuple[str, ...]) -> PromoForm:
    reason = ""
    found = _REASON.search(text)
    if found:
        reason = next(g for g in found.groups() if g is not None).strip()
        text = text[:found.start()] + " " + text[found.end():]
    start = end = None
    found = _RANGE.search(text)
    if found:
        try:
            start, end = date.fromisoformat(_iso(found.group(1))), date.fromisoformat(_iso(found.group(2)))
        except ValueError:
            raise OpsError(N_("{text} is not a date range: write it as 2026-12-10..2026-12-17."),
                           text=found.group(0)) from None
        text = text[:found.start()] + " " + text[found.end():]
    values: dict[str, float | int | None] = {}
    for name, pattern, read in (("feedback", _FEEDBACK, int), ("budget", _BUDGET, _number),
                                ("amount", _AMOUNT, _number), ("discount", _PERCENT, _number)):
        found = pattern.search(text)
        values[name] = read(found.group(1)) if found else None
        if found:
            text = text[:found.start()] + " " + text[found.end():]
    kind = None
    lowered = f" {text.lower()} "
    for words, name in KIND_WORDS:
        at = lowered.find(f" {words} ") if words.isascii() else lowered.find(words)
        if at >= 0:
            kind = name
            lowered = lowered[:at] + " " + lowered[at + len(words) + (2 if words.isascii() else 0):]
            break
    tokens = [t for t in re.split(r"[\s,，、]+", lowered) if t]
    known = {m.lower(): m for m in marketplaces}
    marketplace = next((known[t] for t in tokens if t in known), None)
    skus = tuple(dict.fromkeys(t.upper() for t in tokens if t not in known))
    discount = values["discount"]
    return PromoForm(skus=skus, marketplace=marketplace, kind=kind, start=start, end=end,
                     discount=discount / 100 if discount is not None else None,
                     amount=values["amount"], budget=values["budget"], reason=reason,
                     source=Ref("feedback", int(values["feedback"])) if values["feedback"] is not None else None)


def _iso(day: str) -> str:
    year, month, dom = day.split("-")
    return f"{year}-{int(month):02d}-{int(dom):02d}"


def overlaps(start: date, end: date, first: date, last: date) -> bool:
    return start <= last and end >= first
