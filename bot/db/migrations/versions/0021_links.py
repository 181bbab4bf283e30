"""Links between objects of different features (feedback -> restock request, promotion, launch task).

Revision ID: 0021_links
Revises: 0020_setup
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0021_links"
down_revision = "0020_setup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False, index=True),
        sa.Column("source_kind", sa.String(16), nullable=False),
        sa.Column("source_id", sa.Integer, nullable=False),
        sa.Column("target_kind", sa.String(16), nullable=False),
        sa.Column("target_id", sa.Integer, nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("source_kind", "source_id", "target_kind", "target_id"),
    )


def downgrade() -> None:
    op.drop_table("links")
