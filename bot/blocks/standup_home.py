"""The stand-up's part of the App Home: today's stand-up with its button, my blockers, the ones I can help with,
and for the manager who has answered today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.blocks.common import button, context, section
from bot.blocks.home import SHOWN, more_line, title
from bot.blocks.standup import FILL_IN, RESOLVE_BLOCKER, BlockerLine
from bot.blocks.text import escape, escape_clipped
from bot.i18n import Translator


@dataclass(frozen=True)
class Today:
    """The reader's stand-up today: ``state`` is answered | skipped | todo | away | off."""

    day: date
    state: str
    answered_at: datetime | None = None  # in the reader's zone
    away_until: date | None = None
    holiday: str | None = None


def _today_block(tr: Translator, today: Today) -> dict[str, Any]:
    day = tr.date(today.day, "full")
    if today.state == "off":
        text = tr._("Today ({day}) is not a stand-up day for you.", day=day)
        if today.holiday:
            text += " " + tr._("Holiday: {name}.", name=escape(today.holiday))
        return section(text)
    if today.state == "away":
        return section(tr._("🌴 You are away until {end}: no stand-up for you today.",
                            end=tr.date(today.away_until or today.day)))
    if today.state == "answered":
        text = (tr._("✅ Answered for {day} at {time}", day=day, time=tr.time(today.answered_at))
                if today.answered_at is not None else tr._("✅ Answered for {day}", day=day))
        return section(text, accessory=button(tr._("Edit my answer"), FILL_IN, today.day.isoformat()))
    if today.state == "skipped":
        return section(tr._("⏭ Skipped for {day}.", day=day),
                       accessory=button(tr._("Answer after all"), FILL_IN, today.day.isoformat()))
    return section(tr._("⏳ To do: your stand-up for {day}.", day=day),
                   accessory=button(tr._("Fill in my stand-up"), FILL_IN, today.day.isoformat(), style="primary"))


def _age(tr: Translator, days: int) -> str:
    return tr._("raised today") if days == 0 else tr.ngettext("open {n} workday", "open {n} workdays", days)


def _blocker_block(tr: Translator, line: BlockerLine, *, mine: bool, may_resolve: bool, name: str) -> dict[str, Any]:
    text = escape_clipped(line.text, 1500)
    shown = (tr._("🚧 {text} · {age}", text=text, age=_age(tr, line.age)) if mine
             else tr._("🚧 {text} — {who} · {age}", text=text, who=escape(name), age=_age(tr, line.age)))
    accessory = button(tr._("Resolved"), RESOLVE_BLOCKER, str(line.id)) if may_resolve else None
    return section(shown, accessory=accessory)


def standup_section(
    tr: Translator, today: Today, mine: list[BlockerLine], helpable: list[BlockerLine], names: dict[str, str],
    *, manager: bool, roster: tuple[list[str], list[str]] | None,
) -> list[dict[str, Any]]:
    """``roster``: for the manager, (answered, not yet) by today's rounds."""
    blocks = [title(tr._("Stand-up")), _today_block(tr, today)]
    if mine:
        blocks.append(context(tr.ngettext("Your open blocker:", "Your {n} open blockers:", len(mine))))
        blocks += [_blocker_block(tr, b, mine=True, may_resolve=True, name="") for b in mine[:SHOWN]]
        if len(mine) > SHOWN:
            blocks.append(more_line(tr, len(mine) - SHOWN, "/standup status"))
    if helpable:
        label = (tr._("Blockers in the team:") if manager
                 else tr._("Blockers you can help with (your role is named):"))
        blocks.append(context(label))
        blocks += [_blocker_block(tr, b, mine=False, may_resolve=manager, name=names.get(b.owner, b.owner))
                   for b in helpable[:SHOWN]]
        if len(helpable) > SHOWN:
            blocks.append(more_line(tr, len(helpable) - SHOWN, "/standup status"))
    if roster is not None:
        answered, waiting = roster

        def listed(users: list[str]) -> str:
            return tr.join(escape(names.get(u, u)) for u in users) or "—"

        blocks.append(section(tr._("*Team today* · ✅ answered: {answered} · ⏳ not yet: {waiting} · "
                                   "🚧 open blockers: {blockers}", answered=listed(answered),
                                   waiting=listed(waiting), blockers=tr.number(len(mine) + len(helpable)))))
    return blocks
