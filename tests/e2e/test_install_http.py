"""`opsbot serve` with a client id and secret: the OAuth install flow over HTTP, as an installer's browser sees it."""

from __future__ import annotations

import html
import io
import logging
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
import uvicorn
from slack_sdk.oauth.installation_store import InstallationStore
from starlette.applications import Starlette

from bot.clock import FrozenClock
from bot.config import load_settings
from bot.console.emulator import SlackEmulator
from bot.db.core import AuditEntry
from bot.http import build_http_app
from bot.observability import configure_logging
from bot.wiring import Opsbot, wire
from tests.conftest import MONDAY_9AM_SHENZHEN

CLIENT_ID = "1000.2000"
CLIENT_SECRET = "client-secret-never-logged"
SIGNING_SECRET = "install-test-signing-secret"
COOKIE = "slack-app-oauth-state"


@dataclass
class Server:
    browser: httpx.Client
    emulator: SlackEmulator
    services: Opsbot

    @property
    def store(self) -> InstallationStore:
        assert self.services.workspaces.store is not None
        return self.services.workspaces.store


@pytest.fixture
def server(playbooks_dir: Path, database_url: str) -> Iterator[Server]:
    emulator = SlackEmulator(None).start()
    emulator.oauth_client = (CLIENT_ID, CLIENT_SECRET)
    settings = load_settings(SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET,
                             SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=emulator.api_url,
                             DATABASE_URL=database_url, OPSBOT_PLAYBOOKS=playbooks_dir)
    services = wire(settings, clock=FrozenClock(MONDAY_9AM_SHENZHEN))
    app, _ = services.bolt_app()
    http_app = build_http_app(app, services, signing_secret=SIGNING_SECRET)
    with serving(http_app) as base, httpx.Client(base_url=base) as browser:
        try:
            yield Server(browser, emulator, services)
        finally:
            emulator.stop()
            services.db.dispose()


@contextmanager
def serving(asgi: Starlette) -> Iterator[str]:
    """uvicorn on a free local port, as `opsbot serve` runs it (the scheduler's lifespan left off)."""
    server = uvicorn.Server(uvicorn.Config(asgi, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)  # waiting for the server socket to open, not for timing
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(5)


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """The operator's log at DEBUG, as `opsbot serve` configures it, written to a buffer the test reads."""
    root = logging.getLogger()
    handlers, level, sdk_level = root.handlers[:], root.level, logging.getLogger("slack_sdk").level
    configure_logging(load_settings(OPSBOT_LOG_LEVEL="DEBUG", SLACK_CLIENT_ID=CLIENT_ID,
                                    SLACK_CLIENT_SECRET=CLIENT_SECRET, SLACK_SIGNING_SECRET=SIGNING_SECRET))
    buffer = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    try:
        yield buffer
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        logging.getLogger("slack_sdk").setLevel(sdk_level)


def add_to_slack(server: Server) -> tuple[str, list[str]]:
    """Open /slack/install: the page's Add to Slack link carries a fresh state, also set as a cookie (Secure,
    HttpOnly: behind the TLS proxy the browser sends it back; here the test does, see ``back``)."""
    page = server.browser.get("/slack/install")
    assert page.status_code == 200 and "Add to Slack" in page.text
    found = re.search(r'<a href="([^"]+)"', page.text)
    assert found is not None
    link = urlparse(html.unescape(found.group(1)))
    query = parse_qs(link.query)
    assert (link.netloc, link.path) == ("slack.com", "/oauth/v2/authorize")
    assert query["client_id"] == [CLIENT_ID]
    state = query["state"][0]
    cookie = page.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}={state};") and "HttpOnly" in cookie and "Secure" in cookie
    return state, query["scope"][0].split(",")


