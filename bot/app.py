"""build_app: the real Bolt app, the same in Socket Mode, behind HTTP, in the console and in tests."""

from __future__ import annotations

import contextvars
import logging
import secrets
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.middleware.request_verification import RequestVerification
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from bot.blocks.common import error_text
from bot.config import Settings
from bot.db.core import ProcessedDelivery
from bot.errors import OpsError
from bot.features import Feature, Registrar
from bot.flows.context import Context
from bot.front import Front, database_down_text, delivery_key, is_database_down, known_translator
from bot.i18n import Translator
from bot.oauth import OutageAwareAuthorize
from bot.observability import COMMANDS, ERRORS
from bot.outbox import set_key_scope
from bot.outbox.work import retry_later
from bot.replays import CHECKED_AT_THE_FRONT, ReplayGuard
from bot.slack_requests import first_input, response_url_of
from bot.workspaces import ContextExecutor, set_current_workspace

log = logging.getLogger(__name__)
# Bolt's default is 5. Each listener keeps its thread for the work after its ack() (a report, a post), and
# Bolt runs the next request's ack in the same pool: with 5, a burst of slow commands queues every ack behind
# them (p50 of seconds at 50 requests/s). Threads mostly wait on I/O, so many are cheap.
LISTENER_THREADS = 64


class OpsbotApp(App):
    """Bolt's App, each dispatch in its own copy of the context: the workspace a request is served for never
    leaks into the caller's thread (the console, a Socket Mode worker) or into the next request.

    ``front`` is its ack path under ``opsbot serve`` (``bot/front.py``)."""

    front: Front

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        response: BoltResponse = contextvars.copy_context().run(super().dispatch, req)
        return response


def _reply_privately(ctx: Context, body: dict[str, Any], user: str | None, text: str) -> None:
    response_url = response_url_of(body)
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    if response_url:
        ctx.delivery.respond(response_url, text)
    elif channel and user:
        ctx.delivery.ephemeral(channel, user, text)
    elif user:
        ctx.delivery.dm(user, text)


def _database_away(
    ctx: Context, error: Exception, body: dict[str, Any], context: BoltContext, answered: BoltResponse
) -> BoltResponse:
    """The database went away while a listener ran: an outage, not a bug — one warning line, no traceback.

    Someone waiting on an answer (a command's or a button's response_url, a form's field) is told so, in
    their language as far as it is known without the database; never by DM, which would itself need the
    database (the outbox) and which nobody asked for. Work nobody waits on (an event; Slack had its answer
    long ago) goes back to the work queue and runs once the database is back: nothing acknowledged is lost.
    """
    user = context.user_id
    field = first_input(body) if body.get("type") == "view_submission" else None
    response_url = None if field else response_url_of(body)
    if not field and not response_url:
        if not retry_later(error):  # in a work thread, which logs it, once per outage
            log.warning("the database is unreachable (%s); this %s was not done", type(error).__name__,
                        body.get("type") or "request")
        return answered
    try:  # which team a person is in may itself be in the database (several workspaces)
        team = ctx.teams.for_user(user, context.team_id) if user else None
    except Exception:
        team = None
    text = database_down_text(known_translator(ctx, user, team))  # logs the line, with the ref
    if field:  # the form stays open with what was typed, the line under its first field
        return BoltResponse(status=200, body={"response_action": "errors", "errors": {field: text}})
    try:
        ctx.delivery.respond(str(response_url), text)
    except Exception as failed:  # the person sees nothing new; the log says why, in one line
        log.warning("could not tell %s that the database is away (%s)", user, type(failed).__name__)
    return answered


def _trigger_expired(error: Exception) -> bool:
    return isinstance(error, SlackApiError) and error.response.get("error") == "expired_trigger"


