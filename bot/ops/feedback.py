"""Market feedback, pure: what it is about, how urgent, which SKU, and who should see it."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.errors import N_, OpsError
from bot.ops.feedback_playbook import FeedbackPlaybook
from bot.ops.feedback_words import Words, words_for
from bot.ops.team import Role, Team

NEW, ACKNOWLEDGED, IN_PROGRESS, CLOSED = "new", "acknowledged", "in_progress", "closed"
# The author's answer about words from a private conversation; no consent is needed otherwise (None).
CONSENT_ASKED, CONSENT_GIVEN, CONSENT_DECLINED = "asked", "given", "declined"
TEXT_LIMIT = 3000
_EXPLICIT = re.compile(r"(?:^|\s)#(\S+)")


# Amazon's standard identification number: B0 and eight capitals or digits (books use their ISBN instead).
_ASIN = re.compile(r"(?<![A-Za-z0-9])B0[A-Z0-9]{8}(?![A-Za-z0-9])")


@dataclass(frozen=True)
class Classified:
    category: str
    urgent: bool
    sku: str | None
    text: str  # the text without the #category tag
    unsure: bool = False  # no rule matched: "other" is a guess to be confirmed by the reporter
    marketplace: str | None = None
    asins: tuple[str, ...] = ()


def explicit_category(text: str, playbook: FeedbackPlaybook) -> tuple[str | None, str]:
    """A ``#category`` tag (its key or an alias) and the text without it."""
    for match in _EXPLICIT.finditer(text):
        tag = match.group(1).lower()
        for key, category in playbook.categories.items():
            if tag == key or tag in (a.lower() for a in category.aliases):
                return key, (text[: match.start()] + text[match.end():]).strip()
    return None, text.strip()


def detect_sku(text: str, known: list[str]) -> str | None:
    """The first known SKU named as a whole token; the longest wins (LED-100-EU over LED-100)."""
    for sku in sorted(known, key=len, reverse=True):
        if re.search(rf"(?<![\w-]){re.escape(sku)}(?![\w-])", text, re.IGNORECASE):
            return sku
    return None


def classify(text: str, playbook: FeedbackPlaybook, known_skus: list[str], *, urgent: bool = False) -> Classified:
    if not text.strip():
        raise OpsError(N_("Say what happened, e.g. /feedback #quality LED-100 arrives cracked in DE."),
                       field="what")
    if len(text) > TEXT_LIMIT:
        raise OpsError(N_("Please keep feedback under {limit} characters (it has {length})."), field="what",
                       limit=TEXT_LIMIT, length=len(text))
    category, rest = explicit_category(text, playbook)
    words = words_for(playbook.rules())
    tokens = words.tokens(rest)
    unsure = False
    if category is None:
        category = next((key for key in playbook.order if words.any(playbook.categories[key].keywords, tokens)), None)
        if category is None:
            category, unsure = "other", True
    return Classified(
        category,
        urgent or words.any(playbook.urgent_keywords, tokens),
        detect_sku(rest, known_skus),
        rest,
        unsure=unsure,
        marketplace=detect_marketplace(rest, playbook, words),
        asins=tuple(dict.fromkeys(_ASIN.findall(rest))),
    )


def detect_marketplace(text: str, playbook: FeedbackPlaybook, words: Words) -> str | None:
    """The marketplace named first in the text ("Amazon DE", "amazon.co.uk", "德国站", "in JP"); the longest
    name wins where two start together (amazon.com.mx over amazon.com)."""
    tokens = words.tokens(text)
    named: list[tuple[int, int, str]] = []
    for code, names in playbook.marketplaces.items():
        for name in names:
            at = words.find(name, tokens)
            if at is not None:
                named.append((at, -len(words.tokens(name)), code))
    if named:
        return min(named)[2]
    codes = "|".join(re.escape(code) for code in playbook.marketplaces)
    bare = re.search(rf"(?<![A-Za-z0-9-])({codes})(?![A-Za-z0-9-])", text) if codes else None
    return bare.group(1) if bare else None


def destinations(playbook: FeedbackPlaybook, category: str, marketplace: str | None, urgent: bool) -> list[Role]:
    """The roles of the first route that matches category, and marketplace and urgency when it names them."""
    for route in playbook.routes:
        if route.category != category:
            continue
        if route.marketplace is not None and route.marketplace != marketplace:
            continue
        if route.urgent is not None and route.urgent != urgent:
            continue
        return list(route.to)
    return [Role.manager]


