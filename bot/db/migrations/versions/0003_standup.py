"""Stand-ups: entries, time away, blockers, messages sent, preferences.

Revision ID: 0003_standup
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

from bot.db.base import UTCDateTime

revision = "0003_standup"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "standup_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("round_date", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answers_json", sa.Text, nullable=False),
        sa.Column("mood", sa.Integer),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.Column("edited_at", UTCDateTime()),
        sa.Column("thread_channel", sa.String(32)),
        sa.Column("thread_ts", sa.String(32)),
        sa.UniqueConstraint("team_id", "user_id", "round_date", name="uq_standup_entry"),
    )
    op.create_table(
        "standup_away",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("end", sa.Date, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "standup_blockers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("raised_on", sa.Date, nullable=False),
        sa.Column("resolved_at", UTCDateTime()),
        sa.Column("resolved_by", sa.String(32)),
        sa.Column("escalated_at", UTCDateTime()),
    )
    op.create_table(
        "standup_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("channel", sa.String(32)),
        sa.Column("ts", sa.String(32)),
        sa.Column("rounds_json", sa.Text, nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("team_id", "kind", "user_id", "day", name="uq_standup_message"),
    )
    op.create_table(
        "standup_preferences",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("reminders", sa.Boolean, nullable=False),
        sa.UniqueConstraint("team_id", "user_id", name="uq_standup_preference"),
    )


def downgrade() -> None:
    for table in ("standup_preferences", "standup_messages", "standup_blockers", "standup_away", "standup_entries"):
        op.drop_table(table)
