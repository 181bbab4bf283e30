"""``opsbot serve``: Slack's HTTP endpoint under uvicorn, for running several replicas behind a load balancer.

The signature is checked on the raw body before anything parses it: anything unsigned gets 401. Then, each
with its own capacity, so none waits on another's backlog:

- **the ack path**, on the event loop: the app's :class:`~bot.front.Front` parses the request and awaits
  the ack writer's group commit (replay guard, retry de-duplication, the request queued in the database,
  for every waiting ack in one transaction, on one thread of its own) — never a listener, never a blocking
  call on the loop;
- **inline threads** (:data:`INLINE_THREADS`) run what must finish before its answer: a view submission's
  validation and transaction, whose answer carries the field errors; what would call Slack after that (its
  messages, a report to load) is put off to the front's after-answer threads, which the answer never waits for
  (``bot/answering.py``), and the App Homes it changed are queued, with its transaction, for the work process;
- **work threads** (:data:`WORK_THREADS`, started with the server) run the queued requests' listeners, in a
  child process at a lower CPU priority, so their Python work never holds the interpreter lock an ack needs;
  the scheduler (stand-up prompts, the KPI digest and the Homes it republishes) and the outbox's senders run
  in that process too, and /readyz asks it whether they run (a work process that died: not ready).

An app without a front (a plain Bolt ``App``) is dispatched as Bolt does it, in a thread.

With several workspaces (``SLACK_CLIENT_ID``/``SLACK_CLIENT_SECRET``), Bolt's OAuth flow also answers
``GET /slack/install`` (the "Add to Slack" page, with a fresh state) and ``GET /slack/oauth_redirect``
(state checked and used up, code exchanged, installation stored); without them those paths are 404.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Protocol

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk.signature import SignatureVerifier
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.front import AFTER_ANSWER_GRACE, Front
from bot.observability import ACK_SECONDS, REGISTRY, watch_work
from bot.outbox.work_threads import WorkProcess

INLINE_THREADS = 16
WORK_THREADS = 12  # within the bot's connection pool (15) with the outbox's senders alongside
TRIGGER_THREADS = 3  # of WORK_THREADS, kept for fresh requests that may open a form (bot/outbox/work.py)


class Background(Protocol):
    """What serving HTTP starts and stops with the server, and asks for /readyz (the wiring's ``Opsbot``): the
    scheduler and the outbox's senders, in the work process when there is one."""

    def start_background(self, elsewhere: Callable[[], dict[str, bool]] | None = None) -> None: ...

    def stop_background(self, wait: bool = False) -> None: ...

    def background_running(self) -> dict[str, bool]: ...

    def readiness(self) -> dict[str, bool | None]: ...


def signed(verifier: SignatureVerifier, body: bytes, headers: Headers) -> bool:
    """Slack's signature over the raw body, checked before anything reads the body: a request that is not
    Slack's is refused whatever it holds (a broken form, JSON, bytes that are not UTF-8, a timestamp that is
    not a number), with no parsing, no traceback and no 500."""
    try:
        return verifier.is_valid(body, headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature"))
    except ValueError:  # a timestamp that is not a number; bytes that are not UTF-8 (a UnicodeDecodeError)
        return False


def build_http_app(
    app: App,
    services: Background | None = None,
    *,
    signing_secret: str | None = None,
    work_threads: int = WORK_THREADS,
    trigger_threads: int = TRIGGER_THREADS,
    idle_seconds: float = 1.0,
    work_process: bool = True,
) -> Starlette:
    """``signing_secret``: refuse unsigned requests before Bolt parses them (always given by ``opsbot serve``).
    ``work_threads``, ``idle_seconds``: how many requests' work runs at once, and how often idle work threads
    look for requests another replica queued. ``work_process``: the work threads run in a child process of
    their own (``opsbot serve``); otherwise in this one."""
    verifier = SignatureVerifier(signing_secret) if signing_secret else None
    front: Front | None = getattr(app, "front", None) if verifier is not None else None
    inline = ThreadPoolExecutor(max_workers=INLINE_THREADS, thread_name_prefix="opsbot-inline")
    worker = (
        front.worker(threads=work_threads, trigger_threads=trigger_threads, idle_seconds=idle_seconds)
        if front and front.queued
        else None
    )
    process = (
        WorkProcess(worker, after_fork=front.after_fork, background=services)
        if worker and front and work_process
        else None
    )

    async def slack_events(request: Request) -> Response:
        started = time.perf_counter()
        body = await request.body()
        if verifier is not None and not signed(verifier, body, request.headers):
            return Response(status_code=401)
        if front is None:
            bolt_response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        else:
            headers = dict(request.headers)
            answer = await front.acknowledge(body, headers)
            if answer is None:
                answer = await asyncio.get_running_loop().run_in_executor(inline, front.inline, body, headers)
            bolt_response = answer
        ACK_SECONDS.observe(time.perf_counter() - started)
        return to_starlette_response(bolt_response)

    async def install(request: Request) -> Response:
        assert app.oauth_flow is not None
        bolt_response = await run_in_threadpool(app.oauth_flow.handle_installation, to_bolt_request(request, b""))
        return to_starlette_response(bolt_response)

    async def oauth_redirect(request: Request) -> Response:
        assert app.oauth_flow is not None
        bolt_response = await run_in_threadpool(app.oauth_flow.handle_callback, to_bolt_request(request, b""))
        return to_starlette_response(bolt_response)

    async def healthz(_request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def readyz(_request: Request) -> Response:
        if services is None:
            return JSONResponse({"ok": True})
        checks = await run_in_threadpool(services.readiness)
        return JSONResponse({"ok": all(checks.values()), **checks}, status_code=200 if all(checks.values()) else 503)

    async def metrics(_request: Request) -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # Everything loaded so far (features, pandas, SQLAlchemy's mappers) lives as long as the server: kept out
        # of the cyclic collector, whose full passes over hundreds of thousands of objects would pause the event loop
        # (and, before the fork, so the work process shares those pages instead of copying them).
        gc.collect()
        gc.freeze()
        if process is not None:
            # The scheduler and the outbox's senders start in the work process, once it has its own connections:
            # their ticks and passes are Python work too, which would compete here with the acks of a rush. This
            # process reads only the outbox's gauges, and asks the work process whether they run (/readyz).
            front.share_wake(process.wake)  # type: ignore[union-attr]
            process.start()
            if services is not None:
                services.start_background(elsewhere=process.background)
        elif services is not None:
            services.start_background()
        if worker is not None:
            watch_work(front.depth if front is not None else worker.queue.depth)
            if process is None:
                worker.start()
        try:
            yield
        finally:
            if process is not None:
                process.stop()
            elif worker is not None:
                worker.stop()
            if front is not None:  # what forms put off until after their answers, done while Slack is still reached
                await asyncio.get_running_loop().run_in_executor(None, front.settle, AFTER_ANSWER_GRACE)
            if services is not None:
                services.stop_background()
            inline.shutdown(wait=False)
            if front is not None:
                front.stop_writer()

    routes = [
        Route("/slack/events", slack_events, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]
    if app.oauth_flow is not None:
        routes += [
            Route(app.oauth_flow.install_path, install, methods=["GET"]),
            Route(app.oauth_flow.redirect_uri_path, oauth_redirect, methods=["GET"]),
        ]
    return Starlette(routes=routes, lifespan=lifespan)
