"""A team's setup as its manager made it in Slack (``/ops setup``): what team.yml leaves out, per team."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.db.base import Base


class TeamSetupRow(Base):
    __tablename__ = "team_setups"

    team_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    settings_json: Mapped[str] = mapped_column(Text)
    saved_by: Mapped[str] = mapped_column(String(32))
    saved_at: Mapped[datetime]


def saved(session: Session, team_id: str) -> dict[str, Any] | None:
    row = session.get(TeamSetupRow, team_id)
    return dict(json.loads(row.settings_json)) if row else None


def save(session: Session, team_id: str, settings: dict[str, Any], *, by: str, at: datetime) -> bool:
    """Store a team's setup; True when it replaced an earlier one."""
    row = session.get(TeamSetupRow, team_id)
    text = json.dumps(settings, ensure_ascii=False, sort_keys=True)
    if row is None:
        session.add(TeamSetupRow(team_id=team_id, settings_json=text, saved_by=by, saved_at=at))
        return False
    row.settings_json, row.saved_by, row.saved_at = text, by, at
    return True


def all_saved(session: Session) -> dict[str, str]:
    """Every team's saved setup as stored (its JSON text), by team id: cheap to compare with what was applied."""
    return {row.team_id: row.settings_json for row in session.query(TeamSetupRow)}
