"""``opsbot doctor``'s canvases line: are meetings also written as Slack canvases, and if not, why.

Canvases are optional (``canvases:write`` is an optional scope in the manifest): a workspace that refuses them
(a free plan, canvases turned off, the scope not granted) gets the agenda and the record as messages only. The
refusal Slack gave for the latest meeting is kept on it; the scopes the token was granted say the rest.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from bot.db import Database
from bot.db.meetings import MeetingRow
from bot.doctor.check import Check

SCOPE = "canvases:write"
WHY = {
    "missing_scope": f"the app was not granted {SCOPE}",
    "canvas_disabled_user_team": "the workspace's admins turned canvases off",
    "free_teams_cannot_create_non_tab_canvases": "the workspace is on Slack's free plan",
    "free_team_canvas_tab_already_exists": "the workspace is on Slack's free plan (one canvas tab per channel)",
    "team_tier_cannot_create_channel_canvases": "the workspace's plan has no channel canvases",
    "not_allowed": "Slack does not allow this app to make canvases here",
    "not_allowed_token_type": "Slack does not allow this app to make canvases here",
    "restricted_action": "the workspace's settings do not let apps make canvases",
}
ONLY_MESSAGES = "meetings' agendas and records go out as messages only"


def latest_refusal(database_url: str) -> str | None:
    """What Slack said to the latest meeting's canvas, if it refused one (None: it made one, or none was tried)."""
    database = Database(database_url)
    try:
        with database.transaction() as session:
            row = session.scalars(select(MeetingRow).where(
                (MeetingRow.canvas_id.is_not(None)) | (MeetingRow.canvas_error.is_not(None))
            ).order_by(MeetingRow.agenda_sent_at.desc(), MeetingRow.id.desc()).limit(1)).first()
            return row.canvas_error if row is not None else None
    except SQLAlchemyError:  # no database yet, or not upgraded: the database line says so
        return None
    finally:
        database.dispose()


def canvas_check(granted: set[str] | None, refusal: str | None) -> Check:
    """Never a failure: a workspace without canvases is a choice (or a plan), not a fault."""
    if granted is not None and SCOPE not in granted:
        return Check("canvases", True, f"off: the app was not granted {SCOPE} (optional), so {ONLY_MESSAGES}; "
                                       "to turn them on, add it under OAuth & Permissions and reinstall")
    if refusal is not None:
        why = WHY.get(refusal, "Slack refused")
        return Check("canvases", True, f"off: {why} ({refusal}), so {ONLY_MESSAGES}")
    return Check("canvases", True, "on: each meeting's agenda and record are also a canvas in its channel")
