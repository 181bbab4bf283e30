"""The stand-up's App Home section, and whose Homes a stand-up change touches.

A blocker is for its owner, the managers, and whoever holds a role its text names ("waiting on purchasing",
"等采购确认") or is @-mentioned in it: they see it under "Blockers you can help with"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from bot.blocks import standup_home as blocks
from bot.db import standup as store
from bot.flows.context import Context, HomeReader
from bot.flows.home import homes_changed, managers
from bot.flows.standup_rounds import StandupRounds
from bot.i18n import translator
from bot.ops import standup as ops
from bot.ops.standup_playbook import StandupPlaybook
from bot.ops.team import ROLE_NAMES, Member, Role, Team

# Words that name a role besides its key and its name in each language.
ROLE_WORDS: dict[Role, tuple[str, ...]] = {
    Role.manager: ("manager", "主管", "经理", "經理"),
    Role.marketing: ("ads", "advertising", "市场", "市場", "广告", "廣告", "行銷", "营销"),
    Role.cs: ("customer service", "客服"),
    Role.selection: ("selection", "选品", "選品"),
}


def role_words(role: Role) -> set[str]:
    words = {role.value, ROLE_NAMES[role].lower(), *ROLE_WORDS.get(role, ())}
    words |= {translator(locale)._(ROLE_NAMES[role]) for locale in ("zh_CN", "zh_TW")}
    return {w.lower() for w in words if w}


def names(text: str, member: Member) -> bool:
    """Whether a blocker's text asks for this person: it @-mentions them or names one of their roles."""
    if f"<@{member.user}>" in text:
        return True
    lowered = text.lower()
    for role in member.roles:
        for word in role_words(role):
            if word.isascii():
                if re.search(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", lowered):
                    return True
            elif word in lowered:
                return True
    return False


def blocker_readers(ctx: Context, team: Team, users: Iterable[str], texts: Iterable[str]) -> list[str]:
    """Whose Home shows these blockers: their owner (and whoever acted), the managers, and those they name."""
    texts = list(texts)
    named = [m.user for m in team.members if m.active and any(names(t, m) for t in texts)]
    return [*users, *managers(ctx, team), *named]


def standup_homes_changed(ctx: Context, team: Team, users: Iterable[str], texts: Iterable[str] = ()) -> None:
    """A stand-up was answered or a blocker moved: the Homes of those it is about, the managers' strips, and
    the Homes of those the blockers name."""
    homes_changed(ctx, team, blocker_readers(ctx, team, users, texts))


def standup_home(ctx: Context, reader: HomeReader) -> list[dict[str, Any]]:
    team = reader.team
    member = team.member(reader.user) if team else None
    if team is None or member is None or not member.active:
        return []
    rounds = StandupRounds(ctx, ctx.playbook(StandupPlaybook))
    person = rounds.person(team, member)
    now = ctx.clock.now()
    today = ops.local_today(person, now)
    manager = ctx.has_role(team, reader.user, Role.manager)
    with ctx.db.transaction() as session:
        away = [a for a in store.away_of(session, team.id).get(reader.user, []) if a.covers(today)]
        entry = store.entry(session, team.id, reader.user, today)
        state = (entry.status, entry.submitted_at) if entry else None
    zone = ZoneInfo(reader.timezone)
    if not person.calendar.is_workday(today):
        mine = blocks.Today(today, "off", holiday=person.calendar.holiday_name(today))
    elif state and state[0] == "answered":
        mine = blocks.Today(today, "answered", answered_at=state[1].astimezone(zone))
    elif away:
        mine = blocks.Today(today, "away", away_until=max(a.end for a in away))
    elif state:
        mine = blocks.Today(today, "skipped")
    else:
        mine = blocks.Today(today, "todo")
    lines = rounds.blocker_lines(team, now)
    own = [b for b in lines if b.owner == reader.user]
    others = [b for b in lines if b.owner != reader.user and (manager or names(b.text, member))]
    people = {m.user: m.name for m in team.members}
    roster = None
    if manager:
        today_of = {}
        for other in (m for m in team.members if m.active):
            them = rounds.person(team, other)
            day = ops.local_today(them, now)
            today_of[other.user] = day if them.calendar.is_workday(day) else None
        found = rounds.classify(team, today_of, prompted_only=False)
        roster = (found.answered, found.missing)
    return blocks.standup_section(reader.tr, mine, own, others, people, manager=manager, roster=roster)