@dataclass(frozen=True)
class Target:
    """Where one card goes: a team channel, or a person's DM with the bot."""

    channel: str | None = None
    dm: str | None = None

    @property
    def key(self) -> str:
        """"#C0PURCHASING" or "@U0MANAGER"; wrapped in <> it is a Slack mention."""
        return f"#{self.channel}" if self.channel else f"@{self.dm}"


def targets(
    team: Team, playbook: FeedbackPlaybook, roles: list[Role], *, urgent: bool, public_ok: bool
) -> list[Target]:
    """Each role's channel (team.yml via role_channels); urgent adds the urgent_dm people by DM.

    Words from a private conversation that its author has not cleared go to the manager alone, by DM: no
    channel, not even a private one, whose members the author did not choose.
    """
    if not public_ok:
        return list(dict.fromkeys(Target(dm=m.user) for m in team.people_with(Role.manager)))
    found: list[Target] = []
    for role in roles:
        channel = team.channel(playbook.channel_key(role))
        if channel:
            found.append(Target(channel=channel))
        else:
            found += [Target(dm=m.user) for m in team.people_with(role)]
    if urgent:
        found += [Target(dm=m.user) for r in playbook.urgent_dm for m in team.people_with(r)]
    return list(dict.fromkeys(found))


def line_roles(roles: list[Role], shared: bool) -> list[Role]:
    """Whose lines an item has: its route's once its team may see it; before that (waiting for its author's word,
    or kept private) the manager's alone, as she alone sees it — a line of people who can never see it would make
    it look handled by them, and her Home lists the items with a line of hers."""
    return roles if shared else [Role.manager]


def joins_open_item(sku: str | None, opened_at: datetime, now: datetime, hours: int) -> bool:
    """Same SKU and category within the dedupe window: one item, a higher count, no new card."""
    return sku is not None and hours > 0 and now - opened_at <= timedelta(hours=hours)


@dataclass(frozen=True)
class WeekCount:
    key: str
    now: int
    before: int

    @property
    def change(self) -> int:
        return self.now - self.before


def week_over_week(this_week: list[str], last_week: list[str]) -> list[WeekCount]:
    """This week's counts with last week's beside them, busiest first; a key gone quiet stays (at 0)."""
    now, before = Counter(this_week), Counter(last_week)
    keys = sorted(set(now) | set(before), key=lambda k: (-now[k], -before[k], k))
    return [WeekCount(k, now[k], before[k]) for k in keys]


STEPS = {"acknowledge": ACKNOWLEDGED, "on_it": IN_PROGRESS, "close": CLOSED}


def next_state(current: str, action: str, item_id: int) -> str:
    """new → acknowledged → in_progress → closed; someone may take over work in progress, nothing goes back."""
    if current == CLOSED:
        raise OpsError(N_("Feedback #{id} is already closed."), id=item_id)
    if action == "acknowledge" and current != NEW:
        raise OpsError(N_("Feedback #{id} was already acknowledged."), id=item_id)
    return STEPS[action]


def may_act(actor_roles: set[Role], destination_roles: list[Role]) -> bool:
    """Those the item was routed to, and the manager, may acknowledge, work on, re-route or close it."""
    return Role.manager in actor_roles or bool(actor_roles & set(destination_roles))


@dataclass(frozen=True)
class FeedbackCommand:
    action: str  # open | file | list | status
    text: str = ""
    scope: str = "open"
    item_id: int | None = None  # status: F-12, #12 or 12


def parse_command(text: str) -> FeedbackCommand:
    stripped = text.strip()
    if not stripped:
        return FeedbackCommand("open")
    words = stripped.split()
    if words[0].lower() == "status" and len(words) == 2:
        found = re.fullmatch(r"(?:F-?|#)?(\d{1,9})", words[1], re.IGNORECASE)
        if found:
            return FeedbackCommand("status", item_id=int(found.group(1)))
        raise OpsError(N_("Say which feedback, e.g. /feedback status F-12."))
    if words[0].lower() == "list":  # the scope may be a category's name of several words (质量 / 缺陷)
        return FeedbackCommand("list", scope=(" ".join(words[1:]).lower().lstrip("#") or "open"))
    return FeedbackCommand("file", text=stripped)
