"""Feedback lines: each destination role works a feedback item on its own line (new, acknowledged, on it with
its action, done, not ours), so purchasing's "on it" and marketing's "done" live side by side. A line a re-route
took away is kept inactive, with its state, and comes back as it was if the role is routed to again.

Items filed before this have no lines: the flows create them from the item's roles and state when first read.

Revision ID: 0022_feedback_lines
Revises: 0021_links
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0022_feedback_lines"
down_revision = "0021_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback_lines",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("item_id", sa.Integer, sa.ForeignKey("feedback_items.id"), nullable=False, index=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(32), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
        sa.Column("outcome", sa.Text, nullable=True),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("item_id", "role", name="uq_feedback_line_role"),
    )


def downgrade() -> None:
    op.drop_table("feedback_lines")
