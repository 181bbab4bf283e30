"""Promotions planned in Slack (/promo): approved, live, ended and reviewed.

Revision ID: 0024_promotions
Revises: 0022_feedback_lines
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0024_promotions"
down_revision = "0022_feedback_lines"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "promotions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False, index=True),
        sa.Column("owner", sa.String(32), nullable=False),
        sa.Column("skus", sa.Text, nullable=False),
        sa.Column("marketplace", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("discount", sa.Float, nullable=True),
        sa.Column("amount", sa.Float, nullable=True),
        sa.Column("budget", sa.Float, nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("start_day", sa.Date, nullable=False),
        sa.Column("end_day", sa.Date, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("needs_approval", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("decided_by", sa.String(32), nullable=True),
        sa.Column("card_channel", sa.String(32), nullable=True),
        sa.Column("card_ts", sa.String(32), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("promotions")
