"""Go/no-go decisions that stay made: each gate's ask, its decision (who, when, why) and every copy of it.

A decision is final until a manager reopens it; every copy (each manager's DM, the launch channel) shows it.

Revision ID: 0016_launch_decisions
Revises: 0015_standup_record
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0016_launch_decisions"
down_revision = "0015_standup_record"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "launch_gate_asks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("launch_id", sa.Integer, sa.ForeignKey("launches.id"), nullable=False),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("launch_tasks.id"), nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("decision", sa.String(16)),
        sa.Column("decided_by", sa.String(32)),
        sa.Column("decided_at", UTCDateTime()),
        sa.Column("reason", sa.Text),
        sa.Column("asked_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("task_id", "due", name="uq_launch_gate_ask"),
    )
    op.create_table(
        "launch_gate_copies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("ask_id", sa.Integer, sa.ForeignKey("launch_gate_asks.id"), nullable=False),
        sa.Column("reader", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(32)),
        sa.Column("ts", sa.String(32)),
    )


def downgrade() -> None:
    op.drop_table("launch_gate_copies")
    op.drop_table("launch_gate_asks")
