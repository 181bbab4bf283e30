"""Links between features' objects, as the flows use them: record what started what, read a card's
consequences or origin in the reader's words, and tell the origin when a consequence moved.

Each feature declares its kind (:class:`~bot.flows.context.LinkKind`, in its ``FEATURE.link_kinds``); this module
knows no feature."""

from __future__ import annotations

import json
import logging

from bot.db import links as stored
from bot.errors import N_, OpsError
from bot.flows.context import Context
from bot.i18n import Translator
from bot.ops.links import LinkState, Ref, source_in

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


def check_source(ctx: Context, user: str, source: Ref) -> Ref:
    """``source``, if ``user`` may start something from it now (its feature says: F-12 open and in their team, A-7
    theirs and not done); else OpsError. Asked before a form opens and again when it is submitted."""
    kind = ctx.link_kinds.get(source.kind)
    if kind is None or kind.may_start is None:
        log.warning("links: %s named %s as a source, which starts nothing", user, source.label)
        raise OpsError(N_("{ref} no longer exists."), ref=source.label)
    kind.may_start(ctx, source, user)
    return source


def source_of_form(ctx: Context, user: str, metadata: str) -> Ref | None:
    """What a submitted form was opened from (its private_metadata), checked again; a forged value is refused."""
    try:
        source = source_in(json.loads(metadata)) if metadata.startswith("{") else None
    except ValueError as exc:
        log.warning("links: %s submitted a form with forged metadata %r", user, metadata[:200])
        raise OpsError(N_("That form is out of date; open it again.")) from exc
    return check_source(ctx, user, source) if source is not None else None
