"""Restock: a request's note kept out of #purchasing when it was filed from a private place.

A request filed in a private channel, a group DM or a DM waits (state ``held``, no new column) until its requester
says where it goes; ``filed_privately`` remembers it (the team's card names what it was filed for without its
words); ``note_private`` is true when they chose to keep their note private: the card in #purchasing shows
everything but the note, which only the requester and the people who decide the request read.

Revision ID: 0035_restock_private_note
Revises: 0034_people_profiles
"""

import sqlalchemy as sa
from alembic import op

revision = "0035_restock_private_note"
down_revision = "0034_people_profiles"
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch copy: SQLite adds a column with a constant default in place.
def upgrade() -> None:
    for column in ("note_private", "filed_privately"):
        op.add_column("restock_requests", sa.Column(column, sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("restock_requests") as batch:
        batch.drop_column("filed_privately")
        batch.drop_column("note_private")
