"""The foundation's tables: de-duplicated deliveries, refused replays, claimed scheduler fires, the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base


class ProcessedDelivery(Base):
    """A Slack request we have acted on, keyed by event id / trigger id, so retries do nothing twice."""

    __tablename__ = "processed_deliveries"
    __table_args__ = (UniqueConstraint("team_id", "key", name="uq_processed_deliveries_team_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[datetime]


class AcceptedSignature(Base):
    """A signed request we accepted, by a hash of its ``X-Slack-Signature``: the same one again is a replay.

    ``signed_at`` is the request's own (verified) timestamp, so old rows can be pruned without a clock.
    Created by migration 0009_replays.
    """

    __tablename__ = "accepted_signatures"
    __table_args__ = (Index("ix_accepted_signatures_signed_at", "signed_at"),)

    signature_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    signed_at: Mapped[datetime]


class JobFire(Base):
    """One scheduled fire, claimed by inserting this row first: a unique (job_id, fire_time) means once."""

    __tablename__ = "job_fires"
    __table_args__ = (
        UniqueConstraint("job_id", "fire_time", name="uq_job_fires_job_time"),
        # Every tick looks for claims left unfinished past their lease (their claimant died).
        Index("ix_job_fires_unfinished", "claimed_at", postgresql_where=text("finished_at IS NULL"),
              sqlite_where=text("finished_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    job_id: Mapped[str] = mapped_column(String(200))
    fire_time: Mapped[datetime]
    claimed_at: Mapped[datetime]
    claimed_by: Mapped[str] = mapped_column(String(100))
    finished_at: Mapped[datetime | None]


class AuditEntry(Base):
    """Every state change a person or a job made: who, when, what, from, to, and why."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "team_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(100))
    actor: Mapped[str] = mapped_column(String(50))
    at: Mapped[datetime]
    from_state: Mapped[str | None] = mapped_column(String(50))
    to_state: Mapped[str | None] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)