def _form_too_late(ctx: Context, tr: Translator, body: dict[str, Any]) -> None:
    """A queued request's form could not open: it waited past its trigger's 3 s (a busy minute, or an outage
    that put it back). Nothing is broken: one line, no traceback. Someone with a response_url (a command, a
    button in a message) is asked to try again; a Home button has none, and a DM about a press the person gave up
    on long ago would be noise."""
    log.warning("work: a %s could not open its form: Slack says its trigger expired", body.get("type") or "command")
    response_url = body.get("response_url")
    if not response_url:
        return
    try:
        ctx.delivery.respond(str(response_url), tr._("That form could not open in time. Please try again."))
    except Exception as failed:  # the person sees nothing new; the log says why, in one line
        log.warning("could not say that a form could not open (%s)", type(failed).__name__)


class SignedOnce(Middleware):
    """Bolt's signature check, then the replay guard — or neither for a request that ``opsbot serve``'s ack
    path checked already (``bot/http.py``), which reaches the listeners later, unsigned, from the work queue."""

    def __init__(self, signing_secret: str, guard: ReplayGuard) -> None:
        self.verification = RequestVerification(signing_secret)
        self.guard = guard

    def process(self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse | None:
        if req.context.get(CHECKED_AT_THE_FRONT):
            return next()

        def guarded() -> BoltResponse:
            return self.guard.process(req=req, resp=resp, next=next) or resp

        return self.verification.process(req=req, resp=resp, next=guarded)


def build_app(
    settings: Settings,
    ctx: Context,
    features: tuple[Feature, ...],
    *,
    oauth: OAuthSettings | None = None,
    client: WebClient | None = None,
    process_before_response: bool = False,
) -> tuple[App, Registrar]:
    """``oauth`` is the install flow when the app serves several workspaces (``bot/oauth.py``).

    ``process_before_response``: a request's work is done before Slack gets its answer (the console, tests).
    Otherwise (production) Slack is answered first; under ``opsbot serve`` the work then goes through the
    durable work queue, run by a second copy of the app that finishes each request in the work thread
    (:class:`bot.front.Front`), and in Socket Mode in Bolt's listener pool.
    """
    app, registrar = _bolt_app(
        settings, ctx, features, oauth=oauth, client=client, process_before_response=process_before_response
    )
    if process_before_response:
        app.front = Front(ctx, lambda: app, queued=False)
    else:
        app.front = Front(
            ctx,
            lambda: _bolt_app(
                settings, ctx, features, oauth=oauth, client=client, process_before_response=True, from_queue=True
            )[0],
            queued=True,
            event_journal=settings.event_journal,
            event_journal_max=settings.event_journal_max,
        )
    return app, registrar


def _bolt_app(
    settings: Settings,
    ctx: Context,
    features: tuple[Feature, ...],
    *,
    oauth: OAuthSettings | None,
    client: WebClient | None,
    process_before_response: bool,
    from_queue: bool = False,
) -> tuple[OpsbotApp, Registrar]:
    settings.require_for_http()
    assert settings.slack_signing_secret is not None
    web = client or ctx.delivery.workspaces.base
    # Listeners run after ack() in this pool (lazy ones too); it carries the request's workspace into them.
    common: dict[str, Any] = {
        # Named, so that Bolt does not name the app after its caller's file with inspect.stack(): that reads every
        # frame's source, 0.1-0.4 s for each app built (each console, each test's bot).
        "name": "opsbot",
        "signing_secret": settings.slack_signing_secret.get_secret_value(),
        "client": web,
        "process_before_response": process_before_response,
        "listener_executor": ContextExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="opsbot-listener"),
        # Bolt's own signature check is done here with the replay guard right after it, before any listener
        # (a replayed request is refused), and skipped for what the ack path checked already.
        "request_verification_enabled": False,
        "before_authorize": SignedOnce(settings.slack_signing_secret.get_secret_value(), ReplayGuard(ctx.db)),
    }
    app: OpsbotApp
    if oauth is not None:
        # Each request is authorized with its workspace's installation; no token of the app's own.
        # Authorized as Bolt does, but an installation store whose database is down is an outage (bot/oauth.py).
        assert oauth.installation_store is not None
        authorize = OutageAwareAuthorize(
            oauth.installation_store, logger=logging.getLogger("slack_bolt.authorize"), bot_only=True,
            client_id=oauth.client_id, client_secret=oauth.client_secret, client=web,
        )
        app = OpsbotApp(
            oauth_settings=oauth, installation_store_bot_only=True,
            authorize=authorize,  # type: ignore[arg-type]  # Bolt takes an Authorize as is (typed as a function)
            **common,
        )
    else:
        assert settings.slack_bot_token is not None
        app = OpsbotApp(
            # The client carries the bot token; passing it twice only makes Bolt warn.
            token=None if web.token else settings.slack_bot_token.get_secret_value(),
            token_verification_enabled=False,  # `opsbot doctor` runs auth.test with a clear message instead
            **common,
        )

    @app.middleware
    def serve_workspace(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        # No reset needed: OpsbotApp.dispatch runs in a copy of the context that ends with it.
        set_current_workspace(context.team_id)
        return next()

    @app.middleware
    def once_per_delivery(
        body: dict[str, Any], context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        if body.get("command") and not from_queue:  # a queued command was counted when it was acknowledged
            COMMANDS.labels(command=str(body["command"])).inc()
        key = delivery_key(body)
        if key is None:
            return next()
        if from_queue:
            # De-duplicated when it was queued; done again only when a replica died working on it.
            context["delivery_key"] = key
            set_key_scope(f"slack:{context.team_id or ''}:{key}")
            return next()
        try:
            with ctx.db.transaction() as session:
                session.add(ProcessedDelivery(team_id=context.team_id or "", key=key, received_at=ctx.clock.now()))
        except IntegrityError:
            log.info("ignoring a repeated delivery %s", key)
            return BoltResponse(status=200, body="")
        context["delivery_key"] = key
        # A retry let through after an unexpected error writes the same outbox keys: what was sent, stays once.
        set_key_scope(f"slack:{context.team_id or ''}:{key}")
        return next()

    @app.error
    def one_error_path(error: Exception, body: dict[str, Any], context: BoltContext) -> BoltResponse:
        """Tell the person privately; Slack gets what was acknowledged (or a plain 200), never a 500: an
        explanation on top of "this action failed" is a refusal answered twice."""
        acked = context.ack.response if context.ack is not None else None
        answered = acked if acked is not None else BoltResponse(status=200, body="")
        if is_database_down(error):
            ERRORS.labels(kind="database").inc()
            return _database_away(ctx, error, body, context, answered)
        user = context.user_id
        team = ctx.teams.for_user(user, context.team_id) if user else None
        tr = ctx.translator_for(user, team)
        if from_queue and _trigger_expired(error):
            _form_too_late(ctx, tr, body)
            return answered
        ERRORS.labels(kind="user" if isinstance(error, OpsError) else "unexpected").inc()
        if isinstance(error, OpsError):
            # A mention stays live only for the people Opsbot holds (a typed id shows as typed).
            text = error_text(tr, error, frozenset(m.user for t in ctx.teams.teams for m in t.members))
        else:
            ref = secrets.token_hex(3).upper()
            log.error("unhandled error in a listener (ref %s)", ref, exc_info=error)
            text = tr._(
                "Something went wrong (ref {ref}). Please try again; if it keeps happening, give your admin this ref.",
                ref=ref,
            )
            # Let a retry of this delivery do the work that failed.
            key = context.get("delivery_key")
            if key and not from_queue:
                with ctx.db.transaction() as session:
                    session.execute(delete(ProcessedDelivery).where(ProcessedDelivery.key == key))
        try:
            _reply_privately(ctx, body, user, text)
        except Exception:
            log.exception("could not tell %s about an error", user)
        return answered

    registrar = Registrar(app, settings, features)
    for feature in features:
        feature.register(registrar, ctx)
    return app, registrar
