"""Numbers people report for their own goals (/goals report).

Revision ID: 0026_goal_reports
Revises: 0025_meetings
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0026_goal_reports"
down_revision = "0025_meetings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "goal_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("goal_id", sa.String(40), nullable=False),
        sa.Column("period", sa.String(8), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("reported_by", sa.String(32), nullable=False),
        sa.Column("reported_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_goal_reports_goal", "goal_reports", ["team_id", "goal_id", "period"])


def downgrade() -> None:
    op.drop_index("ix_goal_reports_goal", table_name="goal_reports")
    op.drop_table("goal_reports")
