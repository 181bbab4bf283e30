"""Several workspaces: Slack's OAuth install flow on the project's database, and what an uninstall undoes.

Installations and OAuth states live in slack_sdk's own SQLAlchemy tables (migration 0008) on the same
engine as everything else, so every replica sees an install at once. Each install, uninstall and
revoked token leaves an audit row under the workspace's Slack team id.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.config import Settings
from bot.db.audit import record
from bot.manifest import bot_scopes
from bot.services import Services

log = logging.getLogger(__name__)
STATE_EXPIRATION_SECONDS = 600  # an installer has ten minutes between /slack/install and coming back
_refusals = threading.Lock()  # several of a workspace's jobs may find its token refused at once


def oauth_settings(settings: Settings, services: Services) -> OAuthSettings:
    """Bolt's install flow: the features' scopes, the project's database, an audit row per install."""
    assert settings.slack_client_id is not None and settings.slack_client_secret is not None
    store = services.workspaces.store
    assert store is not None, "build_services makes the installation store when a client id and secret are set"

    def installed(args: SuccessArgs) -> BoltResponse:
        installation = args.installation
        workspace = installation.team_id or ""
        services.workspaces.forget(workspace)  # it may have been looked up, and missed, a moment ago
        _audit(services, workspace, actor=installation.user_id or "slack", from_state=None, to_state="installed",
               note=installation.team_name)
        log.info("installed in Slack workspace %s (%s)", workspace, installation.team_name)
        response: BoltResponse = args.default.success(args)
        return response

    def refused(args: FailureArgs) -> BoltResponse:
        log.warning("an installation was refused: %s", args.reason)
        response: BoltResponse = args.default.failure(args)
        return response

    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=bot_scopes(services.features),
        user_scopes=[],
        redirect_uri=settings.slack_redirect_uri,
        install_path=settings.slack_install_path,
        redirect_uri_path=settings.slack_redirect_uri_path,
        installation_store=store,
        installation_store_bot_only=True,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=services.db.engine),
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
        callback_options=CallbackOptions(success=installed, failure=refused),
    )


def uninstalled(services: Services, enterprise_id: str | None, workspace: str | None) -> None:
    """``app_uninstalled``: the workspace's installation goes, and with it every cached client."""
    if workspace is None:
        return
    store = services.workspaces.store
    if store is not None:
        store.delete_all(enterprise_id=enterprise_id, team_id=workspace)
    services.workspaces.forget(workspace)
    _audit(services, workspace, actor="slack", from_state="installed", to_state="uninstalled")
    log.info("uninstalled from Slack workspace %s", workspace)


def tokens_revoked(
    services: Services, enterprise_id: str | None, workspace: str | None, tokens: dict[str, Any]
) -> None:
    """``tokens_revoked``: a revoked bot token ends the installation; a revoked user token only that user's."""
    if workspace is None:
        return
    store = services.workspaces.store
    if store is not None:
        for user in tokens.get("oauth") or []:
            store.delete_installation(enterprise_id=enterprise_id, team_id=workspace, user_id=str(user))
        if tokens.get("bot"):
            store.delete_all(enterprise_id=enterprise_id, team_id=workspace)
    if tokens.get("bot"):
        services.workspaces.forget(workspace)
    revoked = "bot token revoked" if tokens.get("bot") else "user token revoked"
    _audit(services, workspace, actor="slack", from_state="installed", to_state=revoked)
    log.info("tokens revoked in Slack workspace %s", workspace)


def token_refused(services: Services, workspace: str, error: str) -> None:
    """Slack refused the workspace's bot token (``token_revoked``, ``account_inactive``…): an uninstall the bot
    was not told of. The installation goes, once, and the workspace's jobs skip until it is installed again."""
    store = services.workspaces.store
    if store is not None:
        with _refusals:
            installed = store.find_bot(enterprise_id=None, team_id=workspace) is not None
            if installed:  # else another of its jobs got here first
                store.delete_all(enterprise_id=None, team_id=workspace)
                _audit(services, workspace, actor="slack", from_state="installed", to_state=f"token refused: {error}")
        if installed:
            log.info("Slack refused the bot token of workspace %s (%s): its installation is removed until it is "
                     "installed again", workspace, error)
    services.workspaces.forget(workspace)


def _audit(
    services: Services, workspace: str, *, actor: str, from_state: str | None, to_state: str, note: str | None = None
) -> None:
    with services.db.transaction() as session:
        record(session, team_id=workspace, entity="installation", entity_id=workspace, actor=actor,
               at=services.clock.now(), from_state=from_state, to_state=to_state, note=note)
