"""``opsbot serve``: Slack's HTTP endpoint under uvicorn, for running several replicas behind a load balancer.

Bolt's sync app does blocking I/O, so each request is dispatched in a worker thread: the event loop
keeps accepting requests while listeners run (running it on the loop itself is what makes the sync
app collapse under load). Signature and timestamp checks are Bolt's own: anything else gets 401.

With several workspaces (``SLACK_CLIENT_ID``/``SLACK_CLIENT_SECRET``), Bolt's OAuth flow also answers
``GET /slack/install`` (the "Add to Slack" page, with a fresh state) and ``GET /slack/oauth_redirect``
(state checked and used up, code exchanged, installation stored); without them those paths are 404.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
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

from bot.observability import ACK_SECONDS, REGISTRY


class Background(Protocol):
    """What serving HTTP starts and stops with the server, and asks for /readyz (the wiring's ``Opsbot``)."""

    def start_background(self) -> None: ...

    def stop_background(self) -> None: ...

    def readiness(self) -> dict[str, bool]: ...


def signed(verifier: SignatureVerifier, body: bytes, headers: Headers) -> bool:
    """Slack's signature over the raw body, checked before anything reads the body: a request that is not
    Slack's is refused whatever it holds (a broken form, JSON, bytes that are not UTF-8, a timestamp that is
    not a number), with no parsing, no traceback and no 500."""
    try:
        return verifier.is_valid(body, headers.get("x-slack-request-timestamp"), headers.get("x-slack-signature"))
    except ValueError:  # a timestamp that is not a number; bytes that are not UTF-8 (a UnicodeDecodeError)
        return False


def build_http_app(app: App, services: Background | None = None, *, signing_secret: str | None = None) -> Starlette:
    """``signing_secret``: refuse unsigned requests before Bolt parses them (always given by ``opsbot serve``)."""
    verifier = SignatureVerifier(signing_secret) if signing_secret else None

    async def slack_events(request: Request) -> Response:
        started = time.perf_counter()
        body = await request.body()
        if verifier is not None and not signed(verifier, body, request.headers):
            return Response(status_code=401)
        bolt_response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
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
        if services is not None:
            services.start_background()
        try:
            yield
        finally:
            if services is not None:
                services.stop_background()

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
