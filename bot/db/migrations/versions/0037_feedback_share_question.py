"""Feedback from a private conversation: the author's share question kept, so a newer one replaces it.

``consent_question`` numbers the author's share question (each question's buttons carry their number, so a
press on one that a newer question replaced is told apart), and ``consent_channel`` / ``consent_ts`` say where
the latest one landed, so that asking again edits the one before to say it was replaced. Questions asked before
this have number 0 and no ts: they stay current until the next one is asked.

Revision ID: 0037_feedback_share_question
Revises: 0036_work_free_index
"""

import sqlalchemy as sa
from alembic import op

revision = "0037_feedback_share_question"
down_revision = "0036_work_free_index"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feedback_items", sa.Column("consent_question", sa.Integer, nullable=False, server_default="0"))
    op.add_column("feedback_items", sa.Column("consent_channel", sa.String(32), nullable=True))
    op.add_column("feedback_items", sa.Column("consent_ts", sa.String(32), nullable=True))


def downgrade() -> None:
    for column in ("consent_ts", "consent_channel", "consent_question"):
        op.drop_column("feedback_items", column)
