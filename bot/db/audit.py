"""Writes the audit trail in the same transaction as the change it records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.core import AuditEntry


def record(
    session: Session,
    *,
    team_id: str,
    entity: str,
    entity_id: str,
    actor: str,
    at: datetime,
    from_state: str | None,
    to_state: str | None,
    note: str | None = None,
) -> None:
    session.add(
        AuditEntry(
            team_id=team_id, entity=entity, entity_id=entity_id, actor=actor, at=at,
            from_state=from_state, to_state=to_state, note=note,
        )
    )


@dataclass(frozen=True)
class Audit:
    """An audit recorder bound to one team, one actor and one moment: each state change of an action is then
    one line, ``audit(session, "restock", ref, "requested", "approved")``."""

    team_id: str
    actor: str
    at: datetime

    def __call__(
        self, session: Session, entity: str, entity_id: str, from_state: str | None, to_state: str | None,
        note: str | None = None,
    ) -> None:
        record(session, team_id=self.team_id, entity=entity, entity_id=entity_id, actor=self.actor, at=self.at,
               from_state=from_state, to_state=to_state, note=note)


def history(session: Session, team_id: str, entity: str, entity_id: str) -> list[AuditEntry]:
    query = (
        select(AuditEntry)
        .where(AuditEntry.team_id == team_id, AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.at, AuditEntry.id)
    )
    return list(session.scalars(query))
