"""Several workspaces: what an uninstall, a revoked token or a refused token undoes.

Installations live in slack_sdk's own SQLAlchemy tables (migration 0008) on the same engine as everything
else, so every replica sees an install or an uninstall at once. Each leaves an audit row under the
workspace's Slack team id. (The install flow itself is Bolt's, configured in ``bot/oauth.py``.)
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from bot.clock import Clock
from bot.db import Database
from bot.db.audit import Audit
from bot.db.people import forget_workspace
from bot.workspaces import Workspaces

log = logging.getLogger(__name__)
_refusals = threading.Lock()  # several of a workspace's jobs may find its token refused at once


class WorkspaceLifecycle:
    def __init__(self, workspaces: Workspaces, db: Database, clock: Clock) -> None:
        self.workspaces, self.db, self.clock = workspaces, db, clock

    def installed(self, workspace: str, *, by: str, name: str | None) -> None:
        self.workspaces.forget(workspace)  # it may have been looked up, and missed, a moment ago
        self.audit(workspace, actor=by, from_state=None, to_state="installed", note=name)
        log.info("installed in Slack workspace %s (%s)", workspace, name)

    def uninstalled(self, enterprise_id: str | None, workspace: str | None) -> None:
        """``app_uninstalled``: the workspace's installation goes, and with it every cached client."""
        if workspace is None:
            return
        store = self.workspaces.store
        if store is not None:
            store.delete_all(enterprise_id=enterprise_id, team_id=workspace)
        self.workspaces.forget(workspace)
        with self.db.transaction() as session:
            forget_workspace(session, workspace)  # what Slack said of its people (language, zone, name) goes too
            self.audit(workspace, actor="slack", from_state="installed", to_state="uninstalled")
        log.info("uninstalled from Slack workspace %s", workspace)

    def tokens_revoked(self, enterprise_id: str | None, workspace: str | None, tokens: dict[str, Any]) -> None:
        """``tokens_revoked``: a revoked bot token ends the installation; a revoked user token only that user's."""
        if workspace is None:
            return
        store = self.workspaces.store
        if store is not None:
            for user in tokens.get("oauth") or []:
                store.delete_installation(enterprise_id=enterprise_id, team_id=workspace, user_id=str(user))
            if tokens.get("bot"):
                store.delete_all(enterprise_id=enterprise_id, team_id=workspace)
        revoked = "bot token revoked" if tokens.get("bot") else "user token revoked"
        with self.db.transaction() as session:
            if tokens.get("bot"):
                self.workspaces.forget(workspace)
                forget_workspace(session, workspace)  # the installation ends: what Slack said of its people too
            self.audit(workspace, actor="slack", from_state="installed", to_state=revoked)
        log.info("tokens revoked in Slack workspace %s", workspace)

    def token_refused(self, workspace: str, error: str) -> None:
        """Slack refused the workspace's bot token (``token_revoked``, ``account_inactive``…): an uninstall the
        bot was not told of. The installation goes, once, and the workspace's jobs skip until it is installed
        again."""
        store = self.workspaces.store
        if store is not None:
            with _refusals:
                installed = store.find_bot(enterprise_id=None, team_id=workspace) is not None
                if installed:  # else another of its jobs got here first
                    store.delete_all(enterprise_id=None, team_id=workspace)
                    self.audit(workspace, actor="slack", from_state="installed", to_state=f"token refused: {error}")
            if installed:
                log.info("Slack refused the bot token of workspace %s (%s): its installation is removed until it "
                         "is installed again", workspace, error)
        self.workspaces.forget(workspace)

    def audit(
        self, workspace: str, *, actor: str, from_state: str | None, to_state: str, note: str | None = None
    ) -> None:
        with self.db.transaction() as session:
            Audit(workspace, actor, self.clock.now())(session, "installation", workspace, from_state, to_state, note)
