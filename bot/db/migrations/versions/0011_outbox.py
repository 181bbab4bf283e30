"""The outbox: messages written in the transaction of the change they announce, sent by a worker.

Feedback cards get their channel and ts when their message is sent, so both may now be empty for a moment.

Revision ID: 0011_outbox
Revises: 0007_feedback_destination
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0011_outbox"
down_revision = "0007_feedback_destination"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(64), nullable=False, unique=True),
        sa.Column("workspace", sa.String(32)),
        sa.Column("lane", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(32)),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("content", sa.LargeBinary()),
        sa.Column("after", sa.String(64)),
        sa.Column("receipt", sa.String(64)),
        sa.Column("receipt_ref", sa.String(100)),
        sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("uncertain", sa.Boolean(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("first_tried_at", UTCDateTime()),
        sa.Column("sent_at", UTCDateTime()),
        sa.Column("sent_ts", sa.String(32)),
        sa.Column("error", sa.String(200)),
    )
    op.create_index("ix_outbox_state_due", "outbox", ["state", "due_at"])
    op.create_index("ix_outbox_lane_id", "outbox", ["lane", "id"])
    op.create_table(
        "outbox_lanes",
        sa.Column("lane", sa.String(64), primary_key=True),
        sa.Column("owner", sa.String(100)),
        sa.Column("lease_until", UTCDateTime()),
        sa.Column("next_send_at", UTCDateTime()),
    )
    with op.batch_alter_table("feedback_cards") as batch:
        batch.alter_column("channel", existing_type=sa.String(32), nullable=True)
        batch.alter_column("ts", existing_type=sa.String(32), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("feedback_cards") as batch:
        batch.alter_column("ts", existing_type=sa.String(32), nullable=False)
        batch.alter_column("channel", existing_type=sa.String(32), nullable=False)
    op.drop_table("outbox_lanes")
    op.drop_index("ix_outbox_lane_id", "outbox")
    op.drop_index("ix_outbox_state_due", "outbox")
    op.drop_table("outbox")
