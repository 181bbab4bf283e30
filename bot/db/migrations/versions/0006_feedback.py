"""Market feedback: items and their cards.

Revision ID: 0006_feedback
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0006_feedback"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("reporter", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("link", sa.Text),
        sa.Column("source_channel", sa.String(32)),
        sa.Column("source_private", sa.Boolean, nullable=False),
        sa.Column("share_publicly", sa.Boolean, nullable=False),
        sa.Column("marketplace", sa.String(8)),
        sa.Column("sku", sa.String(64)),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("urgent", sa.Boolean, nullable=False),
        sa.Column("roles_json", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(32)),
        sa.Column("note", sa.Text),
        sa.Column("outcome", sa.Text),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("reminded_at", UTCDateTime()),
    )
    op.create_index("ix_feedback_items_team_sku", "feedback_items", ["team_id", "sku", "category"])
    op.create_table(
        "feedback_cards",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=False),
        sa.Column("channel", sa.String(32), nullable=False),
        sa.Column("ts", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feedback_cards")
    op.drop_index("ix_feedback_items_team_sku", "feedback_items")
    op.drop_table("feedback_items")
