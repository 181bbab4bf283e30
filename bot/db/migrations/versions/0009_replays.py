"""Accepted request signatures, so a replayed Slack request is refused on every replica.

Revision ID: 0009_replays
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0009_replays"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accepted_signatures",
        # SHA-256 of the X-Slack-Signature header: the primary key is the unique check, one indexed insert.
        sa.Column("signature_hash", sa.String(64), primary_key=True),
        sa.Column("signed_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_accepted_signatures_signed_at", "accepted_signatures", ["signed_at"])


def downgrade() -> None:
    op.drop_index("ix_accepted_signatures_signed_at", "accepted_signatures")
    op.drop_table("accepted_signatures")
