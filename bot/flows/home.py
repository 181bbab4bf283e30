"""Each person's App Home: built from every feature's declared section, published when they open it and again
whenever something in it changes (a stand-up answered, an approval waiting, a task moved), so it is never stale.

The frame knows no feature: it asks each declared :data:`~bot.flows.context.HomeSection` in feature order. A
section that fails is logged and left out; the others and the commands still show.

A Home costs a views.publish and, with the goals and KPI sections, a report computed (tenths of a second): a
form's answer never waits for that (``bot/answering.py``). Changed while an answer is being prepared, a Home is
republished after the answer, and at most one such refresh per person waits at a time: asked again before it
started, it is the same refresh, which builds the Home when it runs, so it shows the latest of both.

Where the answering process has a work process beside it (``opsbot serve``), that refresh is not built in the
answering process at all — its pandas work would hold the interpreter lock the next answer needs: it is written
into the work queue in the form's own transaction (committed with the change, gone with a rolled-back one,
found again after a restart) and the work process builds and publishes it (:func:`refresh_queued`)."""

from __future__ import annotations

import json
import logging
import threading
import weakref
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot.answering import after_answer, answering_now
from bot.blocks.home import home_view
from bot.errors import OpsError
from bot.flows.context import Context, HomeReader
from bot.ops.team import ROLE_NAMES, Role, Team
from bot.outbox.work import WorkQueue, is_database_down, retry_later, work_elsewhere

log = logging.getLogger(__name__)
if TYPE_CHECKING:
    from bot.delivery import Delivery

# Refreshes put off until after an answer and not started yet, by (team, person), for each bot (its delivery).
_waiting: weakref.WeakKeyDictionary[Delivery, set[tuple[str | None, str]]] = weakref.WeakKeyDictionary()
_waiting_lock = threading.Lock()


def home_view_for(ctx: Context, user: str, slack_team_id: str | None = None) -> dict[str, Any]:
    """The App Home ``user`` sees now, in their language and time zone."""
    team = ctx.teams.for_user(user, slack_team_id)
    tr = ctx.translator_for(user, team)
    member = team.member(user) if team else None
    roles = [tr._(ROLE_NAMES[r]) for r in member.roles] if member else []
    commands = tuple(f"{name} {tr._(hint) if hint else ''}".strip() for name, hint in ctx.commands)
    zone = (member.timezone if member else None) or ctx.people.profile(user).tz or (team.timezone if team else "UTC")
    reader = HomeReader(user=user, team=team, tr=tr, commands=commands, timezone=zone)
    sections: list[list[dict[str, Any]]] = []
    if team is not None and member is not None:
        for build in ctx.home_sections:
            try:
                sections.append(list(build(ctx, reader)))
            except Exception as error:  # one feature's trouble never costs the person the rest of their Home
                if is_database_down(error):  # an outage is every section's: no Home now, it is built again later
                    raise
                log.exception("home section %s failed for %s", getattr(build, "__qualname__", build), user)
    return home_view(tr, name=member.name if member else user, team_name=team.name if team else None,
                     roles=roles, timezone=reader.timezone, sections=sections, commands=commands)


def publish_home(ctx: Context, user: str, slack_team_id: str | None = None) -> None:
    ctx.delivery.publish_home(user, home_view_for(ctx, user, slack_team_id))


def homes_changed(ctx: Context, team: Team | None, users: Iterable[str]) -> None:
    """Something in these people's App Homes changed: publish theirs again — at once, or once the transaction
    open now commits (a change rolled back never shows), or, while a form's answer is being prepared, after the
    answer — in the work process, queued with the change, when there is one. A Slack that refuses costs only
    freshness (the next open rebuilds it), so it is logged, never raised into the change that caused it; nor is
    a Home that cannot be built."""
    wanted = tuple(dict.fromkeys(u for u in users if u))
    queue = work_elsewhere() if answering_now() else None
    if queue is not None:
        _queue_refreshes(ctx, queue, team, wanted)
        return
    if not ctx.db.after_commit(lambda: _refresh(ctx, team, wanted), once=("homes_changed", team and team.id,
                                                                          wanted)):
        _refresh(ctx, team, wanted)


def _queue_refreshes(ctx: Context, queue: WorkQueue, team: Team | None, users: tuple[str, ...]) -> None:
    """Each Home's refresh as a row of the work queue, in the open transaction (or one of its own), unless the
    same one already waits; the work process is woken once it commits."""
    slack_team_id = team.slack_team_id if team else None
    with ctx.db.transaction() as session:
        for user in users:
            body = json.dumps({"user": user, "slack_team_id": slack_team_id}, sort_keys=True)
            queue.add_home_within(session.connection(), slack_team_id or "", body)
        ctx.db.after_commit(queue.wake.set, once=("work queued", id(queue)))


def refresh_queued(ctx: Context, body: str) -> None:
    """A refresh :func:`homes_changed` queued, run by a work thread: the Home as it is now, published. The
    database away puts it back in the queue (:func:`~bot.outbox.work.retry_later`) rather than losing it."""
    asked = json.loads(body)
    user, slack_team_id = str(asked["user"]), asked.get("slack_team_id")
    try:
        home = home_view_for(ctx, user, slack_team_id)
    except Exception as error:
        if not (is_database_down(error) and retry_later(error)):
            log.exception("home not refreshed for %s", user)
        return
    _publish_all(ctx, slack_team_id, (user,), built={user: home})


def _refresh(ctx: Context, team: Team | None, users: tuple[str, ...]) -> None:
    if not answering_now():
        _publish_all(ctx, team.slack_team_id if team else None, users)
        return
    for user in users:
        key = (team.id if team else None, user)
        with _waiting_lock:
            waiting = _waiting.setdefault(ctx.delivery, set())
            if key in waiting:
                continue  # a refresh not started yet builds this Home when it runs: it shows this change too
            waiting.add(key)
        after_answer(partial(_refresh_waiting, ctx, team, user, key))


def _refresh_waiting(ctx: Context, team: Team | None, user: str, key: tuple[str | None, str]) -> None:
    with _waiting_lock:  # started: a change from now on asks for a refresh of its own
        _waiting.get(ctx.delivery, set()).discard(key)
    _publish_all(ctx, team.slack_team_id if team else None, (user,))


def _publish_all(
    ctx: Context, slack_team_id: str | None, users: tuple[str, ...], *, built: dict[str, dict[str, Any]] | None = None
) -> None:
    for user in users:
        try:
            if built and user in built:
                ctx.delivery.publish_home(user, built[user])
            else:
                publish_home(ctx, user, slack_team_id)
        except SlackApiError as exc:
            log.warning("home not refreshed for %s: %s", user, exc.response.get("error"))
        except OpsError as exc:  # the workspace is not installed (any more): Workspaces has said so
            log.info("home not refreshed for %s: %s", user, exc.message)
        except Exception:
            log.exception("home not refreshed for %s", user)


def managers(ctx: Context, team: Team) -> list[str]:
    """Whose Home shows the team strip: every holder of the manager role."""
    return [m.user for m in team.members if m.active and ctx.has_role(team, m.user, Role.manager)]