def back(server: Server, code: str, state: str, cookie: str | None) -> httpx.Response:
    """Slack sends the installer's browser back to the redirect URL with the code and the state."""
    headers = {"cookie": f"{COOKIE}={cookie}"} if cookie else {}
    return server.browser.get("/slack/oauth_redirect", params={"code": code, "state": state}, headers=headers)


def test_install_stores_the_workspace_and_never_logs_its_token(server: Server, debug_log: io.StringIO) -> None:
    state, scopes = add_to_slack(server)
    assert {"commands", "chat:write", "im:write", "users:read", "files:read"} <= set(scopes)  # from the manifest
    code = server.emulator.authorize("T0DEMO", "Opsbot Demo", installer="U0MANAGER", scopes=scopes)
    done = back(server, code, state, cookie=state)
    assert done.status_code == 200, done.text
    # The stored installation and its audit row are read from the database: no Slack surface shows either.
    bot = server.store.find_bot(enterprise_id=None, team_id="T0DEMO")
    assert bot is not None and bot.bot_token is not None and bot.bot_token.startswith("xoxb-")
    assert bot.bot_user_id == "U0OPSBOT" and bot.bot_scopes == scopes
    with server.services.db.transaction() as session:
        audit = session.query(AuditEntry).filter_by(entity="installation").one()
        assert (audit.team_id, audit.actor, audit.to_state, audit.note) == ("T0DEMO", "U0MANAGER", "installed",
                                                                               "Opsbot Demo")
    logged = debug_log.getvalue()
    assert "installed in Slack workspace T0DEMO (Opsbot Demo)" in logged  # the operator sees the install ...
    assert bot.bot_token not in logged and CLIENT_SECRET not in logged  # ... never the token or the secret
    assert bot.bot_token not in done.text


def test_a_reused_state_is_refused(server: Server) -> None:
    state, scopes = add_to_slack(server)
    first = server.emulator.authorize("T0DEMO", "Opsbot Demo", installer="U0MANAGER", scopes=scopes)
    assert back(server, first, state, cookie=state).status_code == 200
    second = server.emulator.authorize("T9OTHER", "Someone Else", installer="U9SOMEONE", scopes=scopes)
    assert back(server, second, state, cookie=state).status_code == 401
    assert server.store.find_bot(enterprise_id=None, team_id="T9OTHER") is None
    assert server.emulator.count_calls("oauth.v2.access") == 1  # the second code was never exchanged


def test_a_forged_state_is_refused(server: Server) -> None:
    _, scopes = add_to_slack(server)
    code = server.emulator.authorize("T9EVIL", "Forgery", installer="U9EVIL", scopes=scopes)
    forged = "00000000-0000-4000-8000-000000000000"  # never issued, though the browser claims it
    assert back(server, code, forged, cookie=forged).status_code == 401
    someone_elses, _ = add_to_slack(server)  # issued, but to another browser: not in this one's cookie
    assert back(server, code, someone_elses, cookie=None).status_code == 400
    assert server.store.find_bot(enterprise_id=None, team_id="T9EVIL") is None
    assert server.emulator.count_calls("oauth.v2.access") == 0


def test_with_one_bot_token_there_is_no_install_flow(playbooks_dir: Path, database_url: str) -> None:
    settings = load_settings(SLACK_BOT_TOKEN="xoxb-one", SLACK_SIGNING_SECRET=SIGNING_SECRET,
                             DATABASE_URL=database_url, OPSBOT_PLAYBOOKS=playbooks_dir)
    services = wire(settings, clock=FrozenClock(MONDAY_9AM_SHENZHEN))
    app, _ = services.bolt_app()
    try:
        with serving(build_http_app(app, services, signing_secret=SIGNING_SECRET)) as base:
            assert httpx.get(f"{base}/slack/install").status_code == 404
            assert httpx.get(f"{base}/slack/oauth_redirect", params={"code": "c", "state": "s"}).status_code == 404
            assert httpx.get(f"{base}/healthz").json() == {"ok": True}
    finally:
        services.db.dispose()
