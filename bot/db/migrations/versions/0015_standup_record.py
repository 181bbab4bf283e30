"""Stand-ups keep a faithful record: when a blocker was first shown, why someone else resolved it, whom a
summary @-mentioned as missing.

A blocker is escalated only once the team has seen it un-escalated (``shown_at``); a manager resolving
someone's blocker says why (``resolution_note``); a summary mentions missing people at most once a week
(``mentioned_json``). Existing blockers count as already shown, so nothing escalated today changes.

Revision ID: 0015_standup_record
Revises: 0014_sku_first_day
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0015_standup_record"
down_revision = "0014_sku_first_day"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("standup_blockers") as batch:
        batch.add_column(sa.Column("shown_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("resolution_note", sa.Text, nullable=True))
    op.execute("UPDATE standup_blockers SET shown_at = COALESCE(escalated_at, CURRENT_TIMESTAMP)")
    with op.batch_alter_table("standup_messages") as batch:
        batch.add_column(sa.Column("mentioned_json", sa.Text, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("standup_messages") as batch:
        batch.drop_column("mentioned_json")
    with op.batch_alter_table("standup_blockers") as batch:
        batch.drop_column("resolution_note")
        batch.drop_column("shown_at")
