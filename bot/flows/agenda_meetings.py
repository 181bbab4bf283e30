"""The meetings feature's own agenda sections: "actions" (what earlier meetings decided to do, and where it
stands: overdue first, done ones once) and "items" (what people added with /agenda add, by who added them)."""

from __future__ import annotations

from datetime import datetime, time

from bot.blocks import meetings as blocks
from bot.db import meetings as store
from bot.flows.context import AgendaPart, AgendaPeriod, AgendaSection, Context
from bot.i18n import Translator
from bot.ops.links import Ref
from bot.ops.meetings import overdue
from bot.ops.team import Team


def actions_part(ctx: Context, team: Team, period: AgendaPeriod, tr: Translator) -> AgendaPart | None:
    since = datetime.combine(period.start, time(0), tzinfo=team.zone)
    before = datetime.combine(period.held_on, time(0), tzinfo=team.zone)
    with ctx.db.transaction() as session:
        rows = store.actions_of(session, team.id, before=before)
        shown = [a for a in rows if a.state != "done" or (a.done_at is not None and a.done_at >= since)]
        lines = [(not overdue(a.state, a.due, period.held_on), a.state == "done", a.due, a.id,
                  blocks.action_line(tr, Ref("action", a.id).label, a.owner, a.due, a.state, a.text,
                                     overdue=overdue(a.state, a.due, period.held_on), note=a.note))
                 for a in shown]
    if not lines:
        return None
    ordered = sorted(lines, key=lambda line: line[:4])
    return AgendaPart("actions", tr._("Actions from earlier meetings"), tuple(line[4] for line in ordered))


def items_part(ctx: Context, team: Team, period: AgendaPeriod, tr: Translator) -> AgendaPart | None:
    with ctx.db.transaction() as session:
        meeting = store.meeting(session, team.id, period.rhythm, period.held_on)
        items = store.entries_of(session, meeting.id, "item") if meeting else []
        by_who = sorted(items, key=lambda i: (i.added_by, i.id))
        lines = tuple(blocks.item_line(tr, i.added_by, i.text, i.owner) for i in by_who)
    return AgendaPart("items", tr._("Items added"), lines) if lines else None


SECTIONS = (AgendaSection("actions", actions_part), AgendaSection("items", items_part))
