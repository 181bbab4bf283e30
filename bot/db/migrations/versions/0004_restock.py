"""Restock requests.

Revision ID: 0004_restock
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0004_restock"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "restock_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("requester", sa.String(32), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("marketplace", sa.String(8), nullable=False),
        sa.Column("destination", sa.String(32), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("suggested", sa.Integer, nullable=False),
        sa.Column("unit_cost", sa.Float, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("needed_by", sa.Date),
        sa.Column("freight_mode", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("po_number", sa.String(64)),
        sa.Column("supplier", sa.String(120)),
        sa.Column("eta", sa.Date),
        sa.Column("carrier", sa.String(64)),
        sa.Column("tracking", sa.String(120)),
        sa.Column("received_quantity", sa.Integer),
        sa.Column("decided_by", sa.String(32)),
        sa.Column("note", sa.Text),
        sa.Column("card_channel", sa.String(32)),
        sa.Column("card_ts", sa.String(32)),
        sa.Column("copy_channel", sa.String(32)),
        sa.Column("copy_ts", sa.String(32)),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("reminded_at", UTCDateTime()),
        sa.Column("eta_alerted_at", UTCDateTime()),
    )


def downgrade() -> None:
    op.drop_table("restock_requests")
