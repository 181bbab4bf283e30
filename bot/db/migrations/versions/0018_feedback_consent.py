"""Feedback: the author's consent before private words go public, an unsure category, the ASINs named.

A report taken from a private channel or a DM waits for the consent of the person who wrote it (``author``):
``consent`` is null when none is needed, else asked, given or declined. ``unsure`` marks a category no rule
chose, which the reporter is asked to pick. ``asins_json`` holds the ASINs read from the text.

Revision ID: 0018_feedback_consent
Revises: 0017_numbers
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_feedback_consent"
down_revision = "0017_numbers"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch copy: on SQLite a copy would drop feedback_items under feedback_cards' key.
def upgrade() -> None:
    op.add_column("feedback_items", sa.Column("author", sa.String(32), nullable=True))
    op.add_column("feedback_items", sa.Column("consent", sa.String(16), nullable=True))
    op.add_column("feedback_items", sa.Column("unsure", sa.Boolean, nullable=False, server_default=sa.false()))
    op.add_column("feedback_items", sa.Column("asins_json", sa.Text, nullable=False, server_default="[]"))


def downgrade() -> None:
    for column in ("asins_json", "unsure", "consent", "author"):
        op.drop_column("feedback_items", column)
