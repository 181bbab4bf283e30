"""Links between features' objects, as the flows use them: record what started what, read a card's
consequences or origin in the reader's words, and tell the origin when a consequence moved.

Each feature declares its kind (:class:`~bot.flows.context.LinkKind`, in its ``FEATURE.link_kinds``); this module
knows no feature."""

from __future__ import annotations

import logging

from bot.db import links as stored
from bot.flows.context import Context
from bot.i18n import Translator
from bot.ops.links import LinkState, Ref

log = logging.getLogger(__name__)


def link(ctx: Context, team_id: str, source: Ref, target: Ref, *, by: str) -> bool:
    """``source`` started ``target`` (F-12 -> R-3); True when new. Joins the caller's transaction if one is open."""
    with ctx.db.transaction() as session:
        return stored.add(session, team_id, source, target, by=by, at=ctx.clock.now())


def _read(ctx: Context, refs: list[Ref], tr: Translator) -> list[LinkState]:
    states = []
    for ref in refs:
        kind = ctx.link_kinds.get(ref.kind)
        state = kind.describe(ctx, ref, tr) if kind else None
        if state is not None:
            states.append(state)
    return states


def started(ctx: Context, source: Ref, tr: Translator) -> list[LinkState]:
    """What ``source`` started, each with its state, oldest first."""
    with ctx.db.transaction() as session:
        refs = stored.targets(session, source)
    return _read(ctx, refs, tr)


def came_from(ctx: Context, target: Ref, tr: Translator) -> list[LinkState]:
    """Where ``target`` came from (the feedback behind a restock request)."""
    with ctx.db.transaction() as session:
        refs = stored.sources(session, target)
    return _read(ctx, refs, tr)


def moved(ctx: Context, ref: Ref) -> None:
    """``ref`` changed state: each object it came from redraws its cards (a feedback card shows R-3 received and
    closes itself once everything it started is finished). Call it after the change is committed."""
    with ctx.db.transaction() as session:
        origins = stored.sources(session, ref)
    for origin in origins:
        kind = ctx.link_kinds.get(origin.kind)
        if kind is not None and kind.changed is not None:
            kind.changed(ctx, origin)
