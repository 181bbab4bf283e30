"""The stand-up's agenda section "blockers": blockers still open when the agenda is built, oldest first."""

from __future__ import annotations

from bot.blocks.meeting_agenda import blocker_line
from bot.db import standup as store
from bot.flows.context import AgendaPart, AgendaPeriod, AgendaSection, Context
from bot.i18n import Translator
from bot.ops.team import Team


def blockers_part(ctx: Context, team: Team, period: AgendaPeriod, tr: Translator) -> AgendaPart | None:
    with ctx.db.transaction() as session:
        found = sorted(store.open_blockers(session, team.id), key=lambda b: (b.raised_on, b.id))
        lines = tuple(blocker_line(tr, b.user_id, max((period.held_on - b.raised_on).days, 0), b.text) for b in found)
    return AgendaPart("blockers", tr._("Open blockers"), lines) if lines else None


SECTIONS = (AgendaSection("blockers", blockers_part),)
