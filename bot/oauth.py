"""Bolt's install flow for several workspaces: the features' scopes, the project's database, an audit row
per install (through :class:`bot.flows.workspaces.WorkspaceLifecycle`)."""

from __future__ import annotations

import logging

from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.config import Settings
from bot.flows.workspaces import WorkspaceLifecycle

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
