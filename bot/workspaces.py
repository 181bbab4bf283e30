"""Which Slack workspace a call to Slack is for, and the bot token it is made with.

With one bot token (``SLACK_BOT_TOKEN``) every call uses the one client. With several workspaces (the
OAuth install flow) each workspace's bot token is in the installation store, and the workspace being
served is a context variable: a Bolt middleware sets it for a request (from ``context.team_id``) and
the scheduler for a team's job (the team's ``slack_team_id``). ``Delivery`` and ``People`` ask here for
their client, so their 69 call sites stay as they are and still use the right token.

Context variables do not cross into a plain thread pool, so Bolt's listener pool is a
:class:`ContextExecutor`, which carries the submitting thread's context into the worker.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import RetryHandler
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store import InstallationStore

from bot.errors import N_, OpsError
from bot.ops.team import Team, TeamDirectory

log = logging.getLogger(__name__)
T = TypeVar("T")
# How long a workspace's bot token (or its absence) is trusted before the store is asked again. An
# uninstall seen by this process drops it at once; one seen by another replica within this long.
TOKEN_TTL_SECONDS = 60.0

# What Slack answers once a workspace's bot token is gone: revoked, the workspace or the app deactivated.
TOKEN_GONE = frozenset({"token_revoked", "account_inactive", "invalid_auth"})

_serving: contextvars.ContextVar[str | None] = contextvars.ContextVar("opsbot_workspace", default=None)


def current_workspace() -> str | None:
    """The Slack team id of the workspace being served, if any."""
    return _serving.get()


def set_current_workspace(slack_team_id: str | None) -> None:
    """For Bolt's middleware: each dispatch runs in its own copy of the context, so this never outlives it."""
    _serving.set(slack_team_id)


@contextmanager
def serving(slack_team_id: str | None) -> Iterator[None]:
    """Calls to Slack inside go to this workspace."""
    token = _serving.set(slack_team_id)
    try:
        yield
    finally:
        _serving.reset(token)


class ContextExecutor(ThreadPoolExecutor):
    """A thread pool whose tasks run in a copy of the submitter's context (a plain pool drops context variables)."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        context = contextvars.copy_context()
        return super().submit(context.run, fn, *args, **kwargs)


def token_gone(error: BaseException) -> str | None:
    """Slack's error code when ``error`` says the bot token no longer works, else None."""
    if isinstance(error, SlackApiError):
        code = str(error.response.get("error") or "")
        return code if code in TOKEN_GONE else None
    return None


def retry_handlers() -> list[RetryHandler]:
    """Retries sleep (honouring Retry-After), so they run in the work after ack(), never before it."""
    return [
        RateLimitErrorRetryHandler(max_retry_count=8),
        ServerErrorRetryHandler(max_retry_count=4),
        ConnectionErrorRetryHandler(max_retry_count=4),
    ]


class NotInstalled(OpsError):
    """Slack would refuse the call: the app is not installed in that workspace (any more)."""

    def __init__(self, workspace: str | None) -> None:
        super().__init__(
            N_("Opsbot is not installed in the Slack workspace {workspace}. Install it there, then try again."),
            workspace=workspace or "?",
        )


class Workspaces:
    """The Slack client for the workspace being served: the one client, or one per installed workspace."""

    def __init__(
        self,
        client: WebClient,
        store: InstallationStore | None = None,
        *,
        teams: TeamDirectory | None = None,
        ttl_seconds: float = TOKEN_TTL_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.base = client
        self.store = store
        self._teams = teams or TeamDirectory([])
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._clients: dict[str, tuple[float, WebClient | None]] = {}  # workspace -> (valid until, client or None)
        self._senders: dict[str | None, WebClient] = {}  # bot token -> the outbox's client for it
        self._missing_reported: set[str] = set()

    @property
    def several(self) -> bool:
        return self.store is not None

    def resolve(self, *, channel: str | None = None, user: str | None = None) -> str:
        """The workspace a call is for: the one being served; outside a request or a team's job (the CLI), the
        workspace of the team whose channel or member it addresses. "" with a single bot token."""
        if self.store is None:
            return ""
        workspace = current_workspace()
        if workspace is None:
            team = self._team_of(channel, user)
            workspace = team.slack_team_id if team else None
        if workspace is None:
            raise NotInstalled(None)
        return workspace

    def _team_of(self, channel: str | None, user: str | None) -> Team | None:
        if channel and channel.startswith(("U", "W")):
            channel, user = None, channel
        if channel:
            return next((t for t in self._teams.teams if channel in t.channels.values()), None)
        if user:
            return next((t for t in self._teams.teams if t.member(user) is not None), None)
        return None

    def client(self, *, channel: str | None = None, user: str | None = None) -> WebClient:
        return self.client_for(self.resolve(channel=channel, user=user))

    def client_for(self, workspace: str) -> WebClient:
        if self.store is None:
            return self.base
        client = self._lookup(workspace)
        if client is None:
            raise NotInstalled(workspace)
        return client

    def sender(self, workspace: str) -> WebClient:
        """The client the outbox sends with: the workspace's bot token and no retries of its own. The outbox
        decides when to try again; a blind retry of a post whose answer was lost would post it twice."""
        token = self.client_for(workspace).token
        with self._lock:
            if token not in self._senders:
                self._senders[token] = self._new_client(token, retries=False)
            return self._senders[token]

    def installed(self, workspace: str) -> bool:
        return self.store is None or self._lookup(workspace) is not None

    def forget(self, workspace: str) -> None:
        """Drop what is known of a workspace: after an uninstall, a revoked token or a new install."""
        with self._lock:
            self._clients.pop(workspace, None)

    def _lookup(self, workspace: str) -> WebClient | None:
        assert self.store is not None
        now = self._monotonic()
        with self._lock:
            cached = self._clients.get(workspace)
        if cached is not None and now < cached[0]:
            return cached[1]
        bot = self.store.find_bot(enterprise_id=None, team_id=workspace)
        token = bot.bot_token if bot is not None else None
        with self._lock:
            previous = self._clients.get(workspace)
            client = previous[1] if previous is not None else None
            if client is None or client.token != token:
                client = self._new_client(token) if token else None
            self._clients[workspace] = (now + self._ttl, client)
            first_miss = client is None and workspace not in self._missing_reported
            if client is None:
                self._missing_reported.add(workspace)
            else:
                self._missing_reported.discard(workspace)
        if first_miss:
            log.info("Slack workspace %s is not installed: nothing is sent there until it is", workspace)
        return client

    def _new_client(self, token: str | None, *, retries: bool = True) -> WebClient:
        client = WebClient(
            token=token, base_url=self.base.base_url, timeout=self.base.timeout, ssl=self.base.ssl,
            proxy=self.base.proxy, headers=dict(self.base.headers),
        )
        if retries:
            client.retry_handlers.extend(retry_handlers())
        else:
            client.retry_handlers.clear()
        return client


class WorkspaceTeams(TeamDirectory):
    """With several workspaces a person or a channel is looked up in the workspace being served: the same user
    id in two workspaces (Enterprise Grid) never finds the other workspace's team."""

    def for_user(self, user_id: str, slack_team_id: str | None = None) -> Team | None:
        return super().for_user(user_id, slack_team_id or current_workspace())

    def for_channel(self, channel_id: str) -> Team | None:
        workspace = current_workspace()
        return next(
            (t for t in self.teams
             if channel_id in t.channels.values() and workspace in (None, t.slack_team_id)),
            None,
        )
