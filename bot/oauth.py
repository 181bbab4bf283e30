"""Bolt's install flow for several workspaces: the features' scopes, the project's database, an audit row
per install (through :class:`bot.flows.workspaces.WorkspaceLifecycle`); and the authorize that reads each
request's installation, for which a database that is down is an outage, not "not installed"."""

from __future__ import annotations

import contextvars
import logging
from typing import Any

from slack_bolt import BoltContext, BoltResponse
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.installation_store import Bot, InstallationStore
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.config import Settings
from bot.flows.workspaces import WorkspaceLifecycle
from bot.outbox.work import is_database_down

log = logging.getLogger(__name__)
STATE_EXPIRATION_SECONDS = 600  # an installer has ten minutes between /slack/install and coming back


def oauth_settings(
    settings: Settings, lifecycle: WorkspaceLifecycle, engine: Engine, scopes: list[str]
) -> OAuthSettings:
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    store = lifecycle.workspaces.store
    assert store is not None, "the wiring makes the installation store when a client id and secret are set"

    def installed(args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        lifecycle.installed(installation.team_id or "", by=installation.user_id or "slack",
                            name=installation.team_name)
        response: BoltResponse = args.default.success(args)
        return response

    def refused(args: FailureArgs) -> BoltResponse:
        log.warning("an installation was refused: %s", args.reason)
        response: BoltResponse = args.default.failure(args)
        return response

    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=scopes,
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        install_path=settings.slack_install_path,
        redirect_uri_path=settings.slack_redirect_uri_path,
        installation_store=store,
        installation_store_bot_only=True,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=engine),
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
        callback_options=CallbackOptions(success=installed, failure=refused),
    )


# The outage the installation store met during this authorize, if any (a list: one per call of authorize).
_store_away: contextvars.ContextVar[list[Exception] | None] = contextvars.ContextVar("opsbot_store_away", default=None)


class _OutageTelling(InstallationStore):
    """The installation store, remembering a database outage that Bolt's authorize would swallow."""

    def __init__(self, store: InstallationStore) -> None:
        self.store = store

    def _remember(self, error: Exception) -> None:
        met = _store_away.get()
        if met is not None and is_database_down(error):
            met.append(error)

    def find_bot(self, **kwargs: Any) -> Bot | None:
        try:
            return self.store.find_bot(**kwargs)
        except Exception as error:
            self._remember(error)
            raise

    def find_installation(self, **kwargs: Any) -> Installation | None:
        try:
            return self.store.find_installation(**kwargs)
        except Exception as error:
            self._remember(error)
            raise

    def save(self, installation: Installation) -> None:
        self.store.save(installation)

    def save_bot(self, bot: Bot) -> None:
        self.store.save_bot(bot)


class OutageAwareAuthorize(InstallationStoreAuthorize):
    """Bolt's installation-store authorize, except for a database that is down.

    Bolt logs any error of the store at INFO and answers as if the workspace were not installed: a queued event
    answered 401 and dropped, a command told "installation not found". Here the outage is raised instead, to the
    app's one error path, which does what it does for an outage on a single bot token: an event goes back to the
    work queue, a person waiting is told "Opsbot can't reach its database"."""

    def __init__(self, store: InstallationStore, **kwargs: Any) -> None:
        super().__init__(installation_store=_OutageTelling(store), **kwargs)

    def __call__(self, *, context: BoltContext, enterprise_id: str | None, team_id: str | None,
                 user_id: str | None, **actor: Any) -> AuthorizeResult | None:
        met: list[Exception] = []
        token = _store_away.set(met)
        try:
            result: AuthorizeResult | None = super().__call__(
                context=context, enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, **actor
            )
        finally:
            _store_away.reset(token)
        if result is None and met:
            raise met[0]
        return result
