"""Foundation: processed deliveries, claimed scheduler fires, audit log.

Revision ID: 0001_foundation
Revises:
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "processed_deliveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("team_id", "key", name="uq_processed_deliveries_team_key"),
    )
    op.create_table(
        "job_fires",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("job_id", sa.String(200), nullable=False),
        sa.Column("fire_time", UTCDateTime(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(100), nullable=False),
        sa.Column("finished_at", UTCDateTime()),
        sa.UniqueConstraint("job_id", "fire_time", name="uq_job_fires_job_time"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("entity", sa.String(50), nullable=False),
        sa.Column("entity_id", sa.String(100), nullable=False),
        sa.Column("actor", sa.String(50), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("from_state", sa.String(50)),
        sa.Column("to_state", sa.String(50)),
        sa.Column("note", sa.Text),
    )
    op.create_index("ix_audit_log_entity", "audit_log", ["team_id", "entity", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_entity", "audit_log")
    op.drop_table("audit_log")
    op.drop_table("job_fires")
    op.drop_table("processed_deliveries")
